{
    "name": "Student Loans: Statistics and Reports",
    "version": "18.0.1.0.0",
    "category": "Services/Student Loans",
    "summary": "R1 statistics as of a date (pivot, dashboard, CSV, XLSX), daily work logs, synthetic province",
    "author": "Student Loan Platform",
    "license": "AGPL-3",
    "depends": ["student_loan", "mail", "web"],
    "external_dependencies": {"python": ["xlsxwriter", "python-stdnum"]},
    "data": [
        "security/ir.model.access.csv",
        "security/student_loan_report_rules.xml",
        "data/ir_cron_data.xml",
        "views/student_loan_statistics_views.xml",
        "wizard/student_loan_statistics_wizard_views.xml",
        "views/student_loan_work_log_views.xml",
        "views/student_loan_report_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "student_loan_report/static/src/js/tours/*.js",
        ],
    },
    "uninstall_hook": "uninstall_hook",
}
