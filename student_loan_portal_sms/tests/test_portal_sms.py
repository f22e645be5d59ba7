import logging
import re

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.student_loan.tests.common import StudentLoanCase, make_id_number
from odoo.addons.student_loan_sms.tests.fake_providers import FakeSmsProviders


@tagged("post_install", "-at_install")
class TestPortalCodesBySms(StudentLoanCase):
    """The portal's one-time codes leave through the centre's gateway (a local server speaking the
    providers' protocols), the text in Chinese; the code is never stored nor logged in clear."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.fake = FakeSmsProviders().start()
        cls.addClassCleanup(cls.fake.stop)
        Gateway = cls.env["student.loan.sms.gateway"]
        common = {"rate_limit": 0, "quiet_start": 0.0, "quiet_end": 0.0}
        cls.gw_aliyun = Gateway.create(
            dict(
                common,
                name="商水 阿里云",
                provider="aliyun",
                endpoint_url=f"{cls.fake.base_url}/aliyun/",
                access_key_id="LTAI5tFakeKeyId",
                access_key_secret="aliyun-fake-secret",
                sign_name="商水县学生资助中心",
                centre_ids=[(6, 0, cls.county.ids)],
                otp_template_code="SMS_900000000",
                otp_param_name="content",
            )
        )
        cls.gw_http = Gateway.create(
            dict(
                common,
                name="巩义 HTTP",
                provider="http",
                endpoint_url=f"{cls.fake.base_url}/http/send",
                api_token="http-fake-token",
                sign_name="巩义市学生资助中心",
                centre_ids=[(6, 0, cls.direct_county.ids)],
            )
        )
        cls.Otp = cls.env["student.loan.portal.otp"].sudo()

    def setUp(self):
        super().setUp()
        self.fake.reset()

    def test_code_through_the_centres_gateway_and_verified(self):
        with self.assertLogs("odoo.addons", level=logging.DEBUG) as logs:
            otp = self.Otp._issue("register", "13800000081", subject="X1", ip="10.0.0.1", centre=self.county)
            logging.getLogger("odoo.addons.student_loan_portal_sms").debug("end")
        self.assertEqual(len(self.fake.accepted), 1)
        sent = self.fake.accepted[0]
        self.assertEqual(
            (sent["provider"], sent["number"], sent["template"]), ("aliyun", "13800000081", "SMS_900000000")
        )
        code = sent["params"]["content"]
        self.assertRegex(code, r"^\d{6}$")
        # stored as a keyed hash, logged nowhere
        self.assertNotIn(code, str(otp.read()[0].values()))
        self.assertNotIn(code, "\n".join(logs.output))
        self.assertEqual(self.Otp._verify("register", code, mobile="13800000081", subject="X1"), otp)

    def test_http_gateway_gets_the_chinese_text(self):
        self.Otp._issue("reset", "13800000082", subject="X2", centre=self.direct_county)
        sent = self.fake.accepted[0]
        self.assertEqual(sent["provider"], "http")
        code = re.search(r"\d{6}", sent["content"]).group(0)
        self.assertIn("验证码", sent["content"])
        self.assertTrue(self.Otp._verify("reset", code, subject="X2"))

    def test_provider_refusal_is_a_clear_error(self):
        self.fake.illegal_numbers.add("13800000083")
        with self.assertRaisesRegex(UserError, "could not be sent"):
            self.Otp._issue("register", "13800000083", subject="X3", centre=self.direct_county)

    def test_centre_without_gateway_uses_another_one(self):
        otp = self.Otp._issue("register", "13800000084", subject="X4", centre=self.county_b)
        self.assertEqual(otp._sms_gateway(), self.env["student.loan.sms.gateway"].search([], limit=1))

    def test_dry_run_sends_nothing(self):
        self.gw_http.dry_run = True
        otp = self.Otp._issue("register", "13800000085", subject=make_id_number(serial=990), centre=self.direct_county)
        self.assertFalse(self.fake.accepted)
        self.assertEqual(otp.state, "pending")
