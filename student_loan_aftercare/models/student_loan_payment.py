from odoo import api, fields, models


class StudentLoanPayment(models.Model):
    _inherit = "student.loan.payment"

    penalty_amount = fields.Monetary(
        compute="_compute_allocation", store=True, string="Penalty Interest", help="Penalty interest (罚息) paid."
    )

    @api.depends("allocation_ids.amount", "allocation_ids.kind", "allocation_ids.overdue", "amount", "state")
    def _compute_allocation(self):
        result = super()._compute_allocation()
        for payment in self:
            payment.penalty_amount = sum(
                payment.allocation_ids.filtered(lambda alloc: alloc.kind == "penalty").mapped("amount")
            )
        return result

    def _get_posted_message(self):
        message = super()._get_posted_message()
        if not self.penalty_amount:
            return message
        return self.env._(
            "Penalty interest %(penalty)s paid first. %(message)s", penalty=self.penalty_amount, message=message
        )
