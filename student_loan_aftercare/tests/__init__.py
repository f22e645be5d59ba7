from . import (
    test_bank_import,
    test_graduation,
    test_history,
    test_overdue,
    test_prepayment,
    test_relief,
    test_risk,
    test_risk_summary,
)
