from . import (
    test_access_matrix,
    test_audit,
    test_concurrency,
    test_contract_signature,
    test_document_check,
    test_hostile_input,
    test_security,
    test_student,
    test_tour,
    test_workflow,
)
