from odoo import api, fields, models

from .student_loan_plan_line import PLAN_LINE_KINDS


class StudentLoanChangePlanLine(models.Model):
    """A line of the old or of the new plan shown by a repayment-plan change request (还款计划变更)."""

    _name = "student.loan.change.plan.line"
    _description = "Plan Line of a Change Request"
    _order = "request_id, side, date, id"

    request_id = fields.Many2one(
        "student.loan.change.request", string="Change Request", required=True, index=True, ondelete="cascade"
    )
    centre_id = fields.Many2one(related="request_id.centre_id", string="Aid Centre")
    side = fields.Selection([("old", "Current Plan"), ("new", "New Plan")], required=True)
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    date = fields.Date(string="Due Date", required=True)
    kind = fields.Selection(PLAN_LINE_KINDS, required=True)
    principal = fields.Monetary()
    interest = fields.Monetary(string="Interest (Student)")
    subsidised_interest = fields.Monetary()
    total = fields.Monetary(string="Student Pays", compute="_compute_total", store=True)
    balance = fields.Monetary(string="Balance After")

    @api.depends("request_id.currency_id")
    def _compute_currency_id(self):
        # computed, not related: a batch of lines created at once converts its Monetary values without
        # building a record per value (the settlement run creates lines by the hundred thousand)
        for line in self:
            line.currency_id = line.request_id.currency_id

    @api.depends("principal", "interest")
    def _compute_total(self):
        for line in self:
            line.total = line.principal + line.interest
