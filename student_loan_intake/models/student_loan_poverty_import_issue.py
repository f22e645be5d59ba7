from odoo import fields, models


class StudentLoanPovertyImportIssue(models.Model):
    """A problem found in one row of the file at preview (errors block the import)."""

    _name = "student.loan.poverty.import.issue"
    _description = "Poverty Register Import Issue"
    _order = "import_id, level, row, id"

    import_id = fields.Many2one("student.loan.poverty.import", required=True, index=True, ondelete="cascade")
    row = fields.Integer()
    level = fields.Selection([("error", "Error"), ("warning", "Warning")], required=True)
    code = fields.Char()
    column = fields.Char()
    message = fields.Char(required=True)
