from odoo import api, fields, models
from odoo.exceptions import UserError


class StudentLoanReviewReturnWizard(models.TransientModel):
    """Return (退回) one or many reviewed documents with one reason, at whatever level they are."""

    _name = "student.loan.review.return.wizard"
    _description = "Return for Correction (退回)"

    res_model = fields.Char(string="Document Type", required=True, readonly=True)
    res_ids = fields.Json(string="Documents", required=True, readonly=True)
    document_names = fields.Text(string="Documents to Return", compute="_compute_document_names")
    reason = fields.Text(required=True, help="What must be fixed: the student or the handler reads it.")

    @api.depends("res_model", "res_ids")
    def _compute_document_names(self):
        for wizard in self:
            wizard.document_names = "\n".join(wizard._get_documents().mapped("display_name")) or False

    def _get_documents(self):
        self.ensure_one()
        registry = self.env.registry
        if self.res_model not in registry or not issubclass(
            registry[self.res_model], registry["student.loan.review.mixin"]
        ):
            raise UserError(self.env._("%s is not a reviewed document.", self.res_model))
        return self.env[self.res_model].browse([int(res_id) for res_id in self.res_ids or []]).exists()

    def action_confirm(self):
        self.ensure_one()
        self._get_documents().action_review_return(self.reason)
        return {"type": "ir.actions.act_window_close"}
