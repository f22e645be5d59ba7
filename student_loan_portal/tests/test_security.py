import base64
import json

from odoo.tests import JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import StudentLoanPortalCase, make_drawing


@tagged("post_install", "-at_install")
class TestPortalSecurity(StudentLoanPortalCase):
    """Two students: each sees and changes only their own records, whatever the URL or the RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.app_a = cls.portal_application(cls.student_a, signed=True, submitted=True)
        cls.contract_a = cls.app_a.contract_id
        cls.attachment_a = cls.app_a.attachment_ids[:1]
        cls.app_b = cls.portal_application(cls.student_b)

    def test_other_students_urls_redirect(self):
        self.login_b()
        app, contract, attachment = self.app_a, self.contract_a, self.attachment_a
        for url in [
            f"/my/loans/{app.id}",
            f"/my/loans/{app.id}/edit",
            f"/my/loans/{app.id}/attachments",
            f"/my/loans/{app.id}/attachments/{attachment.id}",
            f"/my/loans/{app.id}/attachments/{attachment.id}?download=1",
            f"/my/loans/{app.id}/sign",
            f"/my/loans/{app.id}/certificate",
            f"/my/contracts/{contract.id}",
            f"/my/contracts/{contract.id}?report_type=pdf",
            f"/my/loans/{app.id}?access_token=wrong-token",
            "/my/loans/999999",
            "/my/contracts/999999",
        ]:
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertRedirectedHome(response)
                self.assertNotIn(app.name, response.text)
                self.assertNotIn("王小明", response.text)
        # B's own attachment id under A's application, and A's attachment under B's application
        response = self.url_open(f"/my/loans/{self.app_b.id}/attachments/{attachment.id}")
        self.assertRedirectedHome(response)
        # B's lists do not show A's records
        self.assertNotIn(app.name, self.url_open("/my/loans").text)
        self.assertNotIn(contract.name, self.url_open("/my/contracts").text)

    def test_other_students_posts_change_nothing(self):
        self.login_b()
        app = self.app_a
        before = (app.state, app.tuition, len(app.attachment_ids))
        for url, data, files in [
            (f"/my/loans/{app.id}/edit", self.form_values(tuition="9999"), None),
            (f"/my/loans/{app.id}/submit", {}, None),
            (f"/my/loans/{app.id}/contract", {}, None),
            (
                f"/my/loans/{app.id}/attachments",
                {"type_id": str(self.types["student_card"].id)},
                {"file": ("x.jpg", self.photo, "image/jpeg")},
            ),
            (f"/my/loans/{app.id}/attachments/{self.attachment_a.id}/delete", {}, None),
        ]:
            with self.subTest(url=url):
                self.assertRedirectedHome(self.post(url, data, files))
        self.env.invalidate_all()
        self.assertEqual((app.state, app.tuition, len(app.attachment_ids)), before)
        self.assertTrue(self.attachment_a.exists())
        result = self.json(f"/my/loans/{self.app_a.id}/sign/student", {"name": "王小明", "signature": make_drawing()})
        self.assertIn("error", result)

    def test_public_user(self):
        self.authenticate(None, None)
        for url in ["/my/loans", "/my/contracts", f"/my/loans/{self.app_a.id}/edit", "/my/loans/new"]:
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertIn("/web/login", response.url)
        for url in [f"/my/loans/{self.app_a.id}", f"/my/contracts/{self.contract_a.id}"]:
            with self.subTest(url=url):
                self.assertRedirectedHome(self.url_open(url))

    def test_access_token_opens_nothing(self):
        """Issue 13: an access token was a permanent anonymous key to the student's file (ID-card
        copies, certificate, application). Now it opens nothing; the co-borrower signs with a
        signing link of its own."""
        token = self.app_a._portal_ensure_token()
        contract_token = self.contract_a._portal_ensure_token()
        attachment = self.app_a.attachment_ids[:1]
        self.authenticate(None, None)
        for url in [
            f"/my/loans/{self.app_a.id}?access_token={token}",
            f"/my/loans/{self.app_a.id}/sign?access_token={token}",
            f"/my/loans/{self.app_a.id}/certificate?access_token={token}",
            f"/my/loans/{self.app_a.id}/attachments/{attachment.id}?access_token={token}",
            f"/my/contracts/{self.contract_a.id}?access_token={contract_token}",
            f"/my/contracts/{self.contract_a.id}?access_token={contract_token}&report_type=pdf",
        ]:
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertIn("/web/login", response.url)
                self.assertNotIn(self.app_a.name, response.text)
                self.assertNotIn(b"%PDF", response.content[:10])

    def test_json_rpc_refused(self):
        """Portal users have no access right on the loan models: any ORM call is refused."""
        self.login_a()
        calls = [
            ("student.loan.application", "search_read", [[]], {"fields": ["name"]}),
            ("student.loan.application", "read", [self.app_a.ids, ["name"]], {}),
            ("student.loan.application", "read", [self.app_b.ids, ["name"]], {}),
            ("student.loan.application", "write", [self.app_a.ids, {"tuition": 1}], {}),
            ("student.loan.application", "action_submit", [self.app_b.ids], {}),
            ("student.loan.student", "search_read", [[]], {"fields": ["name", "mobile"]}),
            ("student.loan.student", "write", [self.student_a.ids, {"centre_id": self.county_b.id}], {}),
            ("student.loan.coborrower", "search_read", [[]], {"fields": ["name"]}),
            ("student.loan.contract", "search_read", [[]], {"fields": ["name"]}),
            ("student.loan.contract", "read", [self.contract_a.ids, ["signature"]], {}),
            ("student.loan.attachment", "search_read", [[]], {"fields": ["file"]}),
            ("student.loan.check.line", "search_read", [[]], {"fields": ["reason"]}),
            ("student.loan.centre", "search_read", [[]], {"fields": ["name"]}),
        ]
        for model, method, args, kwargs in calls:
            with self.subTest(model=model, method=method), mute_logger("odoo.http"):
                with self.assertRaises(JsonRpcException) as catcher:
                    self.make_jsonrpc_request(
                        "/web/dataset/call_kw",
                        {
                            "model": model,
                            "method": method,
                            "args": args,
                            "kwargs": kwargs,
                        },
                    )
                self.assertIn("AccessError", str(catcher.exception))

    def test_binary_downloads_refused(self):
        """The files are served by the portal's controller only, never by /web/content."""
        self.login_b()
        attachment_file = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "student.loan.attachment"),
                    ("res_id", "=", self.attachment_a.id),
                    ("res_field", "=", "file"),
                ]
            )
        )
        signature_file = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "student.loan.contract"),
                    ("res_id", "=", self.contract_a.id),
                    ("res_field", "=", "signature"),
                ]
            )
        )
        self.assertTrue(attachment_file and signature_file)
        file_bytes = base64.b64decode(self.attachment_a.file)
        signature_bytes = base64.b64decode(self.contract_a.signature)
        for login in (self.login_b, self.login_a):
            login()
            for url, secret in [
                (f"/web/content/student.loan.attachment/{self.attachment_a.id}/file", file_bytes),
                (f"/web/content/{attachment_file.id}", file_bytes),
                (f"/web/content/student.loan.contract/{self.contract_a.id}/signature", signature_bytes),
                (f"/web/image/student.loan.contract/{self.contract_a.id}/signature", signature_bytes),
                (f"/web/image/{signature_file.id}", signature_bytes),
            ]:
                with self.subTest(url=url, login=login.__name__), mute_logger("odoo.http"):
                    response = self.url_open(url)
                    self.assertNotEqual(response.content, secret)
                    if url.startswith("/web/content"):
                        self.assertIn(response.status_code, (403, 404))
        # the owner downloads through the portal
        self.login_a()
        self.assertEqual(
            self.url_open(f"/my/loans/{self.app_a.id}/attachments/{self.attachment_a.id}").status_code, 200
        )

    def test_record_rules_for_portal(self):
        """Second line of defence: the portal rules restrict every loan model to the student's own."""
        Rule = self.env["ir.rule"].with_user(self.user_a)
        for model, own in [
            ("student.loan.student", self.student_a),
            ("student.loan.application", self.app_a),
            ("student.loan.contract", self.contract_a),
            ("student.loan.attachment", self.app_a.attachment_ids),
            ("student.loan.coborrower", self.student_a.coborrower_ids),
            ("student.loan.check.line", self.app_a.check_line_ids),
        ]:
            with self.subTest(model=model):
                domain = Rule._compute_domain(model, "read")
                self.assertEqual(self.env[model].sudo().search(domain), own)

    def test_chatter_of_other_student_hidden(self):
        self.login_b()
        result = self.make_jsonrpc_request(
            "/mail/thread/messages",
            {
                "thread_model": "student.loan.application",
                "thread_id": self.app_a.id,
            },
        )
        self.assertFalse(result.get("messages"))


