from odoo import fields, models


class StudentLoanPovertyMapping(models.Model):
    """A saved column mapping of the poverty office's export (reused when the same headers come again)."""

    _name = "student.loan.poverty.mapping"
    _description = "Poverty Register Column Mapping"
    _order = "name"

    name = fields.Char(required=True)
    centre_id = fields.Many2one(
        "student.loan.centre",
        string="Aid Centre",
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.user.loan_centre_id,
        help="Empty: every centre can use the mapping.",
    )
    header_row = fields.Integer(default=1, required=True, help="The row of the file holding the column titles.")
    sheet_name = fields.Char(string="Sheet", help="XLSX: the sheet to read (empty: the first).")
    line_ids = fields.One2many("student.loan.poverty.mapping.line", "mapping_id", string="Columns", copy=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [("header_row_positive", "check(header_row >= 1)", "The header row starts at 1.")]

    def _mapping_for(self, headers):
        """``column index -> target`` for a file with ``headers`` (columns found by their title)."""
        self.ensure_one()
        positions = {}
        for index, header in enumerate(headers):
            positions.setdefault(header, index)
        return {
            positions[line.header]: line.target for line in self.line_ids if line.header in positions and line.target
        }

    def _fits(self, headers):
        """Every mapped column of the mapping is in the file."""
        self.ensure_one()
        mapped = self.line_ids.filtered("target")
        return bool(mapped) and all(line.header in headers for line in mapped)
