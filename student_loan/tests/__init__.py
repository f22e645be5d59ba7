from . import test_student
from . import test_workflow
from . import test_document_check
from . import test_security
from . import test_tour
