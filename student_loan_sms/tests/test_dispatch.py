"""The dispatch cron: batches, retries with back-off, quiet hours, rate limit."""

from collections import Counter
from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields

from odoo.addons.student_loan_sms.models import student_loan_sms_gateway as gateway_module

from .common import SmsCase


class TestDispatch(SmsCase):
    def test_temporary_errors_are_retried_with_backoff(self):
        students = self.make_students(2)
        campaign = self.send(self.make_campaign(template_id=self.tpl_same.id))
        self.fake.fail_next("aliyun", "throttle")
        before = fields.Datetime.now()
        self.dispatch()
        lines = campaign.recipient_ids
        self.assertEqual(set(lines.mapped("state")), {"queued"})
        self.assertEqual(set(lines.mapped("attempts")), {1})
        self.assertEqual(lines[0].error_code, "isv.BUSINESS_LIMIT_CONTROL")
        self.assertIn("Retry 1: isv.BUSINESS_LIMIT_CONTROL 触发分钟级流控Permits:1", lines[0].failure_reason)
        self.assertGreaterEqual(lines[0].next_try, before + timedelta(seconds=60))
        self.assertEqual(campaign.state, "queued")

        # not due yet: the next run sends nothing
        self.dispatch()
        self.assertEqual(len(self.fake.requests), 1)

        # a provider outage (HTTP 503) is temporary too; the delay doubles
        lines.next_try = fields.Datetime.now() - timedelta(seconds=1)
        self.fake.fail_next("aliyun", "server")
        now = fields.Datetime.now()
        self.dispatch()
        self.assertEqual(set(lines.mapped("attempts")), {2})
        self.assertGreaterEqual(lines[0].next_try, now + timedelta(seconds=120))

        lines.next_try = fields.Datetime.now() - timedelta(seconds=1)
        self.dispatch()
        self.assertEqual(set(lines.mapped("state")), {"sent"})
        self.assertEqual(set(lines.mapped("attempts")), {3})
        self.assertEqual(Counter(self.fake.accepted_numbers()), Counter(students.mapped("mobile")), "sent once each")
        self.assertEqual(campaign.state, "done")

    def test_gives_up_after_the_last_attempt(self):
        self.make_students(1, centre=self.county_b)
        self.gw_tencent.max_attempts = 2
        campaign = self.send(self.make_campaign(centre_id=self.county_b.id))
        self.fake.fail_next("tencent", "server", count=2)
        self.dispatch()
        campaign.recipient_ids.next_try = False
        self.dispatch()
        line = campaign.recipient_ids
        self.assertEqual(line.state, "failed")
        self.assertEqual(
            line.failure_reason,
            "InternalError.Timeout: Gave up after 2 attempts: InternalError.Timeout Request timed out.",
        )
        self.assertFalse(self.fake.accepted)

    def test_network_error_is_temporary(self):
        self.make_students(1, centre=self.direct_county, first_loan=False)
        self.gw_http.endpoint_url = "http://127.0.0.1:9/nothing-listens-here"
        campaign = self.send(
            self.make_campaign(
                centre_id=self.direct_county.id,
                audience_kind="custom",
                template_id=False,
                body="通知{日期}",
            )
        )
        self.dispatch()
        line = campaign.recipient_ids
        self.assertEqual((line.state, line.error_code, line.attempts), ("queued", "network", 1))
        self.assertFalse(self.gw_http.blocked)

    def test_http_gateway_429_is_retried(self):
        self.make_students(1, centre=self.direct_county, first_loan=False)
        campaign = self.send(
            self.make_campaign(
                centre_id=self.direct_county.id,
                audience_kind="custom",
                template_id=False,
                body="通知{日期}",
            )
        )
        self.fake.fail_next("http", "throttle")
        self.dispatch()
        self.assertEqual(campaign.recipient_ids.error_code, "HTTP429")
        self.assertEqual(campaign.recipient_ids.state, "queued")

    def test_cron_works_in_batches(self):
        self.make_students(5)
        campaign = self.send(self.make_campaign(template_id=self.tpl_same.id))
        Campaign = self.env["student.loan.sms.campaign"].sudo()
        self.assertEqual(Campaign._cron_dispatch(limit=2), 2)
        self.assertEqual(campaign.sent_count, 2)
        self.assertEqual(campaign.state, "sending")
        Campaign._cron_dispatch(limit=2)
        Campaign._cron_dispatch(limit=2)
        self.assertEqual(campaign.sent_count, 5)
        self.assertEqual(campaign.state, "done")
        self.assertEqual(len(self.fake.accepted), 5)

    def test_scheduled_campaign_waits(self):
        self.make_students(1)
        later = fields.Datetime.now() + timedelta(hours=2)
        campaign = self.send(self.make_campaign(scheduled_date=later))
        triggers = (
            self.env["ir.cron.trigger"]
            .sudo()
            .search([("cron_id", "=", self.env.ref("student_loan_sms.ir_cron_student_loan_sms_dispatch").id)])
        )
        self.assertIn(later, triggers.mapped("call_at"))
        self.dispatch()
        self.assertFalse(self.fake.requests)
        self.assertEqual(campaign.queued_count, 1)

    def test_quiet_hours(self):
        """22:00-08:00 Beijing time: nothing leaves; the cron wakes at 08:00."""
        self.gw_aliyun.write({"quiet_start": 22.0, "quiet_end": 8.0})
        self.make_students(1)
        campaign = self.send(self.make_campaign())
        cron = self.env.ref("student_loan_sms.ir_cron_student_loan_sms_dispatch")
        with freeze_time("2024-08-10 15:30:00"):  # 23:30 in Asia/Shanghai
            self.assertTrue(self.gw_aliyun._is_quiet())
            self.assertEqual(self.gw_aliyun._quiet_end_at(), datetime(2024, 8, 11, 0, 0, 1))
            self.dispatch()
            self.assertFalse(self.fake.requests)
            self.assertEqual(campaign.queued_count, 1)
            wake = self.env["ir.cron.trigger"].sudo().search([("cron_id", "=", cron.id)]).mapped("call_at")
            self.assertIn(datetime(2024, 8, 11, 0, 0, 2), wake)
        with freeze_time("2024-08-11 00:00:05"):  # 08:00:05 in Asia/Shanghai
            self.assertFalse(self.gw_aliyun._is_quiet())
        self.gw_aliyun.write({"quiet_start": 0.0, "quiet_end": 0.0})
        self.dispatch()
        self.assertEqual(campaign.sent_count, 1)

    def test_rate_limit(self):
        """50 messages per second: a request of 100 numbers holds the next one back 2 seconds."""
        clock = [1000.0]
        sleeps = []

        def sleep(seconds):
            sleeps.append(round(seconds, 3))
            clock[0] += seconds

        gateway = self.gw_aliyun
        gateway.rate_limit = 50
        gateway_module._THROTTLE_CLOCK.pop((self.env.cr.dbname, gateway.id), None)
        with (
            patch.object(gateway_module, "_monotonic", lambda: clock[0]),
            patch.object(gateway_module, "_sleep", sleep),
        ):
            gateway._throttle(100)
            gateway._throttle(100)
            clock[0] += 0.5
            gateway._throttle(10)
            gateway.rate_limit = 0
            gateway._throttle(1000)
        self.assertEqual(sleeps, [2.0, 1.5])

    def test_rate_limit_applies_per_request(self):
        self.gw_aliyun.write({"rate_limit": 1000, "batch_size": 2})
        self.make_students(3)
        self.send(self.make_campaign(template_id=self.tpl_same.id))
        with patch.object(type(self.gw_aliyun), "_throttle", autospec=True) as throttle:
            self.dispatch()
        self.assertEqual([call.args[1] for call in throttle.call_args_list], [2, 1])
