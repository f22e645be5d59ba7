from odoo.tests import tagged

from .common import StudentLoanPortalCase, make_photo


@tagged("post_install", "-at_install")
class TestAttachments(StudentLoanPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.application = cls.portal_application(cls.student_a, attachments=False)
        cls.url = f"/my/loans/{cls.application.id}/attachments"

    def upload(self, content, type_code="student_id_card", filename="id.jpg", mimetype="image/jpeg"):
        type_id = str(self.types[type_code].id) if type_code else ""
        return self.post(self.url, {"type_id": type_id}, files={"file": (filename, content, mimetype)})

    def test_page_lists_what_is_missing(self):
        self.login_a()
        page = self.url_open(self.url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_sl_upload_form", page.text)
        # first loan: 2+2
        self.assertIn("0/2", page.text)
        self.assertIn("Still missing", page.text)
        self.assertIn("ID cards: 0 of 2", page.text)

    def test_upload_photos_until_complete(self):
        self.login_a()
        for code in ("student_id_card", "coborrower_id_card", "admission_notice"):
            response = self.upload(self.photo, code, f"{code}.jpg")
            self.assertIn("Uploaded", response.text)
        response = self.upload(make_photo(fmt="PNG"), "application_form", "form.png", "image/png")
        self.assertIn("The attachments are complete", response.text)
        self.env.invalidate_all()
        self.assertEqual(len(self.application.attachment_ids), 4)
        self.assertFalse(self.application._get_missing_attachments())
        attachment = self.application.attachment_ids.filtered(lambda att: att.type_id.code == "student_id_card")
        self.assertEqual(attachment.mimetype, "image/jpeg")
        self.assertEqual(attachment.file_name, "student_id_card.jpg")

    def test_upload_pdf(self):
        self.login_a()
        pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        response = self.upload(pdf, "admission_notice", "notice.pdf", "application/pdf")
        self.assertIn("Uploaded", response.text)
        self.env.invalidate_all()
        self.assertEqual(self.application.attachment_ids.mimetype, "application/pdf")

    def test_refused_uploads(self):
        self.env["ir.config_parameter"].sudo().set_param("student_loan_portal.max_upload_mb", "0.2")
        self.login_a()
        big_pdf = b"%PDF-1.4\n" + b"0" * 300_000
        cases = [
            (make_photo(300, 200), "student_id_card", "too small to read"),
            (make_photo(blur=6), "student_id_card", "too blurred to read"),
            (b"just some text, not a photo", "student_id_card", "Only photos (JPEG, PNG) or PDF"),
            (big_pdf, "admission_notice", "The file is too large: at most 205 KB"),
            (make_photo(), None, "Choose what the file is"),
            (b"", "student_id_card", "Choose a file"),
            (b"\x89PNG\r\n\x1a\n" + b"broken" * 20, "student_id_card", "could not be read"),
        ]
        for content, code, message in cases:
            with self.subTest(message=message):
                response = self.upload(content, code)
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
        self.env.invalidate_all()
        self.assertFalse(self.application.attachment_ids, "nothing stored")

    def test_no_file_field(self):
        self.login_a()
        response = self.post(self.url, {"type_id": str(self.types["student_id_card"].id)})
        self.assertIn("Choose a file to upload", response.text)

    def test_delete_and_download(self):
        self.login_a()
        self.upload(self.photo)
        self.env.invalidate_all()
        attachment = self.application.attachment_ids
        download = self.url_open(f"{self.url}/{attachment.id}")
        self.assertEqual(download.status_code, 200)
        self.assertEqual(download.content, self.photo)
        self.assertEqual(download.headers["Content-Type"], "image/jpeg")
        response = self.post(f"{self.url}/{attachment.id}/delete")
        self.assertIn("Deleted", response.text)
        self.env.invalidate_all()
        self.assertFalse(attachment.exists())

    def test_locked_once_submitted(self):
        application = self.portal_application(self.student_b, signed=True, submitted=True)
        attachment = application.attachment_ids[:1]
        self.login_b()
        url = f"/my/loans/{application.id}/attachments"
        page = self.url_open(url)
        self.assertNotIn("o_sl_upload_form", page.text)
        response = self.post(
            url, {"type_id": str(self.types["student_card"].id)}, files={"file": ("card.jpg", self.photo, "image/jpeg")}
        )
        self.assertIn("under review", response.text)
        response = self.post(f"{url}/{attachment.id}/delete")
        self.assertIn("under review", response.text)
        self.env.invalidate_all()
        self.assertTrue(attachment.exists())
        self.assertEqual(len(application.attachment_ids), 4)

    def test_illegible_flag_shown(self):
        """The handler marks an attachment illegible: the student sees it and what is missing."""
        self.attach_required(self.application)
        self.application.attachment_ids[:1].write({"legible": False, "note": "反光看不清"})
        self.login_a()
        page = self.url_open(self.url)
        self.assertIn("illegible: upload again", page.text)
        self.assertIn("反光看不清", page.text)
        self.assertIn("Still missing", page.text)
