import re

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import StudentLoanCase


@tagged("post_install", "-at_install")
class TestDocumentCheck(StudentLoanCase):
    """R6: every point of the document check blocks the approval."""

    def test_each_check_blocks_approval(self):
        application = self.make_checked_application()
        items = application.check_line_ids.item_id
        self.assertEqual(
            set(items.mapped("code")),
            {
                "address",
                "eligibility_unit",
                "contact",
                "third_party",
                "review_stamp",
                "id_copies",
                "admission_doc",
                "signature",
                "coborrower_address",
                "education_match",
                "actual_amount",
                "attachments",
            },
        )
        for line in application.check_line_ids:
            with self.subTest(check=line.item_id.code):
                line.sudo().write({"result": "failed", "reason": "不符合"})
                with self.assertRaisesRegex(UserError, re.escape(line.item_id.name)):
                    application.with_user(self.supervisor).action_approve()
                self.assertEqual(application.state, "checked")
                line.sudo().write({"result": "passed", "reason": False})
        application.with_user(self.supervisor).action_approve()
        self.assertEqual(application.state, "approved")

    def test_automatic_checks_follow_the_data(self):
        """Data that changes after the handler's check still blocks the supervisor."""
        cases = {
            "address": lambda app: app.student_id.write({"home_address": False}),
            "contact": lambda app: app.student_id.write({"email": False}),
            "third_party": lambda app: app.student_id.write({"third_party_phone": False}),
            "coborrower_address": lambda app: app.coborrower_id.write({"address": "河南省"}),
            "attachments": lambda app: app.attachment_ids[:1].write({"legible": False}),
            "id_copies": lambda app: app.attachment_ids.filtered(
                lambda att: att.type_id.code == "coborrower_id_card"
            ).unlink(),
        }
        for code, break_it in cases.items():
            with self.subTest(check=code):
                application = self.make_checked_application()
                break_it(application.sudo())
                item = self.env["student.loan.check.item"].search([("code", "=", code)])
                with self.assertRaisesRegex(UserError, re.escape(item.name)):
                    application.with_user(self.supervisor).action_approve()
                self.assertEqual(application.state, "checked")

    def test_auto_checks_at_submission(self):
        student = self.create_student(user=self.handler, third_party_name=False, email=False)
        student.coborrower_ids.write({"address": "周口"})
        application = self.create_application(student, user=self.handler, eligibility_stamped=False)
        application.action_submit()
        failed = application.check_line_ids.filtered(lambda line: line.result == "failed")
        self.assertEqual(
            set(failed.item_id.mapped("code")),
            {
                "contact",
                "third_party",
                "review_stamp",
                "id_copies",
                "admission_doc",
                "coborrower_address",
                "attachments",
            },
        )
        self.assertTrue(all(failed.mapped("reason")))
        # a failed line needs its reason; the handler can return the application to the student
        manual = application.check_line_ids.filtered(lambda line: line.item_id.code == "education_match")
        with self.assertRaisesRegex(Exception, "reason"):
            manual.write({"result": "failed", "reason": False})
        application._return("请补充第三方联系人和邮箱")
        self.assertEqual(application.state, "returned")
        self.assertEqual(application.returned_by, "handler")

    def test_attachment_types_and_size(self):
        from .common import PDF

        application = self.create_application(self.create_student(user=self.handler), user=self.handler)
        Attachment = self.env["student.loan.attachment"].with_user(self.handler)
        type_id = self.env.ref("student_loan.attachment_type_student_id_card").id
        pdf = Attachment.create({"application_id": application.id, "type_id": type_id, "file": PDF})
        self.assertEqual(pdf.mimetype, "application/pdf")
        import base64

        for content, message in [
            (base64.b64encode(b"MZ\x90\x00 not an image"), "Only JPEG, PNG or PDF"),
            (base64.b64encode(b"<svg onload='alert(1)'></svg>"), "Only JPEG, PNG or PDF"),
            (b"!!!not base64!!!", "could not be read"),
        ]:
            with self.subTest(message=message), self.assertRaisesRegex(Exception, message):
                Attachment.create({"application_id": application.id, "type_id": type_id, "file": content})
        self.assertEqual(len(application.attachment_ids), 1)
