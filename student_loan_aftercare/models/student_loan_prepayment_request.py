from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.student_loan.loanlib import prepayment, repayment
from odoo.addons.student_loan.models.lib_errors import lib_error_message
from odoo.addons.student_loan.models.student_loan_application import current_academic_year


class StudentLoanPrepaymentRequest(models.Model):
    """A request to repay early (提前还款) on the bank's cycle: requested in the first days of a month (policy),
    reviewed by the centre, paid on the month's payment day; refused in the month the bank blocks.

    The student applies in the portal, or a handler records it; the review runs on the review engine
    (``student.loan.review.mixin``; shipped tiers: a handler of the centre checks, then the centre's supervisor
    approves, never the one who prepared it). On the payment day the bank's deduction is booked as an early
    repayment (the plan is recomputed)."""

    _name = "student.loan.prepayment.request"
    _description = "Prepayment Request"
    _inherit = ["student.loan.review.mixin"]
    _order = "id desc"

    STATES = [
        ("draft", "Draft"),
        ("submitted", "Submitted"),
        ("checked", "Checked"),
        ("approved", "Approved"),
        ("paid", "Paid"),
        ("returned", "Returned"),
        ("cancelled", "Cancelled"),
    ]
    EDITABLE_STATES = ("draft", "returned")
    PENDING_STATES = ("draft", "submitted", "checked", "approved")

    # the review engine
    _state_from = ["draft", "returned"]
    _state_to = ["approved"]
    _cancel_state = "cancelled"
    _review_role_states = {"check": "submitted", "approve": "checked"}
    _review_hold_states = {}
    _review_done_state = "approved"
    _review_editable_states = EDITABLE_STATES
    _review_activity_type = "student_loan_aftercare.mail_activity_type_aftercare_review"
    _review_workflow_fields = frozenset({"request_date", "payment_date", "approved_by_id", "payment_id"})
    _review_reviewed_fields = frozenset({"contract_id", "repay_all", "amount"})

    name = fields.Char(readonly=True, default="/", copy=False)
    contract_id = fields.Many2one(
        "student.loan.contract", required=True, index=True, ondelete="restrict", domain="[('state', '=', 'active')]"
    )
    student_id = fields.Many2one(related="contract_id.student_id", store=True, index=True)
    centre_id = fields.Many2one(related="contract_id.centre_id", store=True, index=True, string="Aid Centre")
    currency_id = fields.Many2one(related="contract_id.currency_id")
    request_date = fields.Date(required=True, readonly=True, default=fields.Date.context_today, copy=False)
    payment_date = fields.Date(readonly=True, copy=False, help="The day the bank deducts the prepayment.")
    repay_all = fields.Boolean(string="Repay Everything", help="The whole outstanding principal and accrued interest.")
    amount = fields.Monetary(help="The amount to repay (when not everything).")
    amount_due = fields.Monetary(
        compute="_compute_amount_due",
        string="Amount to Be Deducted",
        help="What the bank deducts on the payment day: the amount asked for, or everything (the principal "
        "outstanding, the interest accrued until the payment day and what is due and unpaid).",
    )
    state = fields.Selection(
        STATES, default="draft", required=True, readonly=True, tracking=True, index=True, copy=False
    )
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    payment_id = fields.Many2one("student.loan.payment", readonly=True, copy=False)

    @api.depends("repay_all", "amount", "payment_date", "contract_id")
    def _compute_amount_due(self):
        for request in self:
            request.amount_due = request.amount
            if request.repay_all and request.contract_id:
                request.amount_due = request._payoff_amount(request.payment_date or request.request_date)

    def _payoff_amount(self, day):
        """Everything the student owes on ``day`` (0 when the plan cannot tell, e.g. already repaid)."""
        self.ensure_one()
        contract = self.contract_id.sudo()
        try:
            return float(repayment.payoff_amount(contract._get_engine_plan(), day)) + contract.amount_unpaid
        except ValueError:
            return 0.0

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and not self.env.user.has_group("student_loan.group_handler"):
            raise AccessError(self.env._("Only handlers record prepayment requests."))
        today = fields.Date.context_today(self)
        payment_date = self._check_cycle(today)
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("student.loan.prepayment.request") or "/"
            if not vals.get("repay_all") and (vals.get("amount") or 0) <= 0:
                raise UserError(self.env._("Enter the amount to repay early, or choose to repay everything."))
        requests = super().create(vals_list)
        requests.sudo().with_context(skip_validation_check=True).write(
            {"request_date": today, "payment_date": payment_date}
        )
        requests._check_contract()
        return requests

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if not self.env.su and self.filtered(lambda request: request.state not in ("draft", "cancelled")):
            raise UserError(self.env._("Only a draft prepayment request can be deleted: cancel it instead."))

    def _check_contract(self):
        for request in self:
            contract = request.contract_id.sudo()
            if contract.state != "active":
                raise UserError(self.env._("%s: the contract is not in repayment.", request.name))
            if not request.repay_all and request.amount > contract.principal_outstanding:
                raise UserError(
                    self.env._(
                        "%(name)s: the amount is more than the principal outstanding (%(principal)s): "
                        "choose to repay everything instead.",
                        name=request.name,
                        principal=format(contract.principal_outstanding, ",.2f"),
                    )
                )
            others = self.sudo().search_count(
                [
                    ("contract_id", "=", contract.id),
                    ("state", "in", self.PENDING_STATES),
                    ("id", "!=", request.id),
                ],
                limit=1,
            )
            if others:
                raise UserError(
                    self.env._(
                        "The contract %s already has a prepayment request in progress: wait for it to be paid, "
                        "or have it cancelled.",
                        contract.name,
                    )
                )

    @api.model
    def _check_cycle(self, day):
        """The payment date of a request made on ``day``, or a clear refusal (the cycle is a policy parameter)."""
        policy = self.env["student.loan.policy"]._get_for_year(current_academic_year(day))
        blocked = (policy.prepay_blocked_month,) if policy.prepay_blocked_month else ()
        try:
            return prepayment.check_request(
                day, policy.prepay_apply_from_day, policy.prepay_apply_to_day, policy.prepay_payment_day, blocked
            )
        except ValueError as error:
            if day.month in blocked:
                raise UserError(
                    self.env._("The bank does not take prepayments in month %s: apply next month.", day.month)
                ) from error
            if not policy.prepay_apply_from_day <= day.day <= policy.prepay_apply_to_day:
                raise UserError(
                    self.env._(
                        "Prepayments are requested from day %(first)s to day %(last)s of a month; "
                        "they are paid on day %(paid)s.",
                        first=policy.prepay_apply_from_day,
                        last=policy.prepay_apply_to_day,
                        paid=policy.prepay_payment_day,
                    )
                ) from error
            raise UserError(
                self.env._("The prepayment cycle of the policy is not valid: %s", lib_error_message(self.env, error))
            ) from error

    # ------------------------------------------------------------------
    # The review (tiers: Configuration → Review Tiers)
    # ------------------------------------------------------------------

    def action_submit(self):
        """Submit the request (the student's portal or a handler): the cycle is checked again today."""
        if not self.env.su:
            self._check_group("student_loan.group_handler", self.env._("submit prepayment requests"))
        self._check_state(self.EDITABLE_STATES, self.env._("submitted"))
        today = fields.Date.context_today(self)
        payment_date = self._check_cycle(today)
        self._check_contract()
        self._review_submit({"request_date": today, "payment_date": payment_date})
        return True

    def action_check(self):
        """A handler of the centre checks the request (经办人审核)."""
        return self._review_step("check", self.env._("check"), self.env._("checked"))

    def action_approve(self):
        """The supervisor approves (同意): the bank deducts it on the payment day."""
        return self._review_step("approve", self.env._("approve"), self.env._("approved"), self._check_contract)

    def action_cancel(self):
        """Withdraw a request that is not under review (draft or returned), or approved but not paid."""
        self._check_group("student_loan.group_handler", self.env._("cancel prepayment requests"))
        self._check_state((*self.EDITABLE_STATES, "approved"), self.env._("cancelled"))
        self._review_cancel()
        return True

    def _review_on_approved(self, role, reviews):
        if role == "approve":
            self._write_workflow({"approved_by_id": self.env.uid})

    def _review_return_partner_ids(self):
        """The student follows the request in the portal: tell them about a return."""
        return self.student_id.sudo().partner_id.ids

    def action_book(self):
        """On the payment day: book the bank's deduction as an early repayment (the plan is recomputed)."""
        self.ensure_one()
        self._check_group("student_loan.group_handler", self.env._("book prepayments"))
        self._check_state(("approved",), self.env._("booked"))
        today = fields.Date.context_today(self)
        if today < self.payment_date:
            raise UserError(
                self.env._("%(name)s is paid on %(date)s, not before.", name=self.name, date=self.payment_date)
            )
        contract = self.contract_id
        amount = self.amount
        if self.repay_all:
            try:
                amount = float(repayment.payoff_amount(contract._get_engine_plan(), today)) + contract.amount_unpaid
            except ValueError as error:
                raise UserError(
                    self.env._("%(name)s: %(error)s", name=self.name, error=lib_error_message(self.env, error))
                ) from error
        payment = self.env["student.loan.payment"].create(
            {
                "contract_id": contract.id,
                "date": today,
                "amount": amount,
                "channel": "bank_card",
                "reference": self.name,
                "early_repayment": True,
            }
        )
        payment.action_post()
        self._write_workflow({"state": "paid", "payment_id": payment.id})
        self.message_post(body=self.env._("The bank's deduction is booked: %s.", payment.name))
        return True
