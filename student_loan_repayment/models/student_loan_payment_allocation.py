from odoo import api, fields, models
from odoo.exceptions import ValidationError


class StudentLoanPaymentAllocation(models.Model):
    """Part of a repayment (or of the credit it left) applied to one thing the contract owes: the interest or
    the principal of one settlement line here; other addons add kinds (penalty interest, 罚息) with their own
    reference. The order is ``loanlib.allocation``'s (先罚息、后利息、再本金)."""

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
        index=True,
        ondelete="cascade",
        readonly=True,
        help="The settlement paid (interest and principal allocations).",
    )
    contract_id = fields.Many2one("student.loan.contract", required=True, index=True, ondelete="cascade", readonly=True)
    centre_id = fields.Many2one(related="contract_id.centre_id", store=True, string="Aid Centre")
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

    SETTLEMENT_KINDS = ("interest", "principal")

    @api.depends("contract_id.currency_id")
    def _compute_currency_id(self):
        # computed, not related: see student.loan.settlement.line
        for allocation in self:
            allocation.currency_id = allocation.contract_id.currency_id

    @api.constrains("kind", "settlement_line_id", "contract_id")
    def _check_settlement_line(self):
        for allocation in self:
            line = allocation.settlement_line_id
            if allocation.kind in self.SETTLEMENT_KINDS and not line:
                raise ValidationError(self.env._("An interest or principal allocation pays a settlement."))
            if line and line.contract_id != allocation.contract_id:
                raise ValidationError(self.env._("An allocation pays a settlement of its own contract."))
