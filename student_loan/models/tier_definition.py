from odoo import api, fields, models

from .student_loan_review_mixin import REVIEW_ROLES


class TierDefinition(models.Model):
    """A review level of a reviewed document, configured by the province administrator."""

    _inherit = "tier.definition"

    review_role = fields.Selection(
        REVIEW_ROLES,
        string="Step",
        default="approve",
        required=True,
        help="Handler check, approval (复核/同意) or bank confirmation: the document's status while this "
        "tier is open, and who may return it.",
    )
    deadline_days = fields.Integer(
        string="Deadline (Days)",
        help="The reviewer's activity is due this many days after the tier opens (0: today).",
    )

    @api.model
    def _get_tier_validation_model_names(self):
        names = super()._get_tier_validation_model_names()
        mixin = self.env.registry["student.loan.review.mixin"]
        for name, model_class in self.env.registry.items():
            if not model_class._abstract and issubclass(model_class, mixin) and name not in names:
                names.append(name)
        return names
