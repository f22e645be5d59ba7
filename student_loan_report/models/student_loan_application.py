from odoo import fields, models


class StudentLoanApplication(models.Model):
    _inherit = "student.loan.application"

    returned_date = fields.Datetime(
        string="Last Returned On",
        readonly=True,
        copy=False,
        index=True,
        help="When a reviewer last returned (退回) the application: counted in the daily work log.",
    )

    def _return(self, reason):
        result = super()._return(reason)
        self.write({"returned_date": fields.Datetime.now()})
        return result

    def action_prepare_contract(self):
        """打印合同: the contract's PDF, printed at once (the form then shows what happens next)."""
        action = super().action_prepare_contract()
        if len(self) != 1 or not self.contract_id:
            return action
        return self.env.ref("student_loan_report.action_report_loan_contract").report_action(self.contract_id)
