from . import test_document_check, test_security, test_student, test_tour, test_workflow
