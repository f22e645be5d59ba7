from . import (
    test_access,
    test_print_contract,
    test_province_loader,
    test_reports,
    test_statistics,
    test_tour,
    test_work_log,
)
