from . import (
    test_amount_due_audience,
)
