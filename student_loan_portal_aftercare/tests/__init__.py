from . import (
    test_portal_aftercare,
    test_tour,
)
