from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.student_loan.loanlib import penalty
from odoo.addons.student_loan.loanlib.errors import LibError
from odoo.addons.student_loan.models.lib_errors import lib_error_message


class StudentLoanPolicy(models.Model):
    """After-the-loan parameters of an academic year's policy (never constants in code)."""

    _inherit = "student.loan.policy"

    penalty_multiple = fields.Float(
        string="Penalty Interest Multiple",
        digits=(6, 2),
        default=1.3,
        tracking=True,
        help="Overdue principal accrues penalty interest (罚息) at this multiple of the contract rate (1.3 = 130 %).",
    )
    default_threshold_days = fields.Integer(
        string="Default After (days past due)",
        default=365,
        tracking=True,
        help="A loan longer in arrears than this, with no contact, becomes a default case.",
    )
    default_contact_window_days = fields.Integer(
        string="No Contact For (days)",
        default=180,
        tracking=True,
        help="A contact with the borrower or the co-borrower within this many days keeps the loan out of default.",
    )
    risk_fund_rate = fields.Float(
        string="Risk-Fund Rate (%)",
        digits=(6, 2),
        default=5.0,
        tracking=True,
        help="Share of the year's new loans set aside as risk-compensation fund (风险补偿金).",
    )
    risk_fund_central_share = fields.Float(
        string="Central Share of the Fund (%)",
        digits=(6, 2),
        default=50.0,
        tracking=True,
        help="The central government's share of the risk-compensation fund; the local government pays the rest.",
    )

    prepay_apply_from_day = fields.Integer(
        string="Prepayment: Requests From Day", default=1, tracking=True, help="First day of a month for requests."
    )
    prepay_apply_to_day = fields.Integer(
        string="Prepayment: Requests Until Day", default=10, tracking=True, help="Last day of a month for requests."
    )
    prepay_payment_day = fields.Integer(
        string="Prepayment: Paid On Day", default=20, tracking=True, help="The bank deducts on this day of the month."
    )
    prepay_blocked_month = fields.Integer(
        string="Prepayment: Blocked Month",
        default=11,
        tracking=True,
        help="No prepayment is requested in this month (0: none), the month before the settlement.",
    )

    @api.constrains(
        "penalty_multiple",
        "default_threshold_days",
        "default_contact_window_days",
        "risk_fund_rate",
        "risk_fund_central_share",
    )
    def _check_aftercare_numbers(self):
        for policy in self:
            try:
                penalty.penalty_rate(0, policy.penalty_multiple)
            except LibError as error:
                raise ValidationError(lib_error_message(self.env, error)) from error
            if policy.default_threshold_days < 1 or policy.default_contact_window_days < 0:
                raise ValidationError(self.env._("The default threshold and the contact window must be positive."))
            if not 0 <= policy.risk_fund_rate <= 100 or not 0 <= policy.risk_fund_central_share <= 100:
                raise ValidationError(self.env._("The risk-fund rate and the central share are percentages (0-100)."))
