from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .student_loan_settlement_line import to_decimal

CHANNELS = [
    ("alipay", "Alipay"),
    ("bank_card", "Bank-Card Deduction"),
    ("counter", "Bank Counter"),
    ("online", "Online Banking"),
    ("other", "Other"),
]


class StudentLoanPayment(models.Model):
    """A repayment received for a contract (还款). Posting allocates it in ``loanlib.allocation``'s order
    (penalty interest where an addon adds it, then overdue interest, interest, principal); what is left stays
    as credit for the next settlement, or repays principal early when asked (提前还款)."""

    _name = "student.loan.payment"
    _description = "Repayment"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _rec_names_search = ["name", "contract_id.name", "student_id.name", "reference"]

    name = fields.Char(string="Number", readonly=True, copy=False, default="/")
    state = fields.Selection(
        [("draft", "Draft"), ("posted", "Posted")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
    )
    contract_id = fields.Many2one(
        "student.loan.contract",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        domain="[('state', '=', 'active')]",
    )
    student_id = fields.Many2one(related="contract_id.student_id", store=True, index=True)
    centre_id = fields.Many2one(related="contract_id.centre_id", store=True, index=True, string="Aid Centre")
    currency_id = fields.Many2one(related="contract_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    amount = fields.Monetary(required=True, tracking=True)
    channel = fields.Selection(CHANNELS, required=True, default="alipay", tracking=True)
    reference = fields.Char(help="Transaction number of the bank or the payment channel.")
    early_repayment = fields.Boolean(
        string="Repay Principal Early",
        help="What is left after the amounts due repays principal now (提前还款) and the rest of the plan "
        "is recomputed; otherwise it is kept as credit for the next settlement.",
    )
    note = fields.Text()
    allocation_ids = fields.One2many("student.loan.payment.allocation", "payment_id")
    overdue_interest_amount = fields.Monetary(compute="_compute_allocation", store=True, string="Overdue Interest")
    interest_amount = fields.Monetary(compute="_compute_allocation", store=True, string="Interest")
    principal_amount = fields.Monetary(compute="_compute_allocation", store=True, string="Principal")
    credit_amount = fields.Monetary(
        compute="_compute_allocation",
        store=True,
        string="Kept as Credit",
        help="Overpayment kept on the contract and applied at the next settlement.",
    )
    posted_by_id = fields.Many2one("res.users", readonly=True, copy=False)

    _sql_constraints = [
        ("amount_positive", "check(amount > 0)", "A repayment must be a positive amount."),
    ]

    @api.depends("allocation_ids.amount", "allocation_ids.kind", "allocation_ids.overdue", "amount", "state")
    def _compute_allocation(self):
        currency = self.env.ref("base.CNY")
        for payment in self:
            allocations = payment.allocation_ids
            interest = allocations.filtered(lambda alloc: alloc.kind == "interest")
            payment.overdue_interest_amount = sum(interest.filtered("overdue").mapped("amount"))
            payment.interest_amount = sum(interest.filtered(lambda alloc: not alloc.overdue).mapped("amount"))
            payment.principal_amount = sum(
                allocations.filtered(lambda alloc: alloc.kind == "principal").mapped("amount")
            )
            payment.credit_amount = (
                currency.round(payment.amount - sum(allocations.mapped("amount"))) if payment.state == "posted" else 0.0
            )

    @api.model
    def _check_amount_value(self, amount):
        # before the database's check constraint, to give the clerk a clear message
        if amount is not None and amount is not False and amount <= 0:
            raise ValidationError(self.env._("A repayment must be a positive amount, not %s.", amount))

    @api.constrains("amount")
    def _check_amount(self):
        for payment in self:
            self._check_amount_value(payment.amount)

    @api.constrains("contract_id", "date")
    def _check_contract(self):
        today = fields.Date.context_today(self)
        for payment in self.filtered(lambda payment: payment.state == "draft"):
            payment._check_contract_takes_payments()
            if payment.date > today:
                raise ValidationError(self.env._("The repayment date %s is in the future.", payment.date))

    def _check_contract_takes_payments(self):
        self.ensure_one()
        contract = self.contract_id.sudo()
        if contract.state == "closed":
            raise ValidationError(
                self.env._("Contract %s is closed (repaid): it takes no more repayments.", contract.name)
            )
        if contract.state != "active":
            raise ValidationError(
                self.env._(
                    "Contract %s is not disbursed yet: repayments start after the bank has paid the loan.",
                    contract.name,
                )
            )
        if contract.disbursement_date and self.date and self.date <= contract.disbursement_date:
            raise ValidationError(
                self.env._(
                    "The repayment date %(date)s must be after the disbursement date %(disbursed)s.",
                    date=self.date,
                    disbursed=contract.disbursement_date,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_amount_value(vals.get("amount", 0.0))
        return super().create(vals_list)

    def write(self, vals):
        if "amount" in vals:
            self._check_amount_value(vals["amount"])
        if {"contract_id", "amount", "date", "early_repayment"} & set(vals) and self.filtered(
            lambda payment: payment.state == "posted"
        ):
            raise UserError(self.env._("A posted repayment cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        if self.filtered(lambda payment: payment.state == "posted"):
            raise UserError(self.env._("A posted repayment cannot be deleted."))

    def action_post(self):
        """Allocate the repayment: overdue interest, interest, principal; the rest is credit or early repayment."""
        if not self.env.user.has_group("student_loan.group_handler"):
            raise AccessError(self.env._("Only handlers can post repayments."))
        self.check_access("write")
        settlement_lines = self.env["student.loan.settlement.line"].sudo()
        for payment in self.sorted(lambda payment: (payment.date, payment.id)):
            if payment.state != "draft":
                raise UserError(self.env._("%s is posted already.", payment.name))
            payment._check_contract_takes_payments()
            contract = payment.contract_id.sudo()
            # what falls due up to the payment date is settled first, so the allocation sees it
            settlement_lines._settle_contracts(contract.ids, payment.date)
            left = contract._allocate(to_decimal(payment.amount), payment.date, payment=payment)
            if payment.early_repayment and left > 0:
                left = contract._repay_early(left, payment.date, payment)
            sequence = self.env["ir.sequence"].sudo()
            payment.write(
                {
                    "state": "posted",
                    "posted_by_id": self.env.uid,
                    "name": sequence.next_by_code("student.loan.payment", sequence_date=payment.date) or "/",
                }
            )
            payment.invalidate_recordset(["credit_amount"])
            contract.message_post(body=payment._get_posted_message())
            contract._close_if_repaid()
        return True

    def _get_posted_message(self):
        """The contract's chatter line of a posted repayment: how it was allocated (extension hook)."""
        self.ensure_one()
        return self.env._(
            "Repayment %(name)s of %(amount)s received on %(date)s: overdue interest %(overdue)s, "
            "interest %(interest)s, principal %(principal)s, kept as credit %(credit)s.",
            name=self.name,
            amount=self.amount,
            date=self.date,
            overdue=self.overdue_interest_amount,
            interest=self.interest_amount,
            principal=self.principal_amount,
            credit=self.credit_amount,
        )

    def action_view_contract(self):
        self.ensure_one()
        return self.contract_id._get_form_action()
