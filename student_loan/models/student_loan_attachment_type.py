from odoo import fields, models


class StudentLoanAttachmentType(models.Model):
    _name = "student.loan.attachment.type"
    _description = "Attachment Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    keywords = fields.Char(
        help="Words of the file names of this document, separated by commas (e.g. 录取通知, admission): "
        "a dropped file whose name holds one gets this type.",
    )
    document_shape = fields.Selection(
        [("card", "Card"), ("page", "Page")],
        string="Shape",
        help="A dropped photo shaped like a card (ID card, student card) or a page (notice, form, PDF) gets "
        "the first type of its shape still missing, when its name tells nothing.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [("code_unique", "unique(code)", "The attachment type code must be unique.")]
