import re
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from odoo.addons.student_loan.loanlib import handwriting

from .common import PNG, StudentLoanPortalCase, make_drawing


@tagged("post_install", "-at_install")
class TestSigning(StudentLoanPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.application = cls.portal_application(cls.student_a)

    def sign(self, role, name, drawing, application=None):
        application = application or self.application
        return self.json(f"/my/loans/{application.id}/sign/{role}", {"name": name, "signature": drawing})

    def make_link(self):
        """The student makes the co-borrower's signing link; its URL as shown in the page."""
        self.login_a()
        page = self.post(f"/my/loans/{self.application.id}/sign/link")
        url = re.search(r'class="form-control form-control-sm mb-2 o_sl_share_url" value="([^"]+)"', page.text)
        self.assertTrue(url, page.text)
        return url.group(1).replace(self.application.get_base_url(), "")

    def cosign_send_code(self, url):
        return self.post(f"{url}/code")

    def cosign_verify(self, url, code):
        return self.post(f"{url}/verify", {"code": code})

    def cosign(self, url, name="王父", drawing=None):
        return self.json(f"{url}/sign", {"name": name, "signature": drawing or make_drawing()})

    def test_prepare_contract_and_student_signs(self):
        self.login_a()
        page = self.url_open(self.application.access_url)
        self.assertIn("o_sl_prepare_contract", page.text)
        response = self.post(f"/my/loans/{self.application.id}/contract")
        self.assertTrue(response.url.endswith(f"/my/loans/{self.application.id}/sign"), response.url)
        self.env.invalidate_all()
        contract = self.application.contract_id
        self.assertEqual(contract.state, "draft")
        self.assertEqual(contract.amount, 6200)
        # the page shows the sample and the hand-signature pad of the student (no Auto, no Load)
        self.assertIn("signature_sample.png", response.text)
        self.assertIn("student_loan_portal.hand_signature_form", response.text)
        self.assertNotIn("portal.signature_form", response.text)
        result = self.sign("student", "王小明", make_drawing())
        self.assertTrue(result.get("force_refresh"), result)
        self.env.invalidate_all()
        self.assertTrue(contract.signature)
        self.assertIn('"signer":"student"', contract.signature_strokes)
        self.assertEqual(contract.state, "draft")
        # preparing again keeps the contract
        self.post(f"/my/loans/{self.application.id}/contract")
        self.env.invalidate_all()
        self.assertEqual(self.application.contract_id, contract)

    def test_signature_errors(self):
        self.application._portal_prepare_contract()
        self.login_a()
        instant = [{"points": [{"x": 50 + i * 20, "y": 100, "time": 0} for i in range(30)]}]
        cases = [
            ("student", "张三", make_drawing(), "full name of the signer as on the ID card: 王小明"),
            ("student", "王小明", make_drawing(strokes=[{"points": []}]), "Sign in the box first"),
            ("student", "王小明", make_drawing(strokes=[{"points": [{"x": 1, "y": 1, "time": 0}]}]), "too short"),
            ("student", "王小明", make_drawing(mode="auto"), "written by hand"),
            ("student", "王小明", make_drawing(strokes=instant), "written by hand"),
            ("student", "王小明", PNG.decode(), "could not be read"),
            ("student", "王小明", "data:image/png;base64," + PNG.decode(), "could not be read"),
            ("coborrower", "王父", make_drawing(), "signing link"),
            ("witness", "王小明", make_drawing(), "signing link"),
        ]
        for role, name, drawing, message in cases:
            with self.subTest(message=message):
                result = self.sign(role, name, drawing)
                self.assertIn(message, result.get("error", ""))
        self.env.invalidate_all()
        self.assertFalse(self.application.contract_id.signature)
        self.assertFalse(self.application.contract_id.coborrower_signature)

    def test_contract_needs_complete_data(self):
        application = self.portal_application(self.student_b, enrolment_year=self.year - 5)
        self.login_b()
        response = self.post(f"/my/loans/{application.id}/contract")
        self.assertIn("cannot go on", response.text)
        self.assertIn("no longer studying", response.text)
        self.env.invalidate_all()
        self.assertFalse(application.contract_id)
        # nothing to sign: the signing page sends back to the application
        self.assertTrue(self.url_open(f"/my/loans/{application.id}/sign").url.endswith(f"/my/loans/{application.id}"))

    def test_coborrower_signs_with_the_link_and_the_sms_code(self):
        """The co-borrower opens the link on their own phone (a second, anonymous session), proves
        it is them with the code sent to their mobile on record, and signs by hand."""
        self.application._portal_prepare_contract()
        self.application._portal_sign("student", "王小明", make_drawing())
        url = self.make_link()
        self.assertTrue(url.startswith("/loan/cosign/"), url)
        self.authenticate(None, None)  # the co-borrower's phone
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("137****5678", page.text)
        # the signing page only: no link to the student's application, documents or certificate
        for forbidden in (self.application.access_url, "/attachments", "/certificate", "o_sl_share_url"):
            self.assertNotIn(forbidden, page.text)
        self.assertNotIn("hand_signature_form", page.text, "no pad before the code")
        # signing before the code is refused
        self.assertIn("code sent to the co-borrower's mobile first", self.cosign(url)["error"])
        self.cosign_send_code(url)
        code = self.last_code("cosign", "13712345678")
        # a wrong code is refused
        page = self.cosign_verify(url, "000000" if code != "000000" else "111111")
        self.assertIn("wrong or has expired", page.text)
        page = self.cosign_verify(url, code)
        self.assertIn("student_loan_portal.hand_signature_form", page.text)
        # only a hand drawing
        self.assertIn("written by hand", self.cosign(url, drawing=make_drawing(mode="auto"))["error"])
        self.assertIn("full name of the signer", self.cosign(url, name="王小明")["error"])
        result = self.cosign(url)
        self.assertNotIn("error", result)
        self.env.invalidate_all()
        contract = self.application.contract_id
        self.assertTrue(contract.coborrower_signature)
        self.assertEqual(contract.state, "signed")
        self.assertIn('"signer":"coborrower"', contract.coborrower_signature_strokes)
        self.assertIn("with the code sent to their mobile", contract.message_ids[:2].mapped("body")[1])
        # used once: afterwards the link refuses everything
        page = self.url_open(url)
        self.assertIn("o_sl_cosign_done", page.text)
        self.assertNotIn("o_sl_contract_terms", page.text)
        self.assertIn("no longer valid", self.cosign(url)["error"])
        self.cosign_send_code(url)
        self.assertEqual(len([c for c in self.sent_codes if c[0] == "cosign"]), 1, "no new code")

    def test_link_expires(self):
        self.application._portal_prepare_contract()
        url = self.make_link()
        self.authenticate(None, None)
        days = int(self.env["ir.config_parameter"].sudo().get_param("student_loan_portal.sign_link_days") or 7)
        with freeze_time(fields.Datetime.now() + timedelta(days=days, minutes=1)):
            page = self.url_open(url)
            self.assertIn("o_sl_cosign_invalid", page.text)
            self.assertNotIn("o_sl_contract_terms", page.text)
            self.cosign_send_code(url)
            self.assertFalse(self.sent_codes)
            self.assertIn("no longer valid", self.cosign(url)["error"])

    def test_new_link_replaces_the_old_one_and_wrong_tokens(self):
        self.application._portal_prepare_contract()
        old = self.make_link()
        new = self.make_link()
        self.assertNotEqual(old, new)
        self.authenticate(None, None)
        self.assertIn("o_sl_cosign_invalid", self.url_open(old).text)
        link_id = new.split("/")[3]
        for url in (f"/loan/cosign/{link_id}/wrong-token", f"/loan/cosign/999999/{new.split('/')[4]}"):
            with self.subTest(url=url):
                self.assertIn("o_sl_cosign_invalid", self.url_open(url).text)
                self.assertIn("no longer valid", self.cosign(url)["error"])

    def test_student_session_cannot_sign_for_the_coborrower(self):
        """Logged in as the student, with the link: the co-borrower's code is still needed."""
        self.application._portal_prepare_contract()
        url = self.make_link()
        self.assertIn("code sent to the co-borrower's mobile first", self.cosign(url)["error"])
        self.assertIn("signing link", self.sign("coborrower", "王父", make_drawing())["error"])
        # a code of another purpose (e.g. the student's own reset code) does not open the link
        self.env["student.loan.portal.otp"].sudo()._issue("reset", "13712345678", subject="X")
        page = self.cosign_verify(url, self.last_code("reset"))
        self.assertIn("wrong or has expired", page.text)
        self.env.invalidate_all()
        self.assertFalse(self.application.contract_id.coborrower_signature)

    def test_code_attempts_limited(self):
        self.application._portal_prepare_contract()
        url = self.make_link()
        self.authenticate(None, None)
        self.cosign_send_code(url)
        code = self.last_code("cosign")
        wrong = "000000" if code != "000000" else "111111"
        for _attempt in range(5):
            self.cosign_verify(url, wrong)
        page = self.cosign_verify(url, code)
        self.assertIn("wrong or has expired", page.text, "the right code after too many attempts is refused")
        otp = self.env["student.loan.portal.otp"].sudo().search([("purpose", "=", "cosign")], limit=1)
        self.assertEqual(otp.state, "void")
        self.assertNotIn(code, str(otp.read()[0].values()), "the code is not stored in clear")

    def test_link_refused_after_the_coborrower_changes(self):
        self.application._portal_prepare_contract()
        url = self.make_link()
        coborrower = self.application.coborrower_id.sudo()
        coborrower.mobile = "13799998888"
        self.authenticate(None, None)
        self.assertIn("o_sl_cosign_invalid", self.url_open(url).text)

    def test_other_student_cannot_sign(self):
        self.application._portal_prepare_contract()
        self.login_b()
        result = self.sign("student", "王小明", make_drawing())
        self.assertIn("cannot sign", result["error"])
        response = self.post(f"/my/loans/{self.application.id}/contract")
        self.assertRedirectedHome(response)
        response = self.post(f"/my/loans/{self.application.id}/sign/link")
        self.assertRedirectedHome(response)
        self.env.invalidate_all()
        self.assertFalse(self.application.contract_id.signature)
        self.assertFalse(self.env["student.loan.sign.request"].sudo().search([]))

    def test_handwriting_sample_is_accepted(self):
        self.assertTrue(handwriting.parse_strokes(handwriting.sample_strokes(), 600, 300))
