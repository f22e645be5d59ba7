from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class StudentLoanCheckLine(models.Model):
    """The result of one document-check point on one application (R6)."""

    _name = "student.loan.check.line"
    _description = "Document Check Line"
    _order = "application_id, sequence, id"

    application_id = fields.Many2one("student.loan.application", required=True, ondelete="cascade", index=True)
    item_id = fields.Many2one("student.loan.check.item", string="Check", required=True, ondelete="restrict")
    sequence = fields.Integer(related="item_id.sequence", store=True)
    description = fields.Text(related="item_id.description")
    auto_check = fields.Boolean(related="item_id.auto_check")
    result = fields.Selection(
        [("pending", "To Check"), ("passed", "Passed"), ("failed", "Failed")],
        default="pending",
        required=True,
    )
    reason = fields.Char(help="Why the check failed: told to the student with the return.")
    checked_by_id = fields.Many2one("res.users", readonly=True)
    checked_date = fields.Datetime(readonly=True)

    _sql_constraints = [
        ("item_unique", "unique(application_id, item_id)", "Each check appears once per application."),
    ]

    @api.constrains("result", "reason")
    def _check_reason(self):
        for line in self:
            if line.result == "failed" and not (line.reason or "").strip():
                raise ValidationError(self.env._("Give the reason why '%s' failed.", line.item_id.name))

    def write(self, vals):
        if "result" in vals:
            locked = self.filtered(lambda line: line.application_id.state != "submitted")
            if locked and not self.env.su:
                raise UserError(
                    self.env._(
                        "The document check of %s can only change while it is submitted.", locked[0].application_id.name
                    )
                )
            vals = dict(vals, checked_by_id=self.env.uid, checked_date=fields.Datetime.now())
        return super().write(vals)

    def action_pass(self):
        self.write({"result": "passed", "reason": False})
        return True  # XML-RPC cannot marshal None

    def action_fail(self):
        for line in self:
            if not line.reason:
                raise UserError(self.env._("Write the reason first, then mark '%s' failed.", line.item_id.name))
        self.write({"result": "failed"})
        return True
