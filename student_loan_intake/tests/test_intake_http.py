import datetime

from odoo.http import Request
from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import IntakeCase


@tagged("post_install", "-at_install")
class TestIntakeHttp(HttpCase, IntakeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.student = cls.create_student(user=cls.handler, name="王小明")
        cls.portal_user = mail_new_test_user(
            cls.env, login="sl_portal_student", name="王小明", groups="base.group_portal", email="student@example.com"
        )
        cls.student.sudo().user_id = cls.portal_user
        cls.other_portal = mail_new_test_user(
            cls.env, login="sl_portal_other", name="Other", groups="base.group_portal", email="other@example.com"
        )
        Ticket = cls.env["student.loan.intake.ticket"]  # pylint: disable=unsubscriptable-object
        Roster = cls.env["student.loan.intake.roster"]  # pylint: disable=unsubscriptable-object
        cls.day = Ticket._intake_today() + datetime.timedelta(days=2)
        Roster.create(
            [
                {
                    "date": cls.day,
                    "desk_id": cls.desks["consult"].id,
                    "shift_id": cls.morning.id,
                    "user_id": cls.volunteer.id,
                },
                {
                    "date": cls.day,
                    "desk_id": cls.desks["consult"].id,
                    "shift_id": cls.afternoon.id,
                    "user_id": cls.volunteer.id,
                },
            ]
        )

    def test_book_and_cancel_an_appointment(self):
        self.authenticate("sl_portal_student", "sl_portal_student")
        page = self.url_open("/my/appointment")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_intake_slots", page.text)
        self.assertIn(self.day.isoformat(), page.text)
        self.assertIn("Morning (08:00-12:00)", page.text)
        self.assertIn("/my/appointment", self.url_open("/my").text)

        page = self.url_open(
            "/my/appointment/book",
            data={
                "date": self.day.isoformat(),
                "shift_id": self.afternoon.id,
                "csrf_token": Request.csrf_token(self),
            },
        )
        self.assertEqual(page.status_code, 200)
        ticket = self.env["student.loan.intake.ticket"].search([("student_id", "=", self.student.id)])
        self.assertEqual((ticket.name, ticket.state, ticket.source), ("B001", "booked", "appointment"))
        self.assertEqual(
            (ticket.date, ticket.shift_id, ticket.booked_by_id), (self.day, self.afternoon, self.portal_user)
        )
        self.assertIn("B001", page.text)
        self.assertIn("o_intake_appointments", page.text)

        # another student cannot cancel it
        self.authenticate("sl_portal_other", "sl_portal_other")
        self.assertIn("not linked to a registered student", self.url_open("/my/appointment").text)
        self.url_open(f"/my/appointment/{ticket.id}/cancel", data={"csrf_token": Request.csrf_token(self)})
        self.assertEqual(ticket.state, "booked")

        self.authenticate("sl_portal_student", "sl_portal_student")
        self.url_open(f"/my/appointment/{ticket.id}/cancel", data={"csrf_token": Request.csrf_token(self)})
        self.assertEqual(ticket.state, "cancelled")
        self.assertIn("o_intake_slots", self.url_open("/my/appointment").text)

    def test_booking_rules(self):
        Ticket = self.env["student.loan.intake.ticket"]
        slots = Ticket._appointment_slots(self.county)
        self.assertEqual(
            [(slot["date"], slot["shift"], slot["free"]) for slot in slots],
            [(self.day, self.morning, 2), (self.day, self.afternoon, 2)],
        )
        first = Ticket._book_appointment(self.student, self.day, self.morning)
        self.assertEqual(first.name, "B001")
        with self.assertRaisesRegex(Exception, "already have an appointment"):
            Ticket._book_appointment(self.student, self.day, self.afternoon)
        Ticket.create(
            {"centre_id": self.county.id, "date": self.day, "source": "appointment", "shift_id": self.morning.id}
        )
        other = self.create_student(user=self.handler, name="李娜")
        with self.assertRaisesRegex(Exception, "fully booked"):
            Ticket._book_appointment(other, self.day, self.morning)
        with self.assertRaisesRegex(Exception, "cannot be booked"):
            Ticket._book_appointment(other, self.day + datetime.timedelta(days=1), self.morning)
        student_b = self.create_student(user=self.handler_b, name="赵六", centre_id=self.county_b.id)
        with self.assertRaisesRegex(Exception, "not one of your aid centre"):
            Ticket._book_appointment(student_b, self.day, self.morning)
        self.assertEqual(Ticket._book_appointment(other, self.day, self.afternoon).name, "B003")

    def test_waiting_room_display_shows_numbers_and_desks_only(self):
        ticket = self.ticket(student_id=self.student.id)
        self.ticket()
        self.desks["consult"].action_call_next()
        self.assertEqual(ticket.state, "called")
        page = self.url_open(f"/intake/display/{self.county.code}")
        self.assertEqual(page.status_code, 200)
        self.assertIn('http-equiv="refresh"', page.text)
        self.assertIn("A001", page.text)
        self.assertIn("Tour Intake", page.text)
        self.assertIn("A002", page.text)  # waiting
        self.assertNotIn("王小明", page.text)
        self.assertNotIn(self.student.mobile, page.text)
        self.assertEqual(self.url_open("/intake/display/999999").status_code, 404)


@tagged("post_install", "-at_install")
class TestIntakeTour(HttpCase, IntakeCase):
    def test_ticket_through_the_five_desks(self):
        ticket = self.ticket()
        self.start_tour("/odoo", "student_loan_intake_ticket_tour", login="sl_volunteer")
        self.assertEqual(ticket.state, "done")
        self.assertTrue(ticket.completed)
        self.assertEqual(ticket.recall_count, 1)
        visits = ticket.visit_ids.sorted("id")
        self.assertEqual(visits.mapped("station"), ["consult", "register", "check", "print", "sign"])
        self.assertEqual(
            visits.mapped("desk_id"),
            self.env["student.loan.intake.desk"].browse(
                [self.desks[station].id for station in ("consult", "register", "check", "print", "sign")]
            ),
        )
        self.assertEqual(set(visits.mapped("outcome")), {"served"})
        self.assertEqual(visits.user_id, self.volunteer)
