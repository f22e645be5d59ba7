"""Campaigns are sent by OCA queue_job jobs (channel root.student_loan.sms), one per batch, retry-safe."""

from collections import Counter
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields

from odoo.addons.student_loan.tests.queue_job_common import trap_jobs

from .common import SmsCase


def _jobs_in_test_transaction(cls):
    """Run the project's jobs in the test's transaction (no cursor of their own), and leave queue_job's cached
    job configs as the database has them once the class is rolled back."""
    cls.env["queue.job.function"].search(
        [("model_id.model", "like", "student.loan.%"), ("allow_commit", "=", True)]
    ).allow_commit = False
    cls.env.registry.clear_cache()
    cls.addClassCleanup(cls.env.registry.clear_cache)


class TestDispatchJobs(SmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the dispatch job may commit (it commits its batch before the requests): queue_job runs such a job in
        # a cursor of its own, which in a test must be the test's transaction
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)
        # ... or, as here, in the test's own environment: the job function does not commit under tests
        # (whatever an earlier test class left in queue_job's cached job configs)
        _jobs_in_test_transaction(cls)

    def setUp(self):
        super().setUp()
        self.Campaign = self.env["student.loan.sms.campaign"]

    def test_one_job_per_batch_on_the_sms_channel(self):
        self.env["ir.config_parameter"].sudo().set_param("student_loan_sms.dispatch_batch", 2)
        students = self.make_students(5)
        with trap_jobs() as trap:
            campaign = self.send(self.make_campaign(template_id=self.tpl_same.id))
            self.assertEqual([job.method_name for job in trap.enqueued_jobs], ["_job_dispatch"] * 3)
            self.assertEqual({job.channel for job in trap.enqueued_jobs}, {"root.student_loan.sms"})
            self.assertEqual({job.recordset for job in trap.enqueued_jobs}, {campaign.sudo()})
            self.assertFalse(self.fake.requests, "nothing is sent by the request itself")
            jobs = list(trap.enqueued_jobs)
            trap.perform_enqueued_jobs()
        self.assertEqual(campaign.state, "done")
        self.assertEqual(campaign.sent_count, 5)
        self.assertEqual(Counter(self.fake.accepted_numbers()), Counter(students.mapped("mobile")))
        # a job performed again (a retry after a lost answer from the runner) sends nothing twice
        for job in jobs:
            job.perform()
        self.assertEqual(len(self.fake.accepted), 5)
        finished = campaign.message_ids.filtered(lambda message: "Finished" in (message.body or ""))
        self.assertEqual(len(finished), 1, "one summary in the campaign's chatter")

    def test_a_batch_handed_to_the_provider_is_never_sent_again(self):
        """The job died after committing its batch as handed to the provider: the retried job skips it."""
        self.make_students(3)
        with trap_jobs() as trap:
            campaign = self.send(self.make_campaign(template_id=self.tpl_same.id))
            lines = campaign.recipient_ids
            started = fields.Datetime.now() - timedelta(minutes=1)
            lines[:2].dispatch_started = started  # what the killed job had committed
            trap.perform_enqueued_jobs()
        self.assertEqual(len(self.fake.accepted), 1, "only the line never handed to the provider")
        self.assertEqual(Counter(lines.mapped("state")), Counter({"queued": 2, "sent": 1}))
        self.assertEqual(campaign.state, "sending")
        # no receipt after the timeout: failed visibly, not resent
        later = fields.Datetime.now() + timedelta(seconds=self.env["sms.sms"].INTERRUPTED_TIMEOUT + 1)
        self.assertEqual(self.env["sms.sms"].sudo()._sl_expire_interrupted(now=later), 2)
        self.assertEqual(set(lines[:2].mapped("error_code")), {"DispatchInterrupted"})
        self.assertEqual(campaign.state, "done")
        self.assertEqual(len(self.fake.accepted), 1)

    def test_temporary_error_queues_a_job_for_the_retry(self):
        self.make_students(2)
        with trap_jobs() as trap:
            campaign = self.send(self.make_campaign(template_id=self.tpl_same.id))
            self.fake.fail_next("aliyun", "throttle")
            trap.perform_enqueued_jobs()
            retry = [job for job in trap.enqueued_jobs if job.eta]
            self.assertEqual(len(retry), 1, "one job waits for the retry")
            self.assertGreaterEqual(retry[0].eta, min(campaign.recipient_ids.mapped("next_try")))
            self.assertEqual(campaign.queued_count, 2)
            campaign.recipient_ids.next_try = fields.Datetime.now() - timedelta(seconds=1)
            trap.perform_enqueued_jobs()
        self.assertEqual(campaign.sent_count, 2)
        self.assertEqual(
            Counter(self.fake.accepted_numbers()), Counter(campaign.recipient_ids.student_id.mapped("mobile"))
        )

    def test_quiet_hours_move_the_job(self):
        self.gw_aliyun.write({"quiet_start": 22.0, "quiet_end": 8.0})
        self.make_students(1)
        with trap_jobs() as trap:
            campaign = self.send(self.make_campaign())
            with freeze_time("2024-08-10 15:30:00"):  # 23:30 in Asia/Shanghai
                trap.perform_enqueued_jobs()
                moved = [job for job in trap.enqueued_jobs if job.eta]
            self.assertFalse(self.fake.requests)
            self.assertEqual(len(moved), 1)
            self.assertEqual(moved[0].eta, fields.Datetime.from_string("2024-08-11 00:00:01"))
        self.assertEqual(campaign.queued_count, 1)

    def test_blocked_gateway_waits_for_its_unblocking(self):
        self.make_students(1)
        with trap_jobs() as trap:
            campaign = self.send(self.make_campaign())
            self.gw_aliyun.write({"blocked": True, "last_error": "isv.AMOUNT_NOT_ENOUGH: 账户余额不足"})
            trap.perform_enqueued_jobs()
            self.assertFalse(self.fake.requests)
            self.gw_aliyun.sudo().action_unblock()
            trap.perform_enqueued_jobs()
        self.assertEqual(campaign.sent_count, 1)
