import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import IntakeCase

NOW = datetime.datetime(2024, 8, 12, 1, 0)  # Monday 09:00 in China


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestIntakeQueue(IntakeCase):
    def advance(self, frozen, minutes):
        frozen.tick(datetime.timedelta(minutes=minutes))

    def test_ticket_numbers_per_centre_day_and_source(self):
        first, second = self.ticket(), self.ticket(user=self.volunteer)
        appointment = self.ticket(source="appointment", shift_id=self.morning.id)
        other_centre = self.ticket(centre_id=self.county_b.id)
        tomorrow = self.ticket(date=datetime.date(2024, 8, 13))
        self.assertEqual((first.name, second.name, appointment.name), ("A001", "A002", "B001"))
        self.assertEqual(other_centre.name, "A001")
        self.assertEqual(tomorrow.name, "A001")
        self.assertEqual((first.state, first.station), ("waiting", "consult"))
        self.assertEqual(appointment.state, "booked")
        self.assertEqual(len(first.visit_ids), 1)
        self.assertFalse(appointment.visit_ids)
        batch = self.env["student.loan.intake.ticket"].create([{"centre_id": self.county.id}] * 3)
        self.assertEqual(batch.mapped("name"), ["A003", "A004", "A005"])

    def test_ticket_through_the_five_stations(self):
        with freeze_time(NOW) as frozen:
            ticket = self.ticket(user=self.volunteer)
            for station in ("consult", "register", "check", "print", "sign"):
                desk = self.desks[station].with_user(self.volunteer)
                self.advance(frozen, 4)  # waiting
                desk.action_call_next()
                self.assertEqual((ticket.state, ticket.station, ticket.desk_id), ("called", station, desk))
                self.assertEqual(desk.current_ticket_id, ticket)
                self.advance(frozen, 6)  # at the desk
                desk.action_finish()
        self.assertEqual(ticket.state, "done")
        self.assertTrue(ticket.completed)
        self.assertEqual(ticket.visit_ids.mapped("outcome"), ["served"] * 5)
        self.assertEqual(set(ticket.visit_ids.mapped("user_id")), {self.volunteer})
        self.assertAlmostEqual(ticket.wait_minutes, 20)
        self.assertAlmostEqual(ticket.service_minutes, 30)
        self.env.invalidate_all()  # the desks' figures are computed per request
        self.assertEqual(self.desks["sign"].served_today, 1)

    def test_next_finishes_the_current_family_and_calls_the_next(self):
        first, second = self.ticket(), self.ticket()
        desk = self.desks["consult"].with_user(self.volunteer)
        desk.action_call_next()
        self.assertEqual(first.state, "called")
        desk.action_call_next()
        self.assertEqual((first.state, first.station), ("waiting", "register"))
        self.assertEqual(second.state, "called")
        self.env.invalidate_all()
        self.assertEqual(self.desks["register"].waiting_count, 1)
        result = self.desks["register"].with_user(self.volunteer).action_call_next()
        self.assertEqual(result["params"]["type"], "success")
        self.assertEqual(first.desk_id, self.desks["register"])
        # nobody left at intake: a warning, the desk is free
        desk.action_call_next()
        result = desk.action_call_next()
        self.assertEqual(result["params"]["type"], "warning")
        self.assertFalse(desk.current_ticket_id)

    def test_appointment_checks_in_and_goes_first(self):
        walk_in = self.ticket()
        appointment = self.ticket(source="appointment", shift_id=self.morning.id)
        with self.assertRaisesRegex(UserError, "already checked in"):
            walk_in.action_check_in()
        appointment.with_user(self.volunteer).action_check_in()
        self.assertEqual((appointment.state, appointment.station), ("waiting", "consult"))
        self.assertTrue(appointment.arrived_at)
        self.desks["consult"].with_user(self.volunteer).action_call_next()
        self.assertEqual(appointment.state, "called")
        self.assertEqual(walk_in.state, "waiting")

    def test_appointment_checks_in_on_its_day_only(self):
        later = self.ticket(source="appointment", shift_id=self.morning.id, date=datetime.date(2024, 8, 14))
        with self.assertRaisesRegex(UserError, "not today"):
            later.action_check_in()

    def test_recall_skip_requeue(self):
        ticket, other = self.ticket(), self.ticket()
        desk = self.desks["consult"].with_user(self.volunteer)
        with self.assertRaisesRegex(UserError, "Nobody is being served"):
            desk.action_recall()
        desk.action_call_next()
        desk.action_recall()
        desk.action_recall()
        self.assertEqual(ticket.recall_count, 2)
        desk.action_skip()
        self.assertEqual(ticket.state, "skipped")
        self.assertFalse(desk.current_ticket_id)
        self.assertEqual(ticket.visit_ids.mapped("outcome"), ["skipped"])
        desk.action_call_next()
        self.assertEqual(other.state, "called")
        ticket.with_user(self.volunteer).action_requeue()
        self.assertEqual((ticket.state, ticket.station), ("waiting", "consult"))
        self.assertEqual(len(ticket.visit_ids), 2)
        with self.assertRaisesRegex(UserError, "Only a skipped ticket"):
            ticket.action_requeue()

    def test_transfer_to_a_station_and_a_desk(self):
        second_check = self.env["student.loan.intake.desk"].create(
            {"name": "Check 2", "code": "K2", "station": "check", "centre_id": self.county.id}
        )
        first, second = self.ticket(), self.ticket()
        desk = self.desks["consult"].with_user(self.volunteer)
        desk.action_call_next()
        action = desk.action_transfer()
        wizard = Form(self.env[action["res_model"]].with_user(self.volunteer).with_context(**action["context"]))
        wizard.station = "check"
        wizard.desk_id = second_check
        wizard.note = "Registered online already"
        wizard.save().action_transfer()
        self.assertEqual((first.state, first.station, first.assigned_desk_id), ("waiting", "check", second_check))
        self.assertIn("Registered online", first.note)
        self.assertEqual(first.visit_ids.sorted("id").mapped("outcome"), ["transferred", False])
        # the other check desk does not take a family sent to desk K2
        self.desks["check"].action_call_next()
        self.assertEqual(first.state, "waiting")
        second_check.action_call_next()
        self.assertEqual((first.state, first.desk_id), ("called", second_check))
        self.assertFalse(first.assigned_desk_id)
        # sending a family to a desk of another station is refused
        with self.assertRaisesRegex(UserError, "does not serve"):
            second._transfer("sign", self.desks["consult"])

    def test_two_desks_never_call_the_same_family(self):
        other_desk = self.env["student.loan.intake.desk"].create(
            {"name": "Intake 2", "code": "C2", "station": "consult", "centre_id": self.county.id}
        )
        first, second = self.ticket(), self.ticket()
        self.desks["consult"].action_call_next()
        other_desk.action_call_next()
        self.assertEqual(first.desk_id, self.desks["consult"])
        self.assertEqual(second.desk_id, other_desk)

    def test_leave_and_cancel(self):
        ticket, other = self.ticket(), self.ticket()
        self.desks["consult"].action_call_next()
        ticket.action_done()
        self.assertEqual(ticket.state, "done")
        self.assertFalse(ticket.completed)
        self.assertEqual(ticket.visit_ids.outcome, "served")
        other.action_cancel()
        self.assertEqual((other.state, other.visit_ids.outcome), ("cancelled", "left"))
        with self.assertRaisesRegex(UserError, "closed already"):
            other.action_cancel()

    def test_new_ticket_button_and_desk_actions(self):
        result = self.desks["consult"].with_user(self.volunteer).action_new_ticket()
        self.assertIn("A001", result["params"]["message"])
        action = self.desks["consult"].action_open_tickets()
        self.assertEqual(self.env["student.loan.intake.ticket"].search(action["domain"]).name, "A001")
        closed = self.desks["print"]
        closed.active = False
        with self.assertRaisesRegex(UserError, "closed"):
            closed.action_call_next()

    def test_ticket_links_student_and_application(self):
        student = self.create_student(user=self.handler)
        application = self.create_application(student, user=self.handler)
        ticket = self.ticket(student_id=student.id, application_id=application.id)
        other = self.create_student(user=self.handler, name="李四", mobile="13812345679")
        with self.assertRaisesRegex(ValidationError, "not the ticket.s student.s"):
            ticket.student_id = other
        self.desks["consult"].action_call_next()
        self.desks["consult"].action_call_next()
        counts = self.env["student.loan.intake.ticket"]._get_worklog_counts(self.county, datetime.date(2024, 8, 12))
        self.assertEqual(counts["families"], 1)
        self.assertEqual(counts["served_by_station"], {"consult": 1})
        self.assertEqual(counts["students"], student)
        self.assertEqual(counts["applications"], application)
        by_centre = self.env["student.loan.intake.ticket"]._get_worklog_counts_by_centre(datetime.date(2024, 8, 12))
        self.assertEqual(
            by_centre[self.county.id],
            {
                "intake_families": 1,
                "intake_appointments": 0,
                "intake_signed": 0,
                "intake_served": 1,
            },
        )
        self.assertNotIn(self.county_b.id, by_centre)

    def test_cron_closes_past_days(self):
        with freeze_time(NOW) as frozen:
            waiting, called = self.ticket(), self.ticket()
            booked = self.ticket(source="appointment", shift_id=self.morning.id)
            self.desks["consult"].action_call_next()
            frozen.tick(datetime.timedelta(days=1))
            today = self.ticket()
            closed = self.env["student.loan.intake.ticket"]._cron_close_past_days()
        self.assertEqual(closed, 3)
        self.assertEqual(set((waiting | called | booked).mapped("state")), {"cancelled"})
        self.assertEqual(today.state, "waiting")
        self.assertFalse(self.desks["consult"].current_ticket_id)
