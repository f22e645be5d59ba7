from odoo import fields, models


class StudentLoanTransferWizard(models.TransientModel):
    """R11: a student registered with the wrong centre is taken over by the home centre."""

    _name = "student.loan.transfer.wizard"
    _description = "Transfer a Student to the Home Centre"

    student_id = fields.Many2one("student.loan.student", required=True)
    current_centre_id = fields.Many2one(related="student_id.centre_id", string="Current Centre")
    centre_id = fields.Many2one(
        "student.loan.centre",
        string="Home Centre",
        required=True,
        domain="[('division_kind', 'in', ('county', 'direct_county', 'province_admin'))]",
        help="The county-level centre of the student's household registration.",
    )
    reason = fields.Char(required=True, default=lambda self: self.env._("Registered with the wrong aid centre"))

    def action_confirm(self):
        self.ensure_one()
        self.student_id._transfer_to_centre(self.centre_id, self.reason)
        return {"type": "ir.actions.act_window_close"}
