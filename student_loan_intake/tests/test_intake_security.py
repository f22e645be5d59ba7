from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import IntakeCase


@tagged("post_install", "-at_install")
class TestIntakeSecurity(IntakeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.student = cls.create_student(user=cls.handler, name="欧阳测试")
        cls.ticket_here = cls.env["student.loan.intake.ticket"].create(
            {"centre_id": cls.county.id, "student_id": cls.student.id}
        )
        cls.ticket_b = cls.env["student.loan.intake.ticket"].create({"centre_id": cls.county_b.id})

    def test_volunteer_operates_the_queue_of_their_centre(self):
        Ticket = self.env["student.loan.intake.ticket"].with_user(self.volunteer)
        self.assertEqual(Ticket.search([]), self.ticket_here)
        desks = self.env["student.loan.intake.desk"].with_user(self.volunteer).search([])
        self.assertEqual(desks, self.env["student.loan.intake.desk"].browse([d.id for d in self.desks.values()]))
        self.desks["consult"].with_user(self.volunteer).action_call_next()
        self.assertEqual(self.ticket_here.state, "called")
        with self.assertRaises(AccessError):
            self.desk_b.with_user(self.volunteer).action_call_next()
        with self.assertRaises(AccessError):
            self.ticket_b.with_user(self.volunteer).action_cancel()

    def test_volunteer_sees_names_but_never_id_numbers(self):
        student = self.student.with_user(self.volunteer)
        self.assertEqual(student.name, "欧阳测试")
        self.assertTrue(student.id_number_masked)
        with self.assertRaises(AccessError):
            student.mapped("id_number")
        with self.assertRaises(AccessError):
            student.read(["id_number"])
        # picking a student on a ticket: searching by name works without touching the ID number
        found = self.env["student.loan.student"].with_user(self.volunteer).name_search("欧阳测")
        self.assertEqual([row[0] for row in found], [self.student.id])
        self.assertEqual(self.ticket_here.with_user(self.volunteer).student_id.display_name, "欧阳测试")
        # a handler still finds students by ID number
        found = self.env["student.loan.student"].with_user(self.handler).name_search(self.student.id_number)
        self.assertEqual([row[0] for row in found], [self.student.id])

    def test_volunteer_cannot_plan_or_see_the_register(self):
        with self.assertRaises(AccessError):
            self.env["student.loan.intake.desk"].with_user(self.volunteer).create(
                {"name": "X", "station": "sign", "centre_id": self.county.id}
            )
        with self.assertRaises(AccessError):
            self.env["student.loan.intake.roster"].with_user(self.volunteer).create(
                {
                    "date": "2024-08-12",
                    "desk_id": self.desks["sign"].id,
                    "shift_id": self.morning.id,
                    "user_id": self.volunteer.id,
                }
            )
        with self.assertRaises(AccessError):
            self.env["student.loan.poverty.person"].with_user(self.volunteer).search([])
        with self.assertRaises(AccessError):
            self.env["student.loan.poverty.import"].with_user(self.volunteer).create({"centre_id": self.county.id})
        with self.assertRaises(AccessError):
            self.ticket_here.with_user(self.volunteer).unlink()

    def test_handler_operates_desks_and_supervisor_plans(self):
        self.assertTrue(self.handler.has_group("student_loan_intake.group_volunteer"))
        self.desks["consult"].with_user(self.handler).action_call_next()
        self.assertEqual(self.ticket_here.state, "called")
        line = (
            self.env["student.loan.intake.roster"]
            .with_user(self.supervisor)
            .create(
                {
                    "date": "2024-08-12",
                    "desk_id": self.desks["sign"].id,
                    "shift_id": self.morning.id,
                    "user_id": self.volunteer.id,
                }
            )
        )
        self.assertEqual((line.role, line.station, line.centre_id), ("volunteer", "sign", self.county))
        self.assertEqual(line.hours, 4)
        handler_line = line.copy({"user_id": self.handler.id})
        self.assertEqual(handler_line.role, "staff")
        with self.assertRaises(AccessError):
            self.desks["sign"].with_user(self.handler).write({"name": "Renamed"})

    def test_viewers_read_below_their_centre_only(self):
        tickets = self.env["student.loan.intake.ticket"].with_user(self.city_viewer).search([])
        self.assertEqual(tickets, self.ticket_here | self.ticket_b)
        self.assertFalse(self.env["student.loan.intake.ticket"].with_user(self.other_city_viewer).search([]))
        with self.assertRaises(AccessError):
            self.ticket_here.with_user(self.city_viewer).write({"note": "x"})
        self.assertEqual(
            self.env["student.loan.intake.ticket"].with_user(self.admin).search_count([("id", "in", tickets.ids)]), 2
        )

    def test_roster_shift_must_be_the_desks_centres(self):
        other_shift = self.env["student.loan.intake.shift"].create(
            {"name": "B morning", "centre_id": self.county_b.id, "hour_from": 8, "hour_to": 12}
        )
        with self.assertRaisesRegex(Exception, "another centre"):
            self.env["student.loan.intake.roster"].create(
                {
                    "date": "2024-08-12",
                    "desk_id": self.desks["sign"].id,
                    "shift_id": other_shift.id,
                    "user_id": self.volunteer.id,
                }
            )
