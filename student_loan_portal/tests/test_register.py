from odoo import http
from odoo.tests import tagged
from odoo.tests.common import TEST_CURSOR_COOKIE_NAME

from odoo.addons.student_loan.tests.common import make_id_number

from .common import StudentLoanPortalCase


@tagged("post_install", "-at_install")
class TestRegister(StudentLoanPortalCase):
    def _form(self, **overrides):
        values = {
            "centre_id": str(self.county.id),
            "name": "孙小美",
            "id_number": make_id_number(serial=901),
            "mobile": "13800000009",
            "email": "sun@example.com",
            "household_address": "河南省周口市商水县城关乡解放路1号",
            "login_with": "mobile",
            "password": "a-good-password",
            "password_confirm": "a-good-password",
            "consent": "1",
        }
        values.update(overrides)
        return values

    def _register(self, **overrides):
        self.authenticate(None, None)
        response = self.post("/my/loans/register", self._form(**overrides), allow_redirects=False)
        if response.status_code != 303:
            return response
        # the login rotated the session: keep only the cookie the server set, as a browser does
        sid = response.cookies["session_id"]
        self.opener.cookies.clear()
        self.opener.cookies["session_id"] = sid
        self.opener.cookies[TEST_CURSOR_COOKIE_NAME] = self.http_request_key
        self.session = http.root.session_store.get(sid)
        return self.url_open(response.headers["Location"])

    def test_page_is_public_with_centre_pickers(self):
        self.authenticate(None, None)
        response = self.url_open("/my/loans/register")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_sl_register_form", response.text)
        # the province → city → county tree is in the page: 商水县 under 周口市, 巩义市 under the province
        self.assertIn("商水县", response.text)
        self.assertIn("巩义市", response.text)
        # and the login page links to it
        self.assertIn("/my/loans/register", self.url_open("/web/login").text)

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
        self.assertTrue(user)
        self.assertEqual(user.login, "13800000009")
        self.assertEqual(user.partner_id, student.partner_id)
        self.assertTrue(user.has_group("base.group_portal"))
        self.assertFalse(user.has_group("base.group_user"))
        self.assertIn("accepted the terms", student.message_ids[:1].body)
        # logged in: the student's pages open
        page = self.url_open("/my/loans")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Apply now", page.text)

    def test_register_with_id_number_login(self):
        number = make_id_number(serial=902)
        self._register(login_with="id_number", id_number=number.lower())
        self.env.invalidate_all()
        student = self.env["student.loan.student"].sudo().search([("id_number", "=", number.upper())])
        self.assertEqual(student.user_id.login, number.upper())

    def test_register_direct_county(self):
        """A directly-managed county (巩义市) has no county below it: it is itself the home centre."""
        self._register(centre_id=str(self.direct_county.id))
        self.env.invalidate_all()
        student = self.env["student.loan.student"].sudo().search([("mobile", "=", "13800000009")])
        self.assertEqual(student.centre_id, self.direct_county)

    def test_register_errors(self):
        Student = self.env["student.loan.student"].sudo()
        count = Student.search_count([])
        valid = make_id_number(serial=903)
        cases = [
            ({"name": ""}, "Some fields are missing"),
            ({"id_number": valid[:-1] + ("1" if valid[-1] != "1" else "2")}, "wrong check digit"),
            ({"id_number": "12345"}, "must have 18 characters"),
            ({"mobile": "010-62345678"}, "mobile"),
            ({"email": "not-an-email"}, "not a valid e-mail"),
            ({"password": "short", "password_confirm": "short"}, "at least 8 characters"),
            ({"password_confirm": "something-else"}, "not the same"),
            ({"consent": ""}, "accept the terms"),
            ({"centre_id": str(self.city.id)}, "Choose your home aid centre"),
            ({"centre_id": "999999"}, "Choose your home aid centre"),
            ({"centre_id": "abc"}, "Choose your home aid centre"),
            ({"login_with": "email"}, "Choose how you log in"),
        ]
        for overrides, message in cases:
            with self.subTest(overrides=overrides):
                response = self._register(**overrides)
                self.assertEqual(response.status_code, 200)
                self.assertIn("o_sl_register_form", response.text)
                self.assertIn(message, response.text)
                self.assertNotIn('name="password" value', response.text, "passwords are not sent back")
        self.env.invalidate_all()
        self.assertEqual(Student.search_count([]), count, "nothing stored")
        self.assertFalse(self.env["res.users"].sudo().search([("login", "=", "13800000009")]))

    def test_id_registered_with_another_centre(self):
        """R11: the student is told which centre holds the registration."""
        number = make_id_number(serial=904)
        self.create_student(user=self.handler, id_number=number, mobile="13900000004", name="周某某")
        # typed with spaces and a small x: normalised by the core's validation first
        typed = f"{number[:6]} {number[6:14]} {number[14:].lower()}"
        response = self._register(id_number=typed, centre_id=str(self.county_b.id))
        self.assertIn("already registered with 商水县", response.text)
        self.assertIn("contact that aid centre", response.text)
        self.assertNotIn("周某某", response.text, "an anonymous visitor is not told whose number it is")

    def test_mobile_login_taken_by_a_sibling(self):
        response = self._register(mobile=self.user_a.login)
        self.assertIn("already used to log in", response.text)
        self.assertIn("ID number instead", response.text)
        response = self._register(mobile=self.user_a.login, login_with="id_number")
        self.assertIn("/my/loans/new", response.url)

    def test_logged_in_user_is_sent_to_the_loans(self):
        self.login_a()
        response = self.url_open("/my/loans/register")
        self.assertTrue(response.url.endswith("/my/loans"), response.url)
