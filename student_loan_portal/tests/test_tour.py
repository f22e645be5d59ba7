from odoo import http
from odoo.tests import tagged

from .common import StudentLoanPortalCase


@tagged("post_install", "-at_install", "is_tour")
class TestPortalTour(StudentLoanPortalCase):
    """In Chromium at phone size: register with the SMS code, apply, upload, sign by hand; the
    co-borrower signs on their own phone (another browser session) with the code sent to their
    mobile; the student submits; a supervisor approves in the backend; the student sees it."""

    browser_size = "390x844"
    touch_enabled = True

    def copy_session(self):
        """A copy of the browser session of the last tour (the next tour goes on in it)."""
        store = http.root.session_store
        copy = store.new()
        copy.update(dict(store.get(self.session.sid)))
        store.save(copy)
        return copy.sid

    def test_register_apply_sign_cosign_submit_then_approved(self):
        self.start_tour("/my/loans/register", "student_loan_portal_register", timeout=120)
        code = self.last_code("register", "13800000077")
        self.start_tour(
            "/my/loans/register/verify",
            "student_loan_portal_apply",
            timeout=180,
            cookies={"session_id": self.copy_session(), "sl_tour_code": code},
        )
        self.env.invalidate_all()
        student = self.env["student.loan.student"].sudo().search([("mobile", "=", "13800000077")])
        self.assertEqual(student.centre_id, self.county)
        self.assertEqual(student.user_id.login, "13800000077")
        application = student.application_ids
        self.assertEqual(application.state, "draft")
        self.assertEqual(application.approved_amount, 6200)
        self.assertEqual(len(application.attachment_ids), 4)
        contract = application.contract_id
        self.assertTrue(contract.signature)
        self.assertFalse(contract.coborrower_signature)

        # the co-borrower's phone: another browser session, the code sent to 13700000077
        link = self.env["student.loan.sign.request"].sudo().search([("contract_id", "=", contract.id)])
        self.assertEqual(link.state, "pending")
        self.start_tour(link._portal_url(), "student_loan_portal_cosign_code", timeout=60)
        code = self.last_code("cosign", "13700000077")
        self.start_tour(link._portal_url(), "student_loan_portal_cosign", timeout=90, cookies={"sl_tour_code": code})
        self.env.invalidate_all()
        self.assertEqual(link.state, "signed")
        self.assertEqual(contract.state, "signed")
        self.assertIn('"signer":"coborrower"', contract.coborrower_signature_strokes)

        # the student submits
        self.start_tour(f"/my/loans/{application.id}/sign", "student_loan_portal_submit", login=student.user_id.login)
        self.env.invalidate_all()
        self.assertEqual(application.state, "submitted")

        # the aid centre: the handler checks, a supervisor approves (复核/同意)
        application.sudo().eligibility_stamped = True
        self.pass_manual_checks(application.sudo())
        application.with_user(self.handler).action_check()
        application.with_user(self.supervisor).action_approve()
        self.assertEqual(application.state, "approved")

        self.start_tour("/my/loans", "student_loan_portal_follow", login=student.user_id.login)
