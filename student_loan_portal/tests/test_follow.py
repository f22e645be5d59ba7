from odoo.tests import JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import StudentLoanPortalCase


@tagged("post_install", "-at_install")
class TestSubmitAndFollow(StudentLoanPortalCase):
    def handler_checks(self, application):
        """The handler's document check, as at the desk."""
        application = application.with_user(self.handler)
        self.pass_manual_checks(application.sudo())
        application.sudo().eligibility_stamped = True
        application.action_check()

    def test_submit_refused_while_incomplete(self):
        application = self.portal_application(self.student_a, attachments=False)
        self.login_a()
        response = self.post(f"/my/loans/{application.id}/submit")
        self.assertIn("Attachments still missing", response.text)
        self.assertIn("The contract is not signed yet", response.text)
        self.env.invalidate_all()
        self.assertEqual(application.state, "draft")

    def test_submit_then_follow_to_approval(self):
        application = self.portal_application(self.student_a, signed=True)
        self.login_a()
        response = self.post(f"/my/loans/{application.id}/submit")
        self.assertIn("message=submitted", response.url)
        self.assertIn("Submitted. The aid centre checks your documents", response.text)
        self.env.invalidate_all()
        self.assertEqual(application.state, "submitted")
        self.assertEqual(application.submitted_by_id, self.user_a)
        # a handler of the student's centre is asked to check
        handler = application.activity_ids.user_id
        self.assertTrue(handler.has_group("student_loan.group_handler"))
        self.assertEqual(handler.loan_centre_id, self.county)
        self.assertIn('data-step="submitted"', response.text)
        self.assertRegex(response.text, r'o_sl_step_current"\s+data-step="checked"')
        # a second submission is refused
        response = self.post(f"/my/loans/{application.id}/submit")
        self.assertIn("already under review", response.text)
        # certificate not yet
        response = self.url_open(f"/my/loans/{application.id}/certificate")
        self.assertIn("available once the application is approved", response.text)

        self.handler_checks(application)
        application.with_user(self.supervisor).action_approve()
        self.env.invalidate_all()
        page = self.url_open(application.access_url)
        self.assertIn("o_sl_certificate", page.text)
        self.assertIn(application.contract_id.receipt_code, page.text)
        self.assertRegex(page.text, r'o_sl_step_done"\s+data-step="approved"')
        # the student is notified in the chatter
        notification = application.message_ids.filtered(lambda msg: self.student_a.partner_id in msg.partner_ids)
        self.assertIn("was approved", notification[:1].body)
        # the acceptance certificate (HTML in test mode, PDF in production)
        certificate = self.url_open(f"/my/loans/{application.id}/certificate")
        self.assertEqual(certificate.status_code, 200)
        self.assertEqual(certificate.headers["Content-Type"], "application/pdf")
        self.assertIn(application.contract_id.receipt_code, certificate.text)
        self.assertIn(self.student_a.name, certificate.text)

        application.with_user(self.supervisor).action_send_to_bank()
        application.with_user(self.bank).action_bank_confirm()
        self.env.invalidate_all()
        page = self.url_open(application.access_url)
        self.assertIn("Loan confirmed", page.text)
        self.assertNotIn("o_sl_step_current", page.text)

    def test_returned_then_corrected(self):
        application = self.portal_application(self.student_a, signed=True, submitted=True)
        failed = application.check_line_ids.filtered(lambda line: not line.item_id.auto_check)[:1]
        failed.write({"result": "failed", "reason": "录取通知书照片模糊"})
        application.with_user(self.handler)._return("录取通知书看不清，请重新上传")
        self.env.invalidate_all()
        self.assertEqual(application.state, "returned")
        self.login_a()
        page = self.url_open(application.access_url)
        self.assertIn("Returned for correction", page.text)
        self.assertIn("Returned by the aid centre&#39;s handler", page.text)
        self.assertIn("录取通知书看不清，请重新上传", page.text)
        self.assertIn("录取通知书照片模糊", page.text, "the failed check is in what to fix")
        self.assertIn("o_sl_edit", page.text)
        # the return message reaches the student (chatter, notification)
        returned = application.message_ids.filtered(lambda msg: "录取通知书看不清" in (msg.body or ""))
        self.assertIn(self.student_a.partner_id, returned.partner_ids)
        # corrected and submitted again
        response = self.post(f"/my/loans/{application.id}/submit")
        self.assertIn("message=submitted", response.url)
        self.env.invalidate_all()
        self.assertEqual(application.state, "submitted")

    def test_contracts_pages_and_pdf(self):
        application = self.portal_application(self.student_a, signed=True, submitted=True)
        contract = application.contract_id
        self.login_a()
        page = self.url_open("/my/contracts")
        self.assertIn(contract.name, page.text)
        self.assertIn("Signed", page.text)
        page = self.url_open(contract.access_url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_sl_contract_pdf", page.text)
        self.assertIn("6,200", page.text)
        pdf = self.url_open(f"{contract.access_url}?report_type=pdf&download=1")
        self.assertEqual(pdf.status_code, 200)
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
        self.assertIn("attachment;", pdf.headers["Content-Disposition"])
        # test mode renders the report's HTML: the signatures are in it
        self.assertIn(contract.name, pdf.text)
        self.assertGreaterEqual(pdf.text.count("data:image/png;base64"), 2)
        counters = self.json("/my/counters", {"counters": ["loan_contract_count"]})
        self.assertEqual(counters["loan_contract_count"], 1)

    def test_real_pdf_rendering(self):
        """The contract and the certificate render as PDF with wkhtmltopdf."""
        application = self.portal_application(self.student_a, signed=True, submitted=True)
        self.handler_checks(application)
        application.with_user(self.supervisor).action_approve()
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        for ref, record in [
            ("student_loan.action_report_loan_contract", application.contract_id),
            ("student_loan.action_report_acceptance_certificate", application.contract_id),
        ]:
            with self.subTest(report=ref):
                content, kind = Report._render_qweb_pdf(ref, record.ids)
                self.assertEqual(kind, "pdf")
                self.assertTrue(content.startswith(b"%PDF"))

    def test_notification_link_opens_the_portal(self):
        """The e-mail of a return links the student to the portal page with the record's token."""
        application = self.portal_application(self.student_a, signed=True, submitted=True)
        application.with_user(self.handler)._return("请补充录取通知书")
        mail = self.env["mail.mail"].sudo().search([("recipient_ids", "in", self.student_a.partner_id.ids)])
        mail = mail.filtered(lambda m: "请补充录取通知书" in (m.body_html or ""))
        self.assertTrue(mail)
        token = application.access_token
        self.assertTrue(token)
        self.assertIn(f"access_token={token}", mail.body_html)
        self.login_a()
        response = self.url_open(
            f"/mail/view?model=student.loan.application&res_id={application.id}&access_token={token}"
        )
        self.assertIn(f"/my/loans/{application.id}", response.url)
        self.assertIn("Returned for correction", response.text)

    def test_portal_chatter(self):
        """The student reads the messages of the application in the portal chatter (with its token)."""
        application = self.portal_application(self.student_a)
        application.message_post(
            body="请尽快上传材料",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.student_a.partner_id.ids,
        )
        token = application._portal_ensure_token()
        self.login_a()
        page = self.url_open(application.access_url)
        self.assertIn(f'data-token="{token}"', page.text)
        result = self.json(
            "/mail/chatter_fetch",
            {
                "thread_model": "student.loan.application",
                "thread_id": application.id,
                "token": token,
            },
        )
        self.assertTrue(any("请尽快上传材料" in message["body"] for message in result["data"]["mail.message"]))
        # the student writes to the centre
        self.json(
            "/mail/message/post",
            {
                "thread_model": "student.loan.application",
                "thread_id": application.id,
                "post_data": {"body": "已上传，请查收", "message_type": "comment"},
                "token": token,
            },
        )
        self.env.invalidate_all()
        posted = application.message_ids.filtered(lambda msg: "已上传" in (msg.body or ""))
        self.assertEqual(posted.author_id, self.student_a.partner_id)
        # another student gets nothing, with or without a token
        self.login_b()
        result = self.json(
            "/mail/chatter_fetch",
            {
                "thread_model": "student.loan.application",
                "thread_id": application.id,
            },
        )
        self.assertFalse(result["data"]["mail.message"])
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self.json(
                "/mail/chatter_fetch",
                {
                    "thread_model": "student.loan.application",
                    "thread_id": application.id,
                    "token": "wrong",
                },
            )
