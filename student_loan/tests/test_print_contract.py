"""打印合同 prints the contract's PDF at once, and the application says what must happen next."""

from odoo.tests import tagged

from odoo.addons.student_loan.tests.common import StudentLoanCase


@tagged("post_install", "-at_install")
class TestPrintContract(StudentLoanCase):
    def test_print_contract_returns_its_pdf(self):
        student = self.create_student(user=self.handler)
        application = self.create_application(student, user=self.handler)
        self.attach_required(application)
        application.action_submit()
        self.pass_manual_checks(application)
        action = application.action_prepare_contract()
        contract = application.contract_id
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(action["report_name"], "student_loan.report_loan_contract")
        self.assertEqual(action["context"]["active_ids"], contract.ids)
        self.assertIn("sign the contract", application.message_ids[0].body)
        # printing again (e.g. after a correction) prints the same contract
        self.assertEqual(application.action_prepare_contract()["context"]["active_ids"], contract.ids)
