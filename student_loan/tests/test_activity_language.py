"""The review activities are written in the language of who does them (the assignee), not of who
triggered the step: a Chinese handler reads 已退回 even when the supervisor works in English."""

from odoo.tests import tagged

from .common import StudentLoanCase


@tagged("post_install", "-at_install")
class TestActivityLanguage(StudentLoanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"].search([("name", "=", "student_loan")])._update_translations(["zh_CN"])
        cls.approve_tier = cls.env.ref("student_loan.tier_definition_application_approve")

    def _checked(self, actor_lang):
        """An application the handler checked, working in ``actor_lang``."""
        student = self.create_student(user=self.handler)
        application = self.create_application(student, user=self.handler).with_context(lang=actor_lang)
        self.attach_required(application)
        application.action_submit()
        self.pass_manual_checks(application)
        application.action_prepare_contract()
        self.sign_contract(application)
        application.action_check()
        return application

    def _summaries(self, application, user=None):
        activities = application.sudo().activity_ids
        if user:
            activities = activities.filtered(lambda activity: activity.user_id == user)
        return activities.mapped("summary")

    def test_tier_summary_in_assignee_language(self):
        self.county._get_supervisors().write({"lang": "zh_CN"})
        application = self._checked("en_US")
        self.assertEqual(self._summaries(application), ["负责人复核/同意"])

    def test_tier_summary_in_english_for_english_assignee(self):
        self.handler.write({"lang": "zh_CN"})
        self.county._get_supervisors().write({"lang": "en_US"})
        application = self._checked("zh_CN")
        self.assertEqual(self._summaries(application), ["Supervisor Re-review and Approval (复核/同意)"])

    def test_return_summary_in_assignee_language(self):
        self.handler.write({"lang": "zh_CN"})
        application = self._checked("zh_CN")
        application.with_user(self.supervisor).with_context(lang="en_US")._return("请补充村组门牌号")
        self.assertEqual(self._summaries(application, self.handler), ["已退回：请补充村组门牌号"])

    def test_return_summary_in_english_for_english_assignee(self):
        self.handler.write({"lang": "en_US"})
        application = self._checked("en_US")
        application.with_user(self.supervisor).with_context(lang="zh_CN")._return("请补充村组门牌号")
        self.assertEqual(self._summaries(application, self.handler), ["Returned: 请补充村组门牌号"])

    def test_send_to_bank_summary_in_assignee_language(self):
        self.supervisor.write({"lang": "zh_CN"})
        application = self._checked("en_US")
        application.with_user(self.supervisor).with_context(lang="en_US").action_approve()
        self.assertEqual(application.state, "approved")
        self.assertEqual(self._summaries(application, self.supervisor), ["报送开行"])
