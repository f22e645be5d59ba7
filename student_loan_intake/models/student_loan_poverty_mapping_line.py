from odoo import fields, models

TARGETS = [
    ("id_number", "ID Number"),
    ("name", "Name"),
    ("birth_date", "Birth Date"),
    ("gender", "Gender"),
    ("household_no", "Household Number"),
    ("household_head", "Head of Household"),
    ("relation", "Relation to Head"),
    ("address", "Address"),
    ("phone", "Phone"),
    ("school", "School"),
]


class StudentLoanPovertyMappingLine(models.Model):
    _name = "student.loan.poverty.mapping.line"
    _description = "Poverty Register Column Mapping Line"
    _order = "mapping_id, id"

    mapping_id = fields.Many2one("student.loan.poverty.mapping", required=True, index=True, ondelete="cascade")
    header = fields.Char(string="Column Title", required=True)
    target = fields.Selection(TARGETS, string="Imported As", help="Empty: the column is ignored.")
