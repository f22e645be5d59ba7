from . import (
    test_overdue_audience,
)
