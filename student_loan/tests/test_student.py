from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from .common import StudentLoanCase


@tagged("post_install", "-at_install")
class TestStudentPlaceholder(StudentLoanCase):
    def test_placeholder(self):
        self.assertTrue(self.county)
