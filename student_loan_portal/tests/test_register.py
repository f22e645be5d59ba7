import re
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields, http
from odoo.tests import tagged
from odoo.tests.common import TEST_CURSOR_COOKIE_NAME
from odoo.tools import mute_logger

from odoo.addons.student_loan.tests.common import make_id_number

from .common import PASSWORD_A, StudentLoanPortalCase


@tagged("post_install", "-at_install")
class TestRegister(StudentLoanPortalCase):
    """Registration proved by an SMS code, password reset by SMS code, and nothing to probe."""

    def _form(self, **overrides):
        values = {
            "centre_id": str(self.county.id),
            "name": "孙小美",
            "id_number": make_id_number(serial=901),
            "mobile": "13800000009",
            "email": "sun@example.com",
            "household_address": "河南省周口市商水县城关乡解放路1号",
            "consent": "1",
        }
        values.update(overrides)
        return values

    def _account(self, **overrides):
        values = {"login_with": "mobile", "password": "a-good-password", "password_confirm": "a-good-password"}
        values.update(overrides)
        return values

    def web_login(self, login, password):
        """Log in through the login page, as a person does; whether it worked."""
        self.authenticate(None, None)
        response = self.post("/web/login", {"login": login, "password": password}, allow_redirects=False)
        return response.status_code == 303 and "/web/login" not in response.headers["Location"]

    def _follow_login(self, response):
        """The login rotated the session: keep only the cookie the server set, as a browser does."""
        sid = response.cookies["session_id"]
        self.opener.cookies.clear()
        self.opener.cookies["session_id"] = sid
        self.opener.cookies[TEST_CURSOR_COOKIE_NAME] = self.http_request_key
        self.session = http.root.session_store.get(sid)
        return self.url_open(response.headers["Location"])

    def _register(self, code=None, account=None, **overrides):
        """Step 1 (identity: a code to the mobile), then step 2 (the code, login and password)."""
        self.authenticate(None, None)
        form = self._form(**overrides)
        response = self.post("/my/loans/register", form)
        if "/my/loans/register/verify" not in response.url:
            return response
        if code is None:
            code = self.last_code("register", form["mobile"])
        response = self.post(
            "/my/loans/register/verify", dict(self._account(**(account or {})), code=code), allow_redirects=False
        )
        if response.status_code != 303:
            return response
        return self._follow_login(response)

    def test_page_is_public_with_centre_pickers(self):
        self.authenticate(None, None)
        response = self.url_open("/my/loans/register")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_sl_register_form", response.text)
        self.assertIn("商水县", response.text)
        self.assertIn("巩义市", response.text)
        login = self.url_open("/web/login").text
        self.assertIn("/my/loans/register", login)
        self.assertIn("/my/loans/reset", login)
        self.assertIn("Mobile number or ID number", login)

    def test_register_creates_student_and_account_and_logs_in(self):
        response = self._register()
        self.assertEqual(response.status_code, 200)
        self.assertIn("/my/loans/new", response.url)
        self.assertIn("Your account is ready", response.text)
        self.env.invalidate_all()
        student = self.env["student.loan.student"].sudo().search([("mobile", "=", "13800000009")])
        self.assertEqual(student.name, "孙小美")
        self.assertEqual(student.centre_id, self.county)
        user = student.user_id
        self.assertEqual(user.login, "13800000009")
        self.assertEqual(user.partner_id, student.partner_id)
        self.assertTrue(user.has_group("base.group_portal"))
        self.assertFalse(user.has_group("base.group_user"))
        self.assertIn("accepted the terms", student.message_ids[:1].body)
        self.assertIn("Apply now", self.url_open("/my/loans").text)
        # the code is stored as a keyed hash only, and used once
        otp = self.env["student.loan.portal.otp"].sudo().search([("mobile", "=", "13800000009")])
        self.assertEqual(otp.state, "used")
        self.assertNotIn(self.last_code("register"), str(otp.read()[0].values()))

    def test_wrong_code_creates_nothing(self):
        response = self._register(code="abcdef")
        self.assertIn("wrong or has expired", response.text)
        self.assertFalse(self.env["student.loan.student"].sudo().search([("mobile", "=", "13800000009")]))

    def test_expired_code_refused(self):
        self.authenticate(None, None)
        self.post("/my/loans/register", self._form())
        code = self.last_code("register")
        with freeze_time(fields.Datetime.now() + timedelta(minutes=11)):
            response = self.post("/my/loans/register/verify", dict(self._account(), code=code))
        self.assertIn("wrong or has expired", response.text)
        self.assertFalse(self.env["student.loan.student"].sudo().search([("mobile", "=", "13800000009")]))

    def test_register_with_id_number_login_and_log_in_with_either(self):
        number = make_id_number(serial=902)
        self._register(id_number=number.lower(), account={"login_with": "id_number"})
        self.env.invalidate_all()
        student = self.env["student.loan.student"].sudo().search([("id_number", "=", number.upper())])
        self.assertEqual(student.user_id.login, number.upper())
        # the login page accepts the mobile too, and the ID number with a small x
        for login in ("13800000009", number.lower()):
            with self.subTest(login=login):
                self.assertTrue(self.web_login(login, "a-good-password"))
        self.assertFalse(self.web_login("13800000009", "a-wrong-password"))

    def test_register_direct_county(self):
        self._register(centre_id=str(self.direct_county.id))
        self.env.invalidate_all()
        student = self.env["student.loan.student"].sudo().search([("mobile", "=", "13800000009")])
        self.assertEqual(student.centre_id, self.direct_county)

    def test_register_errors(self):
        Student = self.env["student.loan.student"].sudo()
        count = Student.search_count([])
        valid = make_id_number(serial=903)
        cases = [
            ({"name": ""}, {}, "Some fields are missing"),
            ({"id_number": valid[:-1] + ("1" if valid[-1] != "1" else "2")}, {}, "wrong check digit"),
            ({"id_number": "12345"}, {}, "must have 18 characters"),
            ({"mobile": "010-62345678"}, {}, "mobile"),
            ({"email": "not-an-email"}, {}, "not a valid e-mail"),
            ({"consent": ""}, {}, "accept the terms"),
            ({"centre_id": str(self.city.id)}, {}, "Choose your home aid centre"),
            ({"centre_id": "999999"}, {}, "Choose your home aid centre"),
            ({"centre_id": "abc"}, {}, "Choose your home aid centre"),
            ({"mobile": "13800000011"}, {"password": "short", "password_confirm": "short"}, "at least 8 characters"),
            ({"mobile": "13800000012"}, {"password_confirm": "something-else"}, "not the same"),
            ({"mobile": "13800000013"}, {"login_with": "email"}, "Choose how you log in"),
        ]
        for index, (overrides, account, message) in enumerate(cases):
            with self.subTest(overrides=overrides, account=account):
                number = make_id_number(serial=940 + index)
                response = self._register(account=account, **{"id_number": number, **overrides})
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
                self.assertNotIn('name="password" value', response.text, "passwords are not sent back")
        self.env.invalidate_all()
        self.assertEqual(Student.search_count([]), count, "nothing stored")

    def test_id_registered_with_another_centre_told_after_the_code(self):
        """R11, without probing: the answer to step 1 is the same; the centre is named only after
        the code sent to the mobile is verified."""
        number = make_id_number(serial=904)
        self.create_student(user=self.handler, id_number=number, mobile="13900000004", name="周某某")
        typed = f"{number[:6]} {number[6:14]} {number[14:].lower()}"
        self.authenticate(None, None)
        first = self.post("/my/loans/register", self._form(id_number=typed, centre_id=str(self.county_b.id)))
        self.assertIn("/my/loans/register/verify", first.url)
        self.assertNotIn("商水县", first.text)
        response = self.post("/my/loans/register/verify", dict(self._account(), code=self.last_code("register")))
        self.assertIn("o_sl_already_registered", response.text)
        self.assertIn("already registered with <strong>商水县", response.text)
        self.assertIn("contact that aid centre", response.text)
        self.assertNotIn("周某某", response.text, "not told whose number it is")

    def test_mobile_login_taken_by_a_sibling(self):
        response = self._register(mobile=self.user_a.login)
        self.assertIn("already used to log in", response.text)
        self.assertIn("ID number instead", response.text)
        # the code is verified already: choosing the ID number login is enough
        response = self.post("/my/loans/register/verify", self._account(login_with="id_number"), allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/my/loans/new", response.headers["Location"])

    def test_logged_in_user_is_sent_to_the_loans(self):
        self.login_a()
        response = self.url_open("/my/loans/register")
        self.assertTrue(response.url.endswith("/my/loans"), response.url)

    # ------------------------------------------------------------------
    # Nothing to probe
    # ------------------------------------------------------------------

    @staticmethod
    def _normalize(text):
        """The page without what changes at every request (CSRF tokens)."""
        return re.sub(r"[0-9a-f]{40}o[0-9]+", "CSRF", text)

    def _step1_answer(self, **overrides):
        self.authenticate(None, None)
        response = self.post("/my/loans/register", self._form(**overrides))
        return response.url, response.text.replace(overrides.get("mobile", ""), "").replace(
            overrides.get("mobile", "")[-4:], ""
        )

    def test_same_answer_for_registered_and_unregistered_ids_and_mobiles(self):
        registered = {"id_number": self.student_a.id_number, "mobile": self.student_a.mobile}
        fresh = {"id_number": make_id_number(serial=905), "mobile": "13800000055"}
        url_known, text_known = self._step1_answer(**registered)
        url_new, text_new = self._step1_answer(**fresh)
        self.assertEqual(url_known, url_new)
        self.assertEqual(self._normalize(text_known), self._normalize(text_new))
        # the ID number of student B with a new mobile: same again
        url_b, _text = self._step1_answer(id_number=self.student_b.id_number, mobile="13800000056")
        self.assertEqual(url_b, url_new)

    def test_register_throttled_per_mobile_id_and_ip(self):
        Param = self.env["ir.config_parameter"].sudo()
        Param.set_param("student_loan_portal.otp_resend_seconds", "0")
        Param.set_param("student_loan_portal.otp_per_ip_per_hour", "4")
        number = make_id_number(serial=906)
        answers = []
        for i in range(5):
            self.authenticate(None, None)
            response = self.post(
                "/my/loans/register", self._form(id_number=make_id_number(serial=920 + i), mobile=f"1380000020{i}")
            )
            answers.append("Too many codes" in response.text)
        self.assertEqual(answers, [False, False, False, False, True], "per IP")
        Param.set_param("student_loan_portal.otp_per_ip_per_hour", "100")
        answers = []
        for i in range(6):
            self.authenticate(None, None)
            response = self.post("/my/loans/register", self._form(id_number=number, mobile=f"1380000030{i}"))
            answers.append("Too many codes" in response.text)
        self.assertEqual(answers, [False] * 5 + [True], "per ID number")
        answers = []
        for i in range(6):
            self.authenticate(None, None)
            response = self.post(
                "/my/loans/register", self._form(id_number=make_id_number(serial=930 + i), mobile="13800000400")
            )
            answers.append("Too many codes" in response.text)
        self.assertEqual(answers, [False] * 5 + [True], "per mobile")
        # an hour later it works again
        with freeze_time(fields.Datetime.now() + timedelta(hours=1, minutes=1)):
            self.authenticate(None, None)
            response = self.post("/my/loans/register", self._form(id_number=number, mobile="13800000401"))
            self.assertIn("/my/loans/register/verify", response.url)

    def test_resend_waits(self):
        self.authenticate(None, None)
        self.post("/my/loans/register", self._form())
        response = self.post("/my/loans/register", self._form())
        self.assertIn("wait before asking again", response.text)

    # ------------------------------------------------------------------
    # Password reset by SMS code
    # ------------------------------------------------------------------

    def test_reset_password_by_sms(self):
        self.authenticate(None, None)
        response = self.post("/my/loans/reset", {"login": self.user_a.login})
        self.assertIn("/my/loans/reset/verify", response.url)
        code = self.last_code("reset", self.student_a.mobile)
        response = self.post(
            "/my/loans/reset/verify", {"code": code, "password": "new-password-1", "password_confirm": "new-password-1"}
        )
        self.assertIn("o_sl_reset_done", response.text)
        self.assertTrue(self.web_login(self.user_a.login, "new-password-1"))
        self.assertFalse(self.web_login(self.user_a.login, PASSWORD_A))
        # the code was used: it does not work twice
        self.authenticate(None, None)
        self.post("/my/loans/reset", {"login": self.student_b.id_number})
        response = self.post(
            "/my/loans/reset/verify", {"code": code, "password": "other-password", "password_confirm": "other-password"}
        )
        self.assertIn("wrong or has expired", response.text)

    def test_reset_same_answer_for_known_and_unknown_logins(self):
        answers = {}
        for login in (self.user_a.login, "13811112222", self.student_b.id_number, make_id_number(serial=907), "nobody"):
            self.authenticate(None, None)
            response = self.post("/my/loans/reset", {"login": login})
            answers[login] = (response.url, self._normalize(response.text))
        self.assertEqual(len(set(answers.values())), 1, answers.keys())
        self.assertEqual({c[0] for c in self.sent_codes}, {"reset"})
        self.assertEqual(len(self.sent_codes), 2, "only the two known logins got a code")
        # an unknown login: any code is "wrong or expired", exactly as for a known one
        response = self.post(
            "/my/loans/reset/verify", {"code": "123456", "password": "whatever-1", "password_confirm": "whatever-1"}
        )
        self.assertIn("wrong or has expired", response.text)

    def test_reset_throttled_for_known_and_unknown_logins_alike(self):
        self.env["ir.config_parameter"].sudo().set_param("student_loan_portal.otp_resend_seconds", "0")
        for login in (self.user_a.login, "13811113333"):
            answers = []
            for _i in range(6):
                self.authenticate(None, None)
                answers.append("Too many codes" in self.post("/my/loans/reset", {"login": login}).text)
            self.assertEqual(answers, [False] * 5 + [True], login)

    def test_web_reset_password_goes_to_sms(self):
        self.authenticate(None, None)
        response = self.url_open("/web/reset_password")
        self.assertTrue(response.url.endswith("/my/loans/reset"), response.url)

    # ------------------------------------------------------------------
    # Odoo's open sign-up is closed
    # ------------------------------------------------------------------

    @mute_logger("odoo.http")
    def test_web_signup_closed(self):
        Param = self.env["ir.config_parameter"].sudo()
        self.assertEqual(Param.get_param("auth_signup.invitation_scope"), "b2b")
        self.authenticate(None, None)
        self.assertEqual(self.url_open("/web/signup").status_code, 404)
        # even if an administrator opens b2c sign-up again, the route refuses
        Param.set_param("auth_signup.invitation_scope", "b2c")
        self.assertEqual(self.url_open("/web/signup").status_code, 404)
        response = self.post(
            "/web/signup",
            {"login": "13800000099", "name": "X", "password": "pw-12345678", "confirm_password": "pw-12345678"},
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.env["res.users"].sudo().search([("login", "=", "13800000099")]))
        self.assertNotIn("/web/signup", self.url_open("/web/login").text)
