{
    "name": "Student Loans: Portal After the Loan",
    "version": "18.0.1.0.0",
    "category": "Services/Student Loans",
    "summary": "Student portal: graduation confirmation (毕业确认) with the integrity quiz, prepayment requests "
    "(提前还款) on the bank's cycle",
    "author": "Student Loan Platform",
    "license": "AGPL-3",
    "depends": ["student_loan_portal", "student_loan_portal_repayment", "student_loan_aftercare"],
    "data": [
        "views/student_loan_portal_aftercare_templates.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "student_loan_portal_aftercare/static/tests/tours/*.js",
        ],
    },
    "auto_install": True,
}
