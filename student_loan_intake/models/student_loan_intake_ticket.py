import datetime

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..intakelib import forecast
from .student_loan_intake_desk import STATIONS


class StudentLoanIntakeTicket(models.Model):
    """A family's queue ticket for one day: taken at intake (or booked from the portal), called
    from desk to desk through the five stations until the contract is signed."""

    _name = "student.loan.intake.ticket"
    _description = "Intake Ticket"
    _order = "date desc, priority desc, queued_at, id"

    STATES = [
        ("booked", "Booked"),
        ("waiting", "Waiting"),
        ("called", "Called"),
        ("skipped", "Skipped"),
        ("done", "Done"),
        ("cancelled", "Cancelled"),
    ]
    SOURCES = [("walk_in", "Walk-in"), ("appointment", "Appointment")]
    PREFIXES = {"walk_in": "A", "appointment": "B"}
    DEFAULT_TZ = "Asia/Shanghai"
    APPOINTMENT_DAYS = 7

    name = fields.Char(string="Ticket", readonly=True, copy=False, index=True)
    number = fields.Integer(readonly=True, copy=False)
    centre_id = fields.Many2one(
        "student.loan.centre",
        string="Aid Centre",
        required=True,
        index=True,
        ondelete="restrict",
        default=lambda self: self.env.user.loan_centre_id,
    )
    date = fields.Date(required=True, index=True, default=lambda self: self._intake_today())
    shift_id = fields.Many2one(
        "student.loan.intake.shift",
        index=True,
        domain="[('centre_id', '=', centre_id)]",
    )
    source = fields.Selection(SOURCES, required=True, default="walk_in", readonly=True)
    state = fields.Selection(STATES, required=True, default="waiting", index=True, readonly=True, copy=False)
    station = fields.Selection(STATIONS, default="consult", index=True, readonly=True, copy=False)
    desk_id = fields.Many2one(
        "student.loan.intake.desk",
        index=True,
        readonly=True,
        copy=False,
        help="The desk the family is called to.",
    )
    assigned_desk_id = fields.Many2one(
        "student.loan.intake.desk",
        string="Waiting For Desk",
        readonly=True,
        copy=False,
        help="Transferred to this desk: only it calls the ticket.",
    )
    priority = fields.Selection([("0", "Normal"), ("1", "Appointment")], default="0", readonly=True)
    booked_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    arrived_at = fields.Datetime(readonly=True, copy=False)
    queued_at = fields.Datetime(string="In Queue Since", readonly=True, copy=False)
    called_at = fields.Datetime(readonly=True, copy=False)
    last_call_at = fields.Datetime(readonly=True, copy=False)
    done_at = fields.Datetime(readonly=True, copy=False)
    recall_count = fields.Integer(readonly=True, copy=False)
    completed = fields.Boolean(
        string="Signed",
        readonly=True,
        copy=False,
        help="The family passed the contract-signing desk.",
    )
    student_id = fields.Many2one(
        "student.loan.student",
        index=True,
        ondelete="set null",
        domain="[('centre_id', 'child_of', centre_id)]",
    )
    application_id = fields.Many2one(
        "student.loan.application",
        index=True,
        ondelete="set null",
        domain="[('student_id', '=', student_id)]",
    )
    visit_ids = fields.One2many("student.loan.intake.visit", "ticket_id", string="Stations Visited")
    wait_minutes = fields.Float(
        string="Waiting (min)",
        compute="_compute_times",
        store=True,
        aggregator="avg",
        digits=(16, 1),
    )
    service_minutes = fields.Float(
        string="Service (min)",
        compute="_compute_times",
        store=True,
        aggregator="avg",
        digits=(16, 1),
    )
    note = fields.Char()

    _sql_constraints = [
        ("name_unique", "unique(centre_id, date, name)", "This ticket number is already used today."),
    ]

    @api.depends("visit_ids.wait_minutes", "visit_ids.service_minutes")
    def _compute_times(self):
        for ticket in self:
            ticket.wait_minutes = sum(ticket.visit_ids.mapped("wait_minutes"))
            ticket.service_minutes = sum(ticket.visit_ids.mapped("service_minutes"))

    @api.depends("name", "station", "state")
    def _compute_display_name(self):
        for ticket in self:
            ticket.display_name = ticket.name or self.env._("New Ticket")

    @api.constrains("student_id", "application_id")
    def _check_application(self):
        for ticket in self:
            if ticket.application_id and ticket.application_id.student_id != ticket.student_id:
                raise ValidationError(
                    self.env._("The application %s is not the ticket's student's.", ticket.application_id.name)
                )

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    @api.model
    def _intake_today(self):
        """Today in the centre's time zone (the user's, or China's for the public screen and crons)."""
        tz = self.env.context.get("tz") or self.env.user.tz or self.DEFAULT_TZ
        return fields.Date.context_today(self.with_context(tz=tz))

    @api.model
    def _next_number(self, centre_id, date, source):
        """Next number of the day's series (A: walk-ins, B: appointments); serialised per centre and day."""
        self.env.cr.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"intake_ticket:{centre_id}:{date}"])
        self.flush_model(["centre_id", "date", "source", "number"])
        self.env.cr.execute(
            "SELECT coalesce(max(number), 0) FROM student_loan_intake_ticket "
            "WHERE centre_id = %s AND date = %s AND source = %s",
            [centre_id, date, source],
        )
        return self.env.cr.fetchone()[0] + 1

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        tickets = self.browse()
        # one at a time: each number is the day's maximum + 1, under the day's lock
        for vals in vals_list:
            vals = dict(vals)
            vals.setdefault("centre_id", self.env.user.loan_centre_id.id)
            if not vals.get("centre_id"):
                raise UserError(self.env._("Choose the aid centre of the ticket."))
            vals.setdefault("date", self._intake_today())
            source = vals.setdefault("source", "walk_in")
            if source == "appointment":
                vals.setdefault("state", "booked")
                vals.setdefault("priority", "1")
            number = self._next_number(vals["centre_id"], vals["date"], source)
            vals.update(number=number, name=f"{self.PREFIXES[source]}{number:03d}")
            if vals.get("state", "waiting") == "waiting":
                vals.update(
                    state="waiting",
                    station=vals.get("station") or "consult",
                    queued_at=vals.get("queued_at") or now,
                    arrived_at=vals.get("arrived_at") or now,
                )
            tickets |= super().create([vals])
        waiting = tickets.filtered(lambda ticket: ticket.state == "waiting")
        if waiting:
            self.env["student.loan.intake.visit"].create(
                [
                    {"ticket_id": ticket.id, "station": ticket.station, "queued_at": ticket.queued_at}
                    for ticket in waiting
                ]
            )
        return tickets

    def _open_visit(self):
        self.ensure_one()
        return self.visit_ids.filtered(lambda visit: not visit.done_at)[:1]

    def _close_visit(self, outcome, now=None):
        now = now or fields.Datetime.now()
        for ticket in self:
            visit = ticket._open_visit()
            if visit:
                visit.write({"done_at": now, "outcome": outcome})

    def _enqueue(self, station, desk=None, now=None):
        now = now or fields.Datetime.now()
        self.write(
            {
                "state": "waiting",
                "station": station,
                "desk_id": False,
                "assigned_desk_id": desk.id if desk else False,
                "queued_at": now,
                "called_at": False,
            }
        )
        self.env["student.loan.intake.visit"].create(
            [
                {
                    "ticket_id": ticket.id,
                    "station": station,
                    "queued_at": now,
                    "assigned_desk_id": desk.id if desk else False,
                }
                for ticket in self
            ]
        )

    @api.model
    def _pop_next(self, desk):
        """The next ticket waiting for ``desk`` (transferred to it first, then appointments, then the
        oldest), locked so that two desks never call the same family."""
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
            SELECT id FROM student_loan_intake_ticket
             WHERE centre_id = %(centre)s AND date = %(date)s AND state = 'waiting' AND station = %(station)s
               AND (assigned_desk_id IS NULL OR assigned_desk_id = %(desk)s)
          ORDER BY (assigned_desk_id IS NOT NULL) DESC, priority DESC, queued_at, id
             LIMIT 1
               FOR UPDATE SKIP LOCKED
            """,
                centre=desk.centre_id.id,
                date=self._intake_today(),
                station=desk.station,
                desk=desk.id,
            )
        )
        row = self.env.cr.fetchone()
        return self.browse(row[0]) if row else self.browse()

    def _call(self, desk):
        self.ensure_one()
        now = fields.Datetime.now()
        self.write(
            {"state": "called", "desk_id": desk.id, "assigned_desk_id": False, "called_at": now, "last_call_at": now}
        )
        visit = self._open_visit()
        if visit:
            visit.write({"desk_id": desk.id, "user_id": self.env.uid, "called_at": now})

    def _recall(self):
        for ticket in self:
            ticket.write({"recall_count": ticket.recall_count + 1, "last_call_at": fields.Datetime.now()})

    def _finish_station(self):
        """The desk is done with the family: on to the next station, or done after signing."""
        now = fields.Datetime.now()
        for ticket in self:
            if ticket.state != "called":
                raise UserError(self.env._("%s is not being served at a desk.", ticket.name))
            ticket._close_visit("served", now)
            following = forecast.next_station(ticket.station)
            if following:
                ticket._enqueue(following, now=now)
            else:
                ticket.write({"state": "done", "desk_id": False, "done_at": now, "completed": True})

    def _skip(self):
        now = fields.Datetime.now()
        for ticket in self:
            ticket._close_visit("skipped", now)
            ticket.write({"state": "skipped", "desk_id": False})

    def _transfer(self, station, desk=None, note=None):
        now = fields.Datetime.now()
        for ticket in self:
            if ticket.state not in ("called", "waiting", "skipped"):
                raise UserError(self.env._("%s is not in the queue.", ticket.name))
            if desk and (desk.station != station or desk.centre_id != ticket.centre_id):
                raise UserError(
                    self.env._("The desk %(desk)s does not serve that station of this centre.", desk=desk.name)
                )
            ticket._close_visit("transferred", now)
            ticket._enqueue(station, desk=desk, now=now)
            if note:
                ticket.note = " / ".join(filter(None, [ticket.note, note]))

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------

    def action_check_in(self):
        """The family with an appointment arrived: into the queue of the first station."""
        today = self._intake_today()
        for ticket in self:
            if ticket.state != "booked":
                raise UserError(self.env._("%s has already checked in.", ticket.name))
            if ticket.date != today:
                raise UserError(
                    self.env._("%(ticket)s is booked for %(date)s, not today.", ticket=ticket.name, date=ticket.date)
                )
            ticket.arrived_at = fields.Datetime.now()
            ticket._enqueue("consult")
        return True

    def action_requeue(self):
        """A skipped family turned up: back in the queue of the same station."""
        for ticket in self:
            if ticket.state != "skipped":
                raise UserError(self.env._("Only a skipped ticket can go back into the queue."))
            ticket._enqueue(ticket.station)
        return True

    def action_done(self):
        """The family needs no other desk (e.g. only a question at intake): they leave the queue."""
        now = fields.Datetime.now()
        for ticket in self:
            if ticket.state not in ("waiting", "called", "skipped"):
                raise UserError(self.env._("%s is not in the queue.", ticket.name))
            ticket._close_visit("served" if ticket.state == "called" else "left", now)
            ticket.write({"state": "done", "desk_id": False, "done_at": now})
        return True

    def action_cancel(self):
        now = fields.Datetime.now()
        for ticket in self:
            if ticket.state in ("done", "cancelled"):
                raise UserError(self.env._("%s is closed already.", ticket.name))
            ticket._close_visit("left", now)
            ticket.write({"state": "cancelled", "desk_id": False, "done_at": now})
        return True

    def action_open_transfer(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Transfer %s", self.name),
            "res_model": "student.loan.intake.transfer.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id, "default_station": self.station},
        }

    # ------------------------------------------------------------------
    # appointments (portal)
    # ------------------------------------------------------------------

    @api.model
    def _appointment_slots(self, centre, days=None):
        """Shifts a family can book: the next days the roster staffs the shift, with free places."""
        days = days or self.APPOINTMENT_DAYS
        today = self._intake_today()
        last = today + datetime.timedelta(days=days)
        shifts = (
            self.env["student.loan.intake.shift"]
            .sudo()
            .search([("centre_id", "=", centre.id), ("appointment_capacity", ">", 0)])
        )
        if not shifts:
            return []
        rostered = {
            (date, shift.id)
            for date, shift in self.env["student.loan.intake.roster"]
            .sudo()
            ._read_group(
                [("shift_id", "in", shifts.ids), ("date", ">", today), ("date", "<=", last)],
                ["date:day", "shift_id"],
            )
        }
        booked = {
            (date, shift.id): count
            for date, shift, count in self.sudo()._read_group(
                [
                    ("shift_id", "in", shifts.ids),
                    ("date", ">", today),
                    ("date", "<=", last),
                    ("source", "=", "appointment"),
                    ("state", "!=", "cancelled"),
                ],
                ["date:day", "shift_id"],
                ["__count"],
            )
        }
        slots = []
        for offset in range(1, days + 1):
            date = today + datetime.timedelta(days=offset)
            for shift in shifts:
                if (date, shift.id) not in rostered:
                    continue
                taken = booked.get((date, shift.id), 0)
                slots.append(
                    {
                        "date": date,
                        "shift": shift,
                        "capacity": shift.appointment_capacity,
                        "booked": taken,
                        "free": max(0, shift.appointment_capacity - taken),
                    }
                )
        return slots

    @api.model
    def _book_appointment(self, student, date, shift):
        """Book ``shift`` on ``date`` for ``student`` (called as the portal user, in sudo)."""
        if shift.centre_id != student.centre_id:
            raise UserError(self.env._("This shift is not one of your aid centre's."))
        self.env.cr.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"intake_booking:{shift.id}:{date}"])
        slot = next(
            (
                slot
                for slot in self._appointment_slots(student.centre_id)
                if slot["date"] == date and slot["shift"] == shift
            ),
            None,
        )
        if not slot:
            raise UserError(self.env._("This shift cannot be booked on %s.", date))
        if slot["free"] <= 0:
            raise UserError(self.env._("This shift is fully booked on %s: choose another one.", date))
        if self.search_count(
            [
                ("student_id", "=", student.id),
                ("source", "=", "appointment"),
                ("state", "=", "booked"),
                ("date", ">=", self._intake_today()),
            ]
        ):
            raise UserError(self.env._("You already have an appointment: cancel it first to choose another."))
        return self.create(
            {
                "centre_id": student.centre_id.id,
                "date": date,
                "shift_id": shift.id,
                "source": "appointment",
                "student_id": student.id,
                "booked_by_id": self.env.context.get("booking_uid") or self.env.uid,
            }
        )

    # ------------------------------------------------------------------
    # day's figures (daily work log, R5) and housekeeping
    # ------------------------------------------------------------------

    @api.model
    def _get_worklog_counts(self, centre, day):
        """The intake hall's figures of ``day`` for the centre's daily work log (R5)."""
        tickets = self.sudo().search(
            [("centre_id", "=", centre.id), ("date", "=", day), ("state", "not in", ("booked", "cancelled"))]
        )
        visits = (
            self.env["student.loan.intake.visit"]
            .sudo()
            ._read_group(
                [("centre_id", "=", centre.id), ("date", "=", day), ("outcome", "=", "served")],
                ["station"],
                ["__count", "wait_minutes:avg"],
            )
        )
        return {
            "families": len(tickets),
            "appointments": len(tickets.filtered(lambda ticket: ticket.source == "appointment")),
            "signed": len(tickets.filtered("completed")),
            "served_by_station": {station: count for station, count, _wait in visits},
            "average_wait_minutes": round(sum(tickets.mapped("wait_minutes")) / len(tickets), 1) if tickets else 0.0,
            "students": tickets.student_id,
            "applications": tickets.application_id,
        }

    @api.model
    def _get_worklog_counts_by_centre(self, day, centre_ids=None):
        """``{centre_id: {intake_families, intake_appointments, intake_signed, intake_served}}`` of ``day``
        for the daily work logs of many centres at once (R5): two grouped queries, never one per centre."""
        centre_domain = [("centre_id", "in", list(centre_ids))] if centre_ids is not None else []
        counts = {}
        for centre, source, completed, count in self.sudo()._read_group(
            [("date", "=", day), ("state", "not in", ("booked", "cancelled"))] + centre_domain,
            ["centre_id", "source", "completed"],
            ["__count"],
        ):
            values = counts.setdefault(
                centre.id,
                dict.fromkeys(("intake_families", "intake_appointments", "intake_signed", "intake_served"), 0),
            )
            values["intake_families"] += count
            values["intake_appointments"] += count if source == "appointment" else 0
            values["intake_signed"] += count if completed else 0
        for centre, count in (
            self.env["student.loan.intake.visit"]
            .sudo()
            ._read_group(
                [("date", "=", day), ("outcome", "=", "served")] + centre_domain,
                ["centre_id"],
                ["__count"],
            )
        ):
            counts.setdefault(
                centre.id,
                dict.fromkeys(("intake_families", "intake_appointments", "intake_signed", "intake_served"), 0),
            )["intake_served"] = count
        return counts

    @api.model
    def _cron_close_past_days(self):
        """Close the queues of past days: no-show appointments and families still waiting."""
        today = self._intake_today()
        stale = self.search([("date", "<", today), ("state", "in", ("booked", "waiting", "called", "skipped"))])
        now = fields.Datetime.now()
        for ticket in stale:
            ticket._close_visit("left", now)
        stale.write({"state": "cancelled", "desk_id": False, "done_at": now})
        return len(stale)
