import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AftercareCase


@tagged("post_install", "-at_install")
class TestPrepayment(AftercareCase):
    def request(self, day, **vals):
        with freeze_time(day):
            return (
                self.env["student.loan.prepayment.request"]
                .with_user(self.handler)
                .create(dict({"contract_id": self.senior_contract.id, "amount": 1000}, **vals))
            )

    def test_cycle_refusals(self):
        with self.assertRaisesRegex(UserError, "from day 1 to day 10"):
            self.request(datetime.date(2026, 3, 12))
        with self.assertRaisesRegex(UserError, "month 11"):
            self.request(datetime.date(2026, 11, 3))
        with self.assertRaisesRegex(UserError, "amount"):
            self.request(datetime.date(2026, 3, 3), amount=0)
        self.assertFalse(self.env["student.loan.prepayment.request"].search([]))

    def test_requested_approved_paid_on_the_20th(self):
        self.settle_and_pay_before(self.senior_contract, datetime.date(2026, 3, 1))
        request = self.request(datetime.date(2026, 3, 5))
        self.assertEqual(request.payment_date, datetime.date(2026, 3, 20))
        with freeze_time(datetime.date(2026, 3, 6)):
            request.with_user(self.supervisor).action_approve()
            with self.assertRaisesRegex(UserError, "not before"):
                request.with_user(self.handler).action_book()
        with freeze_time(datetime.date(2026, 3, 20)):
            request.with_user(self.handler).action_book()
        self.assertEqual(request.state, "paid")
        payment = request.payment_id
        self.assertTrue(payment.early_repayment)
        self.assertEqual(payment.state, "posted")
        prepayment_line = self.senior_contract.plan_line_ids.filtered(lambda line: line.kind == "prepayment")
        self.assertEqual(prepayment_line.date, datetime.date(2026, 3, 20))

    def test_the_recorder_does_not_approve(self):
        with freeze_time(datetime.date(2026, 3, 5)):
            request = (
                self.env["student.loan.prepayment.request"]
                .with_user(self.supervisor)
                .create({"contract_id": self.senior_contract.id, "repay_all": True})
            )
            with self.assertRaisesRegex(UserError, "another supervisor"):
                request.with_user(self.supervisor).action_approve()
