{
    "name": "Student Loans: Demo Data",
    "version": "18.0.1.0.0",
    "category": "Services/Student Loans",
    "summary": "Demo only: applications in every state, portal logins, the 卫辉市 competition and the 淅川县 intake "
    "hall, built by running the real workflows; Odoo's own demo records in Chinese",
    "author": "Student Loan Platform",
    "license": "AGPL-3",
    "depends": ["student_loan", "student_loan_portal", "student_loan_event", "student_loan_intake"],
    "external_dependencies": {"python": ["python-stdnum"]},
    "demo": [
        "demo/student_loan_demo_data.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "student_loan_demo/static/tests/tours/*.js",
        ],
    },
}
