import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import FIRST_PRINCIPAL, AftercareCase

BEFORE = datetime.date(2030, 10, 1)


@tagged("post_install", "-at_install")
class TestRelief(AftercareCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Relief = cls.env["student.loan.relief"]

    def relief(self, **vals):
        relief = self.Relief.with_user(self.handler).create(
            dict({"contract_id": self.senior_contract.id, "kind": "principal_deferral", "reason": "illness"}, **vals)
        )
        return relief

    def attach(self, relief):
        self.attach_evidence(relief)

    def review(self, relief, checker=None, approver=None):
        """Submitted by the handler, checked by a handler, approved by a supervisor."""
        relief.with_user(self.handler).action_submit()
        relief.with_user(checker or self.handler2).action_check()
        relief.with_user(approver or self.supervisor).action_approve()

    def plan_line(self, day):
        return self.senior_contract.plan_line_ids.filtered(lambda line: line.date == day)

    def test_principal_deferral_through_review(self):
        self.settle_and_pay_before(self.senior_contract, BEFORE)
        maturity = max(self.senior_contract.plan_line_ids.mapped("date"))
        self.assertGreater(self.plan_line(FIRST_PRINCIPAL).principal, 0)
        with freeze_time(BEFORE):
            relief = self.relief(years=1)
            with self.assertRaisesRegex(UserError, "evidence"):
                relief.with_user(self.handler).action_submit()
            self.attach(relief)
            relief.with_user(self.handler).action_submit()
            self.assertEqual(relief.state, "submitted")
            self.assertEqual(relief.submitted_by_id, self.handler)
            self.assertEqual(len(relief.review_ids), 2, "shipped tiers: handler check, supervisor approval")
            with self.assertRaisesRegex(UserError, "cannot be changed now"):
                relief.with_user(self.handler).write({"years": 2})
            with self.assertRaisesRegex(AccessError, "workflow buttons"):
                relief.with_user(self.handler).write({"state": "approved"})
            with self.assertRaisesRegex(UserError, "cannot be approved now"):
                relief.with_user(self.supervisor).action_approve()
            with self.assertRaises(AccessError):
                relief.with_user(self.handler_b).action_check()
            relief.with_user(self.handler).action_check()
            self.assertEqual(relief.state, "checked")
            self.assertActivityFor(relief, relief.review_supervisor_ids)
            with self.assertRaisesRegex(AccessError, "reviewed by"):
                relief.with_user(self.handler).action_approve()
            self.assertGreater(self.plan_line(FIRST_PRINCIPAL).principal, 0, "nothing changes before the approval")
            relief.with_user(self.supervisor).action_approve()
        self.assertEqual(relief.state, "approved")
        self.assertEqual(relief.approved_by_id, self.supervisor)
        self.assertEqual(relief.date_approved, BEFORE)
        self.assertActivityFor(relief, self.env["res.users"])
        self.assertEqual(self.plan_line(FIRST_PRINCIPAL).principal, 0)
        lines = self.senior_contract.plan_line_ids
        self.assertEqual(max(lines.mapped("date")), maturity.replace(year=maturity.year + 1))
        self.assertAlmostEqual(sum(lines.mapped("principal")), self.senior_contract.amount, places=2)

    def test_only_handlers_record_and_submit(self):
        with self.assertRaisesRegex(AccessError, "Only handlers"):
            self.Relief.with_user(self.city_viewer).create(
                {"contract_id": self.senior_contract.id, "kind": "principal_deferral", "reason": "illness"}
            )
        with self.assertRaisesRegex(AccessError, "starts as a draft"):
            self.relief(state="approved")

    def test_the_submitter_does_not_approve_and_returns_need_a_reason(self):
        with freeze_time(BEFORE):
            relief = self.Relief.with_user(self.supervisor).create(
                {"contract_id": self.senior_contract.id, "kind": "principal_deferral", "reason": "illness"}
            )
            self.attach(relief)
            relief.with_user(self.supervisor).action_submit()
            relief.with_user(self.supervisor).action_check()
            with self.assertRaisesRegex(UserError, "another supervisor"):
                relief.with_user(self.supervisor).action_approve()
            with self.assertRaisesRegex(UserError, "reason"):
                relief.with_user(self.supervisor2).action_review_return("")
            with self.assertRaises(AccessError):
                relief.with_user(self.handler_b).action_review_return("不是本县的")
            relief.with_user(self.supervisor2).action_review_return("材料不全")
        self.assertEqual(relief.state, "returned")
        self.assertEqual(relief.return_reason, "材料不全")
        self.assertEqual(relief.returned_by, "supervisor")
        self.assertFalse(relief.review_ids)
        self.assertActivityFor(relief, relief.review_supervisor_ids)
        # corrected and submitted again, then withdrawn
        relief.with_user(self.handler).write({"note": "补充了诊断书"})
        with freeze_time(BEFORE):
            relief.with_user(self.handler).action_submit()
            self.assertEqual(relief.state, "submitted")
            with self.assertRaisesRegex(UserError, "cannot be cancelled now"):
                relief.with_user(self.handler).action_cancel()
            relief.with_user(self.handler2).action_review_return("请重新提交")
            relief.with_user(self.handler).action_cancel()
        self.assertEqual(relief.state, "cancelled")

    def test_subsidy_extension_for_further_study(self):
        day = datetime.date(2025, 8, 1)
        self.settle_and_pay_before(self.senior_contract, day)
        with freeze_time(day):
            relief = self.relief(
                kind="subsidy_extension", reason="further_study", subsidy_end=datetime.date(2028, 9, 1)
            )
            self.attach(relief)
            self.review(relief)
        extended = self.senior_contract.plan_line_ids.filtered(
            lambda line: day < line.date <= datetime.date(2028, 9, 1)
        )
        self.assertTrue(extended)
        self.assertFalse(any(extended.mapped("interest")), "the state pays the interest until the new end")
        self.assertTrue(all(extended.mapped("subsidised_interest")))

    def test_reason_must_fit_the_kind(self):
        with self.assertRaisesRegex(UserError, "does not apply"):
            self.relief(kind="compensation", reason="illness", amount=100)

    def test_state_repayment_booked(self):
        day = datetime.date(2031, 1, 10)
        self.settle_and_pay_before(self.senior_contract, FIRST_PRINCIPAL)
        self.Settlement._settle_due(FIRST_PRINCIPAL)
        with freeze_time(day):
            relief = self.relief(kind="compensation", reason="military", amount=3000)
            self.attach(relief)
            self.review(relief)
        payment = relief.payment_id
        self.assertEqual(payment.state, "posted")
        self.assertEqual(payment.amount, 3000)
        self.assertEqual(payment.reference, relief.name)
        unpaid = self.Settlement.sudo().search([("contract_id", "=", self.senior_contract.id), ("state", "=", "open")])
        self.assertFalse(unpaid, "the state's repayment paid the overdue instalment")

    def test_deferral_year_for_the_whole_book_is_idempotent(self):
        self.settle_and_pay_before(self.senior_contract, BEFORE)
        with freeze_time(BEFORE):
            Run = self.env["student.loan.deferral.run"]
            with self.assertRaises(UserError):
                Run.with_user(self.supervisor).create({"name": "2030", "deferral_year": 2030}).action_run()
            run = Run.with_user(self.admin).create({"name": "2030年延期还本", "deferral_year": 2030})
            run.with_user(self.admin).action_run()
            self.assertEqual((run.applied_count, run.skipped_count), (1, 0))
            self.assertEqual(self.plan_line(FIRST_PRINCIPAL).principal, 0)
            again = Run.with_user(self.admin).create({"name": "2030年延期还本（重复）", "deferral_year": 2030})
            again.with_user(self.admin).action_run()
            self.assertEqual((again.applied_count, again.skipped_count), (0, 0))
        self.assertEqual(len(run.relief_ids), 1)
        self.assertIn("1", run.report)

    def test_bulk_approve_from_the_list_is_all_or_nothing(self):
        with freeze_time(BEFORE):
            first = self.relief(years=1)
            second = self.relief(kind="subsidy_extension", reason="illness", subsidy_end=datetime.date(2031, 9, 1))
            for relief in first | second:
                self.attach(relief)
                relief.with_user(self.handler).action_submit()
            both = (first | second).with_user(self.handler2)
            both.action_review_approve()
            self.assertEqual(set((first | second).mapped("state")), {"checked"})
            # one of the selection was returned meanwhile: the message names it, nothing is done (the
            # request's transaction is rolled back; here the returned one comes first in the list order)
            second.with_user(self.supervisor2).action_review_return("请补充病历")
            with self.assertRaisesRegex(UserError, "Nothing was done"):
                (first | second).with_user(self.supervisor).action_review_approve()
            self.assertEqual((first.state, second.state), ("checked", "returned"))
