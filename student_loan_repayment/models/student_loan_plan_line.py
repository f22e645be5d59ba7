from odoo import api, fields, models

PLAN_LINE_KINDS = [
    ("study", "Study (subsidised)"),
    ("grace", "Grace (interest only)"),
    ("repayment", "Repayment"),
    ("prepayment", "Early Repayment"),
]


class StudentLoanPlanLine(models.Model):
    """One due date of a contract's repayment plan (还款计划), as computed by ``loanlib.repayment``."""

    _name = "student.loan.plan.line"
    _description = "Repayment Plan Line"
    _order = "contract_id, date, id"

    contract_id = fields.Many2one("student.loan.contract", required=True, index=True, ondelete="cascade")
    student_id = fields.Many2one(related="contract_id.student_id")
    centre_id = fields.Many2one(related="contract_id.centre_id", string="Aid Centre")
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    date = fields.Date(string="Due Date", required=True)
    kind = fields.Selection(PLAN_LINE_KINDS, required=True)
    period_start = fields.Date(required=True, help="Interest accrues from this date (included) to the due date.")
    days = fields.Integer(string="Interest Days")
    principal = fields.Float(digits=(16, 2))
    interest = fields.Float(
        digits=(16, 2), string="Interest (Student)", help="Interest the student pays on the due date."
    )
    subsidised_interest = fields.Float(
        digits=(16, 2),
        help="Interest paid by the state (财政贴息) for the days before 1 September of the graduation year.",
    )
    total = fields.Float(
        digits=(16, 2),
        string="Student Pays",
        compute="_compute_total",
        store=True,
        help="Principal + student interest.",
    )
    balance = fields.Float(digits=(16, 2), string="Balance After", help="Principal outstanding after the line.")
    settlement_line_id = fields.Many2one(
        "student.loan.settlement.line", string="Settlement", readonly=True, copy=False, index="btree_not_null"
    )
    is_settled = fields.Boolean(compute="_compute_is_settled", string="Settled")

    _sql_constraints = [
        (
            "contract_date_kind_unique",
            "unique(contract_id, date, kind)",
            "A plan has one line of each kind per due date.",
        ),
    ]

    def init(self):
        # The settlement run looks for due lines not settled yet: keep that set small to scan.
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS student_loan_plan_line_unsettled_date_idx
            ON student_loan_plan_line (date, contract_id) WHERE settlement_line_id IS NULL
        """)

    @api.depends("contract_id.currency_id")
    def _compute_currency_id(self):
        for line in self:
            line.currency_id = line.contract_id.currency_id

    @api.depends("principal", "interest")
    def _compute_total(self):
        for line in self:
            line.total = line.principal + line.interest

    @api.depends("settlement_line_id")
    def _compute_is_settled(self):
        for line in self:
            line.is_settled = bool(line.settlement_line_id)