@tagged("post_install", "-at_install")
class TestNoTraceback(StudentLoanPortalCase):
    """Issue 13: JSON-RPC error bodies carried the server's traceback and file paths."""

    def rpc_error(self, url, params):
        with mute_logger("odoo.http"):
            response = self.url_open(
                url,
                data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}),
                headers={"Content-Type": "application/json"},
            )
        return response.json().get("error")

    def assertNoServerDetails(self, error):  # noqa: N802 (unittest style)
        text = json.dumps(error, ensure_ascii=False)
        for leak in ("Traceback", 'File "', ".py", "/opt/", "/work/", "site-packages", "psycopg2"):
            self.assertNotIn(leak, text)
        self.assertFalse(error["data"]["debug"])

    def test_portal_and_anonymous_get_no_traceback(self):
        calls = [
            (
                "/web/dataset/call_kw",
                {"model": "student.loan.application", "method": "read", "args": [[1], ["name"]], "kwargs": {}},
            ),
            (
                "/web/dataset/call_kw",
                {"model": "student.loan.contract", "method": "no_such_method", "args": [[]], "kwargs": {}},
            ),
            ("/web/dataset/call_kw", {"model": "res.partner", "method": "read", "args": ["not-ids"], "kwargs": {}}),
            ("/web/dataset/call_kw", {"model": "no.such.model", "method": "search", "args": [[]], "kwargs": {}}),
            (f"/my/loans/{self.student_a.id}/sign/student", {"name": 1, "signature": {"strokes": "x"}}),
        ]
        for who in ("portal", "anonymous"):
            if who == "portal":
                self.login_a()
            else:
                self.authenticate(None, None)
            for url, params in calls:
                with self.subTest(who=who, url=url, method=params.get("method")):
                    error = self.rpc_error(url, params)
                    if error:
                        self.assertNoServerDetails(error)
        # the kind of error stays, so the web client shows the right dialog
        self.login_a()
        error = self.rpc_error(*calls[0])
        self.assertEqual(error["data"]["name"], "odoo.exceptions.AccessError")
        error = self.rpc_error(*calls[1])
        self.assertEqual(error["data"]["name"], "odoo.exceptions.ServerError")

    def test_internal_users_keep_the_details(self):
        self.authenticate(self.handler.login, self.handler.login)
        error = self.rpc_error(
            "/web/dataset/call_kw",
            {"model": "student.loan.contract", "method": "no_such_method", "args": [[]], "kwargs": {}},
        )
        self.assertIn("Traceback", error["data"]["debug"])
