from . import (
    test_access,
    test_ceremony_hours,
    test_competition_cycle,
    test_portal,
    test_submission_rules,
    test_winners_review,
)
