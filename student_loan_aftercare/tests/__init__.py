from . import (
    test_bank_import,
    test_graduation,
    test_history,
    test_jobs,
    test_lib_errors,
    test_overdue,
    test_penalty_collection,
    test_prepayment,
    test_relief,
    test_risk,
    test_risk_summary,
    test_subsidy_settlement,
)
