import datetime
import html

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import IN_WINDOW, PortalAftercareCase

GRADUATION_FORM = {
    "mobile": "139 0000 1111",
    "home_address": "河南省郑州市金水区花园路1号",
    "employer": "郑州某科技公司",
    "employer_address": "郑州市高新区长椿路11号",
    "third_party_name": "王老师",
    "third_party_phone": "13900002222",
}


@tagged("post_install", "-at_install")
class TestPortalGraduation(PortalAftercareCase):
    def test_quiz_first_then_apply_returned_and_confirmed(self):
        self.login_a()
        page = self.url_open("/my/graduation")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_sl_take_quiz", page.text)
        self.assertIn("/my/graduation/quiz", page.text)
        # the quiz link invites the student (the survey is by token) and opens their own attempt
        quiz = self.url_open("/my/graduation/quiz", allow_redirects=False)
        self.assertEqual(quiz.status_code, 303)
        attempt = (
            self.env["survey.user_input"]
            .sudo()
            .search([("survey_id", "=", self.survey.id), ("partner_id", "=", self.student_a.partner_id.id)])
        )
        self.assertEqual(len(attempt), 1)
        self.assertIn(attempt.get_start_url(), quiz.headers["Location"])
        self.url_open("/my/graduation/quiz", allow_redirects=False)
        self.assertEqual(
            len(
                attempt.search([("survey_id", "=", self.survey.id), ("partner_id", "=", self.student_a.partner_id.id)])
            ),
            1,
            "the unfinished attempt is resumed",
        )
        started = self.url_open(quiz.headers["Location"])
        self.assertEqual(started.status_code, 200)
        self.assertIn("o_survey", started.text)
        self.assertNotIn("o_sl_graduation_form", page.text, "no form before the quiz is passed")
        refused = self.post("/my/graduation", GRADUATION_FORM)
        self.assertIn("o_sl_errors", refused.text)
        self.assertFalse(self.Graduation.sudo().search([("student_id", "=", self.student_a.id)]))

        attempt.sudo().unlink()
        self.take_quiz(self.student_a, correct=False)
        self.assertNotIn("o_sl_graduation_form", self.url_open("/my/graduation").text, "a failed quiz is no pass")
        self.take_quiz(self.student_a, correct=True)
        page = self.url_open("/my/graduation")
        self.assertIn("o_sl_quiz_passed", page.text)
        self.assertIn("o_sl_graduation_form", page.text)

        # bad input: a clear message, nothing stored
        bad = self.post("/my/graduation", dict(GRADUATION_FORM, mobile="12345", home_address=""))
        self.assertIn("o_sl_errors", bad.text)
        self.assertIn("invalid-feedback", bad.text)
        bad = self.post("/my/graduation", dict(GRADUATION_FORM, mobile="12345"))
        self.assertIn("12345", bad.text)
        self.assertFalse(self.Graduation.sudo().search([("student_id", "=", self.student_a.id)]))

        done = self.post("/my/graduation", GRADUATION_FORM)
        self.assertIn("o_sl_success", done.text)
        graduation = self.Graduation.sudo().search([("student_id", "=", self.student_a.id)])
        self.assertEqual(graduation.state, "submitted")
        self.assertEqual(graduation.graduation_year, 2025)
        self.assertEqual(graduation.mobile, "13900001111")
        self.assertEqual(graduation.submitted_by_id, self.user_a)
        self.assertTrue(graduation.quiz_input_id.scoring_success)
        self.assertNotEqual(self.student_a.mobile, "13900001111", "nothing changes before the confirmation")
        self.assertNotIn("o_sl_graduation_form", done.text, "no second application while it is reviewed")

        # the county handler returns it with a reason: the student reads it and applies again
        graduation.with_user(self.handler).action_review_return("工作单位地址请写到门牌号")
        page = self.url_open("/my/graduation")
        self.assertIn("o_sl_return_reason", page.text)
        self.assertIn("工作单位地址请写到门牌号", page.text)
        self.assertIn("o_sl_graduation_form", page.text)
        self.post("/my/graduation", dict(GRADUATION_FORM, employer_address="郑州市高新区长椿路11号3号楼"))
        self.assertEqual(graduation.state, "submitted")
        graduation.with_user(self.handler).action_confirm()
        self.assertEqual(graduation.state, "confirmed")
        self.assertEqual(self.student_a.mobile, "13900001111")
        self.assertEqual(self.student_a.employer_address, "郑州市高新区长椿路11号3号楼")
        page = self.url_open("/my/graduation")
        self.assertIn('data-state="confirmed"', page.text)
        self.assertNotIn("o_sl_graduation_form", page.text)

    def test_not_in_the_graduation_year(self):
        self.student_a.sudo().enrolment_year = 2024  # graduates in 2028
        self.take_quiz(self.student_a)
        self.login_a()
        page = self.url_open("/my/graduation")
        self.assertIn("o_sl_graduation_closed", page.text)
        self.post("/my/graduation", GRADUATION_FORM)
        self.assertFalse(self.Graduation.sudo().search([("student_id", "=", self.student_a.id)]))

    def test_another_student_sees_nothing_of_it(self):
        self.take_quiz(self.student_a)
        self.login_a()
        self.post("/my/graduation", GRADUATION_FORM)
        self.login_b()
        page = self.url_open("/my/graduation")
        self.assertEqual(page.status_code, 200)
        self.url_open("/my/graduation/quiz")
        self.assertFalse(
            self.env["survey.user_input"].sudo().search([("partner_id", "=", self.student_b.partner_id.id)]),
            "no quiz for a student without a loan in repayment",
        )
        self.assertNotIn("13900001111", page.text)
        self.assertNotIn("o_sl_graduation_form", page.text, "B has no loan in repayment")

    def test_post_without_csrf_token_is_refused(self):
        self.take_quiz(self.student_a)
        self.login_a()
        with mute_logger("odoo.http"):
            response = self.url_open("/my/graduation", data=GRADUATION_FORM)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.Graduation.sudo().search([("student_id", "=", self.student_a.id)]))

    def test_home_links_to_both_pages(self):
        self.login_a()
        page = self.url_open("/my")
        self.assertIn("o_sl_home_graduation", page.text, page.text[-3000:])
        self.assertIn("o_sl_home_prepayment", page.text)

    def test_the_page_is_chinese(self):
        self.user_a.sudo().lang = "zh_CN"
        self.login_a()
        page = self.url_open("/my/graduation")
        for words in ("毕业确认", "诚信教育测试", "开始测试"):
            self.assertIn(words, page.text)
        self.assertNotIn("Graduation confirmation", page.text)


