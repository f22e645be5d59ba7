import re

from odoo.tests import tagged

from .common import StudentLoanPortalCase


@tagged("post_install", "-at_install")
class TestStudentPortalPages(StudentLoanPortalCase):
    """The portal as a Chinese student expects it: their own details, the centre's name and logo,
    the application form to download, the document type kept, no MIME types in errors."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.application = cls.portal_application(cls.student_a, attachments=False)

    def test_my_account_shows_what_the_student_owns(self):
        self.login_a()
        page = self.url_open("/my/account")
        self.assertIn("o_sl_student_account", page.text)
        self.assertIn(self.student_a.id_number_masked, page.text)
        self.assertIn("商水县", page.text)
        for odoo_field in ('name="company_name"', 'name="vat"', 'name="country_id"', 'name="state_id"'):
            self.assertNotIn(odoo_field, page.text)
        response = self.post("/my/account", {"email": "wxm@example.com", "home_address": "河南省周口市商水县1号"})
        self.assertIn("o_sl_success", response.text)
        self.env.invalidate_all()
        self.assertEqual(self.student_a.email, "wxm@example.com")
        response = self.post("/my/account", {"email": "not an e-mail"})
        self.assertIn("o_sl_errors", response.text)

    def test_no_account_deletion_while_a_loan_exists(self):
        self.login_a()
        page = self.url_open("/my/security")
        self.assertNotIn("portal_deactivate_account", page.text)
        response = self.post(
            "/my/deactivate_account", {"validation": self.user_a.login, "password": "student-a-secret"}
        )
        self.assertTrue(response.url.endswith("/my/security"), response.url)
        self.env.invalidate_all()
        self.assertTrue(self.user_a.active)
        # a student without any application may delete the account
        self.login_b()
        self.assertIn("portal_deactivate_account", self.url_open("/my/security").text)

    def test_title_and_logo_are_the_centres(self):
        self.authenticate(None, None)
        for url in ("/web/login", "/my/loans/register"):
            with self.subTest(url=url):
                page = self.url_open(url).text
                title = re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()
                self.assertNotEqual(title, "Odoo")
                self.assertEqual(title, self.env.company.name)
                self.assertNotIn("Powered by", page)
        company = self.env.company
        self.assertTrue(company.logo)
        self.assertNotEqual(company.logo, company._get_logo(), "not Odoo's 'Your logo' placeholder")

    def test_application_form_to_download(self):
        self.login_a()
        page = self.url_open(f"/my/loans/{self.application.id}/attachments")
        self.assertIn(f"/my/loans/{self.application.id}/application-form", page.text)
        response = self.url_open(f"/my/loans/{self.application.id}/application-form?report_type=html")
        self.assertEqual(response.status_code, 200)
        self.assertIn("王小明", response.content.decode())
        self.login_b()
        response = self.url_open(f"/my/loans/{self.application.id}/application-form?report_type=html")
        self.assertNotIn("王小明", response.content.decode())

    def test_refused_upload_keeps_the_type_and_names_no_mime_type(self):
        self.login_a()
        type_id = self.types["admission_notice"].id
        response = self.post(
            f"/my/loans/{self.application.id}/attachments",
            {"type_id": str(type_id)},
            files={"file": ("notice.docx", b"PK\x03\x04 a word document", "application/msword")},
        )
        self.assertIn("o_sl_upload_error", response.text)
        self.assertRegex(response.text, rf'<option value="{type_id}"[^>]*selected')
        error = re.search(r'o_sl_upload_error" role="alert">(.*?)</div>', response.text, re.S).group(1)
        self.assertNotRegex(error, r"(application|image|text)/[a-z]")
