from odoo import fields, models


class StudentLoanAttachmentType(models.Model):
    _name = "student.loan.attachment.type"
    _description = "Attachment Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [("code_unique", "unique(code)", "The attachment type code must be unique.")]
