import datetime

import pytz

from odoo.tests import tagged

from odoo.addons.student_loan.tests.common import StudentLoanCase


@tagged("post_install", "-at_install")
class TestWorkLogSms(StudentLoanCase):
    """R5 with R4: the day's text messages counted per centre of the student they went to."""

    def test_messages_sent_per_centre(self):
        WorkLog = self.env["student.loan.work.log"]
        today = datetime.datetime.now(pytz.timezone("Asia/Shanghai")).date()
        before = WorkLog._count_day(today)
        student = self.create_student(user=self.handler, name="短信学生", mobile="13600003333")
        self.env["sms.sms"].create(
            [{"partner_id": student.partner_id.id, "number": "+8613600003333", "body": "提醒"}] * 2
        )
        logs = WorkLog._cron_daily_logs(today)
        county_log = logs.filtered(lambda log: log.centre_id == self.county)
        county_b_log = logs.filtered(lambda log: log.centre_id == self.county_b)
        self.assertEqual(county_log.messages_sent, before.get(self.county.id, {}).get("messages_sent", 0) + 2)
        self.assertEqual(county_b_log.messages_sent, before.get(self.county_b.id, {}).get("messages_sent", 0))
