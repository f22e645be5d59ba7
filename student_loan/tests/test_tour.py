from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import StudentLoanCase, make_id_number


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


@tagged("post_install", "-at_install")
class TestReviewTierTour(HttpCase, StudentLoanCase):
    """In Chromium: the province administrator adds a city tier for amounts above 16,000 CNY; an application
    above it then needs the city's approval after the county supervisor's."""

    def test_admin_adds_city_tier(self):
        city_supervisor = mail_new_test_user(
            self.env,
            login="sl_tour_city_sup",
            groups="student_loan.group_supervisor",
            loan_centre_id=self.city.id,
        )
        self.start_tour(
            "/odoo/action-student_loan.tier_definition_action_student_loan?debug=1",
            "student_loan_review_tier_tour",
            login=self.admin.login,
        )
        tier = self.env["tier.definition"].search([("name", "=", "市级复核（16000元以上）")])
        self.assertEqual(len(tier), 1)
        self.assertEqual(
            (tier.model, tier.review_role, tier.review_type), ("student.loan.application", "approve", "field")
        )
        self.assertEqual(tier.reviewer_field_id.name, "review_city_reviewer_ids")
        self.assertEqual((tier.sequence, tier.approve_sequence, tier.deadline_days), (30, True, 2))
        self.assertIn("16000", tier.definition_domain)
        student = self.create_student(user=self.handler)
        application = self.create_application(student, user=self.handler, tuition=15000, accommodation=2000)
        self.attach_required(application)
        application.action_submit()
        self.pass_manual_checks(application)
        application.action_prepare_contract()
        self.sign_contract(application)
        application.action_check()
        self.assertIn(tier, application.review_ids.definition_id)
        application.with_user(self.supervisor).action_approve()
        self.assertEqual(application.state, "checked", "waits for the city")
        application.with_user(city_supervisor).action_approve()
        self.assertEqual(application.state, "approved")
