"""Chinese first: library messages and RPC answers reach the user in the user's language."""

import xmlrpc.client

from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.student_loan.loanlib import policy as policy_math
from odoo.addons.student_loan.models.lib_errors import lib_error_message

from .common import StudentLoanCase, make_id_number


def _bad_check_digit(number):
    return number[:17] + ("0" if number[17] != "0" else "1")


class TestLibraryMessages(StudentLoanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")

    def _create_as_handler(self, lang):
        """As the web client does: the handler's session context carries the language."""
        Student = self.env["student.loan.student"].with_user(self.handler).with_context(lang=lang)
        return Student.create(self._student_vals(id_number=_bad_check_digit(make_id_number())))

    def test_identity_error_in_chinese(self):
        with self.assertRaisesRegex(ValidationError, "校验位错误：请对照身份证逐位核对"):
            self._create_as_handler("zh_CN")

    def test_identity_error_in_english_for_an_english_user(self):
        with self.assertRaisesRegex(ValidationError, "has a wrong check digit"):
            self._create_as_handler("en_US")

    def test_amount_reasons_in_chinese(self):
        env = self.env(context={"lang": "zh_CN"})
        reasons = [lib_error_message(env, reason) for reason in policy_math.check_amount(8001, 1000, 8000)]
        self.assertEqual(reasons, ["金额 8,001 元超过本年度贷款上限 8,000 元。"])

    def test_nested_label_is_translated(self):
        env = self.env(context={"lang": "zh_CN"})
        with self.assertRaises(ValueError) as caught:
            policy_math.requested_amount("abc", 0, 8000)
        self.assertEqual(lib_error_message(env, caught.exception), "学费必须是数字，而不是 'abc'。")
        self.assertEqual(str(caught.exception), "The tuition must be a number, not 'abc'.")

    def test_plain_value_error_is_kept(self):
        self.assertEqual(lib_error_message(self.env(context={"lang": "zh_CN"}), ValueError("plain")), "plain")


@tagged("post_install", "-at_install")
class TestRpcLanguage(HttpCase):
    """An XML-RPC client that sends no ``lang`` gets the errors in the user's language."""

    def setUp(self):
        super().setUp()
        self.env["res.lang"]._activate_lang("zh_CN")
        self.user = mail_new_test_user(
            self.env,
            login="sl_rpc_handler",
            password="sl_rpc_handler_pw",
            groups="student_loan.group_handler,base.group_user",
            loan_centre_id=self.env.ref("student_loan.centre_411623").id,
            lang="zh_CN",
        )

    def _create_student(self, context=None):
        kwargs = {"context": context} if context is not None else {}
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.xmlrpc_object.execute_kw(
                self.env.cr.dbname,
                self.user.id,
                "sl_rpc_handler_pw",
                "student.loan.student",
                "create",
                [
                    {
                        "name": "远程",
                        "id_number": "12345",
                        "mobile": "13812345678",
                        "centre_id": self.user.loan_centre_id.id,
                    }
                ],
                kwargs,
            )
        return caught.exception.faultString

    def test_no_lang_in_context_answers_in_chinese(self):
        self.assertIn("身份证号 12345 应为 18 位，现为 5 位。", self._create_student())

    def test_explicit_lang_is_kept(self):
        self.assertIn("must have 18 characters, it has 5", self._create_student({"lang": "en_US"}))


class TestChineseSetup(StudentLoanCase):
    def test_new_staff_user_lives_in_china_and_lands_on_the_to_do_list(self):
        self.assertEqual(self.handler.tz, "Asia/Shanghai")
        home = self.env.ref("student_loan.student_loan_application_action_to_review")
        self.assertEqual(self.handler.action_id.id, home.id)
        self.assertEqual(self.bank.action_id.id, home.id)

    def test_attachment_rule_names_translated(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["student.loan.attachment.rule"]._translate_default_names(["zh_CN"])
        rule = self.policy.attachment_rule_ids.filtered(lambda r: r.with_context(lang="en_US").name == "ID cards")
        self.assertEqual(rule.with_context(lang="zh_CN").name, "身份证复印件（学生与共同借款人）")

    def test_apps_menu_for_administrators_only(self):
        self.assertEqual(self.env.ref("base.menu_management").groups_id, self.env.ref("base.group_system"))


@tagged("post_install", "-at_install")
class TestTrackedYearTour(HttpCase):
    def test_tracked_year_has_no_thousands_separator(self):
        county = self.env.ref("student_loan.centre_411623")
        handler = mail_new_test_user(
            self.env,
            login="sl_year_handler",
            groups="student_loan.group_handler,base.group_user",
            loan_centre_id=county.id,
        )
        student = (
            self.env["student.loan.student"]
            .with_context(tracking_disable=False)
            .create(
                {
                    "name": "年份学生",
                    "id_number": make_id_number(),
                    "mobile": "13812340002",
                    "centre_id": county.id,
                    "education_level": "undergraduate",
                    "enrolment_year": 2025,
                }
            )
        )
        self.env.flush_all()
        self.env.cr.precommit.run()
        student.enrolment_year = 2026
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.start_tour(
            f"/odoo/student.loan.student/{student.id}", "student_loan_tracked_year_tour", login=handler.login
        )


@tagged("post_install", "-at_install")
class TestFrontendTranslations(HttpCase):
    """The portal's pages get the Chinese JS terms of the chatter (student_loan_portal checks its own)."""

    def test_frontend_translations_cover_mail_and_the_project(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        response = self.url_open("/website/translations/any?lang=zh_CN", timeout=120)
        self.assertEqual(response.status_code, 200)
        modules = response.json()["modules"]
        self.assertIn("mail", modules)
        messages = {message["id"]: message["string"] for message in modules["mail"]["messages"]}
        self.assertEqual(messages.get("The conversation is empty."), "对话内容为空")
