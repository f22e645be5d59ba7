from odoo import api, fields, models


class StudentLoanPenaltyLine(models.Model):
    """Penalty interest (罚息) accrued on one contract's overdue principal over one period of a run, and what
    repayments paid of it (penalty interest is paid first, ``loanlib.allocation``). Waived days are booked in
    ``waived_amount``, never in ``amount``: waived penalty interest is never collected."""

    _name = "student.loan.penalty.line"
    _description = "Penalty Interest Accrual"
    _order = "date_to desc, id desc"

    run_id = fields.Many2one("student.loan.penalty.run", required=True, index=True, ondelete="cascade", readonly=True)
    contract_id = fields.Many2one(
        "student.loan.contract", required=True, index=True, ondelete="restrict", readonly=True
    )
    student_id = fields.Many2one(related="contract_id.student_id", store=True, index=True, precompute=True)
    centre_id = fields.Many2one(
        related="contract_id.centre_id", store=True, index=True, string="Aid Centre", precompute=True
    )
    currency_id = fields.Many2one(related="contract_id.currency_id")
    date_from = fields.Date(string="From", required=True, readonly=True)
    date_to = fields.Date(string="Until (excluded)", required=True, readonly=True)
    days_charged = fields.Integer(readonly=True)
    days_waived = fields.Integer(readonly=True)
    rate = fields.Float(string="Contract Rate (%)", digits=(6, 4), readonly=True)
    multiple = fields.Float(digits=(6, 2), readonly=True)
    amount = fields.Monetary(string="Penalty Interest", readonly=True)
    waived_amount = fields.Monetary(readonly=True, help="What the waived days would have cost.")
    allocation_ids = fields.One2many("student.loan.payment.allocation", "penalty_line_id", string="Payments")
    amount_paid = fields.Monetary(compute="_compute_paid", store=True, string="Paid")
    amount_residual = fields.Monetary(compute="_compute_paid", store=True, string="Unpaid")
    state = fields.Selection(
        [("open", "Unpaid"), ("paid", "Paid")], compute="_compute_paid", store=True, index=True, string="Status"
    )

    _sql_constraints = [
        # a second run over the same period accrues nothing twice
        (
            "contract_period_unique",
            "unique(contract_id, date_from)",
            "Penalty interest is already accrued for this period.",
        ),
    ]

    @api.depends("amount", "allocation_ids.amount")
    def _compute_paid(self):
        paid = {}
        stored = self.filtered("id")
        if stored:
            paid = dict(
                self.env["student.loan.payment.allocation"]
                .sudo()
                ._read_group([("penalty_line_id", "in", stored.ids)], ["penalty_line_id"], ["amount:sum"])
            )
        currency = self.env.ref("base.CNY")
        for line in self:
            line.amount_paid = paid.get(line, 0.0)
            line.amount_residual = currency.round(line.amount - line.amount_paid)
            line.state = "open" if currency.compare_amounts(line.amount_residual, 0) > 0 else "paid"
