from . import (
    test_portal_sms,
)
