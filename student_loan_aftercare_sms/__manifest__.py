{
    "name": "Student Loans: After the Loan - SMS",
    "version": "18.0.1.0.0",
    "category": "Services/Student Loans",
    "summary": "SMS audiences of overdue borrowers by days past due (bridge of the after-the-loan and SMS addons)",
    "author": "Student Loan Platform",
    "license": "AGPL-3",
    "depends": ["student_loan_aftercare", "student_loan_sms"],
    "data": ["views/student_loan_sms_campaign_views.xml"],
    "auto_install": True,
}
