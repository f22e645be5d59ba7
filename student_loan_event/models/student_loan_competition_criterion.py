from odoo import fields, models


class StudentLoanCompetitionCriterion(models.Model):
    """A judging criterion with its weight; judges score each criterion from 0 to 100."""

    _name = "student.loan.competition.criterion"
    _description = "Competition Judging Criterion"
    _order = "competition_id, sequence, id"

    competition_id = fields.Many2one("student.loan.competition", required=True, ondelete="cascade", index=True)
    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    weight = fields.Float(required=True, default=1.0, help="Relative weight in the judge's total.")
    description = fields.Text(help="What the judges look at.")

    _sql_constraints = [
        ("weight_positive", "check(weight > 0)", "A criterion's weight must be positive."),
    ]
