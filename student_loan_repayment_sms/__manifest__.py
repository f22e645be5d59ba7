{
    "name": "Student Loans: Repayment Reminders by SMS",
    "version": "18.0.1.0.0",
    "category": "Services/Student Loans",
    "summary": "SMS audience of the students with an amount due before the settlement date, with the amount "
    "and the date in the text (bridge of the repayment and SMS addons)",
    "author": "Student Loan Platform",
    "license": "AGPL-3",
    "depends": ["student_loan_repayment", "student_loan_sms"],
    "auto_install": True,
}
