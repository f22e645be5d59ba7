from odoo import fields, models


class StudentLoanSchool(models.Model):
    _name = "student.loan.school"
    _description = "School"
    _order = "name"
    _rec_names_search = ["name", "code"]

    name = fields.Char(required=True)
    code = fields.Char(help="Ministry of Education institution code.")
    kind = fields.Selection(
        [("university", "University / College"), ("high_school", "High School")],
        default="university",
        required=True,
    )
    province = fields.Char()
    active = fields.Boolean(default=True)

    _sql_constraints = [("code_unique", "unique(code)", "Another school has this code.")]
