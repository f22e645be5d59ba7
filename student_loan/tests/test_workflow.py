from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import StudentLoanCase, make_id_number


@tagged("post_install", "-at_install")
class TestWorkflow(StudentLoanCase):
    def test_end_to_end_each_role(self):
        """Handler registers and checks, a supervisor approves, the bank confirms."""
        student = self.create_student(user=self.handler)
        application = self.create_application(student, user=self.handler)
        self.assertEqual(application.loan_kind, "first")
        self.assertEqual(application.centre_id, self.county)
        self.assertEqual(application.need_amount, 6200)
        self.assertEqual(application.cap_amount, 20000)
        self.assertEqual(application.approved_amount, 6200)
        self.attach_required(application)
        application.action_submit()
        self.flush_tracking()
        self.assertEqual(application.state, "submitted")
        self.assertEqual(len(application.check_line_ids), 12)
        auto = application.check_line_ids.filtered("auto_check")
        self.assertEqual(set(auto.mapped("result")), {"passed"}, auto.mapped("reason"))
        # the handler is asked to check
        self.assertNextActor(application, "student_loan.group_handler", self.county)

        # not everything checked yet: the handler cannot pass it on
        with self.assertRaisesRegex(UserError, "Check not passed"):
            application.action_check()
        self.pass_manual_checks(application)
        with self.assertRaisesRegex(UserError, "contract is not signed"):
            application.action_check()
        application.action_prepare_contract()
        contract = application.contract_id
        self.assertTrue(contract.name.startswith("411623-2024-"), contract.name)
        self.assertEqual(contract.state, "draft")
        self.assertAlmostEqual(contract.rate, 3.25)
        self.assertEqual(contract.term_years, 4 + 15)
        with self.assertRaisesRegex(UserError, "signatures"):
            contract.action_sign()
        self.sign_contract(application)
        self.assertEqual(contract.state, "signed")
        application.action_check()
        self.flush_tracking()
        self.assertEqual(application.state, "checked")
        self.assertEqual(application.checked_by_id, self.handler)
        self.assertNextActor(application, "student_loan.group_supervisor", self.county)

        # a handler cannot approve; the supervisor approves
        with self.assertRaises(AccessError):
            application.with_user(self.handler2).action_approve()
        application.with_user(self.supervisor).action_approve()
        self.flush_tracking()
        self.assertEqual(application.state, "approved")
        self.assertEqual(contract.state, "approved")
        self.assertEqual(len(contract.receipt_code), 8)
        application.with_user(self.supervisor).action_send_to_bank()
        self.flush_tracking()
        self.assertEqual(application.state, "bank")
        self.assertNextActor(application, "student_loan.group_bank", self.province)
        with self.assertRaises(AccessError):
            application.with_user(self.supervisor).action_bank_confirm()
        application.with_user(self.bank).action_bank_confirm()
        self.flush_tracking()
        self.assertEqual(application.state, "confirmed")
        self.assertEqual(contract.state, "active")
        self.assertTrue(contract.disbursement_date)
        self.assertFalse(application.activity_ids)
        # every transition is in the chatter
        tracked = self.tracked_values(application, "state")
        self.assertEqual(
            set(tracked.mapped("new_value_char")),
            {"Submitted", "Checked", "Approved", "At the Bank", "Confirmed"},
        )

    def test_self_approval_refused(self):
        """A supervisor who prepared the application cannot approve it."""
        application = self.make_checked_application(handler=self.supervisor)
        with self.assertRaisesRegex(UserError, "another supervisor"):
            application.with_user(self.supervisor).action_approve()
        self.assertEqual(application.state, "checked")
        application.with_user(self.supervisor2).action_approve()
        self.assertEqual(application.state, "approved")

    def test_amount_over_cap(self):
        student = self.create_student(user=self.handler)
        with self.assertRaisesRegex(ValidationError, "above the year's cap"):
            self.create_application(student, user=self.handler, tuition=30000, approved_amount=30000)
        application = self.create_application(student, user=self.handler, tuition=30000)
        self.assertEqual(application.requested_amount, 20000, "the requested amount is capped")
        with self.assertRaisesRegex(ValidationError, "above the year's cap"):
            application.approved_amount = 20001
        with self.assertRaisesRegex(ValidationError, "whole number"):
            application.approved_amount = 5000.5
        with self.assertRaisesRegex(ValidationError, "below the minimum"):
            application.approved_amount = 500
        self.assertEqual(application.approved_amount, 20000)

    def test_amount_above_actual_need(self):
        student = self.create_student(user=self.handler)
        application = self.create_application(student, user=self.handler)
        with self.assertRaisesRegex(ValidationError, "actual need"):
            application.approved_amount = 7000

    def test_graduate_cap(self):
        student = self.create_student(
            user=self.handler, education_level="master", study_years=3, school_id=self.graduate_school.id
        )
        application = self.create_application(student, user=self.handler, tuition=24000, accommodation=2000)
        self.assertEqual(application.cap_amount, 25000)
        self.assertEqual(application.approved_amount, 25000)

    def test_missing_attachments_block(self):
        student = self.create_student(user=self.handler)
        application = self.create_application(student, user=self.handler)
        application.action_submit()
        self.pass_manual_checks(application)
        application.action_prepare_contract()
        self.sign_contract(application)
        with self.assertRaisesRegex(UserError, "Attachments incomplete"):
            application.action_check()
        self.assertEqual(application.state, "submitted")
        self.assertIn("0 of 2", application.attachment_missing)

    def test_renewal_held_until_university_review(self):
        """R8: a renewal whose university has not reviewed it is held with advice."""
        first = self.make_confirmed_application()
        student = first.student_id
        renewal = self.create_application(student, user=self.handler, academic_year=2025)
        self.assertEqual(renewal.loan_kind, "renewal")
        self.assertIn("university has not yet reviewed", renewal.hold_reason)
        with self.assertRaisesRegex(UserError, "university has not yet reviewed"):
            renewal.action_submit()
        self.assertEqual(renewal.state, "draft")
        renewal.with_user(self.handler).action_mark_university_reviewed()
        self.assertFalse(renewal.hold_reason)
        self.attach_required(renewal)
        renewal.action_submit()
        self.assertEqual(renewal.state, "submitted")
        self.assertEqual(len(renewal.attachment_ids), 3)
        self.assertFalse(renewal.attachment_missing, "1+1 is met")

    def test_one_application_per_year(self):
        student = self.create_student(user=self.handler)
        self.create_application(student, user=self.handler)
        with self.assertRaisesRegex(ValidationError, "already has an application"):
            self.create_application(student, user=self.handler)

    def test_return_by_supervisor_and_bank(self):
        application = self.make_checked_application()
        with self.assertRaisesRegex(UserError, "reason"):
            application.with_user(self.supervisor)._return("  ")
        application.with_user(self.supervisor)._return("The co-borrower's address lacks the village.")
        self.assertEqual(application.state, "returned")
        self.assertEqual(application.returned_by, "supervisor")
        self.assertEqual(application.contract_id.state, "signed")
        self.assertNextActor(application, "student_loan.group_handler", self.county)
        # corrected and submitted again, then approved; the bank returns it to the supervisor
        application.action_submit()
        self.pass_manual_checks(application)
        application.action_check()
        application.with_user(self.supervisor).action_approve()
        application.with_user(self.supervisor).action_send_to_bank()
        application.with_user(self.bank)._return("Receipt code not confirmed by the university.")
        self.assertEqual(application.state, "approved")
        self.assertEqual(application.returned_by, "bank")
        self.assertEqual(application.return_count, 2)
        messages = application.message_ids.mapped("body")
        self.assertTrue(any("lacks the village" in body for body in messages))
        self.assertTrue(any("Receipt code" in body for body in messages))

    def test_coborrower_change_under_review(self):
        """R10: add the new co-borrower, then change it on the application under review."""
        application = self.make_checked_application()
        student = application.student_id
        old = application.coborrower_id
        new = (
            self.env["student.loan.coborrower"]
            .with_user(self.handler)
            .create(
                {
                    "student_id": student.id,
                    "name": "张母",
                    "relation": "mother",
                    "id_number": make_id_number(birth="19720202"),
                    "mobile": "13612345678",
                    "address": "河南省周口市商水县城关乡解放路12号",
                }
            )
        )
        application.with_user(self.handler).coborrower_id = new
        self.flush_tracking()
        tracked = self.tracked_values(application, "coborrower_id").filtered(
            lambda value: value.new_value_char == new.display_name
        )
        self.assertEqual(tracked.old_value_char, old.display_name)
        # a co-borrower of another student is refused
        other = self.create_student(user=self.handler, name="王五")
        with self.assertRaisesRegex(ValidationError, "not recorded for this student"):
            application.coborrower_id = other.coborrower_ids
        # after the bank confirmed, only a change request can change it
        application.with_user(self.supervisor).action_approve()
        application.with_user(self.supervisor).action_send_to_bank()
        application.with_user(self.bank).action_bank_confirm()
        with self.assertRaisesRegex(UserError, "change request"):
            application.with_user(self.handler).coborrower_id = old
