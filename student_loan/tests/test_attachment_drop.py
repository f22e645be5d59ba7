"""Several files dropped at once on an application: each becomes an attachment line, its type guessed from
its name and shape, the legibility check shown on the line (Chromium tour, zh_CN)."""

import base64
import io

from PIL import Image, ImageDraw

from odoo.tests import Form, HttpCase, tagged

from .common import PDF, StudentLoanCase


def card_photo(width=856, height=540):
    image = Image.new("RGB", (width, height), (236, 233, 222))
    draw = ImageDraw.Draw(image)
    for y in range(30, height - 30, 40):
        draw.text((20, y), "RESIDENT IDENTITY CARD 410000 2000 0101 ZHANG SAN", fill=(20, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@tagged("post_install", "-at_install")
class TestAttachmentDrop(StudentLoanCase):
    def upload(self, application, name, raw, user=None):
        return (
            self.env["ir.attachment"]
            .with_user(user or self.handler)
            .create({"name": name, "raw": raw, "res_model": application._name, "res_id": application.id})
        )

    def test_dropped_files_become_typed_lines(self):
        application = self.create_application(self.create_student(user=self.handler), user=self.handler)
        card, untold_card = card_photo(), card_photo(860, 545)
        uploads = (
            self.upload(application, "父亲身份证.png", card)
            | self.upload(application, "IMG_0001.png", untold_card)
            | self.upload(application, "scan.pdf", base64.b64decode(PDF))
        )
        application.with_user(self.handler).write({"upload_ids": [(6, 0, uploads.ids)]})
        lines = application.attachment_ids.sorted("id")
        self.assertEqual(lines.type_id.mapped("code"), ["coborrower_id_card", "student_id_card", "admission_notice"])
        self.assertEqual(lines.mapped("file_name"), ["父亲身份证.png", "IMG_0001.png", "scan.pdf"])
        self.assertEqual(lines.mapped("legibility"), ["ok", "ok", "page"])
        self.assertIn("856×540", lines[0].legibility_note)
        self.assertFalse(uploads.exists(), "the dropped files live on the lines only")

    def test_onchange_shows_lines_before_saving(self):
        application = self.create_application(self.create_student(user=self.handler), user=self.handler)
        tiny = base64.b64decode(
            b"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVQIW2P4v5ThPwAG7wKklwQ/bwAAAABJRU5ErkJggg=="
        )
        uploads = self.upload(application, "学生证.png", tiny)
        with Form(application.with_user(self.handler)) as form:
            form.upload_ids.add(uploads)
            self.assertEqual(len(form.attachment_ids), 1, "the dropped file became a line")
            line = form.attachment_ids.edit(0)
            self.assertEqual(line.type_id.code, "student_card")
            self.assertEqual(line.legibility, "too_small")
            self.assertIn("Too small to read", line.legibility_note)
            line.save()
        self.assertEqual(application.attachment_ids.type_id.code, "student_card", "one line, not two")
        self.assertFalse(uploads.exists(), "the dropped copy is removed on saving")

    def test_someone_elses_file_is_not_taken(self):
        application = self.create_application(self.create_student(user=self.handler), user=self.handler)
        foreign = self.upload(application, "学生证.png", card_photo(), user=self.handler2)
        application.with_user(self.handler).write({"upload_ids": [(6, 0, foreign.ids)]})
        self.assertFalse(application.attachment_ids)
        self.assertTrue(foreign.exists())


@tagged("post_install", "-at_install")
class TestAttachmentDropTour(HttpCase, StudentLoanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"].search([("name", "=", "student_loan")])._update_translations(["zh_CN"])
        cls.handler.write({"lang": "zh_CN"})

    def test_drop_two_files_at_once(self):
        application = self.create_application(self.create_student(user=self.handler), user=self.handler)
        self.start_tour(
            f"/odoo/action-student_loan.student_loan_application_action/{application.id}",
            "student_loan_attachment_drop_tour",
            login=self.handler.login,
        )
        lines = application.attachment_ids.sorted("id")
        self.assertEqual(lines.type_id.mapped("code"), ["student_id_card", "admission_notice"])
        self.assertEqual(lines.mapped("legibility"), ["ok", "page"])
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", application._name), ("res_id", "=", application.id), ("res_field", "=", False)]
            ),
            "no file left behind by the drop zone",
        )
