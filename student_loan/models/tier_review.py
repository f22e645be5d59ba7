from odoo import api, models
from odoo.exceptions import AccessError


class TierReview(models.Model):
    """Tiers of the student-loan documents: written by the review engine only, reviewers within the centre
    hierarchy of the document."""

    _inherit = "tier.review"

    @api.model
    def _is_loan_model(self, model_name):
        registry = self.env.registry
        return (
            bool(model_name)
            and model_name in registry
            and issubclass(registry[model_name], registry["student.loan.review.mixin"])
        )

    def _is_loan_review(self):
        return self._is_loan_model(self.model)

    def _check_engine_only(self, model_names):
        if not self.env.su and any(self._is_loan_model(name) for name in model_names):
            raise AccessError(
                self.env._("Reviews are approved or returned with the document's buttons, not changed directly.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_engine_only([vals.get("model") for vals in vals_list])
        return super().create(vals_list)

    def write(self, vals):
        self._check_engine_only(self.mapped("model"))
        return super().write(vals)

    def unlink(self):
        self._check_engine_only(self.mapped("model"))
        return super().unlink()

    def _get_reviewers(self):
        if self._is_loan_review() and self.review_type == "field" and self.reviewer_field_id:
            # the reviewer fields of the documents are computed, not stored: compute them now
            self.env[self.model].browse(self.res_id).invalidate_recordset([self.reviewer_field_id.name])
        users = super()._get_reviewers()
        if self._is_loan_review() and self.review_type == "group":
            # a group spans the province: only its members who see the document's centre review it
            record = self.env[self.model].sudo().browse(self.res_id)
            centre = record._review_centre() if record.exists() else False
            if centre:
                users = users.filtered(
                    lambda user: (
                        user.loan_centre_id and str(user.loan_centre_id.id) in (centre.parent_path or "").split("/")
                    )
                )
        return users

    @api.depends("definition_id.approve_sequence")
    def _compute_can_review(self):
        # the review engine opens the tiers itself (steps, "must follow previous"): no status changes here
        loan = self.filtered(lambda review: review._is_loan_review())
        for review in loan:
            review.can_review = review.status == "pending"
        return super(TierReview, self - loan)._compute_can_review()
