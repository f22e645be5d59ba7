"""Fixtures shared by the student-loan tests: centres, users per role, students, applications.

Tests build their own data here; they never rely on demo data.
"""

import base64
import itertools
import json
from contextlib import contextmanager

from stdnum.cn import ric

from odoo.tests.common import TransactionCase

from odoo.addons.mail.tests.common import mail_new_test_user

from ..loanlib import handwriting

# What the hand-signature pad sends: the strokes of a name written by hand.
STROKES = json.dumps({"mode": "draw", "width": 600, "height": 300, "strokes": handwriting.sample_strokes()})
# Smallest valid files of each accepted type.
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
)
PDF = base64.b64encode(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

_serial = itertools.count(1)


def make_id_number(region="411623", birth="20000101", serial=None):
    """A valid 18-digit resident ID number (checksum computed)."""
    serial = next(_serial) if serial is None else serial
    body = f"{region}{birth}{serial % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


class StudentLoanCase(TransactionCase):
    """Two counties of one city (商水县, 郸城县 under 周口市), a directly-managed county (巩义市),
    and users per role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False, mail_create_nolog=True))
        Centre = cls.env["student.loan.centre"]
        cls.province = cls.env.ref("student_loan.centre_410000")
        cls.city = cls.env.ref("student_loan.centre_411600")  # 周口市
        cls.county = cls.env.ref("student_loan.centre_411623")  # 商水县
        cls.county_b = Centre.search([("parent_id", "=", cls.city.id), ("id", "!=", cls.county.id)], limit=1)
        cls.other_city = cls.env.ref("student_loan.centre_410100")  # 郑州市
        cls.direct_county = cls.env.ref("student_loan.centre_410181")  # 巩义市
        cls.policy = cls.env.ref("student_loan.policy_2024")
        cls.year = 2024

        def user(login, groups, centre, name=None):
            return mail_new_test_user(
                cls.env,
                login=login,
                name=name or login,
                groups=groups,
                loan_centre_id=centre.id,
                email=f"{login}@example.com",
            )

        cls.handler = user("sl_handler", "student_loan.group_handler", cls.county, "Handler Shangshui")
        cls.handler2 = user("sl_handler2", "student_loan.group_handler", cls.county, "Handler Two")
        cls.supervisor = user("sl_supervisor", "student_loan.group_supervisor", cls.county, "Supervisor Shangshui")
        cls.supervisor2 = user("sl_supervisor2", "student_loan.group_supervisor", cls.county, "Supervisor Two")
        cls.handler_b = user("sl_handler_b", "student_loan.group_handler", cls.county_b, "Handler County B")
        cls.city_viewer = user("sl_city", "student_loan.group_viewer", cls.city, "City Viewer")
        cls.other_city_viewer = user("sl_city_zz", "student_loan.group_viewer", cls.other_city, "Zhengzhou Viewer")
        cls.bank = user("sl_bank", "student_loan.group_bank", cls.province, "Bank Liaison")
        cls.admin = user("sl_admin", "student_loan.group_admin", cls.province, "Province Admin")
        cls.school = cls.env["student.loan.school"].create({"name": "测试大学", "code": "TEST-U1"})
        cls.graduate_school = cls.env["student.loan.school"].create({"name": "测试研究生院", "code": "TEST-U2"})

    @contextmanager
    def assertRaisesRegex(self, expected_exception, expected_regex):  # noqa: N802 (unittest name)
        """Like unittest's, inside a savepoint as Odoo's ``assertRaises``: nothing stored changes."""
        with self.assertRaises(expected_exception) as catcher:
            yield catcher
        self.assertRegex(str(catcher.exception), expected_regex)

    def assertNextActor(self, application, group_xmlid, centre):  # noqa: N802
        """One activity, assigned to a user of ``centre`` in the group that acts next."""
        user = application.activity_ids.user_id
        self.assertEqual(len(user), 1, "one activity for the next actor")
        self.assertTrue(user.has_group(group_xmlid), f"{user.name} is not in {group_xmlid}")
        self.assertEqual(user.loan_centre_id, centre)

    @classmethod
    def flush_tracking(cls):
        """Write the pending tracking messages, as the end of a request's transaction does."""
        cls.env.flush_all()
        cls.env.cr.precommit.run()

    @staticmethod
    def tracked_values(record, field_name):
        """The tracking values of ``field_name`` in ``record``'s chatter, newest first."""
        return record.sudo().message_ids.tracking_value_ids.filtered(lambda value: value.field_id.name == field_name)

    # ------------------------------------------------------------------
    # factories
    # ------------------------------------------------------------------

    @classmethod
    def _student_vals(cls, **overrides):
        vals = {
            "name": "张三",
            "id_number": make_id_number(),
            "mobile": "13812345678",
            "email": "zhangsan@example.com",
            "household_address": "河南省周口市商水县城关乡解放路12号",
            "home_address": "河南省周口市商水县城关乡解放路12号",
            "third_party_name": "李四",
            "third_party_phone": "13912345678",
            "third_party_relation": "老师",
            "school_id": cls.school.id,
            "education_level": "undergraduate",
            "study_years": 4,
            "enrolment_year": 2024,
            "centre_id": cls.county.id,
        }
        vals.update(overrides)
        return vals

    @classmethod
    def create_student(cls, user=None, coborrower=True, **overrides):
        Student = cls.env["student.loan.student"]
        if user:
            Student = Student.with_user(user)
        student = Student.create(cls._student_vals(**overrides))
        if coborrower:
            student.env["student.loan.coborrower"].create(
                {
                    "student_id": student.id,
                    "name": "张父",
                    "relation": "father",
                    "id_number": make_id_number(birth="19700101"),
                    "mobile": "13712345678",
                    "address": "河南省周口市商水县城关乡解放路12号",
                    "work_unit": "务农",
                }
            )
        return student

    @classmethod
    def create_application(cls, student, user=None, **overrides):
        Application = cls.env["student.loan.application"]
        if user:
            Application = Application.with_user(user)
        vals = {
            "student_id": student.id,
            "academic_year": cls.year,
            "tuition": 5000,
            "accommodation": 1200,
            "eligibility_unit": "商水县城关乡人民政府",
            "eligibility_stamped": True,
            "coborrower_id": student.coborrower_ids[:1].id,
        }
        vals.update(overrides)
        application = Application.create(vals)
        cls.flush_tracking()
        return application

    @classmethod
    def attach_required(cls, application, kind=None):
        """Attach what the loan kind's rule asks for (first loan 2+2, renewal 1+1)."""
        types = {
            code: cls.env.ref(f"student_loan.attachment_type_{code}")
            for code in (
                "student_id_card",
                "coborrower_id_card",
                "admission_notice",
                "application_form",
                "student_card",
                "contract_page",
            )
        }
        if (kind or application.loan_kind) == "first":
            codes = ["student_id_card", "coborrower_id_card", "admission_notice", "application_form"]
        else:
            codes = ["student_id_card", "coborrower_id_card", "student_card"]
        application.env["student.loan.attachment"].create(
            [
                {"application_id": application.id, "type_id": types[code].id, "file": PNG, "file_name": f"{code}.png"}
                for code in codes
            ]
        )

    @classmethod
    def pass_manual_checks(cls, application):
        application.check_line_ids.filtered(lambda line: not line.item_id.auto_check).write({"result": "passed"})

    @classmethod
    def sign_contract(cls, application):
        contract = application.contract_id
        contract.write({"signature_strokes": STROKES, "coborrower_signature_strokes": STROKES})
        contract.action_sign()

    @classmethod
    def make_checked_application(cls, student=None, handler=None):
        """An application brought to 'checked' by a handler (contract signed)."""
        handler = handler or cls.handler
        student = student or cls.create_student(user=handler)
        application = cls.create_application(student, user=handler)
        cls.attach_required(application)
        application.action_submit()
        cls.pass_manual_checks(application)
        application.action_prepare_contract()
        cls.sign_contract(application)
        application.action_check()
        cls.flush_tracking()
        return application

    @classmethod
    def make_confirmed_application(cls, student=None):
        application = cls.make_checked_application(student)
        application.with_user(cls.supervisor).action_approve()
        application.with_user(cls.supervisor).action_send_to_bank()
        application.with_user(cls.bank).action_bank_confirm()
        return application
