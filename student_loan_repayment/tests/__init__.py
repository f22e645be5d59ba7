from . import (
    test_change_request,
    test_forms,
    test_payment,
    test_plan,
    test_plan_convention,
    test_reminders,
    test_review_holes,
    test_security,
    test_settlement,
    test_settlement_job,
    test_settlement_sql,
)
