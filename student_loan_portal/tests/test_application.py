from odoo.tests import tagged

from odoo.addons.student_loan.tests.common import make_id_number

from .common import StudentLoanPortalCase


@tagged("post_install", "-at_install")
class TestApplicationPages(StudentLoanPortalCase):
    def _applications(self, student):
        self.env.invalidate_all()
        return self.env["student.loan.application"].sudo().search([("student_id", "=", student.id)])

    def test_home_and_counters(self):
        self.login_a()
        home = self.url_open("/my")
        self.assertEqual(home.status_code, 200)
        self.assertIn("My loan applications", home.text)
        self.assertIn("loan_count", home.text)
        counters = self.json("/my/counters", {"counters": ["loan_count", "loan_contract_count"]})
        self.assertEqual(counters, {"loan_count": 0, "loan_contract_count": 0})
        self.portal_application(self.student_a)
        counters = self.json("/my/counters", {"counters": ["loan_count"]})
        self.assertEqual(counters["loan_count"], 1)

    def test_user_without_student(self):
        """A portal user who is not a student sees no loan tile and a clear message."""
        other = self.env["res.users"].create(
            {
                "name": "Other portal user",
                "login": "other_portal",
                "password": "other-portal-pw",
                "lang": "en_US",
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        self.authenticate(other.login, "other-portal-pw")
        self.assertNotIn("My loan applications", self.url_open("/my").text)
        self.assertIn("not linked to a student", self.url_open("/my/loans").text)
        self.assertTrue(self.url_open("/my/loans/new").url.endswith("/my/loans"))
        self.assertEqual(self.json("/my/counters", {"counters": ["loan_count"]}), {"loan_count": 0})

    def test_apply_first_loan(self):
        self.login_a()
        page = self.url_open("/my/loans/new")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_sl_loan_form", page.text)
        self.assertIn("郑州大学", page.text)
        # the caps of the year's policy are given to the amount preview
        self.assertIn("&#34;undergraduate&#34;: 20000", page.text)
        response = self.post("/my/loans/new", self.form_values())
        application = self._applications(self.student_a)
        self.assertEqual(len(application), 1)
        self.assertIn(f"/my/loans/{application.id}?message=saved", response.url)
        self.assertIn("Saved.", response.text)
        self.assertEqual(application.state, "draft")
        self.assertEqual(application.academic_year, self.year)
        self.assertEqual(application.loan_kind, "first")
        self.assertEqual(application.need_amount, 6200)
        self.assertEqual(application.cap_amount, 20000)
        self.assertEqual(application.approved_amount, 6200)
        self.assertEqual(application.eligibility_unit, "商水县城关乡人民政府")
        self.assertEqual(application.coborrower_id.name, "王父")
        self.assertEqual(application.coborrower_id.mobile, "13712345678")
        self.assertEqual(self.student_a.third_party_name, "赵老师")
        self.assertEqual(self.student_a.school_id, self.school)
        # the page shows the amount, the cap and what is still to do
        self.assertIn("20,000", response.text)
        self.assertIn("6,200", response.text)
        self.assertIn("Attachments still missing", response.text)
        self.assertIn("The contract is not signed yet", response.text)
        # one application per academic year: /new opens the existing one
        self.assertTrue(self.url_open("/my/loans/new").url.endswith(f"/my/loans/{application.id}"))

    def test_graduate_cap(self):
        self.login_a()
        self.post(
            "/my/loans/new",
            self.form_values(education_level="master", tuition="20000", accommodation="3000", study_years="3"),
        )
        application = self._applications(self.student_a)
        self.assertEqual(application.cap_amount, 25000)
        self.assertEqual(application.approved_amount, 23000)

    def test_amount_limited_by_cap(self):
        self.login_a()
        self.post("/my/loans/new", self.form_values(tuition="19000", accommodation="3000"))
        application = self._applications(self.student_a)
        self.assertEqual(application.need_amount, 22000)
        self.assertEqual(application.approved_amount, 20000)

    def test_form_errors(self):
        self.login_a()
        student_id = self.student_a.sudo().id_number
        cases = [
            ({"school_id": ""}, "Some fields are missing"),
            ({"school_id": "999999"}, "Choose your school"),
            ({"education_level": "kindergarten"}, "Choose your level"),
            ({"study_years": "12"}, "from 1 to 9"),
            ({"tuition": "abc"}, "whole number"),
            ({"tuition": "-5"}, "from 0 to 200000"),
            ({"tuition": "300", "accommodation": "0"}, "below the minimum"),
            ({"coborrower_id_number": "123"}, "Co-borrower: The ID number 123 must have 18 characters"),
            ({"coborrower_id_number": student_id}, "cannot be their own co-borrower"),
            ({"coborrower_mobile": "12345"}, "Co-borrower"),
            ({"third_party_phone": "abc"}, "Third-Party Phone"),
            ({"coborrower_relation": "neighbour"}, "Choose the relation"),
            ({"enrolment_year": str(self.year - 5)}, "no longer study"),
        ]
        for overrides, message in cases:
            with self.subTest(overrides=overrides):
                response = self.post("/my/loans/new", self.form_values(**overrides))
                self.assertEqual(response.status_code, 200)
                self.assertIn("o_sl_loan_form", response.text)
                self.assertIn(message, response.text)
                self.assertFalse(self._applications(self.student_a), "nothing stored")
        self.assertFalse(self.student_a.coborrower_ids)

    def test_edit_and_resign(self):
        """Changing what the contract shows after signing sends the contract back for signatures."""
        application = self.portal_application(self.student_a, signed=True)
        contract = application.contract_id
        self.assertEqual(contract.state, "signed")
        self.login_a()
        page = self.url_open(f"/my/loans/{application.id}/edit")
        self.assertIn('value="5000"', page.text)
        self.assertIn("王父", page.text)
        response = self.post(
            f"/my/loans/{application.id}/edit",
            self.form_values(
                tuition="6000",
                coborrower_id_number=application.coborrower_id.sudo().id_number,
            ),
        )
        self.assertIn("Saved.", response.text)
        self.env.invalidate_all()
        self.assertEqual(application.approved_amount, 7200)
        self.assertEqual(contract.amount, 7200)
        self.assertEqual(contract.state, "draft")
        self.assertFalse(contract.signature)
        self.assertFalse(contract.coborrower_signature)

    def test_edit_without_contract_change_keeps_signatures(self):
        application = self.portal_application(self.student_a, signed=True)
        self.login_a()
        self.post(
            f"/my/loans/{application.id}/edit",
            self.form_values(
                tuition="5000",
                coborrower_id_number=application.coborrower_id.sudo().id_number,
                third_party_name="钱老师",
            ),
        )
        self.env.invalidate_all()
        self.assertEqual(application.contract_id.state, "signed")
        self.assertEqual(self.student_a.third_party_name, "钱老师")

    def test_change_coborrower(self):
        """R10: a new co-borrower is added for the student and linked to the application."""
        application = self.portal_application(self.student_a)
        first = application.coborrower_id
        self.login_a()
        self.post(
            f"/my/loans/{application.id}/edit",
            self.form_values(
                coborrower_name="王母",
                coborrower_relation="mother",
                coborrower_id_number=make_id_number(birth="19720202", serial=803),
            ),
        )
        self.env.invalidate_all()
        self.assertNotEqual(application.coborrower_id, first)
        self.assertEqual(application.coborrower_id.name, "王母")
        self.assertEqual(len(self.student_a.coborrower_ids), 2)

    def test_no_edit_under_review(self):
        application = self.portal_application(self.student_a, signed=True, submitted=True)
        self.assertEqual(application.state, "submitted")
        self.login_a()
        response = self.url_open(f"/my/loans/{application.id}/edit")
        self.assertTrue(response.url.endswith(f"/my/loans/{application.id}"))
        self.post(f"/my/loans/{application.id}/edit", self.form_values(tuition="9000"))
        self.env.invalidate_all()
        self.assertEqual(application.tuition, 5000)
        page = self.url_open(f"/my/loans/{application.id}")
        self.assertNotIn("o_sl_edit", page.text)
        self.assertNotIn("o_sl_submit", page.text)

    def test_renewal_held_until_university_review(self):
        """R8: a renewal is detected by the core and held until the university reviewed it."""
        previous = self.portal_application(self.student_a, academic_year=self.year - 1, enrolment_year=self.year - 1)
        previous._portal_prepare_contract()
        self.login_a()
        values = self.form_values(
            enrolment_year=str(self.year - 1), coborrower_id_number=previous.coborrower_id.sudo().id_number
        )
        self.post("/my/loans/new", values)
        application = self._applications(self.student_a).filtered(lambda app: app.academic_year == self.year)
        self.assertEqual(application.loan_kind, "renewal")
        page = self.url_open(application.access_url)
        self.assertIn("Renewal", page.text)
        self.assertIn("university has not yet reviewed", page.text)
        # the 1+1 rule of renewals
        self.assertIn("ID card: 0 of 1", page.text)

    def test_loans_list(self):
        application = self.portal_application(self.student_a)
        self.login_a()
        page = self.url_open("/my/loans")
        self.assertIn(application.name, page.text)
        self.assertIn("Being filled in", page.text)
        self.assertNotIn("Apply now", page.text)
