import base64
import io

from PIL import Image

from odoo.tests import tagged

from .common import StudentLoanPortalCase, make_signature


@tagged("post_install", "-at_install")
class TestSigning(StudentLoanPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.application = cls.portal_application(cls.student_a)

    def sign(self, role, name, signature, access_token=None, application=None):
        application = application or self.application
        params = {"name": name, "signature": signature}
        if access_token:
            params["access_token"] = access_token
        return self.json(f"/my/loans/{application.id}/sign/{role}", params)

    def test_prepare_contract_and_sign_both(self):
        self.login_a()
        page = self.url_open(self.application.access_url)
        self.assertIn("o_sl_prepare_contract", page.text)
        response = self.post(f"/my/loans/{self.application.id}/contract")
        self.assertTrue(response.url.endswith(f"/my/loans/{self.application.id}/sign"), response.url)
        self.env.invalidate_all()
        contract = self.application.contract_id
        self.assertEqual(contract.state, "draft")
        self.assertEqual(contract.amount, 6200)
        self.assertTrue(contract.name)
        # the page shows the sample and the signature pad of the student first
        self.assertIn("signature_sample.png", response.text)
        self.assertIn('name="portal.signature_form"', response.text)
        self.assertIn("Sign as the student", response.text)
        # the student signs
        result = self.sign("student", "王小明", make_signature())
        self.assertTrue(result.get("force_refresh"), result)
        self.env.invalidate_all()
        self.assertTrue(contract.signature)
        self.assertEqual(contract.state, "draft")
        self.assertIn("Sign as the co-borrower", self.url_open(f"/my/loans/{self.application.id}/sign").text)
        # then the co-borrower: the contract is signed (action_sign)
        result = self.sign("coborrower", " 王 父 ", make_signature())
        self.assertIn("message=signed", result["redirect_url"])
        self.env.invalidate_all()
        self.assertEqual(contract.state, "signed")
        self.assertTrue(contract.coborrower_signature)
        self.assertTrue(contract.signing_date)
        page = self.url_open(result["redirect_url"])
        self.assertIn("signed by both", page.text)
        # preparing again keeps the contract
        self.post(f"/my/loans/{self.application.id}/contract")
        self.env.invalidate_all()
        self.assertEqual(self.application.contract_id, contract)

    def test_signature_errors(self):
        self.application._portal_prepare_contract()
        self.login_a()
        dot = Image.new("RGBA", (600, 300), (0, 0, 0, 0))
        dot.putpixel((300, 150), (0, 0, 0, 255))
        buffer = io.BytesIO()
        dot.save(buffer, "PNG")
        cases = [
            ("student", "张三", make_signature(), "full name of the signer as on the ID card: 王小明"),
            ("student", "王小明", make_signature(strokes=False), "Sign in the box first"),
            ("student", "王小明", base64.b64encode(buffer.getvalue()).decode(), "too short"),
            ("student", "王小明", "not base64 !!", "Sign in the box first"),
            ("student", "王小明", base64.b64encode(b"GIF89a nothing").decode(), "could not be read"),
            ("witness", "王小明", make_signature(), "Unknown signer"),
        ]
        for role, name, signature, message in cases:
            with self.subTest(message=message):
                result = self.sign(role, name, signature)
                self.assertIn(message, result.get("error", ""))
        self.env.invalidate_all()
        self.assertFalse(self.application.contract_id.signature)

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

    def test_not_twice(self):
        self.application._portal_prepare_contract()
        self.login_a()
        self.sign("student", "王小明", make_signature())
        self.sign("coborrower", "王父", make_signature())
        result = self.sign("student", "王小明", make_signature())
        self.assertIn("not waiting for signatures", result["error"])

    def test_coborrower_signs_with_the_shared_link(self):
        """The co-borrower signs on their own phone with the link the student sends (access token)."""
        self.application._portal_prepare_contract()
        self.login_a()
        page = self.url_open(f"/my/loans/{self.application.id}/sign")
        token = self.application.access_token
        self.assertIn(f"/my/loans/{self.application.id}/sign?access_token={token}", page.text)
        self.authenticate(None, None)
        page = self.url_open(f"/my/loans/{self.application.id}/sign?access_token={token}&role=coborrower")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Sign as the co-borrower", page.text)
        self.assertNotIn("o_sl_share_url", page.text)
        # a wrong token is refused
        result = self.sign("coborrower", "王父", make_signature(), access_token="wrong")
        self.assertIn("cannot sign", result["error"])
        self.assertRedirectedHome(self.url_open(f"/my/loans/{self.application.id}/sign?access_token=wrong"))
        result = self.sign("coborrower", "王父", make_signature(), access_token=token)
        self.assertNotIn("error", result)
        self.env.invalidate_all()
        self.assertTrue(self.application.contract_id.coborrower_signature)

    def test_other_student_cannot_sign(self):
        self.application._portal_prepare_contract()
        self.login_b()
        result = self.sign("student", "王小明", make_signature())
        self.assertIn("cannot sign", result["error"])
        response = self.post(f"/my/loans/{self.application.id}/contract")
        self.assertRedirectedHome(response)
        self.env.invalidate_all()
        self.assertFalse(self.application.contract_id.signature)
