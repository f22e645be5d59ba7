from . import (
    test_portal_repayment,
)
