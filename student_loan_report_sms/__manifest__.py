{
    "name": "Student Loans: SMS in the Daily Work Log",
    "version": "18.0.1.0.0",
    "category": "Services/Student Loans",
    "summary": "The daily work log counts the text messages sent to each centre's students",
    "author": "Student Loan Platform",
    "license": "AGPL-3",
    "depends": ["student_loan_report", "student_loan_sms"],
    "auto_install": True,
}
