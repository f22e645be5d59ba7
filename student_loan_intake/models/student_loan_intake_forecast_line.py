from odoo import api, fields, models

from .student_loan_intake_desk import STATIONS


class StudentLoanIntakeForecastLine(models.Model):
    _name = "student.loan.intake.forecast.line"
    _description = "Intake Forecast per Station"
    _order = "forecast_id, id"

    forecast_id = fields.Many2one("student.loan.intake.forecast", required=True, index=True, ondelete="cascade")
    station = fields.Selection(STATIONS, required=True)
    families = fields.Float(string="Expected Families", digits=(16, 0))
    service_minutes = fields.Float(string="Minutes per Family", digits=(16, 1))
    suggested_staff = fields.Integer(string="Suggested Desks")
    rostered_staff = fields.Integer(string="Rostered")
    gap = fields.Integer(compute="_compute_gap", store=True, help="Desks to add (positive) or free (negative).")
    served = fields.Integer(string="Served (History)")
    average_wait = fields.Float(string="Average Wait (min)", digits=(16, 1))
    utilisation = fields.Float(string="Utilisation (%)", digits=(16, 0))
    per_desk_hour = fields.Float(string="Families per Desk-Hour", digits=(16, 1))

    @api.depends("suggested_staff", "rostered_staff")
    def _compute_gap(self):
        for line in self:
            line.gap = line.suggested_staff - line.rostered_staff
