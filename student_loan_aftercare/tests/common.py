"""Fixtures of the after-the-loan tests: the repayment fixtures' senior contract (graduated 1 July 2025,
principal grace until 1 July 2030, first principal due 20 December 2030), settled up to a date and paid
up to a point."""

import base64
import datetime

from freezegun import freeze_time

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.student_loan_repayment.tests.common import RepaymentCase

FIRST_PRINCIPAL = datetime.date(2030, 12, 20)


class AftercareCase(RepaymentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the jobs (bank-file booking, policy runs) run inline here; test_jobs.py checks their queueing
        cls.env = cls.env(context=dict(cls.env.context, queue_job__no_delay=True))
        # queue_job runs a job that may commit (allow_commit) in a cursor of its own, which does not see the
        # test's uncommitted data; under tests the jobs never commit (_job_step), so they run in the test's
        cls.env["queue.job.function"].search(
            [("model_id.model", "like", "student.loan.%"), ("allow_commit", "=", True)]
        ).allow_commit = False
        # queue_job caches the job configs: the rollback of the class must not leave them to later classes
        cls.env.registry.clear_cache()
        cls.addClassCleanup(cls.env.registry.clear_cache)
        cls.Overdue = cls.env["student.loan.overdue"]
        cls.Attempt = cls.env["student.loan.contact.attempt"]
        cls.DefaultCase = cls.env["student.loan.default.case"]
        cls.PenaltyRun = cls.env["student.loan.penalty.run"]
        cls.Import = cls.env["student.loan.bank.import"]
        cls.Risk = cls.env["student.loan.risk.line"]
        # the city above the county approves write-offs (the write-off's second tier)
        cls.city_supervisor = mail_new_test_user(
            cls.env,
            login="sl_city_supervisor",
            name="City Supervisor Zhoukou",
            groups="student_loan.group_supervisor",
            loan_centre_id=cls.city.id,
            email="sl_city_supervisor@example.com",
        )
        # the waivers of the seeded data must not change the figures of these tests
        cls.env["student.loan.penalty.waiver"].search([]).active = False
        # only the senior contract is in repayment: the freshman's and other contracts (demo data of other
        # addons) are put out of the book, so their settlements leave the worklist and the figures
        others = (
            cls.env["student.loan.contract"]
            .sudo()
            .search([("id", "!=", cls.senior_contract.id), ("state", "=", "active")])
        )
        others.write({"state": "cancelled"})

    @classmethod
    def settle_and_pay_before(cls, contract, day):
        """Settle every period up to ``day``; pay the settlements due before ``day`` on their due date."""
        cls.Settlement._settle_due(day)
        lines = cls.Settlement.sudo().search(
            [("contract_id", "=", contract.id), ("due_date", "<", day), ("state", "=", "open")], order="due_date"
        )
        for line in lines:
            with freeze_time(line.due_date):
                payment = cls.Payment.with_user(cls.handler).create(
                    {
                        "contract_id": contract.id,
                        "amount": line.amount_residual,
                        "date": line.due_date,
                        "channel": "alipay",
                    }
                )
                payment.action_post()

    @classmethod
    def attach_evidence(cls, record, field_name="evidence_ids", name="证明.pdf"):
        """A PDF certificate attached by the handler to ``record``'s evidence."""
        attachment = (
            cls.env["ir.attachment"]
            .with_user(cls.handler)
            .create(
                {
                    "name": name,
                    "datas": base64.b64encode(b"%PDF-1.4 evidence"),
                    "res_model": record._name,
                    "res_id": record.id,
                }
            )
        )
        record.with_user(cls.handler).write({field_name: [(4, attachment.id)]})
        return attachment

    def assertActivityFor(self, record, users):  # noqa: N802 (unittest style)
        """One review activity of ``record``, for one of ``users`` (none when ``users`` is empty)."""
        activities = record.sudo().activity_ids.filtered(
            lambda activity: (
                activity.activity_type_id == self.env.ref("student_loan_aftercare.mail_activity_type_aftercare_review")
            )
        )
        if not users:
            self.assertFalse(activities)
            return
        self.assertEqual(len(activities), 1)
        self.assertIn(activities.user_id, users)
