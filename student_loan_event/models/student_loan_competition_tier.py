from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class StudentLoanCompetitionTier(models.Model):
    """A prize tier (first prize, honourable mention...) with its number of places."""

    _name = "student.loan.competition.tier"
    _description = "Competition Prize Tier"
    _order = "competition_id, sequence, id"

    competition_id = fields.Many2one("student.loan.competition", required=True, ondelete="cascade", index=True)
    name = fields.Char(required=True)
    sequence = fields.Integer(default=10, help="Best tier first.")
    count = fields.Integer(string="Places", required=True, default=1)
    winner_ids = fields.One2many("student.loan.competition.submission", "tier_id", string="Winners")
    winner_count = fields.Integer(compute="_compute_winner_count")
    confirmed = fields.Boolean(readonly=True, copy=False)

    _sql_constraints = [
        ("count_positive", "check(count > 0)", "A prize tier has at least one place."),
    ]

    def _compute_winner_count(self):
        counts = dict(
            self.env["student.loan.competition.submission"]
            .sudo()
            ._read_group([("tier_id", "in", self.ids)], ["tier_id"], ["__count"])
        )
        for tier in self:
            tier.winner_count = counts.get(tier, 0)

    @api.constrains("count")
    def _check_places_locked(self):
        for tier in self:
            if tier.confirmed:
                raise ValidationError(self.env._("The winners of %s are confirmed already.", tier.name))

    def action_confirm(self):
        """The supervisor confirms this tier's winners (as ranked, possibly adjusted)."""
        self.competition_id._check_supervisor()
        for tier in self:
            competition = tier.competition_id
            if competition.state != "judging" or not competition.ranked_on:
                raise UserError(self.env._("Rank the works of %s first.", competition.name))
            winners = tier.sudo().winner_ids.filtered(lambda submission: submission.state == "locked")
            if len(winners) > tier.count:
                raise UserError(
                    self.env._(
                        "%(tier)s has %(places)s places but %(winners)s winners.",
                        tier=tier.name,
                        places=tier.count,
                        winners=len(winners),
                    )
                )
            unawarded = competition.submission_ids.sudo().filtered(
                lambda submission: submission.state == "locked" and not submission.tier_id
            )
            if len(winners) < tier.count and unawarded:
                raise UserError(
                    self.env._(
                        "%(tier)s has %(places)s places but only %(winners)s winners: award the remaining places.",
                        tier=tier.name,
                        places=tier.count,
                        winners=len(winners),
                    )
                )
            tier.confirmed = True
            competition.message_post(
                body=self.env._(
                    "%(tier)s confirmed: %(names)s",
                    tier=tier.name,
                    names=", ".join(winners.sorted("rank").mapped("code")),
                )
            )
        return True
