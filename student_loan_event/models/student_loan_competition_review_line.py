from odoo import api, fields, models
from odoo.exceptions import ValidationError


class StudentLoanCompetitionReviewLine(models.Model):
    """A judge's score (0-100) of one criterion of one work."""

    _name = "student.loan.competition.review.line"
    _description = "Competition Review Score"
    _order = "review_id, sequence, id"

    review_id = fields.Many2one("student.loan.competition.review", required=True, ondelete="cascade", index=True)
    criterion_id = fields.Many2one("student.loan.competition.criterion", required=True, ondelete="restrict")
    sequence = fields.Integer(related="criterion_id.sequence", store=True)
    weight = fields.Float(related="criterion_id.weight", store=True)
    description = fields.Text(related="criterion_id.description")
    score = fields.Float(digits=(5, 1))
    scored = fields.Boolean(compute="_compute_scored", store=True, readonly=False)

    _sql_constraints = [
        ("review_criterion_unique", "unique(review_id, criterion_id)", "A criterion is scored once per review."),
    ]

    @api.depends("score")
    def _compute_scored(self):
        for line in self:
            line.scored = line.scored or bool(line.score)

    @api.constrains("score")
    def _check_score(self):
        for line in self:
            if not 0 <= line.score <= 100:
                raise ValidationError(self.env._("A score is between 0 and 100."))

    def write(self, vals):
        if "score" in vals:
            self.review_id._check_judge_may_edit()
            vals = dict(vals, scored=True)
        return super().write(vals)
