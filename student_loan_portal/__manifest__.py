{
    "name": "Student Loans: Student Portal",
    "version": "18.0.1.0.0",
    "category": "Services/Student Loans",
    "summary": "Mobile-first /my portal for students: register, apply, upload, sign, follow the case",
    "author": "Student Loan Platform",
    "license": "AGPL-3",
    "depends": ["student_loan", "portal"],
    "data": [
        "security/ir.model.access.csv",
        "security/student_loan_portal_security.xml",
        "data/ir_config_parameter_data.xml",
        "views/student_loan_portal_templates.xml",
        "views/student_loan_portal_register_templates.xml",
        "views/student_loan_portal_contract_templates.xml",
        "views/student_loan_portal_branding_templates.xml",
        "views/student_loan_portal_account_templates.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "student_loan_portal/static/src/scss/student_loan_portal.scss",
            "student_loan_portal/static/src/js/student_loan_portal.js",
            "student_loan_portal/static/src/hand_signature/*",
        ],
        "web.assets_tests": [
            "student_loan_portal/static/tests/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
}
