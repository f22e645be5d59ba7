from odoo import api, fields, models
from odoo.exceptions import ValidationError


class StudentLoanIntakeRoster(models.Model):
    """Who staffs a desk on a day and shift (staff member or volunteer)."""

    _name = "student.loan.intake.roster"
    _description = "Intake Roster Line"
    _order = "date desc, shift_sequence, station_sequence, desk_id, id"
    _rec_name = "user_id"

    date = fields.Date(required=True, index=True, default=fields.Date.context_today)
    desk_id = fields.Many2one("student.loan.intake.desk", required=True, index=True, ondelete="cascade")
    shift_id = fields.Many2one(
        "student.loan.intake.shift",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('centre_id', '=', centre_id)]",
    )
    user_id = fields.Many2one("res.users", string="Person", required=True, index=True, ondelete="cascade")
    centre_id = fields.Many2one(related="desk_id.centre_id", store=True, index=True, precompute=True)
    station = fields.Selection(related="desk_id.station", store=True, precompute=True)
    station_sequence = fields.Integer(related="desk_id.station_sequence", store=True)
    shift_sequence = fields.Integer(related="shift_id.sequence", store=True)
    role = fields.Selection(
        [("staff", "Staff"), ("volunteer", "Volunteer")],
        compute="_compute_role",
        store=True,
    )
    hours = fields.Float(compute="_compute_hours", store=True)
    note = fields.Char()

    _sql_constraints = [
        ("person_once", "unique(date, shift_id, user_id)", "A person can staff one desk per shift."),
    ]

    @api.depends("user_id")
    def _compute_role(self):
        handler = self.env.ref("student_loan.group_handler")
        for line in self:
            line.role = "staff" if handler in line.user_id.sudo().groups_id else "volunteer"

    @api.depends("shift_id.hour_from", "shift_id.hour_to")
    def _compute_hours(self):
        for line in self:
            line.hours = line.shift_id.duration_minutes / 60.0

    @api.constrains("desk_id", "shift_id")
    def _check_centre(self):
        for line in self:
            if line.shift_id.centre_id != line.desk_id.centre_id:
                raise ValidationError(
                    self.env._(
                        "The shift %(shift)s belongs to another centre than the desk %(desk)s.",
                        shift=line.shift_id.name,
                        desk=line.desk_id.name,
                    )
                )
