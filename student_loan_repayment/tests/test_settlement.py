import datetime
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.student_loan.tests.queue_job_common import trap_jobs

from .common import DISBURSED, D, RepaymentCase

DEC_2024 = datetime.date(2024, 12, 20)
DEC_2025 = datetime.date(2025, 12, 20)


@tagged("post_install", "-at_install")
class TestSettlement(RepaymentCase):
    def assertMatchesPlan(self, line):
        """The settlement of a period on schedule equals the engine's plan line of that period."""
        expected = next(
            plan_line
            for plan_line in self.engine_plan(line.contract_id).lines
            if (plan_line.date, plan_line.kind) == (line.date, line.kind)
        )
        self.assertEqual(
            (
                self.money(line.subsidised_interest),
                self.money(line.interest),
                self.money(line.principal_due),
                line.period_start,
                line.days,
            ),
            (expected.subsidised_interest, expected.interest, expected.principal, expected.period_start, expected.days),
        )

    def test_settlement_splits_interest(self):
        """结息: the state pays the interest while studying, the student from 1 September of the graduation year."""
        self.assertEqual(self.settle(DEC_2024), 2)
        first = self.Settlement.search([("date", "=", DEC_2024)])
        self.assertEqual(first.contract_id, self.contract | self.senior_contract)
        for line in first:
            self.assertEqual((line.kind, line.period_start, line.days), ("study", DISBURSED, 101))
            self.assertEqual(self.money(line.subsidised_interest), D("56.53"))
            self.assertEqual((line.interest, line.amount_due, line.state), (0, 0, "paid"))
            self.assertEqual(line.plan_line_id.settlement_line_id, line)
            self.assertMatchesPlan(line)

        self.assertEqual(self.settle(DEC_2025), 2)
        freshman = self.Settlement.search([("date", "=", DEC_2025), ("contract_id", "=", self.contract.id)])
        senior = self.Settlement.search([("date", "=", DEC_2025), ("contract_id", "=", self.senior_contract.id)])
        # a freshman: 365 days, all subsidised
        self.assertEqual((freshman.kind, freshman.days, freshman.interest), ("study", 365, 0))
        self.assertEqual(self.money(freshman.subsidised_interest), D("204.30"))
        # graduated on 1 July 2025: 255 days subsidised, 110 days (from 1 September) the student's
        self.assertEqual((senior.kind, senior.days), ("grace", 365))
        self.assertEqual(self.money(senior.subsidised_interest), D("142.73"))
        self.assertEqual(self.money(senior.interest), D("61.57"))
        self.assertEqual((senior.principal_due, senior.state), (0, "open"))
        self.assertEqual(senior.amount_residual, senior.interest)
        self.assertEqual(senior.due_date, DEC_2025)
        for line in freshman | senior:
            self.assertMatchesPlan(line)
        # due but not overdue on the settlement date; overdue the day after
        with freeze_time(DEC_2025):
            self.assertFalse(senior.with_context(date=DEC_2025).is_overdue)
        with freeze_time("2026-01-04"):
            senior.invalidate_recordset(["is_overdue", "days_past_due"])
            self.assertEqual((senior.is_overdue, senior.days_past_due), (True, 15))
            self.assertEqual(self.Settlement.search([("is_overdue", "=", True)]), senior)
            self.senior_contract.invalidate_recordset()
            self.assertEqual(self.senior_contract.repayment_status, "overdue")
            self.assertEqual(self.senior_contract.days_past_due, 15)
            self.assertIn(self.senior_contract, self.env["student.loan.contract"].search([("is_overdue", "=", True)]))

    def test_catch_up_and_only_active_contracts(self):
        """A run settles every period due up to its date, in order; contracts not running are left out."""
        self.senior_contract.sudo().state = "closed"
        self.assertEqual(self.settle(datetime.date(2026, 12, 20)), 1)
        lines = self.contract.settlement_line_ids.sorted("date")
        self.assertEqual(lines.mapped("date"), [DEC_2024, DEC_2025, datetime.date(2026, 12, 20)])
        self.assertEqual(lines[1].period_start, DEC_2024)
        self.assertFalse(self.senior_contract.settlement_line_ids)
        self.assertEqual(self.contract.next_due_date, datetime.date(2027, 12, 20))

    def test_unique_per_contract_and_period(self):
        self.settle(DEC_2024)
        self.assertEqual(self.settle(DEC_2024), 0, "a second run finds nothing to settle")
        line = self.contract.settlement_line_ids
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            line.sudo().copy({"plan_line_id": False})
            line.env.flush_all()

    def test_interrupted_run_resumes_without_double_charges(self):
        with freeze_time(DISBURSED):
            third = self.make_confirmed_application(
                self.create_student(user=self.handler, name="王五", enrolment_year=2022)
            ).contract_id
        contracts = self.contract | self.senior_contract | third
        self.assertEqual(self.Settlement._count_contracts_to_settle(DEC_2025), 3)
        cron = self.env.ref("student_loan_repayment.ir_cron_settle_interest")
        IrCron = type(self.env["ir.cron"])
        # first run: one batch of one contract, then it stops (the cron is triggered again for the rest)
        with patch.object(IrCron, "_notify_progress") as progress, patch.object(IrCron, "_trigger") as trigger:
            self.assertEqual(self.settle(DEC_2025, batch_size=1, max_batches=1), 1)
        progress.assert_called_once_with(done=1, remaining=2)
        trigger.assert_called_once()
        self.assertEqual(trigger.call_args.args[0] if trigger.call_args.args else cron, cron)
        self.assertEqual(len(self.Settlement.search([("contract_id", "in", contracts.ids)])), 2)  # 2 periods

        # second run: crashes in the middle of its first batch; the batch's transaction is rolled back
        Settlement = type(self.Settlement)
        with (
            patch.object(Settlement, "_apply_credit_of_range", side_effect=RuntimeError("server killed")),
            self.assertRaises(RuntimeError),
        ):
            self.settle(DEC_2025, batch_size=1)
        self.assertEqual(len(self.Settlement.search([("contract_id", "in", contracts.ids)])), 2)

        # third run: picks up the two contracts left, settles each period once
        with patch.object(IrCron, "_notify_progress") as progress:
            self.assertEqual(self.settle(DEC_2025, batch_size=1), 2)
        self.assertEqual(
            [call.kwargs for call in progress.call_args_list],
            [{"done": 1, "remaining": 1}, {"done": 2, "remaining": 0}],
        )
        self.assertEqual(self.settle(DEC_2025), 0)
        lines = self.Settlement.search([("contract_id", "in", contracts.ids)])
        self.assertEqual(len(lines), 6)
        self.env.cr.execute(
            "SELECT contract_id, date, count(*) FROM student_loan_settlement_line WHERE contract_id = ANY(%s) "
            "GROUP BY contract_id, date HAVING count(*) > 1",
            [contracts.ids],
        )
        self.assertFalse(self.env.cr.fetchall())
        # totals: what the plans say for the two periods
        expected = sum(
            plan_line.subsidised_interest + plan_line.interest
            for contract in contracts
            for plan_line in self.engine_plan(contract).lines
            if plan_line.date <= DEC_2025
        )
        self.assertEqual(self.money(sum(lines.mapped("subsidised_interest")) + sum(lines.mapped("interest"))), expected)
        self.assertFalse(contracts.plan_line_ids.filtered(lambda line: line.date <= DEC_2025 and not line.is_settled))

    def test_scheduled_action(self):
        """The nightly cron settles what falls due today; the analysis groups by centre."""
        cron = self.env.ref("student_loan_repayment.ir_cron_settle_interest")
        with trap_jobs() as trap, freeze_time("2024-12-20 18:00:00"):
            cron.method_direct_trigger()
            trap.perform_enqueued_jobs()  # the cron queues the settlement's jobs (see test_settlement_job)
        self.assertEqual(len(self.Settlement.search([("date", "=", DEC_2024)])), 2)
        groups = self.Settlement.with_user(self.city_viewer)._read_group(
            [], ["centre_id"], ["subsidised_interest:sum", "__count"]
        )
        self.assertEqual(len(groups), 1)
        centre, subsidised, count = groups[0]
        self.assertEqual((centre, count), (self.county, 2))
        self.assertAlmostEqual(subsidised, 113.06, places=2)
        # the wizard of the administrator queues the settlement's jobs
        wizard = self.env["student.loan.settlement.wizard"].with_user(self.admin).create({})
        with trap_jobs() as trap:
            wizard.action_run()
        trap.assert_jobs_count(1, only=self.Settlement._job_settle_chunk)
        trap.assert_jobs_count(1, only=self.Settlement._job_settlement_done)