@tagged("post_install", "-at_install")
class TestPortalPrepayment(PortalAftercareCase):
    def test_apply_in_the_window_and_follow_it(self):
        self.login_a()
        with freeze_time(IN_WINDOW):
            page = self.url_open("/my/prepayment")
            self.assertIn("o_sl_cycle_open", page.text)
            self.assertIn("o_sl_prepayment_form", page.text)
            self.assertIn(self.contract.name, page.text)
            bad = self.post("/my/prepayment", {"contract_id": self.contract.id, "mode": "part", "amount": "abc"})
            self.assertIn("o_sl_errors", bad.text)
            bad = self.post("/my/prepayment", {"contract_id": self.contract.id, "mode": "part", "amount": "999999"})
            self.assertIn("o_sl_errors", bad.text)
            self.assertFalse(self.Prepayment.sudo().search([("contract_id", "=", self.contract.id)]))
            done = self.post("/my/prepayment", {"contract_id": self.contract.id, "mode": "part", "amount": "1,500"})
            self.assertIn("o_sl_success", done.text)
            request = self.Prepayment.sudo().search([("contract_id", "=", self.contract.id)])
            self.assertEqual(request.state, "submitted")
            self.assertEqual(request.amount, 1500)
            self.assertEqual(request.payment_date, datetime.date(2026, 3, 20))
            self.assertEqual(request.submitted_by_id, self.user_a)
            self.assertIn("1,500.00", done.text)
            self.assertIn("o_sl_prepayment_amount", done.text)
            # one request at a time per contract
            page = self.url_open("/my/prepayment")
            self.assertNotIn("o_sl_prepayment_form", page.text)
            self.assertIn("o_sl_prepayment_item", page.text)
            self.post("/my/prepayment", {"contract_id": self.contract.id, "mode": "all"})
            self.assertEqual(self.Prepayment.sudo().search_count([("contract_id", "=", self.contract.id)]), 1)
            # the centre reviews it; the student sees the state
            request.with_user(self.handler).action_check()
            request.with_user(self.supervisor).action_approve()
            page = self.url_open(f"/my/prepayment/{request.id}")
            self.assertIn('data-state="approved"', page.text)

    def test_full_prepayment_shows_the_amount(self):
        self.login_a()
        with freeze_time(IN_WINDOW):
            self.post("/my/prepayment", {"contract_id": self.contract.id, "mode": "all"})
            request = self.Prepayment.sudo().search([("contract_id", "=", self.contract.id)])
            self.assertTrue(request.repay_all)
            self.assertGreaterEqual(request.amount_due, self.contract.principal_outstanding)
            page = self.url_open(f"/my/prepayment/{request.id}")
            self.assertIn(f"{request.amount_due:,.2f}", page.text)

    def test_refused_outside_the_window_and_in_the_blocked_month(self):
        self.user_a.sudo().lang = "zh_CN"  # before the login: the session keeps the language it starts with
        self.login_a()
        for day, words in ((datetime.date(2026, 3, 12), "1 日至 10 日"), (datetime.date(2026, 11, 3), "11 月")):
            with freeze_time(day):
                # the model's own refusal, in the student's language
                with self.assertRaises(UserError) as refusal:
                    self.Prepayment.with_context(lang="zh_CN")._check_cycle(day)
                message = html.escape(str(refusal.exception.args[0]))
                self.assertIn(words, message)
                page = self.url_open("/my/prepayment")
                self.assertIn("o_sl_cycle_closed", page.text)
                self.assertIn(message, page.text)
                self.assertNotIn("o_sl_prepayment_form", page.text)
                refused = self.post(
                    "/my/prepayment", {"contract_id": self.contract.id, "mode": "part", "amount": "100"}
                )
                self.assertIn(message, refused.text)
        self.assertFalse(self.Prepayment.sudo().search([("contract_id", "=", self.contract.id)]))

    def test_another_students_records_answer_404(self):
        with freeze_time(IN_WINDOW):
            self.login_a()
            self.post("/my/prepayment", {"contract_id": self.contract.id, "mode": "part", "amount": "100"})
            request = self.Prepayment.sudo().search([("contract_id", "=", self.contract.id)])
            self.assertTrue(request)
            self.login_b()
            self.assertEqual(self.url_open(f"/my/prepayment/{request.id}").status_code, 404)
            self.assertEqual(self.url_open("/my/prepayment/999999").status_code, 404)
            response = self.post("/my/prepayment", {"contract_id": self.contract.id, "mode": "part", "amount": "100"})
            self.assertEqual(response.status_code, 404)
            page = self.url_open("/my/prepayment")
            self.assertNotIn(request.name, page.text)
        self.assertEqual(self.Prepayment.sudo().search_count([("contract_id", "=", self.contract.id)]), 1)

    def test_post_without_csrf_token_is_refused(self):
        self.login_a()
        with freeze_time(IN_WINDOW), mute_logger("odoo.http"):
            response = self.url_open(
                "/my/prepayment", data={"contract_id": self.contract.id, "mode": "part", "amount": "100"}
            )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.Prepayment.sudo().search([("contract_id", "=", self.contract.id)]))
