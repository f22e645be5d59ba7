import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import RepaymentCase

DEC_2025 = datetime.date(2025, 12, 20)


@tagged("post_install", "-at_install")
class TestReminders(RepaymentCase):
    def due(self, days, today, user=None):
        Student = self.env["student.loan.student"]
        if user:
            Student = Student.with_user(user)
        return Student._get_students_with_amount_due(days, today=today)

    def test_students_with_amount_due(self):
        """Before the settlement date: the graduate owes interest, the freshman owes nothing (subsidised)."""
        self.assertEqual(self.due(30, datetime.date(2025, 11, 25)), self.senior_student)
        self.assertFalse(self.due(30, datetime.date(2025, 11, 1)), "the settlement date is not in the window")
        # still owed after the settlement date while unpaid (overdue)
        self.settle(DEC_2025)
        self.assertEqual(self.due(0, datetime.date(2026, 2, 1)), self.senior_student)
        # a repayment covering it removes the student from the list; a partial one does not
        self.pay(self.senior_contract, 20, datetime.date(2026, 2, 1))
        self.assertEqual(self.due(0, datetime.date(2026, 2, 1)), self.senior_student)
        self.pay(self.senior_contract, 41.57, datetime.date(2026, 2, 2))
        self.assertFalse(self.due(0, datetime.date(2026, 2, 2)))
        # credit paid in advance counts
        self.pay(self.senior_contract, 300, datetime.date(2026, 11, 30))
        self.assertFalse(self.due(30, datetime.date(2026, 12, 1)))
        self.assertEqual(self.due(30, datetime.date(2027, 12, 1)), self.senior_student)

    def test_reminders_follow_centres(self):
        today = datetime.date(2025, 11, 25)
        self.assertEqual(self.due(30, today, self.city_viewer), self.senior_student)
        self.assertEqual(self.due(30, today, self.handler), self.senior_student)
        self.assertFalse(self.due(30, today, self.handler_b))
        self.assertFalse(self.due(30, today, self.other_city_viewer))

    def test_reminder_list(self):
        with freeze_time("2025-11-25"):
            wizard = self.env["student.loan.reminder.wizard"].with_user(self.city_viewer).create({})
            self.assertEqual(wizard.days, 30)
            action = wizard.action_show()
            students = (
                self.env["student.loan.student"]
                .with_user(self.city_viewer)
                .with_context(**action["context"])
                .search(action["domain"])
            )
            self.assertEqual(students, self.senior_student)
            self.assertAlmostEqual(students.amount_due_soon, 61.57, places=2)
            self.assertEqual(students.next_due_date, DEC_2025)
