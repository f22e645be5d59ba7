# pylint: disable=invalid-commit
# (this test needs real committed transactions: the dispatch runs in another process)
"""The SMS dispatch (the cron's method) killed with SIGKILL mid-way and restarted, on REAL database
connections: every message goes out, none twice. (The core's concurrency tests, two users on one
record, are student_loan/tests/test_concurrency.py.)"""

import subprocess
import sys
import threading
import uuid
from collections import Counter
from datetime import timedelta

import odoo
from odoo import api
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG
from odoo.addons.student_loan.tests.common import make_id_number

from ..smslib.providers import Receipt
from .fake_providers import FakeSmsProviders

DISPATCH_SCRIPT = """
import sys
import odoo
from odoo.modules.registry import Registry

config, database = sys.argv[1:3]
odoo.tools.config.parse_config(["-c", config, "-d", database, "--log-level=warn"])
registry = Registry(database)
while True:  # what the dispatch cron does, one batch per run, until nothing is left
    with registry.cursor() as cr:
        done = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})["student.loan.sms.campaign"]._cron_dispatch()
    print("dispatched", done, flush=True)
    if not done:
        break
"""


@tagged("post_install", "-at_install")
class TestSmsDispatchKilled(TransactionCase):
    """The SMS dispatch killed mid-way (SIGKILL of the process running the cron) and restarted:
    none goes out twice (at most once). The batch handed to the provider when the process died is
    not sent again: delivery receipts settle its messages, the rest fail visibly after a timeout;
    every other message goes out.

    The provider is the SMS addon's local fake. It holds its answer to one batch request after
    accepting messages of it, so the kill lands where it hurts: the provider has the batch, the
    database has not recorded it yet.
    """

    RECIPIENTS = 30
    BATCH = 5
    KILL_AFTER = 8  # accepted messages: inside the second batch request

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeSmsProviders().start()
        cls.addClassCleanup(cls.fake.stop)
        cls.db = odoo.sql_db.db_connect(cls.env.cr.dbname)
        cls.tag = uuid.uuid4().hex[:8]
        cls.addClassCleanup(cls._delete_fixtures)  # also after a failed set-up: what it committed goes
        with cls.db.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {"mail_create_nolog": True, "tracking_disable": True})
            centre = env.ref("student_loan.centre_410781")  # 卫辉市
            supervisor = (
                env["res.users"]
                .with_context(no_reset_password=True)
                .create(
                    {
                        "name": f"短信负责人 {cls.tag}",
                        "login": f"sl_sms_kill_{cls.tag}",
                        "email": f"sms.kill.{cls.tag}@example.com",
                        "groups_id": [(6, 0, [env.ref("student_loan.group_supervisor").id])],
                        "loan_centre_id": centre.id,
                        "notification_type": "inbox",
                    }
                )
            )
            env["student.loan.sms.gateway"].create(
                {
                    "name": f"卫辉 HTTP {cls.tag}",
                    "provider": "http",
                    "endpoint_url": f"{cls.fake.base_url}/http/send",
                    "api_token": cls.fake.HTTP_TOKEN,
                    "sign_name": "卫辉市学生资助中心",
                    "centre_ids": [(6, 0, centre.ids)],
                    "rate_limit": 0,
                    "quiet_start": 0.0,
                    "quiet_end": 0.0,
                    "retry_delay": 60,
                }
            )
            env["student.loan.student"].create(
                [
                    {
                        "name": f"断线短信 {cls.tag} {index:02d}",
                        "id_number": make_id_number(region="410781", birth="20050505", serial=index),
                        "mobile": f"1376{index:07d}",
                        "centre_id": centre.id,
                    }
                    for index in range(cls.RECIPIENTS)
                ]
            )
            campaign = (
                env["student.loan.sms.campaign"]
                .with_user(supervisor)
                .create(
                    {
                        "name": f"续贷提醒 {cls.tag}",
                        "centre_id": centre.id,
                        "audience_kind": "custom",
                        "audience_domain": f"[('name', '=like', '断线短信 {cls.tag} %')]",
                        "body": "请于8月15日前到卫辉市学生资助中心办理续贷手续。",
                    }
                )
            )
            cls.campaign_id = campaign.id
            parameter = env["ir.config_parameter"]
            cls.old_batch = parameter.get_param("student_loan_sms.dispatch_batch")
            parameter.set_param("student_loan_sms.dispatch_batch", cls.BATCH)
            cr.commit()
            campaign.with_user(supervisor).action_send()
            # a server without the job runner, where the cron is the campaigns' safety net: that is the path
            # killed here. (Under --odoo-http the test server runs queue_job's runner, which would otherwise
            # perform the campaign's jobs itself, beside the killed process.)
            env["queue.job"].search([("identity_key", "=like", f"student_loan_sms_dispatch:{campaign.id}:%")]).unlink()
            cr.commit()

    @classmethod
    def _delete_fixtures(cls):
        with cls.db.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {MODULE_UNINSTALL_FLAG: True, "active_test": False})
            campaigns = env["student.loan.sms.campaign"].search([("name", "=like", f"% {cls.tag}")])
            env["sms.sms"].search([("sl_recipient_id", "in", campaigns.recipient_ids.ids)]).unlink()
            campaigns.recipient_ids.unlink()
            campaigns.unlink()
            env["student.loan.sms.gateway"].search([("name", "=like", f"% {cls.tag}")]).unlink()
            students = env["student.loan.student"].search([("name", "=like", f"% {cls.tag} %")])
            partners = students.partner_id
            students.unlink()
            users = env["res.users"].search([("login", "=", f"sl_sms_kill_{cls.tag}")])
            partners |= users.partner_id
            users.unlink()
            partners.unlink()
            if hasattr(cls, "old_batch"):
                env["ir.config_parameter"].set_param("student_loan_sms.dispatch_batch", cls.old_batch or False)
            cr.commit()

    def dispatcher(self):
        """A process running the dispatch cron's method until nothing is left to send."""
        return subprocess.Popen(
            [sys.executable, "-c", DISPATCH_SCRIPT, odoo.tools.config.rcfile, self.env.cr.dbname],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def test_killed_dispatch_sends_nothing_twice(self):
        held, release = threading.Event(), threading.Event()
        accept = self.fake._accept

        def accept_then_hold(*args, **kwargs):
            accept(*args, **kwargs)
            if len(self.fake.accepted) == self.KILL_AFTER:
                held.set()
                release.wait(60)  # the dispatcher waits for this answer, its batch not committed

        self.fake._accept = accept_then_hold
        first = self.dispatcher()
        try:
            self.assertTrue(held.wait(120), "the dispatcher did not reach the provider")
            first.kill()  # SIGKILL: no cleanup, no commit
            first.wait(30)
        finally:
            release.set()
            if first.poll() is None:
                first.kill()
        self.assertLess(len({entry["number"] for entry in self.fake.accepted}), self.RECIPIENTS, "killed mid-way")
        second = self.dispatcher()
        output, _ = second.communicate(timeout=300)
        self.assertEqual(second.returncode, 0, output[-2000:])

        sent = Counter(entry["number"] for entry in self.fake.accepted)
        expected = {f"1376{index:07d}" for index in range(self.RECIPIENTS)}
        twice = sorted(number for number, count in sent.items() if count > 1)
        self.assertFalse(twice, f"{len(twice)} message(s) sent twice after the restart: {twice}")
        with self.db.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {})
            campaign = env["student.loan.sms.campaign"].browse(self.campaign_id)
            lines = campaign.recipient_ids
            self.assertEqual(
                Counter(lines.mapped("state")), Counter({"sent": self.RECIPIENTS - self.BATCH, "queued": self.BATCH})
            )
            # the batch in flight at the kill: handed to the provider, never sent again, awaiting receipts
            interrupted = lines.filtered(lambda line: line.state == "queued")
            self.assertEqual(len(interrupted), self.BATCH)
            self.assertTrue(all(interrupted.mapped("dispatch_started")))
            in_flight = {number.removeprefix("+86") for number in interrupted.mapped("number")}
            self.assertEqual(set(sent) & (expected - in_flight), expected - in_flight, "every other student got it")
            self.assertGreaterEqual(len(set(sent) & in_flight), self.KILL_AFTER - self.BATCH)

            # receipts settle those whose receipt comes; the rest fails after the timeout, never resent
            with_receipt = [e for e in self.fake.accepted if e["number"] in in_flight][: self.KILL_AFTER - self.BATCH]
            reached = {"+86" + entry["number"] for entry in with_receipt}
            receipts = [Receipt(entry["ref"], entry["number"], True) for entry in with_receipt]
            Recipient = env["student.loan.sms.recipient"]
            self.assertEqual(Recipient._apply_receipts(interrupted.gateway_id, receipts), len(reached))
            later = odoo.fields.Datetime.now() + timedelta(seconds=env["sms.sms"].INTERRUPTED_TIMEOUT + 1)
            self.assertEqual(env["sms.sms"]._sl_expire_interrupted(now=later), self.BATCH - len(reached))
            lines.invalidate_recordset()
            unreached = self.BATCH - len(reached)
            self.assertEqual(
                Counter(lines.mapped("state")),
                Counter({"sent": self.RECIPIENTS - self.BATCH, "delivered": len(reached), "failed": unreached}),
            )
            self.assertEqual(set(lines.filtered(lambda line: line.state == "delivered").mapped("number")), reached)
            for line in lines.filtered(lambda line: line.state == "failed"):
                self.assertIn(
                    "outcome unknown after an interrupted dispatch: not resent to avoid a duplicate",
                    line.failure_reason,
                )
            self.assertEqual(campaign.state, "done")
            self.assertEqual(len(self.fake.accepted), len(sent), "nothing sent while settling")
            cr.rollback()
