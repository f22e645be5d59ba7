from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import StudentLoanCase, make_id_number


@tagged("post_install", "-at_install")
class TestStudent(StudentLoanCase):
    def test_id_number_validated_and_derived(self):
        number = make_id_number(birth="20010315", serial=123)  # odd 17th digit: male
        student = self.create_student(user=self.handler, id_number=f" {number[:6]} {number[6:14]} {number[14:]} ")
        self.assertEqual(student.id_number, number, "spaces removed")
        self.assertEqual(str(student.birth_date), "2001-03-15")
        self.assertEqual(student.gender, "male")
        self.assertEqual(student.id_number_masked, number[:6] + "********" + number[-4:])
        self.assertEqual(student.partner_id.name, student.name)
        self.assertEqual(student.partner_id.mobile, "+86 13812345678")
        student.write({"name": "张三丰", "mobile": "+86 139-1234-5679"})
        self.assertEqual(student.mobile, "13912345679")
        self.assertEqual(student.partner_id.name, "张三丰")

    def test_bad_ids_refused(self):
        valid = make_id_number()
        wrong_checksum = valid[:-1] + ("0" if valid[-1] != "0" else "1")
        Student = self.env["student.loan.student"].with_user(self.handler)
        count = Student.search_count([])
        for bad, message in [
            (wrong_checksum, "wrong check digit"),
            (valid[:-2], "must have 18 characters"),
            ("41162320001301001X", "invalid birth date"),
            ("4116232000010100AB", "only digits"),
            ("41162330000101001" + "0", "impossible birth date|invalid birth date|check digit"),
        ]:
            with self.subTest(bad=bad), self.assertRaisesRegex(ValidationError, message):
                self.create_student(user=self.handler, id_number=bad)
        self.assertEqual(Student.search_count([]), count, "nothing stored")

    def test_bad_mobile_refused(self):
        for bad in ("12345", "010-62345678", "+1 415 555 2671", "abc"):
            with self.subTest(bad=bad), self.assertRaisesRegex(ValidationError, "mobile|phone"):
                self.create_student(user=self.handler, mobile=bad)

    def test_duplicate_id_names_the_centre(self):
        number = make_id_number()
        self.create_student(user=self.handler, id_number=number)
        # another county's handler cannot see the student but is told where it is registered
        with self.assertRaisesRegex(ValidationError, "already registered with 商水县"):
            self.create_student(user=self.handler_b, id_number=number, centre_id=self.county_b.id)
        other = self.create_student(user=self.handler)
        with self.assertRaisesRegex(ValidationError, "already registered"):
            other.write({"id_number": number})
        self.assertNotEqual(other.id_number, number)

    def test_delete_wrong_registration(self):
        """R11: a wrong registration is deleted; not once a contract exists."""
        student = self.create_student(user=self.handler)
        student.with_user(self.handler).unlink()
        self.assertFalse(student.exists())
        application = self.make_checked_application()
        student = application.student_id
        with self.assertRaisesRegex(UserError, "cannot be deleted: contract .* home aid centre"):
            student.with_user(self.handler).unlink()
        self.assertTrue(student.exists())

    def test_transfer_to_home_centre(self):
        """R11: the home centre takes the student over; open applications move along; history kept."""
        student = self.create_student(user=self.handler)
        application = self.create_application(student, user=self.handler)
        wizard = (
            self.env["student.loan.transfer.wizard"]
            .with_user(self.handler)
            .create(
                {
                    "student_id": student.id,
                    "centre_id": self.direct_county.id,
                    "reason": "户籍在巩义市",
                }
            )
        )
        wizard.action_confirm()
        self.flush_tracking()
        self.assertEqual(student.sudo().centre_id, self.direct_county)
        self.assertEqual(application.sudo().centre_id, self.direct_county)
        self.assertTrue(any("户籍在巩义市" in body for body in student.sudo().message_ids.mapped("body")))
        self.assertTrue(self.tracked_values(student, "centre_id"))
        # the old centre no longer sees the student
        self.assertFalse(self.env["student.loan.student"].with_user(self.handler).search([("id", "=", student.id)]))

    def test_reset_password(self):
        student = self.create_student(user=self.handler)
        with self.assertRaisesRegex(UserError, "no portal account"):
            student.with_user(self.handler).action_reset_portal_password()
        portal_user = self.env["res.users"].create(
            {
                "name": student.name,
                "login": "student_zs",
                "email": student.email,
                "partner_id": student.partner_id.id,
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        student.sudo().user_id = portal_user
        student.with_user(self.handler).action_reset_portal_password()
        self.assertTrue(portal_user.sudo().partner_id.signup_type == "reset")

    def test_viewer_cannot_read_id_number(self):
        student = self.create_student(user=self.handler)
        as_city = student.with_user(self.city_viewer)
        self.assertEqual(as_city.id_number_masked, student.id_number_masked)
        with self.assertRaises(AccessError):
            as_city.read(["id_number"])
        with self.assertRaises(AccessError):
            as_city.write({"name": "改名"})
