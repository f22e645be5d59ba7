import datetime
from decimal import Decimal

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.student_loan.loanlib import penalty

from .common import FIRST_PRINCIPAL, AftercareCase

D = Decimal


@tagged("post_install", "-at_install")
class TestOverdue(AftercareCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # everything paid on time up to the first principal instalment, which stays unpaid
        cls.settle_and_pay_before(cls.senior_contract, FIRST_PRINCIPAL)
        cls.Settlement._settle_due(FIRST_PRINCIPAL)
        cls.unpaid = cls.Settlement.sudo().search(
            [("contract_id", "=", cls.senior_contract.id), ("state", "=", "open")]
        )

    def test_lender_is_cdb_by_default(self):
        self.assertEqual(self.senior_contract.lender_id, self.env.ref("student_loan_aftercare.lender_cdb"))

    def test_worklist_by_bucket_as_the_handler(self):
        self.assertEqual(len(self.unpaid), 1)
        self.assertGreater(self.unpaid.principal_due, 0)
        Overdue = self.Overdue.with_user(self.handler)
        for day, bucket in (
            (datetime.date(2031, 1, 10), "1_30"),
            (datetime.date(2031, 2, 1), "31_90"),
            (datetime.date(2031, 5, 1), "91_180"),
            (datetime.date(2031, 10, 1), "181_365"),
            (datetime.date(2032, 1, 1), "365_plus"),
        ):
            with freeze_time(day):
                Overdue.invalidate_model()  # days past due depend on today
                rows = Overdue.search([("bucket", "=", bucket)])
                self.assertEqual(rows.contract_id, self.senior_contract, bucket)
                self.assertEqual(rows.bucket, bucket)
                others = [key for key in ("1_30", "31_90", "91_180", "181_365", "365_plus") if key != bucket]
                self.assertFalse(Overdue.search([("bucket", "in", others)]))
        self.assertAlmostEqual(rows.principal_overdue, self.unpaid.principal_residual, places=2)
        # another county's handler does not see it
        with freeze_time(datetime.date(2031, 2, 1)):
            self.assertFalse(self.Overdue.with_user(self.handler_b).search([("bucket", "!=", False)]))

    def test_contact_attempts_log(self):
        with freeze_time(datetime.date(2031, 1, 15)):
            attempt = self.Attempt.with_user(self.handler).create(
                {
                    "contract_id": self.senior_contract.id,
                    "channel": "call",
                    "person": "coborrower",
                    "result": "promised",
                    "next_step": "再次电话确认",
                    "next_date": datetime.date(2031, 1, 25),
                }
            )
            self.assertEqual(attempt.user_id, self.handler)
            self.assertEqual(self.senior_contract.last_contact_date, datetime.date(2031, 1, 15))
            self.assertIn("再次电话确认", self.senior_contract.activity_ids.mapped("summary"))
            row = self.Overdue.with_user(self.handler).search([("contract_id", "=", self.senior_contract.id)])
            self.assertEqual(row.last_contact_date, datetime.date(2031, 1, 15))
            self.assertEqual(row.attempt_count, 1)
            with self.assertRaisesRegex(UserError, "cannot be changed"):
                attempt.with_user(self.handler).write({"result": "reached"})
            with self.assertRaisesRegex(UserError, "future"):
                self.Attempt.with_user(self.handler).create(
                    {"contract_id": self.senior_contract.id, "result": "reached", "date": datetime.date(2031, 2, 1)}
                )
            with self.assertRaises(AccessError):
                self.Attempt.with_user(self.city_viewer).create(
                    {"contract_id": self.senior_contract.id, "result": "reached"}
                )

    def test_penalty_interest_run_is_idempotent_and_matches_loanlib(self):
        day = datetime.date(2031, 3, 1)
        with freeze_time(day):
            run = self.PenaltyRun.with_user(self.supervisor).create({"date": day})
            with self.assertRaisesRegex(UserError, "Only supervisors"):
                run.with_user(self.handler).action_run()
            run.with_user(self.supervisor).action_run()
        line = run.line_ids
        self.assertEqual(line.contract_id, self.senior_contract)
        expected = penalty.accrue(
            [(FIRST_PRINCIPAL + datetime.timedelta(days=1), D(str(self.unpaid.principal_due)).quantize(D("0.01")))],
            D(str(self.senior_contract.rate)) / 100,
            D("1.3"),
            FIRST_PRINCIPAL + datetime.timedelta(days=1),
            day,
        )
        self.assertEqual(D(str(line.amount)).quantize(D("0.01")), expected.amount)
        self.assertEqual(line.days_charged, (day - FIRST_PRINCIPAL).days - 1)
        self.assertEqual(run.state, "done")
        # the same date again accrues nothing; a later date accrues only the new days
        with freeze_time(day):
            again = self.PenaltyRun.with_user(self.supervisor).create({"date": day})
            again.with_user(self.supervisor).action_run()
        self.assertFalse(again.line_ids)
        later_day = datetime.date(2031, 4, 1)
        self.env["student.loan.penalty.waiver"].create(
            {"name": "test waiver", "date_from": datetime.date(2031, 3, 1), "date_to": datetime.date(2031, 3, 10)}
        )
        with freeze_time(later_day):
            later = self.PenaltyRun.with_user(self.supervisor).create({"date": later_day})
            later.with_user(self.supervisor).action_run()
        self.assertEqual(later.line_ids.date_from, day)
        self.assertEqual(later.line_ids.days_waived, 10)
        self.assertEqual(later.line_ids.days_charged, 21)
        self.assertGreater(self.senior_contract.penalty_total, line.amount)

    def test_penalty_run_refuses_the_future(self):
        with freeze_time(datetime.date(2031, 3, 1)):
            run = self.PenaltyRun.with_user(self.supervisor).create({"date": datetime.date(2031, 4, 1)})
            with self.assertRaisesRegex(UserError, "future"):
                run.with_user(self.supervisor).action_run()
        self.assertFalse(self.env["student.loan.penalty.line"].search([]))

    def test_default_detection_and_write_off(self):
        day = datetime.date(2032, 1, 10)  # 386 days after the unpaid instalment
        with freeze_time(day):
            opened, _recovered = self.DefaultCase._detect_defaults(day)
            self.assertEqual(opened, 1)
            self.assertEqual(self.DefaultCase._detect_defaults(day), (0, 0), "a second run opens nothing")
            case = self.DefaultCase.with_user(self.handler).search([("contract_id", "=", self.senior_contract.id)])
            self.assertEqual(case.state, "open")
            self.assertEqual(case.days_past_due, 386)
            self.assertAlmostEqual(case.principal_outstanding, self.senior_contract.amount, places=2)
            with self.assertRaisesRegex(AccessError, "workflow buttons"):
                case.with_user(self.handler).write({"state": "written_off"})
            with self.assertRaisesRegex(AccessError, "workflow buttons"):
                case.with_user(self.handler).write({"write_off_state": "approved"})
            case.with_user(self.handler).write({"write_off_reason": "death"})
            with self.assertRaisesRegex(UserError, "evidence"):
                case.with_user(self.handler).action_request_write_off()
            self.assertEqual(case.state, "open")
            self.attach_evidence(case, name="死亡证明.pdf")
            with self.assertRaisesRegex(AccessError, "Handler"):
                case.with_user(self.city_viewer).action_request_write_off()
            case.with_user(self.handler).action_request_write_off()
            self.assertEqual((case.state, case.write_off_state), ("open", "to_approve"))
            self.assertEqual(case.submitted_by_id, self.handler)
            self.assertActivityFor(case, case.review_supervisor_ids)
            with self.assertRaisesRegex(UserError, "cannot be changed now"):
                case.with_user(self.handler).write({"write_off_reason": "disability"})
            with self.assertRaisesRegex(AccessError, "reviewed by"):
                case.with_user(self.handler).action_approve_write_off()
            with self.assertRaises(AccessError):
                case.with_user(self.handler_b).action_approve_write_off()
            # the county supervisor approves; the city above approves next
            case.with_user(self.supervisor).action_approve_write_off()
            self.assertEqual((case.state, case.write_off_state), ("open", "to_approve"))
            self.assertActivityFor(case, self.city_supervisor)
            with self.assertRaisesRegex(AccessError, "reviewed by"):
                case.with_user(self.supervisor2).action_approve_write_off()
            case.with_user(self.city_supervisor).action_approve_write_off()
            self.assertEqual((case.state, case.write_off_state), ("written_off", "approved"))
            self.assertEqual(case.write_off_approved_by_id, self.city_supervisor)
            self.assertEqual(case.date_closed, day)
            self.assertActivityFor(case, self.env["res.users"])
            self.flush_tracking()
            self.assertTrue(self.tracked_values(case, "state"))

    def test_write_off_returned_then_withdrawn(self):
        day = datetime.date(2032, 1, 10)
        with freeze_time(day):
            self.DefaultCase._detect_defaults(day)
            case = self.DefaultCase.search([("contract_id", "=", self.senior_contract.id)])
            case.with_user(self.handler).write({"write_off_reason": "disability"})
            self.attach_evidence(case)
            case.with_user(self.supervisor).action_request_write_off()
            with self.assertRaisesRegex(UserError, "another supervisor"):
                case.with_user(self.supervisor).action_approve_write_off()
            with self.assertRaisesRegex(UserError, "reason"):
                case.with_user(self.supervisor2).action_review_return("  ")
            wizard = (
                self.env["student.loan.review.return.wizard"]
                .with_user(self.supervisor2)
                .create({"res_model": case._name, "res_ids": case.ids, "reason": "残疾证明不清晰"})
            )
            wizard.action_confirm()
            self.assertEqual((case.state, case.write_off_state), ("open", "returned"))
            self.assertEqual(case.return_reason, "残疾证明不清晰")
            self.assertFalse(case.review_ids)
            self.assertActivityFor(case, case.review_supervisor_ids)
            case.with_user(self.handler).action_cancel_write_off()
            self.assertEqual((case.state, case.write_off_state), ("open", "draft"))

    def test_contact_keeps_the_loan_out_of_default(self):
        with freeze_time(datetime.date(2031, 12, 1)):
            self.Attempt.with_user(self.handler).create(
                {"contract_id": self.senior_contract.id, "channel": "visit", "result": "reached"}
            )
        self.assertEqual(self.DefaultCase._detect_defaults(datetime.date(2032, 1, 10)), (0, 0))
        # half a year later the contact is older than the window
        self.assertEqual(self.DefaultCase._detect_defaults(datetime.date(2032, 7, 1)), (1, 0))

    def test_default_case_recovered_when_paid(self):
        self.DefaultCase._detect_defaults(datetime.date(2032, 1, 10))
        case = self.DefaultCase.search([("contract_id", "=", self.senior_contract.id)])
        self.settle(datetime.date(2032, 1, 10))
        open_lines = self.Settlement.sudo().search(
            [("contract_id", "=", self.senior_contract.id), ("state", "=", "open")]
        )
        self.pay(self.senior_contract, sum(open_lines.mapped("amount_residual")), datetime.date(2032, 1, 12))
        self.assertEqual(self.DefaultCase._detect_defaults(datetime.date(2032, 1, 12)), (0, 1))
        self.assertEqual(case.state, "recovered")
