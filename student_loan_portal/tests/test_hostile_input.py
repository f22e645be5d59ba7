"""Hostile input through the student portal (scripts in names, PDFs carrying JavaScript); the
core's own hostile-input tests are in student_loan/tests/test_hostile_input.py."""

from odoo import fields, http
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.student_loan.models.student_loan_application import current_academic_year
from odoo.addons.student_loan.tests.common import StudentLoanCase, make_id_number
from odoo.addons.student_loan.tests.test_hostile_input import SCRIPT, pdf

PASSWORD_HOSTILE = "hostile-student-secret"


@tagged("post_install", "-at_install")
class TestPortalHostile(HttpCase, StudentLoanCase):
    """Through the student portal: a student named with a script sees it escaped, and a PDF carrying
    JavaScript is refused by the upload form."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.year = current_academic_year(fields.Date.today())
        vals = cls._student_vals(name=SCRIPT, mobile="13800000099", id_number=make_id_number(serial=799))
        cls.student = (
            cls.env["student.loan.student"].sudo()._portal_register(vals, "mobile", PASSWORD_HOSTILE, lang="en_US")
        )
        cls.student.write({"third_party_name": SCRIPT})
        cls.application = cls.create_application(cls.student, academic_year=cls.year, eligibility_unit=SCRIPT)

    def setUp(self):
        super().setUp()
        self.authenticate(self.student.user_id.login, PASSWORD_HOSTILE)

    def assertEscapedPage(self, url):  # noqa: N802
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        self.assertNotIn('<script>alert("xss")', response.text, url)
        self.assertNotIn("<img src=x onerror", response.text, url)
        self.assertIn("&lt;script&gt;alert(", response.text, f"{url} does not show the name")

    def test_script_in_free_text_is_escaped(self):
        self.assertEscapedPage("/my/loans")
        self.assertEscapedPage(f"/my/loans/{self.application.id}")

    @mute_logger("odoo.http")
    def test_pdf_with_javascript_is_refused_by_the_upload_form(self):
        evil = pdf(b"<< /Type /Catalog /OpenAction 2 0 R >>", b"<< /S /JavaScript /JS (app.alert(1)) >>")
        response = self.url_open(
            f"/my/loans/{self.application.id}/attachments",
            data={
                "type_id": str(self.env.ref("student_loan.attachment_type_admission_notice").id),
                "csrf_token": http.Request.csrf_token(self),
            },
            files={"file": ("admission.pdf", evil, "application/pdf")},
        )
        self.assertEqual(response.status_code, 200)
        self.assertRegex(response.text, "scripts, actions or embedded files|包含脚本、动作或嵌入文件")
        self.application.invalidate_recordset()
        self.assertFalse(self.application.attachment_ids, "nothing stored")
