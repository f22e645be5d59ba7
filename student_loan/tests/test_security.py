from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import StudentLoanCase


@tagged("post_install", "-at_install")
class TestRecordRules(StudentLoanCase):
    """A county sees only its centre, a city its counties, the province everything."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.app_a = cls.make_checked_application()
        cls.student_b = cls.create_student(user=cls.handler_b, name="县B学生", centre_id=cls.county_b.id)
        cls.app_b = cls.create_application(cls.student_b, user=cls.handler_b)

    def _visible(self, user, model, records):
        return self.env[model].with_user(user).search([("id", "in", records.ids)])

    def test_county_sees_itself(self):
        students = self.app_a.student_id | self.student_b
        self.assertEqual(self._visible(self.handler, "student.loan.student", students), self.app_a.student_id)
        self.assertEqual(self._visible(self.handler_b, "student.loan.student", students), self.student_b)
        apps = self.app_a | self.app_b
        self.assertEqual(self._visible(self.handler, "student.loan.application", apps), self.app_a)
        self.assertEqual(
            self._visible(self.handler_b, "student.loan.contract", self.app_a.contract_id),
            self.env["student.loan.contract"],
        )
        with self.assertRaises(AccessError):
            self.app_a.with_user(self.handler_b).read(["name"])
        with self.assertRaises(AccessError):
            self.app_a.with_user(self.handler_b).write({"tuition": 1})

    def test_city_sees_its_counties(self):
        apps = self.app_a | self.app_b
        self.assertEqual(self._visible(self.city_viewer, "student.loan.application", apps), apps)
        self.assertFalse(self._visible(self.other_city_viewer, "student.loan.application", apps))
        with self.assertRaises(AccessError):
            self.app_a.with_user(self.city_viewer).write({"tuition": 1})
        with self.assertRaises(AccessError):
            self.env["student.loan.application"].with_user(self.city_viewer).create(
                {
                    "student_id": self.student_b.id,
                    "academic_year": 2025,
                }
            )

    def test_province_sees_everything(self):
        apps = self.app_a | self.app_b
        self.assertEqual(self._visible(self.admin, "student.loan.application", apps), apps)
        self.assertEqual(self._visible(self.bank, "student.loan.application", apps), apps)

    def test_handler_cannot_configure(self):
        with self.assertRaises(AccessError):
            self.policy.with_user(self.supervisor).write({"cap_undergraduate": 1})
        with self.assertRaises(AccessError):
            self.county.with_user(self.supervisor).write({"name": "x"})
        self.policy.with_user(self.admin).write({"reminder_days": 15})

    def test_user_without_centre_sees_nothing(self):
        from odoo.addons.mail.tests.common import mail_new_test_user

        lost = mail_new_test_user(self.env, login="sl_lost", groups="student_loan.group_handler")
        self.assertFalse(self.env["student.loan.application"].with_user(lost).search([]))


@tagged("post_install", "-at_install")
class TestNameSearch(StudentLoanCase):
    def test_viewer_finds_students_without_id_access(self):
        """Viewers search by name, mobile or masked ID; the ID number itself only for who may read it."""
        student = self.create_student(user=self.handler, name="查找测试学生")
        Student = self.env["student.loan.student"]
        self.assertIn(student.id, [r[0] for r in Student.with_user(self.city_viewer).name_search("查找测试")])
        self.assertIn(student.id, [r[0] for r in Student.with_user(self.handler).name_search(student.id_number)])
        self.assertFalse(Student.with_user(self.city_viewer).name_search(student.id_number))
