from odoo import api, fields, models
from odoo.exceptions import UserError

STATIONS = [
    ("consult", "Consultation & Intake"),
    ("register", "Registration Guidance"),
    ("check", "Application Check"),
    ("print", "Contract Printing"),
    ("sign", "Contract Signing"),
]


class StudentLoanIntakeDesk(models.Model):
    """A service desk (window) of one of the five stations of a centre's intake hall.

    The desk's buttons are the caller screen: call the next family, recall, skip, transfer.
    """

    _name = "student.loan.intake.desk"
    _description = "Intake Desk"
    _order = "centre_id, station_sequence, sequence, id"

    name = fields.Char(required=True, translate=True, help="As shown on the waiting-room screen, e.g. 签订 1号窗口.")
    code = fields.Char(help="Short label on the waiting-room screen, e.g. S1.")
    centre_id = fields.Many2one(
        "student.loan.centre",
        string="Aid Centre",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.user.loan_centre_id,
    )
    station = fields.Selection(STATIONS, required=True, index=True, default="consult")
    station_sequence = fields.Integer(compute="_compute_station_sequence", store=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    operator_id = fields.Many2one(
        "res.users",
        string="At the Desk",
        compute="_compute_queue",
        help="Who called the family being served at this desk.",
    )
    current_ticket_id = fields.Many2one(
        "student.loan.intake.ticket",
        string="Serving",
        compute="_compute_queue",
    )
    current_ticket_name = fields.Char(string="Serving Ticket", compute="_compute_queue")
    waiting_count = fields.Integer(string="Waiting", compute="_compute_queue")
    served_today = fields.Integer(compute="_compute_queue")
    roster_ids = fields.One2many("student.loan.intake.roster", "desk_id")
    staff_today = fields.Char(compute="_compute_staff_today")
    color = fields.Integer(compute="_compute_queue")

    _sql_constraints = [
        ("code_centre_unique", "unique(centre_id, code)", "Another desk of this centre has this code."),
    ]

    @api.depends("station")
    def _compute_station_sequence(self):
        order = [key for key, _label in STATIONS]
        for desk in self:
            desk.station_sequence = order.index(desk.station) if desk.station else 0

    def _compute_queue(self):
        Ticket = self.env["student.loan.intake.ticket"]
        today = Ticket._intake_today()
        current = {
            ticket.desk_id.id: ticket
            for ticket in Ticket.search([("desk_id", "in", self.ids), ("state", "=", "called")])
        }
        waiting = {
            (centre.id, station, desk.id): count
            for centre, station, desk, count in Ticket._read_group(
                [("centre_id", "in", self.centre_id.ids), ("date", "=", today), ("state", "=", "waiting")],
                ["centre_id", "station", "assigned_desk_id"],
                ["__count"],
            )
        }
        served = dict(
            self.env["student.loan.intake.visit"]._read_group(
                [("desk_id", "in", self.ids), ("date", "=", today), ("outcome", "=", "served")],
                ["desk_id"],
                ["__count"],
            )
        )
        for desk in self:
            ticket = current.get(desk.id, Ticket)
            desk.current_ticket_id = ticket
            desk.current_ticket_name = ticket.name or False
            desk.operator_id = ticket.visit_ids.filtered(lambda visit: not visit.done_at)[:1].user_id
            desk.waiting_count = waiting.get((desk.centre_id.id, desk.station, False), 0) + waiting.get(
                (desk.centre_id.id, desk.station, desk.id), 0
            )
            desk.served_today = served.get(desk, 0)
            desk.color = 10 if ticket else (2 if desk.waiting_count else 0)

    def _compute_staff_today(self):
        today = self.env["student.loan.intake.ticket"]._intake_today()
        lines = self.env["student.loan.intake.roster"].search([("desk_id", "in", self.ids), ("date", "=", today)])
        for desk in self:
            names = lines.filtered(lambda line, desk=desk: line.desk_id == desk).mapped(
                lambda line: f"{line.shift_id.name}: {line.user_id.name}"
            )
            desk.staff_today = ", ".join(names)

    # ------------------------------------------------------------------
    # caller screen
    # ------------------------------------------------------------------

    def _current_ticket(self):
        self.ensure_one()
        return self.env["student.loan.intake.ticket"].search(
            [("desk_id", "=", self.id), ("state", "=", "called")], limit=1
        )

    def _require_current(self):
        ticket = self._current_ticket()
        if not ticket:
            raise UserError(self.env._("Nobody is being served at %s: call the next family first.", self.name))
        return ticket

    def _notify(self, message, kind="info"):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": kind,
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _hall_display_centre(self):
        """The centre whose waiting-room screen the user opens: theirs if it has desks, else the first hall."""
        centre = self.env.user.loan_centre_id
        if centre and self.search_count([("centre_id", "=", centre.id)]):
            return centre
        return self.search([], limit=1).centre_id

    def action_call_next(self):
        """Finish the family being served (they move on to the next station) and call the next one."""
        self.ensure_one()
        if not self.active:
            raise UserError(self.env._("The desk %s is closed.", self.name))
        current = self._current_ticket()
        if current:
            current._finish_station()
        ticket = self.env["student.loan.intake.ticket"]._pop_next(self)
        if not ticket:
            return self._notify(self.env._("Nobody is waiting for %s.", self.name), "warning")
        ticket._call(self)
        return self._notify(
            self.env._("Calling %(ticket)s to %(desk)s.", ticket=ticket.name, desk=self.name), "success"
        )

    def action_finish(self):
        """Finish the family being served without calling the next one."""
        self.ensure_one()
        ticket = self._require_current()
        ticket._finish_station()
        return self._notify(self.env._("%s finished here.", ticket.name))

    def action_recall(self):
        self.ensure_one()
        ticket = self._require_current()
        ticket._recall()
        return self._notify(self.env._("Calling %(ticket)s again to %(desk)s.", ticket=ticket.name, desk=self.name))

    def action_skip(self):
        """The family called did not come (过号): they can be put back in the queue when they turn up."""
        self.ensure_one()
        ticket = self._require_current()
        ticket._skip()
        return self._notify(self.env._("%s skipped.", ticket.name), "warning")

    def action_transfer(self):
        self.ensure_one()
        ticket = self._require_current()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Transfer %s", ticket.name),
            "res_model": "student.loan.intake.transfer.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": ticket.id, "default_station": ticket.station},
        }

    def action_new_ticket(self):
        """A family arrives without an appointment: give them the next ticket of the day."""
        self.ensure_one()
        ticket = self.env["student.loan.intake.ticket"].create({"centre_id": self.centre_id.id})
        return self._notify(self.env._("Ticket %s: please wait to be called.", ticket.name), "success")

    def action_open_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("student_loan_intake.student_loan_intake_ticket_action")
        action["domain"] = [("centre_id", "=", self.centre_id.id), ("station", "=", self.station)]
        action["context"] = {"search_default_today": 1, "search_default_queue": 1}
        return action
