"""The interest settlement as OCA queue_job jobs: one job per chunk of contracts on the channel
root.student_loan.settlement, retry-safe (a job killed midway and run again settles each period once)."""

import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.queue_job.job import DONE, PENDING, STARTED, Job
from odoo.addons.student_loan.tests.queue_job_common import trap_jobs

from .common import RepaymentCase

DEC_2024 = datetime.date(2024, 12, 20)
DEC_2025 = datetime.date(2025, 12, 20)
CHANNEL = "root.student_loan.settlement"


class ServerKilled(Exception):
    """What the job's transaction sees when its server dies: it never commits."""


@tagged("post_install", "-at_install")
class TestSettlementJob(RepaymentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # only the jobs these tests queue are looked at
        cls.env.cr.execute("SELECT coalesce(max(id), 0) FROM queue_job")
        cls.last_job_id = cls.env.cr.fetchone()[0]

    def _lines(self):
        return self.Settlement.sudo().search([("contract_id", "in", (self.contract | self.senior_contract).ids)])

    def _duplicates(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT contract_id, date, kind FROM student_loan_settlement_line GROUP BY contract_id, date, kind "
            "HAVING count(*) > 1"
        )
        return self.env.cr.fetchall()

    def _queued(self, method_name):
        return self.env["queue.job"].search(
            [
                ("id", ">", self.last_job_id),
                ("model_name", "=", self.Settlement._name),
                ("method_name", "=", method_name),
            ],
            order="id",
        )

    def test_jobs_per_chunk_on_the_settlement_channel(self):
        """The scheduled action queues one job per chunk of contract ids, then a closing job, on the channel."""
        self.assertEqual(self.Settlement._enqueue_settlement(DEC_2024, batch_size=1), 2)
        chunks = self._queued("_job_settle_chunk")
        self.assertEqual(len(chunks), 2)
        self.assertEqual(set(chunks.mapped("channel")), {CHANNEL})
        self.assertEqual(
            sorted(tuple(job.args[1:]) for job in chunks),
            sorted((contract.id, contract.id) for contract in self.contract | self.senior_contract),
        )
        closing = self._queued("_job_settlement_done")
        self.assertEqual(len(closing), 1)
        self.assertEqual(closing.channel, CHANNEL)
        self.assertEqual(closing.state, "wait_dependencies", "the closing job waits for every chunk")
        # the same chunks waiting in the queue are not queued twice
        self.Settlement._enqueue_settlement(DEC_2024, batch_size=1)
        self.assertEqual(len(self._queued("_job_settle_chunk")), 2)
        self.assertFalse(self._lines(), "nothing is settled before the jobs run")
        # the channel and its capacity are data
        channel = self.env.ref("student_loan_repayment.queue_job_channel_settlement")
        self.assertEqual((channel.complete_name, channel.capacity), (CHANNEL, 2))

    def test_cron_and_wizard_run_the_settlement_as_jobs(self):
        """The nightly cron and the administrator's wizard queue the jobs; performed, they settle every period."""
        cron = self.env.ref("student_loan_repayment.ir_cron_settle_interest")
        with trap_jobs() as trap, freeze_time("2024-12-20 18:00:00"):
            cron.method_direct_trigger()
            trap.assert_jobs_count(1, only=self.Settlement._job_settle_chunk)
            trap.assert_jobs_count(1, only=self.Settlement._job_settlement_done)
            self.assertFalse(self._lines())
            trap.perform_enqueued_jobs()
        self.assertEqual(len(self._lines()), 2)
        self.assertEqual(self.Settlement._count_contracts_to_settle(DEC_2024), 0)
        with trap_jobs() as trap:
            wizard = self.env["student.loan.settlement.wizard"].with_user(self.admin).create({"date": DEC_2025})
            self.assertEqual(wizard.contract_count, 2)
            wizard.action_run()
            trap.assert_jobs_count(2)
            trap.perform_enqueued_jobs()
        self.assertEqual(len(self._lines()), 4)
        self.assertFalse(self._duplicates())

    def test_job_killed_midway_is_run_again_without_duplicates(self):
        """A chunk job whose server dies before its commit is rolled back; run again, it settles each period once,
        and run once more (its commit done but its end not recorded) it settles nothing."""
        self.Settlement._enqueue_settlement(DEC_2025)
        chunk = self._queued("_job_settle_chunk")
        self.assertEqual(len(chunk), 1)
        job = Job.load(self.env, chunk.uuid)
        # the runner starts the job (its own committed transaction) ...
        job.set_started()
        job.store()
        # ... the job's transaction settles the chunk and the server is killed before the commit
        with self.assertRaises(ServerKilled), self.env.cr.savepoint():
            job.perform()
            self.assertEqual(len(self._lines()), 4)
            raise ServerKilled()
        self.env.invalidate_all()
        self.assertEqual(chunk.state, STARTED)
        self.assertFalse(self._lines(), "the killed transaction left nothing")
        self.assertEqual(self.Settlement._count_contracts_to_settle(DEC_2025), 2)

        # queue_job requeues the job of the dead worker; it runs again from the start
        job = Job.load(self.env, chunk.uuid)
        job.set_pending(reset_retry=False)
        job.store()
        self.assertEqual(chunk.state, PENDING)
        job.set_started()
        result = job.perform()
        job.set_done(result=result)
        job.store()
        self.assertEqual(chunk.state, DONE)
        self.assertIn("2 contracts, 4 periods settled", chunk.result)
        lines = self._lines()
        self.assertEqual(len(lines), 4)
        self.assertEqual(lines.plan_line_id.settlement_line_id, lines, "each plan line links to its settlement")

        # a retry after the commit (the worker died before recording the end) finds nothing left to settle
        again = Job.load(self.env, chunk.uuid)
        self.assertIn("0 contracts, 0 periods settled", again.perform())
        self.assertEqual(self._lines(), lines)
        self.assertFalse(self._duplicates())
        # the closing job reports the run
        closing = Job.load(self.env, self._queued("_job_settlement_done").uuid)
        self.assertIn("0 contracts left", closing.perform())
