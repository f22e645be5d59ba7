import datetime

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..loanlib import policy as policy_math


class StudentLoanPolicy(models.Model):
    """The national loan policy of one academic year: every number is a parameter."""

    _name = "student.loan.policy"
    _description = "Academic-Year Loan Policy"
    _inherit = ["mail.thread"]
    _order = "academic_year desc"

    name = fields.Char(compute="_compute_name", store=True)
    academic_year = fields.Integer(
        required=True, tracking=True, help="First calendar year of the academic year (2017 = 2017-2018)."
    )
    cap_undergraduate = fields.Monetary(string="Cap (Undergraduate & Vocational)", required=True, tracking=True)
    cap_graduate = fields.Monetary(string="Cap (Graduate)", required=True, tracking=True)
    min_amount = fields.Monetary(string="Minimum Amount", default=1000, required=True, tracking=True)
    lpr_rate = fields.Float(
        string="LPR / Base Rate (%)",
        digits=(6, 4),
        required=True,
        tracking=True,
        help="Same-term (over 5 years) loan prime rate, or the benchmark rate before LPR.",
    )
    spread_bp = fields.Integer(string="Spread (bp)", tracking=True, help="Basis points deducted from the LPR.")
    contract_rate = fields.Float(
        string="Contract Rate (%)", digits=(6, 4), compute="_compute_contract_rate", store=True
    )
    term_extra_years = fields.Integer(string="Term: Years after Study", default=15, required=True, tracking=True)
    term_max_years = fields.Integer(string="Term: Maximum Years", default=22, required=True, tracking=True)
    grace_years = fields.Integer(string="Principal Grace Years", default=5, required=True, tracking=True)
    settlement_month = fields.Integer(default=12, required=True, tracking=True)
    settlement_day = fields.Integer(default=20, required=True, tracking=True)
    reminder_days = fields.Integer(default=30, help="Remind students this many days before the settlement date.")
    attachment_rule_ids = fields.One2many(
        "student.loan.attachment.rule", "policy_id", string="Attachment Rules", copy=True
    )
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.ref("base.CNY"), required=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("academic_year_unique", "unique(academic_year)", "There is already a policy for this academic year."),
    ]

    @api.depends("academic_year")
    def _compute_name(self):
        for policy in self:
            year = policy.academic_year
            policy.name = f"{year}-{year + 1}" if year else False

    @api.depends("lpr_rate", "spread_bp")
    def _compute_contract_rate(self):
        for policy in self:
            try:
                policy.contract_rate = float(policy_math.contract_rate(policy.lpr_rate, policy.spread_bp))
            except ValueError:
                policy.contract_rate = 0.0

    @api.constrains(
        "cap_undergraduate",
        "cap_graduate",
        "min_amount",
        "term_extra_years",
        "term_max_years",
        "grace_years",
        "settlement_month",
        "settlement_day",
        "lpr_rate",
        "spread_bp",
        "academic_year",
    )
    def _check_numbers(self):
        for policy in self:
            if not 2000 <= policy.academic_year <= 2100:
                raise ValidationError(self.env._("The academic year %s is not plausible.", policy.academic_year))
            if policy.min_amount <= 0 or policy.min_amount > min(policy.cap_undergraduate, policy.cap_graduate):
                raise ValidationError(self.env._("The minimum amount must be positive and below both caps."))
            if policy.term_extra_years <= 0 or policy.term_max_years < policy.term_extra_years:
                raise ValidationError(self.env._("The maximum term must be at least the years after study."))
            if policy.grace_years < 0 or policy.grace_years >= policy.term_extra_years:
                raise ValidationError(self.env._("The grace period must be shorter than the years after study."))
            try:
                datetime.date(2001, policy.settlement_month, policy.settlement_day)
            except ValueError as error:
                raise ValidationError(self.env._("The settlement date is not a valid day of the year.")) from error
            if policy.contract_rate <= 0:
                raise ValidationError(self.env._("The LPR minus the spread must leave a positive rate."))

    @api.model
    def _get_by_year(self, academic_years):
        """``{academic_year: policy}`` for the given years, in one query (years without a policy are absent)."""
        policies = self.sudo().search([("academic_year", "in", list(set(academic_years)))])
        return {policy.academic_year: policy for policy in policies}

    @api.model
    def _get_for_year(self, academic_year):
        """The policy of an academic year, or a clear error when none is configured."""
        policy = self.sudo().search([("academic_year", "=", academic_year)], limit=1)
        if not policy:
            raise UserError(
                self.env._(
                    "No loan policy is configured for the academic year %(year)s. "
                    "Ask the province administrator to add it under Configuration > Policies.",
                    year=academic_year,
                )
            )
        return policy

    def _get_cap(self, level):
        self.ensure_one()
        return policy_math.cap_for_level(level, self.cap_undergraduate, self.cap_graduate)

    def settlement_date(self, year):
        self.ensure_one()
        return datetime.date(year, self.settlement_month, self.settlement_day)
