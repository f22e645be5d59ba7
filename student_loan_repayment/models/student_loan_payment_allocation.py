from odoo import api, fields, models


class StudentLoanPaymentAllocation(models.Model):
    """Part of a repayment (or of the credit it left) applied to the interest or the principal of one
    settlement line."""

    _name = "student.loan.payment.allocation"
    _description = "Repayment Allocation"
    _order = "date, id"

    payment_id = fields.Many2one(
        "student.loan.payment",
        string="Repayment",
        index=True,
        ondelete="cascade",
        readonly=True,
        help="Empty when the credit left by earlier repayments was applied.",
    )
    settlement_line_id = fields.Many2one(
        "student.loan.settlement.line",
        string="Settlement",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    contract_id = fields.Many2one(related="settlement_line_id.contract_id", store=True, index=True)
    centre_id = fields.Many2one(related="settlement_line_id.centre_id", store=True, string="Aid Centre")
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    date = fields.Date(required=True, readonly=True)
    kind = fields.Selection([("interest", "Interest"), ("principal", "Principal")], required=True, readonly=True)
    overdue = fields.Boolean(readonly=True, help="The amount was past its due date when it was paid.")
    source = fields.Selection(
        [("payment", "Repayment"), ("credit", "Credit")], required=True, default="payment", readonly=True
    )
    amount = fields.Monetary(required=True, readonly=True)

    _sql_constraints = [
        ("amount_positive", "check(amount > 0)", "An allocation must be positive."),
    ]

    @api.depends("settlement_line_id.currency_id")
    def _compute_currency_id(self):
        # computed, not related: see student.loan.settlement.line
        for allocation in self:
            allocation.currency_id = allocation.settlement_line_id.currency_id
