from odoo import api, fields, models

from ..intakelib import forecast
from .student_loan_intake_desk import STATIONS


class StudentLoanIntakeVisit(models.Model):
    """One ticket's stay at one station: queued, called to a desk, done. Throughput per desk and day
    and waiting/service times are counted on these lines."""

    _name = "student.loan.intake.visit"
    _description = "Intake Station Visit"
    _order = "queued_at desc, id desc"
    _rec_name = "ticket_id"

    OUTCOMES = [
        ("served", "Served"),
        ("skipped", "Skipped"),
        ("transferred", "Transferred"),
        ("left", "Left"),
    ]

    ticket_id = fields.Many2one("student.loan.intake.ticket", required=True, index=True, ondelete="cascade")
    centre_id = fields.Many2one(related="ticket_id.centre_id", store=True, index=True)
    date = fields.Date(related="ticket_id.date", store=True, index=True)
    source = fields.Selection(related="ticket_id.source", store=True)
    station = fields.Selection(STATIONS, required=True, index=True)
    desk_id = fields.Many2one("student.loan.intake.desk", index=True, ondelete="set null")
    assigned_desk_id = fields.Many2one("student.loan.intake.desk", string="Transferred To", ondelete="set null")
    user_id = fields.Many2one("res.users", string="Served By", index=True, ondelete="set null")
    queued_at = fields.Datetime(required=True)
    called_at = fields.Datetime()
    done_at = fields.Datetime()
    outcome = fields.Selection(OUTCOMES, index=True)
    wait_minutes = fields.Float(
        string="Waiting (min)",
        compute="_compute_minutes",
        store=True,
        aggregator="avg",
        digits=(16, 1),
    )
    service_minutes = fields.Float(
        string="Service (min)",
        compute="_compute_minutes",
        store=True,
        aggregator="avg",
        digits=(16, 1),
    )

    @api.depends("queued_at", "called_at", "done_at")
    def _compute_minutes(self):
        for visit in self:
            visit.wait_minutes = forecast.minutes_between(visit.queued_at, visit.called_at or visit.done_at)
            visit.service_minutes = forecast.minutes_between(visit.called_at, visit.done_at)
