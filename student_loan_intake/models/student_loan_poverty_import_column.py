from odoo import fields, models

from .student_loan_poverty_mapping_line import TARGETS


class StudentLoanPovertyImportColumn(models.Model):
    """A column of the uploaded file and what it is imported as (the mapping step)."""

    _name = "student.loan.poverty.import.column"
    _description = "Poverty Register Import Column"
    _order = "import_id, index"

    import_id = fields.Many2one("student.loan.poverty.import", required=True, index=True, ondelete="cascade")
    index = fields.Integer(string="#", required=True)
    header = fields.Char(string="Column Title", readonly=True)
    sample = fields.Char(string="First Values", readonly=True)
    target = fields.Selection(TARGETS, string="Imported As", help="Empty: the column is ignored.")
