from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import make_id_number


@tagged("post_install", "-at_install")
class TestApplicationTour(HttpCase):
    """In Chromium: a handler creates an application for a student and submits it."""

    def test_application_tour(self):
        county = self.env.ref("student_loan.centre_411623")
        handler = mail_new_test_user(
            self.env,
            login="sl_tour_handler",
            groups="student_loan.group_handler,base.group_user",
            loan_centre_id=county.id,
        )
        school = self.env["student.loan.school"].create({"name": "巡游大学", "code": "T0001"})
        student = self.env["student.loan.student"].create(
            {
                "name": "巡游学生",
                "id_number": make_id_number(),
                "mobile": "13812340000",
                "email": "tour@example.com",
                "household_address": "河南省周口市商水县城关乡解放路1号",
                "home_address": "河南省周口市商水县城关乡解放路1号",
                "school_id": school.id,
                "education_level": "undergraduate",
                "study_years": 4,
                "enrolment_year": self.env["student.loan.application"]
                ._fields["academic_year"]
                .default(self.env["student.loan.application"]),
                "centre_id": county.id,
            }
        )
        self.env["student.loan.coborrower"].create(
            {
                "student_id": student.id,
                "name": "巡游家长",
                "relation": "mother",
                "id_number": make_id_number(birth="19750505"),
                "mobile": "13712340000",
                "address": "河南省周口市商水县城关乡解放路1号",
            }
        )
        self.start_tour(
            "/odoo/action-student_loan.student_loan_application_action",
            "student_loan_application_tour",
            login=handler.login,
        )
        application = self.env["student.loan.application"].search([("student_id", "=", student.id)])
        self.assertEqual(application.state, "submitted")
        self.assertEqual(application.approved_amount, 6200)
        self.assertEqual(application.submitted_by_id, handler)
        self.assertEqual(len(application.check_line_ids), 12)
