from odoo.tests import tagged

from .common import StudentLoanPortalCase


@tagged("post_install", "-at_install", "is_tour")
class TestPortalTour(StudentLoanPortalCase):
    """In Chromium at phone size: register, apply, upload, sign and submit; a supervisor approves in
    the backend; the student sees the new state."""

    browser_size = "390x844"
    touch_enabled = True

    def test_register_apply_sign_submit_then_approved(self):
        self.start_tour("/my/loans/register", "student_loan_portal_apply", timeout=180)
        self.env.invalidate_all()
        student = self.env["student.loan.student"].sudo().search([("mobile", "=", "13800000077")])
        self.assertEqual(student.centre_id, self.county)
        self.assertEqual(student.user_id.login, "13800000077")
        application = student.application_ids
        self.assertEqual(application.state, "submitted")
        self.assertEqual(application.loan_kind, "first")
        self.assertEqual(application.approved_amount, 6200)
        self.assertEqual(len(application.attachment_ids), 4)
        contract = application.contract_id
        self.assertEqual(contract.state, "signed")
        self.assertTrue(contract.signature and contract.coborrower_signature)

        # the aid centre: the handler checks, a supervisor approves (复核/同意)
        application.sudo().eligibility_stamped = True
        self.pass_manual_checks(application.sudo())
        application.with_user(self.handler).action_check()
        application.with_user(self.supervisor).action_approve()
        self.assertEqual(application.state, "approved")

        self.start_tour("/my/loans", "student_loan_portal_follow", login=student.user_id.login)
