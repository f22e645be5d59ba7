from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.student_loan.loanlib import penalty
from odoo.addons.student_loan.loanlib.errors import LibError
from odoo.addons.student_loan.models.lib_errors import lib_error_message


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
            try:
                waiver._as_lib_waiver()
            except LibError as error:
                raise ValidationError(
                    self.env._("Waiver %(name)s: %(error)s", name=waiver.name, error=lib_error_message(self.env, error))
                ) from error

    def _as_lib_waiver(self):
        """The waiver as a ``loanlib.penalty.Waiver`` range (the last day included, so the end is the day after)."""
        self.ensure_one()
        return penalty.Waiver(self.date_from, fields.Date.add(self.date_to, days=1), self.name)

    @api.model
    def _get_waivers(self):
        """The active waivers as ``loanlib.penalty.Waiver`` ranges (end excluded)."""
        return [waiver._as_lib_waiver() for waiver in self.sudo().search([])]
