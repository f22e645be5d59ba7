from odoo import fields, models


class StudentLoanChangeReturnWizard(models.TransientModel):
    _name = "student.loan.change.return.wizard"
    _description = "Return Change Requests (退回)"

    request_ids = fields.Many2many(
        "student.loan.change.request",
        "student_loan_change_return_wizard_request_rel",
        string="Change Requests",
        required=True,
    )
    reason = fields.Text(required=True, help="What must be fixed: the level below reads it.")

    def action_confirm(self):
        self.ensure_one()
        self.request_ids._return(self.reason)
        return {"type": "ir.actions.act_window_close"}
