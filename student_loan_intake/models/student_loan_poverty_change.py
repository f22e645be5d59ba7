from odoo import fields, models


class StudentLoanPovertyChange(models.Model):
    """What one import changed for one person: the register's history by import."""

    _name = "student.loan.poverty.change"
    _description = "Poverty Register Change"
    _order = "import_id desc, kind, household_no, id"

    KINDS = [("new", "New"), ("changed", "Changed"), ("removed", "No Longer Listed")]

    import_id = fields.Many2one("student.loan.poverty.import", required=True, index=True, ondelete="cascade")
    person_id = fields.Many2one("student.loan.poverty.person", required=True, index=True, ondelete="cascade")
    centre_id = fields.Many2one(related="import_id.centre_id", store=True, index=True, precompute=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    kind = fields.Selection(KINDS, required=True, index=True)
    name = fields.Char(required=True)
    household_no = fields.Char(string="Household Number")
    student_id = fields.Many2one(related="person_id.student_id")
    details = fields.Text(help="The values that changed: old → new.")
