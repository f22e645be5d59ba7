"""Fixtures of the portal tests: two students with portal accounts, photos, helpers for HTTP."""

import base64
import io
import re
from unittest.mock import patch

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from odoo import fields, http
from odoo.tests import HttpCase

from odoo.addons.student_loan.loanlib import handwriting
from odoo.addons.student_loan.models.student_loan_application import current_academic_year
from odoo.addons.student_loan.tests.common import PNG, StudentLoanCase, make_id_number

PASSWORD_A = "student-a-secret"
PASSWORD_B = "student-b-secret"


def make_photo(width=1200, height=800, blur=0, fmt="JPEG"):
    """A photo of a printed document (lines of text and a frame), optionally blurred."""
    image = Image.new("RGB", (width, height), (236, 233, 222))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=max(12, height // 20))
    draw.rectangle((10, 10, width - 10, height - 10), outline=(40, 40, 40), width=3)
    y = 30
    while y < height - 40:
        draw.text((30, y), "RESIDENT IDENTITY CARD 410000 2000 0101 NAME ZHANG SAN", fill=(25, 25, 25), font=font)
        y += height // 12
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    buffer = io.BytesIO()
    image.save(buffer, fmt, **({"quality": 88} if fmt == "JPEG" else {}))
    return buffer.getvalue()


def make_signature(width=600, height=300, strokes=True):
    """A signature drawn on a transparent canvas, as the signature pad sends it (base64 PNG)."""
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    if strokes:
        draw = ImageDraw.Draw(image)
        draw.line([(60, 200), (160, 80), (220, 220), (320, 90), (420, 210), (540, 100)], fill=(0, 0, 0, 255), width=6)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def make_drawing(strokes=None, mode="draw"):
    """What the hand-signature pad sends: the strokes of a name written by hand."""
    return {"mode": mode, "width": 600, "height": 300, "strokes": strokes or handwriting.sample_strokes()}


class StudentLoanPortalCase(StudentLoanCase, HttpCase):
    """Two students of 商水县 with portal accounts (A logs in with the mobile, B with the ID).

    The SMS one-time codes are caught at the portal's transport hook (``_send_code``, implemented
    by the SMS bridge addon, tested there against a local provider server): ``sent_codes`` lists
    ``(purpose, mobile, code)``.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sent_codes = []

        def capture(otp, code):
            cls.sent_codes.append((otp.purpose, otp.mobile, code))
            return True

        cls.startClassPatcher(patch.object(type(cls.env["student.loan.portal.otp"]), "_send_code", capture))
        # the portal applies for the current academic year
        cls.year = current_academic_year(fields.Date.today())
        cls.policy = cls.env["student.loan.policy"]._get_for_year(cls.year)
        Student = cls.env["student.loan.student"].sudo()
        cls.student_a = Student._portal_register(
            cls._student_vals(name="王小明", mobile="13800000001", id_number=make_id_number(serial=701)),
            "mobile",
            PASSWORD_A,
            lang="en_US",
        )
        cls.student_b = Student._portal_register(
            cls._student_vals(name="李小红", mobile="13800000002", id_number=make_id_number(serial=702)),
            "id_number",
            PASSWORD_B,
            lang="en_US",
        )
        cls.user_a = cls.student_a.user_id
        cls.user_b = cls.student_b.user_id
        cls.types = {
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
        cls.photo = make_photo()

    # ------------------------------------------------------------------
    # HTTP helpers
    # ------------------------------------------------------------------

    def login_a(self):
        self.authenticate(self.user_a.login, PASSWORD_A)

    def login_b(self):
        self.authenticate(self.user_b.login, PASSWORD_B)

    def csrf(self):
        return http.Request.csrf_token(self)

    def post(self, url, data=None, files=None, allow_redirects=True):
        """POST a form as the browser does (with the CSRF token of the current session)."""
        data = dict(data or {}, csrf_token=self.csrf())
        return self.url_open(url, data=data, files=files, allow_redirects=allow_redirects)

    def post_page_form(self, page_url, url, data, files=None):
        """POST with the CSRF token found in the page at ``page_url`` (after a login that changed
        the session)."""
        page = self.url_open(page_url)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return self.url_open(url, data=dict(data, csrf_token=token), files=files)

    def json(self, url, params):
        return self.make_jsonrpc_request(url, params)

    def last_code(self, purpose=None, mobile=None):
        for sent_purpose, sent_mobile, code in reversed(self.sent_codes):
            if purpose in (None, sent_purpose) and mobile in (None, sent_mobile):
                return code
        raise AssertionError(f"no {purpose} code sent to {mobile}")

    def setUp(self):
        super().setUp()
        self.sent_codes.clear()

    def assertRedirectedHome(self, response):  # noqa: N802 (unittest style)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith("/my") or "/web/login" in response.url, response.url)

    # ------------------------------------------------------------------
    # Data helpers
    # ------------------------------------------------------------------

    @classmethod
    def form_values(cls, **overrides):
        """A complete application form as the student fills it in."""
        values = {
            "school_id": str(cls.school.id),
            "education_level": "undergraduate",
            "study_years": "4",
            "enrolment_year": str(cls.year),
            "tuition": "5000",
            "accommodation": "1200",
            "eligibility_unit": "商水县城关乡人民政府",
            "email": "student@example.com",
            "household_address": "河南省周口市商水县城关乡解放路12号",
            "home_address": "河南省周口市商水县城关乡解放路12号",
            "third_party_name": "赵老师",
            "third_party_phone": "13912345678",
            "third_party_relation": "高中班主任",
            "coborrower_name": "王父",
            "coborrower_relation": "father",
            "coborrower_id_number": make_id_number(birth="19700101", serial=801),
            "coborrower_mobile": "13712345678",
            "coborrower_address": "河南省周口市商水县城关乡解放路12号",
            "coborrower_work_unit": "务农",
        }
        values.update(overrides)
        return values

    @classmethod
    def portal_application(cls, student, attachments=True, signed=False, submitted=False, **overrides):
        """An application filled in through the portal's model methods (as the controllers do)."""
        data = {
            "student": {
                "third_party_name": "赵老师",
                "third_party_phone": "13912345678",
                "third_party_relation": "老师",
                "email": "s@example.com",
            },
            "coborrower": {
                "name": "王父",
                "relation": "father",
                "mobile": "13712345678",
                "id_number": make_id_number(birth="19700101", serial=802),
                "address": "河南省周口市商水县城关乡解放路12号",
                "work_unit": "务农",
            },
            "application": dict(
                {
                    "academic_year": cls.year,
                    "school_id": cls.school.id,
                    "education_level": "undergraduate",
                    "study_years": 4,
                    "enrolment_year": cls.year,
                    "tuition": 5000,
                    "accommodation": 1200,
                    "eligibility_unit": "商水县城关乡人民政府",
                },
                **overrides,
            ),
        }
        Application = cls.env["student.loan.application"].sudo()
        application = Application._portal_save(student, data)
        if attachments:
            cls.attach_required(application)
        if signed:
            application._portal_prepare_contract()
            application._portal_sign("student", student.name, make_drawing())
            application._portal_sign("coborrower", application.coborrower_id.name, make_drawing())
        if submitted:
            application._portal_submit()
        return application


__all__ = ["PNG", "PASSWORD_A", "PASSWORD_B", "StudentLoanPortalCase", "make_drawing", "make_photo", "make_signature"]
