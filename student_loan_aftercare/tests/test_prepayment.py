import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import AftercareCase


@tagged("post_install", "-at_install")
class TestPrepayment(AftercareCase):
    def request(self, day, user=None, **vals):
        with freeze_time(day):
            return (
                self.env["student.loan.prepayment.request"]
                .with_user(user or self.handler)
                .create(dict({"contract_id": self.senior_contract.id, "amount": 1000}, **vals))
            )

    def test_cycle_refusals(self):
        with self.assertRaisesRegex(UserError, "from day 1 to day 10"):
            self.request(datetime.date(2026, 3, 12))
        with self.assertRaisesRegex(UserError, "month 11"):
            self.request(datetime.date(2026, 11, 3))
        with self.assertRaisesRegex(UserError, "amount"):
            self.request(datetime.date(2026, 3, 3), amount=0)
        with self.assertRaisesRegex(UserError, "principal outstanding"):
            self.request(datetime.date(2026, 3, 3), amount=999999)
        with self.assertRaisesRegex(AccessError, "Only handlers"):
            self.request(datetime.date(2026, 3, 3), user=self.city_viewer)
        self.assertFalse(self.env["student.loan.prepayment.request"].search([]))

    def test_submitted_late_is_refused(self):
        request = self.request(datetime.date(2026, 3, 5))
        self.assertEqual(request.state, "draft")
        with freeze_time(datetime.date(2026, 3, 15)), self.assertRaisesRegex(UserError, "from day 1 to day 10"):
            request.with_user(self.handler).action_submit()
        self.assertEqual(request.state, "draft")

    def test_requested_checked_approved_paid_on_the_20th(self):
        self.settle_and_pay_before(self.senior_contract, datetime.date(2026, 3, 1))
        request = self.request(datetime.date(2026, 3, 5))
        self.assertEqual(request.payment_date, datetime.date(2026, 3, 20))
        self.assertEqual(request.amount_due, 1000)
        with freeze_time(datetime.date(2026, 3, 5)):
            request.with_user(self.handler).action_submit()
        self.assertEqual(request.state, "submitted")
        with self.assertRaisesRegex(UserError, "in progress"):
            self.request(datetime.date(2026, 3, 5), amount=500)
        with freeze_time(datetime.date(2026, 3, 6)):
            request.with_user(self.handler2).action_check()
            self.assertEqual(request.state, "checked")
            self.assertActivityFor(request, request.review_supervisor_ids)
            with self.assertRaisesRegex(AccessError, "workflow buttons"):
                request.with_user(self.handler).write({"payment_date": datetime.date(2026, 3, 7)})
            request.with_user(self.supervisor).action_approve()
            self.assertEqual(request.state, "approved")
            self.assertEqual(request.approved_by_id, self.supervisor)
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

    def test_repay_all_shows_the_payoff(self):
        self.settle_and_pay_before(self.senior_contract, datetime.date(2026, 3, 1))
        request = self.request(datetime.date(2026, 3, 5), amount=0, repay_all=True)
        self.assertGreater(request.amount_due, self.senior_contract.principal_outstanding - 0.01)

    def test_the_recorder_does_not_approve(self):
        with freeze_time(datetime.date(2026, 3, 5)):
            request = (
                self.env["student.loan.prepayment.request"]
                .with_user(self.supervisor)
                .create({"contract_id": self.senior_contract.id, "repay_all": True})
            )
            request.with_user(self.supervisor).action_submit()
            request.with_user(self.supervisor).action_check()
            with self.assertRaisesRegex(UserError, "another supervisor"):
                request.with_user(self.supervisor).action_approve()
            request.with_user(self.supervisor2).action_review_return("学生要求改为部分提前还款")
        self.assertEqual(request.state, "returned")
        self.assertIn(self.senior_contract.student_id.partner_id, request.message_ids[:1].partner_ids)
