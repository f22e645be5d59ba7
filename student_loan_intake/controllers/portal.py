import datetime

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class IntakeAppointmentPortal(CustomerPortal):
    """/my/appointment: a student books a day and shift at their aid centre's intake hall (to spread the
    peak), sees the ticket number and can cancel it."""

    def _intake_student(self):
        return request.env["student.loan.student"].sudo().search([("user_id", "=", request.env.uid)], limit=1)

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "intake_appointment_count" in counters:
            student = self._intake_student()
            values["intake_appointment_count"] = (
                request.env["student.loan.intake.ticket"].search_count(
                    [
                        ("student_id", "=", student.id),
                        ("source", "=", "appointment"),
                        ("state", "=", "booked"),
                    ]
                )
                if student
                else 0
            )
        return values

    def _appointment_values(self, student, error=None, message=None):
        Ticket = request.env["student.loan.intake.ticket"]
        appointments = Ticket.search(
            [
                ("student_id", "=", student.id),
                ("source", "=", "appointment"),
                ("state", "=", "booked"),
                ("date", ">=", Ticket.sudo()._intake_today()),
            ],
            order="date, id",
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "intake_appointment",
                "student": student,
                "appointments": appointments.sudo(),
                "slots": Ticket.sudo()._appointment_slots(student.centre_id) if not appointments else [],
                "error": error,
                "message": message,
            }
        )
        return values

    @http.route("/my/appointment", type="http", auth="user", website=True, methods=["GET"])
    def portal_intake_appointment(self, **kw):
        student = self._intake_student()
        if not student:
            return request.render("student_loan_intake.portal_intake_no_student", self._prepare_portal_layout_values())
        return request.render("student_loan_intake.portal_intake_appointment", self._appointment_values(student))

    @http.route("/my/appointment/book", type="http", auth="user", website=True, methods=["POST"])
    def portal_intake_book(self, date=None, shift_id=None, **kw):
        student = self._intake_student()
        if not student:
            return request.redirect("/my/appointment")
        try:
            day = datetime.date.fromisoformat(date or "")
            shift = request.env["student.loan.intake.shift"].sudo().browse(int(shift_id or 0)).exists()
            if not shift:
                raise UserError(request.env._("Choose a shift."))
            ticket = (
                request.env["student.loan.intake.ticket"]
                .sudo()
                .with_context(booking_uid=request.env.uid)
                ._book_appointment(student, day, shift)
            )
        except (ValueError, UserError) as error:
            message = error.args[0] if isinstance(error, UserError) else request.env._("Choose a day and a shift.")
            return request.render(
                "student_loan_intake.portal_intake_appointment", self._appointment_values(student, error=message)
            )
        return request.render(
            "student_loan_intake.portal_intake_appointment",
            self._appointment_values(
                student,
                message=request.env._("Booked: your ticket is %s.", ticket.name),
            ),
        )

    @http.route("/my/appointment/<int:ticket_id>/cancel", type="http", auth="user", website=True, methods=["POST"])
    def portal_intake_cancel(self, ticket_id, **kw):
        ticket = request.env["student.loan.intake.ticket"].browse(ticket_id).exists()
        student = self._intake_student()
        if ticket and student:
            ticket.check_access("read")
            if ticket.student_id == student and ticket.state == "booked":
                ticket.sudo().action_cancel()
        return request.redirect("/my/appointment")
