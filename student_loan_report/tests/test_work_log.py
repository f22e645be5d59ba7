import datetime

import pytz

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.student_loan.tests.common import StudentLoanCase


@tagged("post_install", "-at_install")
class TestWorkLog(StudentLoanCase):
    """R5: the day's counts filled in by the system, one log per centre and day, summaries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # aid-centre staff work in China time: the day of a signing (a date) and of a record's
        # creation (a UTC datetime) are both China days, whatever the hour in UTC
        staff = cls.env["res.users"].search([("login", "=like", "sl_%")])
        staff.write({"tz": "Asia/Shanghai"})
        cls.today = datetime.datetime.now(pytz.timezone("Asia/Shanghai")).date()
        # what the day holds already (the core's demo data, when installed, is made today)
        cls.baseline = cls.env["student.loan.work.log"]._count_day(cls.today)
        cls.confirmed = cls.make_confirmed_application()
        student = cls.create_student(user=cls.handler, name="退回学生", mobile="13600001111")
        cls.returned = cls.create_application(student, user=cls.handler)
        cls.attach_required(cls.returned)
        cls.returned.with_user(cls.handler).action_submit()
        cls.returned.with_user(cls.handler2)._return("户籍地址与身份证不符")
        student_b = cls.create_student(user=cls.handler_b, name="县B学生", centre_id=cls.county_b.id)
        cls.app_b = cls.create_application(student_b, user=cls.handler_b)
        cls.attach_required(cls.app_b)
        cls.app_b.with_user(cls.handler_b).action_submit()
        cls.WorkLog = cls.env["student.loan.work.log"]

    def _log(self, logs, centre):
        return logs.filtered(lambda log: log.centre_id == centre)

    def _expected(self, centre, **added):
        """The baseline of the centre's day plus what the test added."""
        base = self.baseline.get(centre.id, {})
        return {name: base.get(name, 0) + value for name, value in added.items()}

    def test_daily_job_counts_the_day(self):
        logs = self.WorkLog._cron_daily_logs(self.today)
        county = self._log(logs, self.county)
        self.assertEqual(len(county), 1)
        self.assertRecordValues(
            county,
            [
                {
                    **self._expected(
                        self.county,
                        students_registered=2,
                        applications_submitted=2,
                        applications_checked=1,
                        applications_approved=1,
                        applications_returned=1,
                        contracts_signed=1,
                    ),
                    "state": "draft",
                }
            ],
        )
        county_b = self._log(logs, self.county_b)
        self.assertRecordValues(
            county_b,
            [self._expected(self.county_b, students_registered=1, applications_submitted=1, contracts_signed=0)],
        )
        # centres with staff get a log even on a quiet day
        self.assertTrue(self._log(logs, self.province))
        self.assertEqual(
            self._log(logs, self.city).applications_submitted,
            self._expected(self.city, applications_submitted=0)["applications_submitted"],
        )
        # another day: nothing
        quiet = self.WorkLog._count_day(self.today - datetime.timedelta(days=3), {self.county.id})
        self.assertFalse(quiet.get(self.county.id))

    def test_job_refreshes_instead_of_duplicating(self):
        logs = self.WorkLog._cron_daily_logs(self.today)
        county = self._log(logs, self.county)
        county.write({"narrative": "<p>开设三个窗口</p>"})
        student = self.create_student(user=self.handler, name="晚到学生", mobile="13600002222")
        self.assertTrue(student)
        again = self.WorkLog._cron_daily_logs(self.today)
        self.assertEqual(len(again), len(logs))
        self.assertEqual(self._log(again, self.county), county)
        self.assertEqual(
            county.students_registered, self._expected(self.county, students_registered=3)["students_registered"]
        )
        self.assertIn("开设三个窗口", county.narrative)

    def test_staff_write_the_narrative_and_submit(self):
        log = self.WorkLog.with_user(self.handler).create({"date": self.today})
        self.assertEqual(log.centre_id, self.county)
        self.assertEqual(log.user_id, self.handler)
        self.assertEqual(
            log.contracts_signed,  # counted on creation
            self._expected(self.county, contracts_signed=1)["contracts_signed"],
        )
        with self.assertRaises(UserError):
            log.action_done()
        log.write(
            {"narrative": "<p>今日签约高峰，志愿者4名</p>", "special_cases": "一名学生在错误的中心注册，已转回。"}
        )
        log.action_done()
        self.assertEqual(log.state, "done")
        with self.assertRaises(UserError):
            log.write({"date": self.today - datetime.timedelta(days=1)})

    def test_record_rules(self):
        logs = self.WorkLog._cron_daily_logs(self.today)
        county, county_b = self._log(logs, self.county), self._log(logs, self.county_b)
        own = self.WorkLog.with_user(self.handler).search([("id", "in", logs.ids)])
        self.assertEqual(own, county)
        city = self.WorkLog.with_user(self.city_viewer).search([("id", "in", logs.ids)])
        self.assertIn(county, city)
        self.assertIn(county_b, city)
        self.assertNotIn(self._log(logs, self.direct_county), city)
        with self.assertRaises(AccessError):
            county.with_user(self.handler_b).write({"special_cases": "x"})
        with self.assertRaises(AccessError):
            county.with_user(self.city_viewer).write({"special_cases": "x"})
        with self.assertRaises(AccessError):
            county.with_user(self.handler).unlink()
        county.with_user(self.handler).write({"special_cases": "续贷高校未审核 2 人"})

    def test_weekly_and_monthly_summary_by_city(self):
        logs = self.WorkLog._cron_daily_logs(self.today)
        for groupby in ("date:week", "date:month"):
            groups = self.WorkLog._read_group(
                [("id", "in", logs.ids)],
                ["reporting_city_id", groupby],
                ["contracts_signed:sum", "applications_submitted:sum"],
            )
            zhoukou = [group for group in groups if group[0] == self.city]
            self.assertEqual(len(zhoukou), 1)
            city_logs = logs.filtered(lambda log: log.reporting_city_id == self.city)
            self.assertEqual(
                zhoukou[0][2:],
                (sum(city_logs.mapped("contracts_signed")), sum(city_logs.mapped("applications_submitted"))),
            )
            self.assertGreaterEqual(zhoukou[0][2], 1)
            self.assertGreaterEqual(zhoukou[0][3], 3)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "student_loan_report.student_loan_work_log_action_summary"
        )
        self.assertIn("date:week", action["context"])
