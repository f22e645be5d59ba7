"""The after-loan work that runs as OCA queue_job jobs (issue 15 §4): the bank file's booking and the
whole-book policy runs are queued on their channel, the document shows the job, and performing a job
twice does the work once."""

import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.queue_job.job import Job
from odoo.addons.student_loan.tests.queue_job_common import trap_jobs

from .common import FIRST_PRINCIPAL, AftercareCase
from .test_bank_import import csv_file

BEFORE = datetime.date(2030, 10, 1)


@tagged("post_install", "-at_install")
class TestAftercareJobs(AftercareCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the jobs are queued here, not run inline (AftercareCase runs them inline for the other tests)
        cls.env = cls.env(context=dict(cls.env.context, queue_job__no_delay=False))
        cls.Import = cls.env["student.loan.bank.import"]
        cls.PenaltyRun = cls.env["student.loan.penalty.run"]

    def unpaid_first_principal(self):
        self.settle_and_pay_before(self.senior_contract, FIRST_PRINCIPAL)
        self.Settlement._settle_due(FIRST_PRINCIPAL)
        line = self.Settlement.sudo().search([("contract_id", "=", self.senior_contract.id), ("state", "=", "open")])
        return round(line.amount_residual, 2)

    def bank_payments(self):
        return self.Payment.sudo().search(
            [("contract_id", "=", self.senior_contract.id), ("channel", "=", "bank_card")]
        )

    def previewed_import(self, reference="BKJOB1"):
        due = self.unpaid_first_principal()
        imp = self.Import.with_user(self.handler).create(
            {"kind": "repayment", "file": csv_file([(self.senior_contract.name, "2030-12-20", due, reference)])}
        )
        imp.filename = "还款.csv"
        with freeze_time(FIRST_PRINCIPAL):
            imp.action_preview()
        self.assertEqual(imp.state, "preview")
        return imp

    def test_bank_file_booked_by_a_job_once(self):
        imp = self.previewed_import()
        with freeze_time(FIRST_PRINCIPAL), trap_jobs() as trap:
            imp.action_confirm()
            trap.assert_jobs_count(1, only=imp._job_confirm)
            job = trap.enqueued_jobs[0]
            self.assertEqual(job.channel, "root.student_loan.bank_import")
            self.assertEqual(job.recordset, imp)
            self.assertEqual(job.user_id, self.handler.id, "the job books as the handler who confirmed")
            self.assertEqual(imp.state, "preview", "nothing booked before the job runs")
            self.assertFalse(self.bank_payments())
            self.assertIn("Queued as a background job", imp.message_ids[0].body)
            trap.perform_enqueued_jobs()
            self.assertEqual(imp.state, "done")
            self.assertEqual(len(self.bank_payments()), 1)
            # the same job performed again (a retry after the commit): nothing booked twice
            self.assertIn("nothing to do", job.perform())
        self.assertEqual(len(self.bank_payments()), 1)
        self.assertEqual(imp.line_ids.status, "done")
        self.assertIn("1 repayments booked", imp.message_ids[0].body)

    def test_queued_job_is_stored_on_its_channel_and_not_queued_twice(self):
        imp = self.previewed_import(reference="BKJOB2")
        imp.action_confirm()
        stored = self.env["queue.job"].search([("uuid", "=", imp.job_uuid)])
        self.assertEqual(stored.channel, "root.student_loan.bank_import")
        self.assertEqual(stored.state, "pending")
        self.assertEqual(stored.method_name, "_job_confirm")
        self.assertEqual(imp.job_state, "queued")
        with self.assertRaisesRegex(UserError, "queued already"):
            imp.action_confirm()
        job = Job.load(self.env, imp.job_uuid)
        with freeze_time(FIRST_PRINCIPAL):
            job.perform()
            job.set_done()
            job.store()
        imp.invalidate_recordset(["job_state"])
        self.assertEqual((imp.state, imp.job_state), ("done", "done"))
        self.assertEqual(self.bank_payments().reference, "BKJOB2")

    def test_penalty_run_job_on_the_policy_channel_accrues_once(self):
        self.unpaid_first_principal()
        day = datetime.date(2031, 3, 1)
        with freeze_time(day), trap_jobs() as trap:
            run = self.PenaltyRun.with_user(self.supervisor).create({"date": day})
            run.action_run()
            trap.assert_jobs_count(1, only=run._job_run)
            job = trap.enqueued_jobs[0]
            self.assertEqual(job.channel, "root.student_loan.policy")
            self.assertEqual(run.state, "draft")
            trap.perform_enqueued_jobs()
            self.assertEqual((run.state, run.contract_count, len(run.line_ids)), ("done", 1, 1))
            amount = run.amount_total
            self.assertEqual(amount, run.line_ids.amount)
            self.assertIn("nothing to do", job.perform())
        lines = self.env["student.loan.penalty.line"].search([("contract_id", "=", self.senior_contract.id)])
        self.assertEqual(len(lines), 1, "performed twice, accrued once")
        self.assertEqual(run.amount_total, amount)
        self.assertEqual(run.job_progress, "1 of 1")

    def test_penalty_run_resumes_after_a_lost_step(self):
        """A job killed after a committed step: the contracts accrued by it are not accrued again."""
        self.unpaid_first_principal()
        day = datetime.date(2031, 3, 1)
        with freeze_time(day):
            first = self.PenaltyRun.with_user(self.supervisor).create({"date": day})
            first.sudo()._accrue()  # the step committed before the kill; the run itself never finished
            self.assertEqual(first.state, "draft")
            first.with_user(self.supervisor)._job_run()  # the retry
        self.assertEqual(first.state, "done")
        self.assertEqual(len(first.line_ids), 1)
        self.assertEqual(first.contract_count, 1)

    def test_deferral_run_job_on_the_policy_channel_defers_once(self):
        self.settle_and_pay_before(self.senior_contract, BEFORE)
        Run = self.env["student.loan.deferral.run"]
        with freeze_time(BEFORE), trap_jobs() as trap:
            run = Run.with_user(self.admin).create({"name": "2030年延期还本", "deferral_year": 2030})
            run.action_run()
            trap.assert_jobs_count(1, only=run._job_run)
            job = trap.enqueued_jobs[0]
            self.assertEqual(job.channel, "root.student_loan.policy")
            trap.perform_enqueued_jobs()
            self.assertEqual((run.state, run.applied_count, run.skipped_count), ("done", 1, 0))
            self.assertIn("nothing to do", job.perform())
        reliefs = self.env["student.loan.relief"].sudo().search([("contract_id", "=", self.senior_contract.id)])
        self.assertEqual(len(reliefs), 1, "performed twice, deferred once")
        self.assertEqual(run.applied_count, 1)
