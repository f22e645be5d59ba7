from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..intakelib import forecast


class StudentLoanIntakeShift(models.Model):
    """A shift of a centre's intake day (e.g. morning, afternoon, evening signing)."""

    _name = "student.loan.intake.shift"
    _description = "Intake Shift"
    _order = "centre_id, sequence, hour_from, id"

    name = fields.Char(required=True, translate=True)
    centre_id = fields.Many2one(
        "student.loan.centre",
        string="Aid Centre",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.user.loan_centre_id,
    )
    sequence = fields.Integer(default=10)
    hour_from = fields.Float(string="From", required=True, default=8.0)
    hour_to = fields.Float(string="To", required=True, default=12.0)
    duration_minutes = fields.Float(compute="_compute_duration_minutes")
    appointment_capacity = fields.Integer(
        string="Appointments per Day",
        default=0,
        help="Families who can book this shift from the portal on a day the roster staffs it (0: no booking).",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "hours_valid",
            "check(hour_from >= 0 and hour_to <= 24 and hour_to > hour_from)",
            "A shift must end after it starts, within the day.",
        ),
        ("capacity_positive", "check(appointment_capacity >= 0)", "The appointment capacity cannot be negative."),
    ]

    @api.depends("hour_from", "hour_to")
    def _compute_duration_minutes(self):
        for shift in self:
            try:
                shift.duration_minutes = forecast.shift_minutes(shift.hour_from, shift.hour_to)
            except ValueError:
                shift.duration_minutes = 0.0

    @api.depends("name", "hour_from", "hour_to")
    def _compute_display_name(self):
        for shift in self:
            hours = f"{self._format_hour(shift.hour_from)}-{self._format_hour(shift.hour_to)}"
            shift.display_name = f"{shift.name} ({hours})"

    @api.constrains("hour_from", "hour_to")
    def _check_hours(self):
        for shift in self:
            if not 0 <= shift.hour_from < shift.hour_to <= 24:
                raise ValidationError(self.env._("The shift %s must end after it starts, within the day.", shift.name))

    @staticmethod
    def _format_hour(value):
        hours, minutes = divmod(round((value or 0.0) * 60), 60)
        return f"{hours:02d}:{minutes:02d}"
