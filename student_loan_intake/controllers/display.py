from odoo import http
from odoo.http import request


class IntakeWaitingRoomDisplay(http.Controller):
    """The waiting-room screen of a centre's intake hall: called ticket numbers and their desks, refreshed
    every few seconds. Public (a screen in the hall has no login); it shows numbers and desks, never names."""

    @http.route("/intake/display", type="http", auth="user", website=False, methods=["GET"], readonly=True)
    def intake_display_mine(self, **kw):
        """The intake menu's "Hall Display": the screen of the user's own intake hall."""
        centre = request.env["student.loan.intake.desk"]._hall_display_centre()
        if not centre:
            raise request.not_found()
        return request.redirect(f"/intake/display/{centre.code}")

    @http.route(
        "/intake/display/<string:centre_code>",
        type="http",
        auth="public",
        website=False,
        methods=["GET"],
        readonly=True,
    )
    def intake_display(self, centre_code, refresh=10, **kw):
        centre = request.env["student.loan.centre"].sudo().search([("code", "=", centre_code)], limit=1)
        if not centre:
            raise request.not_found()
        Ticket = request.env["student.loan.intake.ticket"].sudo()
        today = Ticket._intake_today()
        called = Ticket.search(
            [("centre_id", "=", centre.id), ("date", "=", today), ("state", "=", "called")],
            order="last_call_at desc, id desc",
        )
        waiting = Ticket.search(
            [("centre_id", "=", centre.id), ("date", "=", today), ("state", "=", "waiting")],
            order="priority desc, queued_at, id",
        )
        stations = request.env["student.loan.intake.desk"]._fields["station"]._description_selection(request.env)
        queues = [
            {
                "label": label,
                "tickets": [ticket.name for ticket in waiting if ticket.station == key][:8],
                "count": len([ticket for ticket in waiting if ticket.station == key]),
            }
            for key, label in stations
        ]
        try:
            refresh = max(3, min(int(refresh), 120))
        except ValueError:
            refresh = 10
        values = {
            "centre_name": centre.name,
            "calls": [
                {"ticket": ticket.name, "desk": ticket.desk_id.name, "code": ticket.desk_id.code or ""}
                for ticket in called
            ],
            "queues": queues,
            "refresh": refresh,
        }
        return request.render("student_loan_intake.intake_waiting_room_display", values)
