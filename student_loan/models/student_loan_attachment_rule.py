from odoo import fields, models


class StudentLoanAttachmentRule(models.Model):
    """How many attachments of which types a loan kind needs (first loan "2+2", renewal "1+1")."""

    _name = "student.loan.attachment.rule"
    _description = "Attachment Rule"
    _order = "policy_id, loan_kind, sequence, id"

    policy_id = fields.Many2one("student.loan.policy", required=True, ondelete="cascade", index=True)
    loan_kind = fields.Selection([("first", "First Loan"), ("renewal", "Renewal")], required=True)
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    type_ids = fields.Many2many("student.loan.attachment.type", string="Counts Attachments Of", required=True)
    min_count = fields.Integer(string="Minimum Count", default=1, required=True)

    _sql_constraints = [
        ("min_count_positive", "check(min_count > 0)", "An attachment rule needs at least one attachment."),
    ]
