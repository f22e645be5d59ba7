{
    "name": "Student Loans: Portal Repayment",
    "version": "18.0.1.0.0",
    "category": "Services/Student Loans",
    "summary": "Student portal: repayment plan, amounts due before the settlement date, repayments, change requests",
    "author": "Student Loan Platform",
    "license": "AGPL-3",
    "depends": ["student_loan_portal", "student_loan_repayment"],
    "data": [
        "security/student_loan_portal_repayment_security.xml",
        "views/student_loan_portal_repayment_templates.xml",
    ],
    "auto_install": True,
}
