from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.student_loan.models.student_loan_review_mixin import APPROVAL_STATES


class StudentLoanSmsCampaign(models.Model):
    """Large campaigns are approved before they go out (R4): on the review engine, a tier whose condition is the
    audience size (shipped: more than 5,000 recipients, reviewed by the city above) holds the sending until its
    reviewers approve; smaller campaigns go out at once, as before."""

    _name = "student.loan.sms.campaign"
    _inherit = ["student.loan.review.approval.mixin", "student.loan.sms.campaign"]

    _state_field = "approval_state"
    # what the reviewers approved: the text, the audience, the centre
    _review_reviewed_fields = frozenset(
        {"template_id", "audience_kind", "audience_domain", "academic_year", "centre_id", "message_date", "bring_items"}
    )

    approval_state = fields.Selection(
        APPROVAL_STATES,
        string="Approval",
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )

    def _review_needed(self):
        self.ensure_one()
        return any(self.evaluate_tier(definition) for definition in self._review_definitions())

    def action_send(self):
        """Send, or first ask the tiers' reviewers when the campaign needs their approval."""
        held = self.filtered(lambda campaign: campaign.approval_state != "approved" and campaign._review_needed())
        for campaign in held:
            if campaign.approval_state == "to_approve":
                raise UserError(self.env._("%s is waiting for its approval.", campaign.name))
            campaign._review_submit({"approval_state": "to_approve"})
            campaign.message_post(
                body=self.env._(
                    "%(count)s recipients: the campaign is sent once approved (%(steps)s).",
                    count=campaign.audience_count,
                    steps=", ".join(campaign.review_ids.mapped("name")),
                )
            )
        if self - held:
            return super(StudentLoanSmsCampaign, self - held).action_send()
        return True

    def action_approve(self):
        """The reviewer approves (同意): the campaign is queued."""
        return self._review_validate("approve", self.env._("approve"))

    def _review_on_done(self):
        self.action_send()
