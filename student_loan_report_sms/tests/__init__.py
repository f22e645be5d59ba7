from . import (
    test_work_log_sms,
)
