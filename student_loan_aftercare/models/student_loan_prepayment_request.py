from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.student_loan.loanlib import prepayment, repayment
from odoo.addons.student_loan.models.student_loan_application import current_academic_year


class StudentLoanPrepaymentRequest(models.Model):
    """A request to repay early (提前还款) on the bank's cycle: requested in the first days of a month (policy),
    approved by the centre, paid on the month's payment day; refused in the month the bank blocks."""

    _name = "student.loan.prepayment.request"
    _description = "Prepayment Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    STATES = [
        ("submitted", "Submitted"),
        ("approved", "Approved"),
        ("paid", "Paid"),
        ("refused", "Refused"),
    ]

    name = fields.Char(readonly=True, default="/", copy=False)
    contract_id = fields.Many2one(
        "student.loan.contract", required=True, index=True, ondelete="restrict", domain="[('state', '=', 'active')]"
    )
    student_id = fields.Many2one(related="contract_id.student_id", store=True, index=True)
    centre_id = fields.Many2one(related="contract_id.centre_id", store=True, index=True, string="Aid Centre")
    currency_id = fields.Many2one(related="contract_id.currency_id")
    request_date = fields.Date(required=True, readonly=True, default=fields.Date.context_today)
    payment_date = fields.Date(readonly=True, help="The day the bank deducts the prepayment.")
    repay_all = fields.Boolean(string="Repay Everything", help="The whole outstanding principal and accrued interest.")
    amount = fields.Monetary(help="The amount to repay (when not everything).")
    state = fields.Selection(STATES, default="submitted", required=True, readonly=True, tracking=True, index=True)
    approved_by_id = fields.Many2one("res.users", readonly=True)
    payment_id = fields.Many2one("student.loan.payment", readonly=True)
    refusal_reason = fields.Text(readonly=True, tracking=True)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.user.has_group("student_loan.group_handler"):
            raise UserError(self.env._("Only handlers record prepayment requests."))
        today = fields.Date.context_today(self)
        for vals in vals_list:
            vals["request_date"] = today
            vals["payment_date"] = self._check_cycle(today)
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("student.loan.prepayment.request") or "/"
            if not vals.get("repay_all") and (vals.get("amount") or 0) <= 0:
                raise UserError(self.env._("Enter the amount to repay early, or choose to repay everything."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and {"state", "payment_date", "request_date", "payment_id"} & set(vals):
            raise UserError(self.env._("The status of a prepayment request changes through its buttons only."))
        return super().write(vals)

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
            raise UserError(self.env._("The prepayment cycle of the policy is not valid: %s", str(error))) from error

    def _lock(self):
        self.env.cr.execute(
            SQL("SELECT id FROM student_loan_prepayment_request WHERE id = ANY(%s) FOR UPDATE NOWAIT", self.ids)
        )

    def action_approve(self):
        self.ensure_one()
        self.check_access("write")
        if not self.env.user.has_group("student_loan.group_supervisor"):
            raise UserError(self.env._("Only supervisors approve prepayment requests."))
        if self.state != "submitted":
            raise UserError(self.env._("%s is not waiting for approval.", self.name))
        if self.create_uid == self.env.user:
            raise UserError(self.env._("You recorded %s: another supervisor must approve it.", self.name))
        self._lock()
        self.sudo().write({"state": "approved", "approved_by_id": self.env.uid})
        return True

    def action_refuse(self, reason=None):
        self.ensure_one()
        self.check_access("write")
        if not self.env.user.has_group("student_loan.group_supervisor"):
            raise UserError(self.env._("Only supervisors refuse prepayment requests."))
        if self.state not in ("submitted", "approved"):
            raise UserError(self.env._("%s can no longer be refused.", self.name))
        if not reason:
            raise UserError(self.env._("Give the reason of the refusal."))
        self._lock()
        self.sudo().write({"state": "refused", "refusal_reason": reason})
        return True

    def action_book(self):
        """On the payment day: book the bank's deduction as an early repayment (the plan is recomputed)."""
        self.ensure_one()
        self.check_access("write")
        if self.state != "approved":
            raise UserError(self.env._("%s is not approved.", self.name))
        today = fields.Date.context_today(self)
        if today < self.payment_date:
            raise UserError(
                self.env._("%(name)s is paid on %(date)s, not before.", name=self.name, date=self.payment_date)
            )
        self._lock()
        contract = self.contract_id
        amount = self.amount
        if self.repay_all:
            try:
                amount = float(repayment.payoff_amount(contract._get_engine_plan(), today)) + contract.amount_unpaid
            except ValueError as error:
                raise UserError(self.env._("%(name)s: %(error)s", name=self.name, error=str(error))) from error
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
        self.sudo().write({"state": "paid", "payment_id": payment.id})
        return True
