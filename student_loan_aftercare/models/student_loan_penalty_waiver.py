from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.student_loan.loanlib import penalty


class StudentLoanPenaltyWaiver(models.Model):
    """A period in which penalty interest was waived for everyone (e.g. the year 2022)."""

    _name = "student.loan.penalty.waiver"
    _description = "Penalty Interest Waiver"
    _inherit = ["mail.thread"]
    _order = "date_from desc"

    name = fields.Char(required=True, tracking=True)
    date_from = fields.Date(string="From", required=True, tracking=True)
    date_to = fields.Date(string="To", required=True, tracking=True, help="Last day of the waiver (included).")
    active = fields.Boolean(default=True)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for waiver in self:
            if waiver.date_to < waiver.date_from:
                raise ValidationError(self.env._("The waiver %(name)s ends before it starts.", name=waiver.name))

    @api.model
    def _get_waivers(self):
        """The active waivers as ``loanlib.penalty.Waiver`` ranges (end excluded)."""
        return [
            penalty.Waiver(waiver.date_from, fields.Date.add(waiver.date_to, days=1), waiver.name)
            for waiver in self.sudo().search([])
        ]
