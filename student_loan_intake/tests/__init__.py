from . import (
    test_hall_display,
    test_intake_forecast,
    test_intake_http,
    test_intake_queue,
    test_intake_security,
    test_jobs,
    test_poverty_import,
    test_poverty_reconciliation,
)
