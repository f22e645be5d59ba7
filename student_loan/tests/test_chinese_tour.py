"""In Chromium, in zh_CN: each role lands on its work and sees no English sentence."""

from odoo.tests import HttpCase, tagged

from .common import StudentLoanCase


@tagged("post_install", "-at_install")
class TestChineseTour(HttpCase, StudentLoanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"].search([("state", "=", "installed")])._update_translations(["zh_CN"])
        cls.roles = cls.handler | cls.supervisor | cls.city_viewer | cls.bank | cls.admin
        cls.roles.write({"lang": "zh_CN"})
        # a Chinese centre: every colleague works in zh_CN, so the activities written for them (in the
        # assignee's language) are Chinese too -- the demo users of a database without zh_CN are not
        cls.env["res.users"].search([("share", "=", False)]).write({"lang": "zh_CN"})
        # the work is done as the web client does it: in the users' language
        cls.env = cls.env(context=dict(cls.env.context, lang="zh_CN"))
        cls.application = cls.make_checked_application()
        cls.flush_tracking()

    def test_each_role_in_chinese(self):
        form = f"/odoo/action-student_loan.student_loan_application_action/{self.application.id}"
        for user in self.roles:
            with self.subTest(role=user.login):
                self.start_tour("/odoo", "student_loan_chinese_landing_tour", login=user.login)
                self.start_tour(form, "student_loan_chinese_form_tour", login=user.login)
