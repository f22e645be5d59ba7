from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..competitionlib import ranking


class StudentLoanCompetitionReview(models.Model):
    """One judge's scores of one anonymous work, a line per weighted criterion."""

    _name = "student.loan.competition.review"
    _description = "Competition Review"
    _order = "state desc, work_code, id"
    _rec_name = "work_id"

    STATES = [("todo", "To Score"), ("done", "Scored")]

    work_id = fields.Many2one("student.loan.competition.work", required=True, ondelete="cascade", index=True)
    judge_id = fields.Many2one(
        "res.users",
        required=True,
        index=True,
        ondelete="restrict",
        default=lambda self: self.env.user,
    )
    competition_id = fields.Many2one(
        "student.loan.competition", related="work_id.competition_id", store=True, index=True
    )
    work_code = fields.Char(related="work_id.code", store=True, string="Code")
    work_title = fields.Char(related="work_id.title", string="Title")
    work_category_id = fields.Many2one(related="work_id.category_id", string="Category")
    work_content = fields.Text(related="work_id.content", string="Text of the Work")
    work_attachment_ids = fields.Many2many(related="work_id.attachment_ids", string="Files")
    line_ids = fields.One2many("student.loan.competition.review.line", "review_id", string="Scores")
    total = fields.Float(
        digits=(6, 2), compute="_compute_total", store=True, help="Weighted mean of the criterion scores (0-100)."
    )
    state = fields.Selection(STATES, default="todo", required=True, index=True)
    comment = fields.Text()
    date_done = fields.Datetime(string="Scored On", readonly=True)

    _sql_constraints = [
        ("work_judge_unique", "unique(work_id, judge_id)", "A judge scores a work once."),
    ]

    @api.depends("line_ids.score", "line_ids.weight")
    def _compute_total(self):
        for review in self:
            review.total = ranking.weighted_total((line.score, line.weight) for line in review.line_ids)

    @api.constrains("judge_id", "work_id")
    def _check_conflict_of_interest(self):
        submissions = (
            self.env["student.loan.competition.submission"].sudo().search([("work_id", "in", self.work_id.ids)])
        )
        submission_of = {submission.work_id.id: submission for submission in submissions}
        for review in self.sudo():
            submission = submission_of.get(review.work_id.id)
            if submission and review.competition_id._judge_conflict(review.judge_id, submission):
                raise ValidationError(
                    self.env._(
                        "%(judge)s works at the aid centre of the author of %(work)s and may not score it.",
                        judge=review.judge_id.name,
                        work=review.work_id.code,
                    )
                )
            if review.judge_id not in review.competition_id.judge_ids:
                raise ValidationError(
                    self.env._(
                        "%(judge)s is not on the panel of %(competition)s.",
                        judge=review.judge_id.name,
                        competition=review.competition_id.name,
                    )
                )

    def _check_judge_may_edit(self):
        if self.env.su:
            return
        for review in self:
            if review.judge_id != self.env.user:
                raise AccessError(self.env._("Only %s enters the scores of this review.", review.judge_id.name))
            if review.competition_id.state != "judging":
                raise UserError(self.env._("%s is not being judged.", review.competition_id.name))
            if review.state == "done":
                raise UserError(
                    self.env._(
                        "You have submitted the scores of %s; ask the organiser to reopen the review.", review.work_code
                    )
                )

    def write(self, vals):
        if {"line_ids", "comment"} & set(vals):
            self._check_judge_may_edit()
        return super().write(vals)

    def action_submit(self):
        """The judge submits their scores."""
        self._check_judge_may_edit()
        for review in self:
            missing = review.line_ids.filtered(lambda line: not line.scored)
            if missing:
                raise UserError(
                    self.env._(
                        "Score every criterion of %(work)s first (%(criteria)s).",
                        work=review.work_code,
                        criteria=", ".join(missing.mapped("criterion_id.name")),
                    )
                )
        self.sudo().write({"state": "done", "date_done": fields.Datetime.now()})
        return True

    def action_reopen(self):
        """The organiser gives a submitted review back to its judge."""
        if not self.env.user.has_group("student_loan.group_handler"):
            raise AccessError(self.env._("Only the organisers reopen a review."))
        if any(review.competition_id.state != "judging" for review in self):
            raise UserError(self.env._("Reviews are reopened during judging only."))
        self.sudo().write({"state": "todo", "date_done": False})
        self.competition_id.sudo().write({"ranked_on": False})
        return True
