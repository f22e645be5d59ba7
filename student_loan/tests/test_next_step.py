"""The form names the next step and who does it ("下一步：负责人复核/同意（张三）"), from the open review tier
or the workflow state; printing the contract says what must happen next."""

from odoo.tests import tagged

from .common import StudentLoanCase


@tagged("post_install", "-at_install")
class TestNextStep(StudentLoanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"].search([("name", "=", "student_loan")])._update_translations(["zh_CN"])

    def next_step(self, record, lang="en_US"):
        record.invalidate_recordset(["review_next_step"])
        return record.with_context(lang=lang).review_next_step

    def assignee(self, application):
        user = application.sudo().activity_ids.user_id
        self.assertEqual(len(user), 1)
        return user

    def test_each_step_names_the_next_and_who(self):
        student = self.create_student(user=self.handler)
        application = self.create_application(student, user=self.handler)
        self.assertEqual(self.next_step(application), f"Next: Submit it for review ({self.handler.name})")
        self.attach_required(application)
        application.action_submit()
        handler = self.assignee(application)
        self.assertEqual(self.next_step(application), f"Next: Print the contract ({handler.name})")
        self.assertEqual(self.next_step(application, "zh_CN"), f"下一步：打印合同（{handler.name}）")

        self.pass_manual_checks(application)
        application.action_prepare_contract()
        contract = application.contract_id
        sign = f"Next: The student and the co-borrower sign the contract (then mark it Signed) ({handler.name})"
        self.assertEqual(self.next_step(application), sign)
        self.assertEqual(self.next_step(contract), sign)
        # printing says what comes next, in the chatter (and as a notification)
        self.assertIn(f"Contract {contract.name} printed. {sign}", application.message_ids[0].body)

        self.sign_contract(application)
        self.assertEqual(self.next_step(application), f"Next: Document Check (申请验收) ({handler.name})")
        application.action_check()
        supervisor = self.assignee(application)
        self.assertEqual(
            self.next_step(application), f"Next: Supervisor Re-review and Approval (复核/同意) ({supervisor.name})"
        )
        self.assertEqual(self.next_step(application, "zh_CN"), f"下一步：负责人复核/同意（{supervisor.name}）")
        self.assertEqual(self.next_step(contract, "zh_CN"), f"下一步：负责人复核/同意（{supervisor.name}）")

        application.with_user(supervisor).action_approve()
        self.assertEqual(self.next_step(application), f"Next: Send to the bank ({supervisor.name})")
        application.with_user(supervisor).action_send_to_bank()
        bank = self.assignee(application)
        self.assertEqual(self.next_step(application), f"Next: Bank Confirmation (开行确认) ({bank.name})")
        application.with_user(bank).action_bank_confirm()
        self.assertFalse(self.next_step(application))
        self.assertFalse(self.next_step(contract))

    def test_returned_names_who_corrects_it(self):
        application = self.make_checked_application()
        supervisor = self.assignee(application)
        application.with_user(supervisor)._return("请补充村组门牌号")
        self.assertEqual(self.next_step(application, "zh_CN"), f"下一步：修改后重新提交（{self.handler.name}）")
