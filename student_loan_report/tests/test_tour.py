from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.student_loan.models.student_loan_application import current_academic_year
from odoo.addons.student_loan.tests.common import make_id_number


@tagged("post_install", "-at_install")
class TestDashboardTour(HttpCase):
    """In Chromium: the province administrator opens the dashboard and the pivot."""

    def test_dashboard_tour(self):
        today = fields.Date.context_today(self.env["student.loan.statistics"])
        year = current_academic_year(today)
        # only the tour's contracts are counted in the season: earlier ones are moved away
        self.env["student.loan.contract"].search([("academic_year", "=", year)]).write({"academic_year": year - 30})
        admin = mail_new_test_user(
            self.env,
            login="sl_tour_province",
            groups="student_loan.group_admin,base.group_user",
            loan_centre_id=self.env.ref("student_loan.centre_410000").id,
        )
        for code, amount in (("411623", 8000), ("411623", 6500), ("410181", 7000)):
            centre = self.env.ref(f"student_loan.centre_{code}")
            student = self.env["student.loan.student"].create(
                {
                    "name": f"看板学生{amount}",
                    "id_number": make_id_number(region=code),
                    "mobile": "13812340001",
                    "centre_id": centre.id,
                    "education_level": "undergraduate",
                }
            )
            contract = self.env["student.loan.contract"].create(
                {
                    "student_id": student.id,
                    "centre_id": centre.id,
                    "academic_year": year,
                    "loan_kind": "first",
                    "amount": amount,
                }
            )
            contract.write({"state": "active", "signing_date": today})
        self.start_tour(
            "/odoo/loan-statistics",
            "student_loan_report_dashboard_tour",
            login=admin.login,
        )


@tagged("post_install", "-at_install")
class TestDateMonthDayTour(HttpCase):
    """In Chromium, in Chinese: a date typed as "12月10日" is 10 December of this year."""

    def test_month_day_date(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        admin = mail_new_test_user(
            self.env,
            login="sl_tour_date",
            groups="student_loan.group_admin,base.group_user",
            loan_centre_id=self.env.ref("student_loan.centre_410000").id,
            lang="zh_CN",
        )
        self.start_tour(
            "/odoo/action-student_loan_report.student_loan_statistics_dashboard_action",
            "student_loan_date_month_day_tour",
            login=admin.login,
        )
