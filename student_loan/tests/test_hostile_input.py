"""Bad input and attack: hostile files, script in free text, malformed values from any client.

Every hostile value gets a clear error (``ValidationError``/``UserError``, never a crash) and
nothing is stored; what is stored and shown to staff is escaped.
"""

import base64
import io
import re
import threading
import zipfile
import zlib
from unittest.mock import patch

import psycopg2
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.student_loan.loanlib import identity

from .common import PNG, StudentLoanCase, make_id_number

SCRIPT = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


def pdf(*objects, trailer=b"<< /Root 1 0 R >>"):
    """A small PDF file made of ``objects`` (bytes, numbered from 1)."""
    body = b"%PDF-1.7\n"
    for number, obj in enumerate(objects, start=1):
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    return body + b"trailer\n" + trailer + b"\n%%EOF\n"


def object_stream(content, compress=True):
    data = zlib.compress(content) if compress else content
    flate = b" /Filter /FlateDecode" if compress else b""
    return b"<< /Type /ObjStm /N 1 /First 4 /Length %d%s >>\nstream\n" % (len(data), flate) + data + b"\nendstream"


def png(width, height, mode="1"):
    buffer = io.BytesIO()
    Image.new(mode, (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [] /Count 0 >>"


@tagged("post_install", "-at_install")
class TestHostileFiles(StudentLoanCase):
    """The attachment check (type by the bytes, size, active content, decompression bombs)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.application = cls.create_application(cls.create_student(user=cls.handler), user=cls.handler)
        cls.id_card = cls.env.ref("student_loan.attachment_type_student_id_card")

    def upload(self, raw, name="scan.png"):
        return (
            self.env["student.loan.attachment"]
            .with_user(self.handler)
            .create(
                {
                    "application_id": self.application.id,
                    "type_id": self.id_card.id,
                    "file": base64.b64encode(raw) if isinstance(raw, bytes) else raw,
                    "file_name": name,
                }
            )
        )

    def assertRefused(self, raw, message, name="scan.png"):  # noqa: N802
        before = self.env["student.loan.attachment"].search_count([])
        with self.assertRaisesRegex(ValidationError, message):
            self.upload(raw, name)
        self.assertEqual(self.env["student.loan.attachment"].search_count([]), before, "nothing stored")

    def test_wrong_types_by_their_bytes(self):
        bomb = io.BytesIO()
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("zeros.bin", b"\0" * (50 * 1024 * 1024))
        svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
        cases = {
            "zip bomb named .png": (bomb.getvalue(), "id.png"),
            "svg with script": (svg, "id.png"),
            "html named .jpg": (b"<html><body><script>alert(1)</script></body></html>", "id.jpg"),
            "gif": (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "id.gif"),
            "executable named .pdf": (b"MZ\x90\x00" + b"\0" * 100, "id.pdf"),
        }
        for label, (raw, name) in cases.items():
            with self.subTest(label):
                self.assertRefused(raw, "Only JPEG, PNG or PDF", name)

    def test_size_and_encoding(self):
        self.assertRefused(b"\x89PNG\r\n\x1a\n" + b"\0" * (10 * 1024 * 1024), "at most 10 MB")
        self.assertRefused(b"", "empty|could not be read")
        self.assertRefused("not base64 at all!", "could not be read")

    def test_image_bombs(self):
        self.assertRefused(png(20000, 20000), "too large")  # 400 Mpx in 48 kB
        self.assertRefused(png(8000, 8000), "at most 50 megapixels")
        self.assertRefused(base64.b64decode(PNG)[:30], "damaged")

    def test_pdf_with_active_content(self):
        js_action = b"<< /Type /Action /S /JavaScript /JS (app.alert('x')) >>"
        cases = {
            "OpenAction JavaScript": pdf(b"<< /Type /Catalog /OpenAction 2 0 R >>", js_action),
            "name with #xx escapes": pdf(b"<< /Type /Catalog /OpenAction << /S /J#61vaScript /J#53 (x) >> >>"),
            "JavaScript in a compressed object stream": pdf(CATALOG, object_stream(b"3 0 " + js_action)),
            "launch action": pdf(b"<< /Type /Catalog /OpenAction << /S /Launch /F (cmd.exe) >> >>"),
            "embedded file": pdf(b"<< /Type /Catalog /Names << /EmbeddedFiles 2 0 R >> >>", PAGES),
        }
        for label, raw in cases.items():
            with self.subTest(label):
                self.assertRefused(raw, "scripts, actions or embedded files")

    def test_pdf_that_cannot_be_checked(self):
        self.assertRefused(pdf(CATALOG, trailer=b"<< /Root 1 0 R /Encrypt 2 0 R >>"), "Encrypted")
        self.assertRefused(pdf(CATALOG, object_stream(b"\0" * (64 * 1024 * 1024))), "too complex")
        broken = b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>\nstream\nnot zlib\nendstream"
        self.assertRefused(pdf(CATALOG, broken), "damaged")
        odd = b"<< /Type /ObjStm /N 1 /First 4 /Filter /LZWDecode >>\nstream\n\x80\x0b\x60\nendstream"
        self.assertRefused(pdf(CATALOG, odd), "unusual compression")

    def test_harmless_files_are_accepted_and_typed_by_their_bytes(self):
        scan = pdf(b"<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>", PAGES, object_stream(b"3 0 << >>"))
        attachment = self.upload(scan, "photo.jpg")
        self.assertEqual((attachment.mimetype, attachment.file_size), ("application/pdf", len(scan)))
        self.assertEqual(self.upload(png(1200, 1600, "RGB")).mimetype, "image/png")

    def test_attachments_frozen_after_the_check(self):
        application = self.make_checked_application()
        attachment = application.attachment_ids[:1]
        with self.assertRaisesRegex(UserError, "cannot change now"):
            attachment.with_user(self.handler).write({"file": PNG})
        with self.assertRaisesRegex(UserError, "cannot change now"):
            attachment.with_user(self.handler).unlink()
        with self.assertRaisesRegex(UserError, "cannot change now"):
            self.env["student.loan.attachment"].with_user(self.handler).create(
                {"application_id": application.id, "type_id": self.id_card.id, "file": PNG}
            )


@tagged("post_install", "-at_install")
class TestHostileText(StudentLoanCase):
    """Script typed into free-text fields is stored as text and shown escaped."""

    def assertEscaped(self, html, text):  # noqa: N802
        html = str(html)
        self.assertNotIn("<script", html)
        self.assertNotIn("<img", html)
        self.assertIn("&lt;script&gt;", html, f"{text!r} not found escaped in {html!r}")

    def test_reasons_and_names_in_the_chatter(self):
        student = self.create_student(user=self.handler, name=SCRIPT)
        application = self.make_checked_application(student)
        application.with_user(self.supervisor)._return(SCRIPT)
        message = application.message_ids.filtered(lambda message: "Returned by" in str(message.body))[:1]
        self.assertEscaped(message.body, SCRIPT)
        other_centre = self.county_b
        student.with_user(self.handler)._transfer_to_centre(other_centre, SCRIPT)
        self.assertEscaped(student.sudo().message_ids[:1].body, SCRIPT)
        self.assertEqual(student.name, SCRIPT, "stored as typed: escaping is the job of the display")
        self.assertEqual(student.partner_id.name, SCRIPT)

    def test_tracked_text_is_not_html(self):
        student = self.create_student(user=self.handler)
        self.flush_tracking()
        student.with_user(self.handler).write({"home_address": SCRIPT})
        self.flush_tracking()
        [value] = self.tracked_values(student, "home_address")
        self.assertEqual(value.new_value_char, SCRIPT)  # a Char: the web client prints it as text
        self.assertFalse(
            [field for field in self.env["student.loan.student"]._fields.values() if field.type == "html"],
            "no HTML field on the student: every free text is printed as text",
        )


# Values a client can send that the form would never produce.
HOSTILE_NUMBERS = [float("nan"), float("inf"), float("-inf"), -1.0, -0.01, 1e30, 1e300, 10**15]


@tagged("post_install", "-at_install")
class TestHostileValues(StudentLoanCase):
    """Malformed ID numbers, phones, amounts and years: a clear error, nothing stored."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.student = cls.create_student(user=cls.handler)

    def assertCleanlyRefused(self, model, vals, user=None, record=None):  # noqa: N802
        """Refused with a user-facing error (a crash would be any other exception); nothing stored.

        ``vals`` are created, or written on ``record`` when given.
        """
        Model = self.env[model].with_user(user or self.handler)
        before = Model.sudo().with_context(active_test=False).search_read([], ["write_date"])
        with self.assertRaises(Exception) as catcher:
            if record:
                record.with_user(user or self.handler).write(vals)
            else:
                Model.create(vals)
            self.env.flush_all()
        # a database constraint's IntegrityError reaches an RPC client as a ValidationError (service.model)
        self.assertIsInstance(catcher.exception, (UserError, psycopg2.IntegrityError), catcher.exception)
        self.env.invalidate_all()
        self.assertEqual(Model.sudo().with_context(active_test=False).search_read([], ["write_date"]), before)

    @settings(max_examples=40, deadline=None)
    @given(
        st.one_of(
            st.text(alphabet="0123456789Xx -", max_size=22),
            st.text(alphabet="０１２３４５６７８９", min_size=18, max_size=18),
            st.text(max_size=20).filter(lambda text: "\0" not in text),
        )
    )
    def test_id_numbers_agree_with_the_validator(self, number):
        """The form refuses exactly what the validator refuses, and stores its normalised number."""
        vals = self._student_vals(name="模糊测试", id_number=number)
        try:
            expected = identity.parse_resident_id(number).number
        except ValueError:
            self.assertCleanlyRefused("student.loan.student", vals)
            return
        with self.env.cr.savepoint(flush=False) as savepoint:
            try:
                student = self.env["student.loan.student"].with_user(self.handler).create(vals)
                self.assertEqual(student.sudo().id_number, expected)
            except ValidationError as error:
                self.assertIn("already registered", str(error))
            savepoint.rollback()

    @settings(max_examples=40, deadline=None)
    @given(st.one_of(st.text(alphabet="0123456789+- ()", max_size=18), st.text(max_size=15)))
    def test_mobiles_agree_with_the_validator(self, mobile):
        vals = {"student_id": self.student.id, "name": "测试家长", "relation": "father", "mobile": mobile}
        vals.update(id_number=make_id_number(birth="19680808"), address="河南省周口市商水县城关乡解放路1号")
        try:
            expected = identity.normalize_cn_mobile(mobile)
        except ValueError:
            if "\0" not in mobile and mobile.strip():
                self.assertCleanlyRefused("student.loan.coborrower", vals)
            return
        with self.env.cr.savepoint(flush=False) as savepoint:
            coborrower = self.env["student.loan.coborrower"].with_user(self.handler).create(vals)
            self.assertEqual(coborrower.mobile, expected)
            savepoint.rollback()

    def test_amounts_from_a_hostile_client(self):
        for number in HOSTILE_NUMBERS:
            for field_name in ("tuition", "accommodation", "approved_amount"):
                with self.subTest(field=field_name, value=number):
                    vals = {"student_id": self.student.id, "academic_year": 2024, "tuition": 5000, field_name: number}
                    self.assertCleanlyRefused("student.loan.application", vals)
        application = self.create_application(self.student, user=self.handler)
        for number in HOSTILE_NUMBERS:
            for field_name in ("tuition", "accommodation", "approved_amount"):
                with self.subTest(write=number, field=field_name):
                    self.assertCleanlyRefused(application._name, {field_name: number}, record=application)
        self.assertEqual((application.tuition, application.approved_amount), (5000, 6200))

    def test_years_from_a_hostile_client(self):
        for year in (-5, 1800, 99999, 2**31 - 1):
            with self.subTest(enrolment_year=year):
                self.assertCleanlyRefused(
                    "student.loan.student", self._student_vals(id_number=make_id_number(), enrolment_year=year)
                )
        for years in (-1, 10, 2**31 - 1):
            with self.subTest(study_years=years):
                self.assertCleanlyRefused(
                    "student.loan.student", self._student_vals(id_number=make_id_number(), study_years=years)
                )

    @settings(max_examples=40, deadline=None)
    @given(st.text(max_size=40).filter(lambda text: "\0" not in text))
    def test_search_any_text(self, text):
        """The search box: any text (SQL wildcards, quotes, backslashes) is a search, never an error."""
        Student = self.env["student.loan.student"].with_user(self.handler)
        Student.name_search(text)
        Student.search([("name", "ilike", text)])
        self.env["student.loan.application"].with_user(self.handler).name_search(text)


@tagged("post_install", "-at_install")
class TestCsrf(HttpCase):
    """Every HTML form route of the project's addons (portal pages...) refuses a POST without its
    CSRF token or with a forged one; no route lets a logged-in user's session act cross-site."""

    def project_routes(self):
        routes = []
        with patch.object(threading.current_thread(), "dbname", self.env.cr.dbname, create=True):
            routing_map = self.env["ir.http"].routing_map()  # reads the database name of the thread
        for rule in routing_map.iter_rules():
            endpoint = getattr(rule.endpoint, "original_endpoint", rule.endpoint)
            if getattr(endpoint, "__module__", "").startswith("odoo.addons.student_loan"):
                routes.append((rule.rule, rule.endpoint.routing))
        return routes

    def test_no_session_route_without_csrf(self):
        unprotected = [
            path
            for path, routing in self.project_routes()
            if routing.get("type") == "http" and not routing.get("csrf", True) and routing.get("auth") == "user"
        ]
        self.assertFalse(unprotected, "http routes of logged-in users must check the CSRF token")

    @mute_logger("odoo.http")
    def test_post_without_token_is_refused(self):
        user = mail_new_test_user(self.env, login="sl_csrf_portal", groups="base.group_portal")
        self.authenticate(user.login, user.login + "x" * (8 - len(user.login)))
        posted = []
        for path, routing in self.project_routes():
            if routing.get("type") != "http" or not routing.get("csrf", True):
                continue
            if routing.get("methods") and "POST" not in routing["methods"]:
                continue
            url = re.sub(r"<(?:int|model[^:]*):[^>]+>", "1", path)
            url = re.sub(r"<[^>]+>", "x", url)
            for label, data in (
                ("no token", {"title": "x"}),
                ("forged token", {"title": "x", "csrf_token": "0" * 40 + "o9999999999"}),
            ):
                response = self.url_open(url, data=data, allow_redirects=False)
                self.assertEqual(response.status_code, 400, f"{url} ({label}): {response.status_code}")
            posted.append(url)
        # the same POST with the session's token passes the check (so the refusals above are the CSRF check)
        for url in posted:
            token = self.url_open("/web/login").text  # any page of the session gives the token
            match = re.search(r'csrf_token: "([^"]+)"|name="csrf_token" value="([^"]+)"', token)
            if match:
                response = self.url_open(
                    url, data={"csrf_token": match.group(1) or match.group(2)}, allow_redirects=False
                )
                self.assertNotEqual(response.status_code, 400, url)


@tagged("post_install", "-at_install")
class TestReportsEscape(StudentLoanCase):
    """Every printed document of the project's addons about a student, an application or a contract
    (the addons installed with the core: ``make test`` installs them all) shows typed text escaped."""

    def test_reports_escape_free_text(self):
        student = self.create_student(user=self.handler, name=SCRIPT, home_address=SCRIPT)
        student.coborrower_ids.write({"name": SCRIPT, "work_unit": SCRIPT})
        application = self.make_confirmed_application(student)
        application.sudo().write({"eligibility_unit": SCRIPT})  # sudo: the reviewed data is frozen now
        records = {
            "student.loan.student": student,
            "student.loan.application": application,
            "student.loan.contract": application.contract_id,
        }
        reports = self.env["ir.actions.report"].search(
            [("model", "in", list(records)), ("report_type", "in", ("qweb-pdf", "qweb-html"))]
        )
        reports = reports.filtered(lambda report: report.report_name.startswith("student_loan"))
        rendered = []
        for report in reports:
            with self.subTest(report=report.report_name):
                try:
                    html, _kind = self.env["ir.actions.report"]._render_qweb_html(
                        report.report_name, records[report.model].ids
                    )
                except UserError:
                    continue  # not printable for this record (state): nothing shown
                html = html.decode()
                self.assertNotIn('<script>alert("xss")', html)
                self.assertNotIn("<img src=x onerror", html)
                rendered.append(report.report_name)
        self.assertEqual(bool(rendered), bool(reports), "the reports could be printed")
