from odoo import api, fields, models

from odoo.addons.student_loan.models.student_loan_review_mixin import APPROVAL_STATES


class StudentLoanCompetitionResult(models.Model):
    """The winners list of a competition (R9), reviewed on the review engine before it is final.

    The organiser's ranking proposes it (submitted for review); the tiers (shipped: the organising centre's
    supervisor) approve it, and only then are the winners confirmed and notified. A return sends it back to
    the organiser, who corrects the tiers' winners or ranks again.
    """

    _name = "student.loan.competition.result"
    _description = "Competition Winners List"
    _inherit = ["student.loan.review.approval.mixin"]
    _order = "id desc"

    competition_id = fields.Many2one(
        "student.loan.competition", required=True, index=True, ondelete="cascade", readonly=True
    )
    name = fields.Char(related="competition_id.name")
    centre_id = fields.Many2one(related="competition_id.centre_id", store=True, index=True)
    state = fields.Selection(
        APPROVAL_STATES,
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    winner_count = fields.Integer(related="competition_id.winner_count")

    @api.depends("competition_id.name")
    def _compute_display_name(self):
        for result in self:
            result.display_name = self.env._("Winners of %s", result.competition_id.name or "")

    def _review_on_done(self):
        self.competition_id._confirm_winners_now()

    def _review_on_returned(self, level):
        self.competition_id.sudo().message_post(
            body=self.env._(
                "Winners list returned by %(user)s: %(reason)s", user=self.env.user.name, reason=self.return_reason
            )
        )
