from odoo import fields, models


class StudentLoanReturnWizard(models.TransientModel):
    _name = "student.loan.return.wizard"
    _description = "Return Applications (退回)"

    application_ids = fields.Many2many("student.loan.application", string="Applications", required=True)
    reason = fields.Text(required=True, help="What must be fixed: the student or the handler reads it.")

    def action_confirm(self):
        self.ensure_one()
        self.application_ids._return(self.reason)
        return {"type": "ir.actions.act_window_close"}
