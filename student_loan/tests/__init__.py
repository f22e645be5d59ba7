from . import (
    test_access_matrix,
    test_audit,
    test_chinese_tour,
    test_chinese_views,
    test_concurrency,
    test_document_check,
    test_hostile_input,
    test_i18n,
    test_security,
    test_student,
    test_tour,
    test_workflow,
)
