{
    "name": "Student Loans: Portal Codes by SMS",
    "version": "18.0.1.0.0",
    "category": "Services/Student Loans",
    "summary": "One-time codes of the student portal (registration, password reset, co-borrower signing) "
    "sent through the aid centres' SMS gateways",
    "author": "Student Loan Platform",
    "license": "AGPL-3",
    "depends": ["student_loan_portal", "student_loan_sms"],
    "data": [
        "views/student_loan_sms_gateway_views.xml",
    ],
    "demo": [
        "demo/student_loan_portal_sms_demo.xml",
    ],
    "auto_install": True,
}
