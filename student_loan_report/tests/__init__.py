from . import (
    test_access,
    test_province_loader,
    test_statistics,
    test_statistics_daily,
    test_tour,
    test_work_log,
)
