import datetime
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.student_loan.models.lib_errors import lib_error_message

from ..intakelib import forecast
from .student_loan_intake_desk import STATIONS


class StudentLoanIntakeForecast(models.Model):
    """Tomorrow's arrivals at a centre's intake hall, from the past days and the appointments, with
    the suggested staffing per station next to the roster, and the bottleneck station."""

    _name = "student.loan.intake.forecast"
    _description = "Intake Forecast"
    _order = "date desc, centre_id"

    name = fields.Char(compute="_compute_name", store=True)
    centre_id = fields.Many2one(
        "student.loan.centre",
        string="Aid Centre",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.user.loan_centre_id,
    )
    date = fields.Date(
        string="Day",
        required=True,
        index=True,
        default=lambda self: self.env["student.loan.intake.ticket"]._intake_today() + datetime.timedelta(days=1),
    )
    history_days = fields.Integer(default=28, help="Past days used for the forecast and the station times.")
    show_rate = fields.Float(default=0.9, help="Share of appointments expected to come.")
    target_utilisation = fields.Float(
        default=0.85,
        help="Share of a desk's time spent serving: below 1 so that queues empty.",
    )
    computed_on = fields.Datetime(readonly=True)
    walk_ins = fields.Integer(string="Expected Walk-ins", readonly=True)
    appointments = fields.Integer(string="Appointments Booked", readonly=True)
    expected_appointments = fields.Integer(readonly=True)
    expected_arrivals = fields.Integer(string="Expected Families", readonly=True)
    weekday_factor = fields.Float(readonly=True, digits=(16, 2))
    days_used = fields.Integer(string="Open Days of History", readonly=True)
    open_minutes = fields.Float(readonly=True)
    history_families = fields.Integer(string="Families in History", readonly=True)
    bottleneck_station = fields.Selection(
        STATIONS,
        readonly=True,
        help="The station with the highest utilisation (or the longest wait) in the history.",
    )
    line_ids = fields.One2many("student.loan.intake.forecast.line", "forecast_id", string="Stations")
    suggested_staff = fields.Integer(compute="_compute_totals")
    rostered_staff = fields.Integer(compute="_compute_totals")

    _sql_constraints = [
        ("centre_date_unique", "unique(centre_id, date)", "There is already a forecast of this day for this centre."),
        (
            "rates_valid",
            "check(show_rate >= 0 and show_rate <= 1 and target_utilisation > 0 and target_utilisation <= 1)",
            "Rates must be between 0 and 1.",
        ),
    ]

    @api.depends("centre_id", "date")
    def _compute_name(self):
        for record in self:
            record.name = f"{record.centre_id.name or ''} {record.date or ''}".strip()

    @api.depends("line_ids.suggested_staff", "line_ids.rostered_staff")
    def _compute_totals(self):
        for record in self:
            record.suggested_staff = sum(record.line_ids.mapped("suggested_staff"))
            record.rostered_staff = sum(record.line_ids.mapped("rostered_staff"))

    def action_compute(self):
        for record in self:
            record._compute_forecast()
        return True

    def _history_domain(self, model_date_field="date"):
        self.ensure_one()
        start = self.date - datetime.timedelta(days=self.history_days)
        return [
            ("centre_id", "=", self.centre_id.id),
            (model_date_field, ">=", start),
            (model_date_field, "<", self.date),
        ]

    def _compute_forecast(self):
        self.ensure_one()
        Ticket = self.env["student.loan.intake.ticket"]
        arrived = [("state", "not in", ("booked",)), ("arrived_at", "!=", False)]
        walk_ins = dict(
            Ticket._read_group(
                self._history_domain() + arrived + [("source", "=", "walk_in")],
                ["date:day"],
                ["__count"],
            )
        )
        families = Ticket.search_count(self._history_domain() + arrived)
        appointments = Ticket.search_count(
            [
                ("centre_id", "=", self.centre_id.id),
                ("date", "=", self.date),
                ("source", "=", "appointment"),
                ("state", "!=", "cancelled"),
            ]
        )
        arrivals = forecast.forecast_arrivals(walk_ins, self.date, appointments, show_rate=self.show_rate)

        loads = self._station_loads()
        served = {load.station: load.served for load in loads}
        service_minutes = {load.station: load.average_service for load in loads if load.served >= 5}
        reach = forecast.estimate_reach(served, families) if families >= 20 else None
        open_minutes, rostered = self._target_day_roster()
        try:
            staffing = forecast.suggest_staffing(
                arrivals.total,
                open_minutes,
                service_minutes,
                reach,
                target_utilisation=self.target_utilisation,
            )
        except ValueError as error:
            raise UserError(
                self.env._(
                    "%(centre)s: %(error)s", centre=self.centre_id.name, error=lib_error_message(self.env, error)
                )
            ) from error
        by_station = {load.station: load for load in loads}
        self.line_ids.unlink()
        self.write(
            {
                "computed_on": fields.Datetime.now(),
                "walk_ins": arrivals.walk_ins,
                "appointments": arrivals.appointments,
                "expected_appointments": arrivals.expected_appointments,
                "expected_arrivals": arrivals.total,
                "weekday_factor": arrivals.weekday_factor,
                "days_used": arrivals.days_used,
                "open_minutes": open_minutes,
                "history_families": families,
                "bottleneck_station": forecast.find_bottleneck(loads) or False,
                "line_ids": [
                    fields.Command.create(
                        {
                            "station": station,
                            "families": suggestion.families,
                            "service_minutes": suggestion.service_minutes,
                            "suggested_staff": suggestion.staff,
                            "rostered_staff": rostered.get(station, 0),
                            "served": by_station[station].served,
                            "average_wait": by_station[station].average_wait,
                            "utilisation": (by_station[station].utilisation or 0.0) * 100,
                            "per_desk_hour": by_station[station].per_desk_hour or 0.0,
                        }
                    )
                    for station, suggestion in staffing.items()
                ],
            }
        )

    def _station_loads(self):
        """What each station did over the history: served, minutes of service and wait, staffed minutes."""
        self.ensure_one()
        stats = {
            station: (count, service, wait)
            for station, count, service, wait in self.env["student.loan.intake.visit"]._read_group(
                self._history_domain() + [("outcome", "=", "served")],
                ["station"],
                ["__count", "service_minutes:sum", "wait_minutes:sum"],
            )
        }
        staffed = defaultdict(float)
        desk_shifts = self.env["student.loan.intake.roster"]._read_group(
            self._history_domain(),
            ["desk_id", "date:day", "shift_id"],
        )
        for desk, _day, shift in desk_shifts:
            staffed[desk.station] += shift.duration_minutes
        return [
            forecast.StationLoad(
                station=station,
                served=stats.get(station, (0, 0.0, 0.0))[0],
                service_minutes=stats.get(station, (0, 0.0, 0.0))[1],
                wait_minutes=stats.get(station, (0, 0.0, 0.0))[2],
                staffed_minutes=staffed.get(station, 0.0),
            )
            for station in forecast.STATIONS
        ]

    def _target_day_roster(self):
        """Opening minutes of the day (its rostered shifts, else every shift) and the people rostered per
        station (the largest number over the day's shifts)."""
        self.ensure_one()
        lines = self.env["student.loan.intake.roster"].search(
            [("centre_id", "=", self.centre_id.id), ("date", "=", self.date)]
        )
        shifts = lines.shift_id or self.env["student.loan.intake.shift"].search([("centre_id", "=", self.centre_id.id)])
        open_minutes = sum(shifts.mapped("duration_minutes"))
        people = defaultdict(set)
        for line in lines:
            people[(line.station, line.shift_id.id)].add(line.user_id.id)
        rostered = defaultdict(int)
        for (station, _shift), users in people.items():
            rostered[station] = max(rostered[station], len(users))
        return open_minutes, rostered

    @api.model
    def _cron_forecast_tomorrow(self):
        """Every centre with desks: forecast tomorrow (recomputed if it exists)."""
        tomorrow = self.env["student.loan.intake.ticket"]._intake_today() + datetime.timedelta(days=1)
        centres = self.env["student.loan.intake.desk"]._read_group([], ["centre_id"])
        for (centre,) in centres:
            record = self.search([("centre_id", "=", centre.id), ("date", "=", tomorrow)], limit=1)
            record = record or self.create({"centre_id": centre.id, "date": tomorrow})
            if record.env["student.loan.intake.shift"].search_count([("centre_id", "=", centre.id)]):
                record._compute_forecast()
        return True
