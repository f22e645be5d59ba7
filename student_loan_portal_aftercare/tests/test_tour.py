from freezegun import freeze_time

from odoo.tests import tagged

from .common import IN_WINDOW, PortalAftercareCase


@tagged("post_install", "-at_install", "is_tour")
class TestPortalAftercareTour(PortalAftercareCase):
    """In Chromium at phone size, in Chinese: the graduate opens the graduation confirmation, sees that the
    integrity quiz comes first, passes it, fills in the new details and applies; then applies for a partial
    prepayment on the bank's cycle and follows it."""

    browser_size = "390x844"
    touch_enabled = True

    def test_graduation_and_prepayment_in_chinese(self):
        # the tour logs in with the login as password
        self.user_a.sudo().write({"lang": "zh_CN", "password": self.user_a.login})
        with freeze_time(IN_WINDOW, tick=True):
            self.start_tour("/my", "student_loan_portal_aftercare", login=self.user_a.login, timeout=180)
        self.env.invalidate_all()
        graduation = self.env["student.loan.graduation"].sudo().search([("student_id", "=", self.student_a.id)])
        self.assertEqual(graduation.state, "submitted")
        self.assertEqual(graduation.employer, "郑州某科技公司")
        self.assertTrue(graduation.quiz_input_id.scoring_success)
        request = self.env["student.loan.prepayment.request"].sudo().search([("contract_id", "=", self.contract.id)])
        self.assertEqual(request.state, "submitted")
        self.assertEqual(request.amount, 800)
