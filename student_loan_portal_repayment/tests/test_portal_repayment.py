import datetime

from freezegun import freeze_time

from odoo.tests import JsonRpcException, tagged
from odoo.tools import mute_logger

from odoo.addons.student_loan.tests.common import make_id_number
from odoo.addons.student_loan_portal.tests.common import StudentLoanPortalCase

DISBURSED = datetime.date(2024, 9, 10)


@tagged("post_install", "-at_install")
class TestPortalRepayment(StudentLoanPortalCase):
    """Student A's 2024-2025 contract, disbursed on 10 September 2024; A graduated on 1 July 2025, so
    A pays the interest from 1 September 2025 (settled every 20 December)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.student_a.enrolment_year = 2021
        with freeze_time(DISBURSED):
            application = cls.portal_application(
                cls.student_a, signed=True, submitted=True, academic_year=2024, enrolment_year=2021
            )
            application.sudo().eligibility_stamped = True
            cls.pass_manual_checks(application.sudo())
            application.with_user(cls.handler).action_check()
            application.with_user(cls.supervisor).action_approve()
            application.with_user(cls.supervisor).action_send_to_bank()
            application.with_user(cls.bank).action_bank_confirm()
        cls.contract = application.contract_id
        cls.url = f"/my/contracts/{cls.contract.id}"
        # the settlement of 20 December 2025, partly paid
        cls.env["student.loan.settlement.line"]._settle_due(datetime.date(2025, 12, 20))
        with freeze_time(datetime.date(2025, 12, 22)):
            payment = (
                cls.env["student.loan.payment"]
                .with_user(cls.handler)
                .create(
                    {
                        "contract_id": cls.contract.id,
                        "amount": 10,
                        "date": datetime.date(2025, 12, 22),
                        "channel": "alipay",
                    }
                )
            )
            payment.action_post()
        cls.payment = payment

    def test_contract_page_shows_the_repayment_side(self):
        self.assertEqual(self.contract.state, "active")
        self.assertTrue(self.contract.plan_line_ids)
        self.login_a()
        page = self.url_open(self.url)
        self.assertEqual(page.status_code, 200)
        # the amount due by the next settlement date (20 December of this year)
        settlement = self.contract._portal_next_settlement_date()
        self.assertEqual((settlement.month, settlement.day), (12, 20))
        due = self.contract._portal_amount_due_by(settlement)
        self.assertGreater(due["total"], 0)
        self.assertGreater(due["unpaid"], 0, "the 2025 settlement is not fully paid")
        self.assertIn("o_sl_amount_due", page.text)
        self.assertIn(f"{due['total']:,.2f}", page.text)
        self.assertIn("o_sl_plan_line", page.text)
        self.assertIn(self.payment.name, page.text)
        self.assertIn("o_sl_request_change", page.text)

    def test_education_change_request(self):
        self.login_a()
        form = self.url_open(f"{self.url}/change")
        self.assertIn("o_sl_change_form", form.text)
        response = self.post(
            f"{self.url}/change",
            {
                "kind": "education",
                "school_id": str(self.graduate_school.id),
                "education_level": "master",
                "study_years": "6",
                "description": "本硕连读，转入河南大学，附录取通知书",
            },
        )
        self.assertIn("message=change_requested", response.url)
        self.assertIn("Your change request was sent", response.text)
        self.env.invalidate_all()
        request = self.contract.change_request_ids
        self.assertEqual((request.kind, request.state), ("education", "draft"))
        self.assertEqual(
            (request.new_school_id, request.new_education_level, request.new_study_years),
            (self.graduate_school, "master", 6),
        )
        # a handler of the centre is asked to take it up
        self.assertEqual(request.activity_ids.user_id.loan_centre_id, self.county)
        self.assertIn("Education-info change", response.text)
        self.assertNotIn("o_sl_request_change", response.text, "one pending request at a time")
        self.assertTrue(self.url_open(f"{self.url}/change").url.endswith(self.url))
        # the aid centre reviews it as usual
        request.with_user(self.handler).action_submit()
        self.assertEqual(request.state, "to_approve")

    def test_coborrower_change_request(self):
        self.login_a()
        self.post(
            f"{self.url}/change",
            {
                "kind": "coborrower",
                "coborrower_name": "王母",
                "coborrower_relation": "mother",
                "coborrower_id_number": make_id_number(birth="19720202", serial=851),
                "coborrower_mobile": "13600000001",
                "coborrower_address": "河南省周口市商水县城关乡解放路12号",
                "description": "父亲外出务工，改由母亲作共同借款人",
            },
        )
        self.env.invalidate_all()
        request = self.contract.change_request_ids
        self.assertEqual(request.kind, "coborrower")
        self.assertEqual(request.new_coborrower_id.name, "王母")
        self.assertEqual(request.new_coborrower_id.student_id, self.student_a)

    def test_change_request_errors(self):
        self.login_a()
        student = self.student_a
        cases = [
            ({"kind": ""}, "Choose what to change"),
            ({"kind": "education", "description": ""}, "Some fields are missing"),
            (
                {
                    "kind": "education",
                    "school_id": str(student.school_id.id),
                    "education_level": student.education_level,
                    "study_years": str(student.study_years),
                },
                "Nothing changes",
            ),
            (
                {
                    "kind": "education",
                    "school_id": str(self.school.id),
                    "education_level": "undergraduate",
                    "study_years": "3",
                },
                "before today",
            ),
            ({"kind": "coborrower", "coborrower_name": "", "coborrower_id_number": "1"}, "Some fields are missing"),
            (
                {
                    "kind": "coborrower",
                    "coborrower_name": "某人",
                    "coborrower_relation": "father",
                    "coborrower_mobile": "1",
                    "coborrower_id_number": "123",
                    "coborrower_address": "某地",
                },
                "Co-borrower",
            ),
        ]
        for overrides, message in cases:
            with self.subTest(message=message):
                values = dict(
                    {
                        "description": "理由",
                        "school_id": str(self.graduate_school.id),
                        "education_level": "master",
                        "study_years": "3",
                    },
                    **overrides,
                )
                response = self.post(f"{self.url}/change", values)
                self.assertIn(message, response.text)
        self.env.invalidate_all()
        self.assertFalse(self.contract.change_request_ids)

    def test_other_student_and_rpc_refused(self):
        self.login_b()
        self.assertTrue(self.url_open(f"{self.url}/change").url.endswith("/my"))
        self.assertTrue(self.url_open(self.url).url.endswith("/my"))
        response = self.post(
            f"{self.url}/change",
            {
                "kind": "education",
                "description": "x",
                "study_years": "5",
                "school_id": str(self.school.id),
                "education_level": "master",
            },
        )
        self.assertTrue(response.url.endswith("/my"))
        self.env.invalidate_all()
        self.assertFalse(self.contract.change_request_ids)
        self.login_a()
        for model in (
            "student.loan.plan.line",
            "student.loan.payment",
            "student.loan.change.request",
            "student.loan.settlement.line",
        ):
            with self.subTest(model=model), mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
                self.make_jsonrpc_request(
                    "/web/dataset/call_kw",
                    {
                        "model": model,
                        "method": "search_read",
                        "args": [[]],
                        "kwargs": {"fields": ["id"]},
                    },
                )

    def test_not_disbursed_contract(self):
        application = self.portal_application(self.student_b, signed=True)
        self.login_b()
        page = self.url_open(application.contract_id.access_url)
        self.assertNotIn("o_sl_repayment_summary", page.text)
        self.assertNotIn("o_sl_request_change", page.text)
        url = f"{application.contract_id.access_url}/change"
        self.assertTrue(self.url_open(url).url.endswith(application.contract_id.access_url))
