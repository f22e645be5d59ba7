from . import (
    test_application,
    test_attachments,
    test_follow,
    test_frontend_translations,
    test_hostile_input,
    test_register,
    test_security,
    test_signing,
    test_student_portal,
    test_tour,
)
