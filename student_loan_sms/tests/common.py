"""Fixtures of the SMS tests: a local fake of the providers, one gateway per provider, students."""

import itertools

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.student_loan.tests.common import StudentLoanCase

from .fake_providers import FakeSmsProviders

_mobiles = itertools.count(1)

# Names of the students the tests make; campaigns filter on it, so that other students of the database
# (demo data, other addons' tests) never join an audience.
MARK = "短信测试"
ONLY_OURS = f"[('name', '=like', '{MARK}%')]"


def next_mobile():
    """A fresh valid mobile number per call (13900000001, 13900000002...)."""
    return f"139{next(_mobiles):08d}"


class SmsSetupMixin:
    """Gateways of the three kinds pointing at a local fake provider server."""

    @classmethod
    def setup_sms(cls):
        def user(login, group, centre):
            return mail_new_test_user(
                cls.env, login=login, name=login, groups=group, loan_centre_id=centre.id, email=f"{login}@example.com"
            )

        cls.supervisor_b = user("sl_sms_supervisor_b", "student_loan.group_supervisor", cls.county_b)
        cls.handler_gy = user("sl_sms_handler_gy", "student_loan.group_handler", cls.direct_county)
        cls.supervisor_gy = user("sl_sms_supervisor_gy", "student_loan.group_supervisor", cls.direct_county)
        cls.fake = FakeSmsProviders().start()
        cls.addClassCleanup(cls.fake.stop)
        Gateway = cls.env["student.loan.sms.gateway"]
        common = {"rate_limit": 0, "quiet_start": 0.0, "quiet_end": 0.0, "retry_delay": 60}
        # 商水县 (county) → Alibaba Cloud, the other county → Tencent Cloud, 巩义市 → HTTP gateway
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
                fallback_template_code="SMS_900000000",
            )
        )
        cls.gw_tencent = Gateway.create(
            dict(
                common,
                name="郸城 腾讯云",
                provider="tencent",
                endpoint_url=f"{cls.fake.base_url}/tencent/",
                access_key_id="AKIDFakeSecretId",
                access_key_secret="tencent-fake-secret",
                sdk_app_id="1400006666",
                sign_name="周口市学生资助中心",
                centre_ids=[(6, 0, cls.county_b.ids)],
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
        Template = cls.env["sms.template"]
        model = cls.env["ir.model"]._get_id("student.loan.student")
        cls.tpl_first = Template.create(
            {
                "name": "首贷通知",
                "model_id": model,
                "body": "{姓名}同学：请于{日期}携带{材料}到{中心}办理首次贷款。",
            }
        )
        cls.tpl_same = Template.create(
            {
                "name": "统一通知",
                "model_id": model,
                "body": "请于{日期}前到{中心}办理续贷手续。",
            }
        )
        Code = cls.env["student.loan.sms.template.code"]
        Code.create(
            [
                {
                    "template_id": cls.tpl_first.id,
                    "gateway_id": cls.gw_aliyun.id,
                    "template_code": "SMS_153055065",
                    "param_map": "name=姓名, date=日期, items=材料",
                },
                {
                    "template_id": cls.tpl_same.id,
                    "gateway_id": cls.gw_aliyun.id,
                    "template_code": "SMS_100000001",
                    "param_map": "date=日期, centre=中心",
                },
                {
                    "template_id": cls.tpl_first.id,
                    "gateway_id": cls.gw_tencent.id,
                    "template_code": "1234567",
                    "param_map": "1=姓名, 2=日期, 3=材料",
                },
                {
                    "template_id": cls.tpl_same.id,
                    "gateway_id": cls.gw_tencent.id,
                    "template_code": "7654321",
                    "param_map": "1=日期, 2=中心",
                },
            ]
        )

    def setUp(self):
        super().setUp()
        self.fake.reset()

    # ------------------------------------------------------------------
    @classmethod
    def make_students(cls, count, centre=None, first_loan=True, **overrides):
        """``count`` students of ``centre`` (default 商水县) with distinct mobiles and, unless told
        otherwise, a first-loan application of 2024."""
        centre = centre or cls.county
        students = cls.env["student.loan.student"]
        for _index in range(count):
            vals = {"name": f"{MARK}{next(_mobiles)}", "mobile": next_mobile(), "centre_id": centre.id}
            vals.update(overrides)
            student = cls.create_student(**vals)
            if first_loan:
                cls.create_application(student)
            students |= student
        return students

    def staff(self, centre):
        """(handler, supervisor) of a centre."""
        if centre == self.county_b:
            return self.handler_b, self.supervisor_b
        if centre == self.direct_county:
            return self.handler_gy, self.supervisor_gy
        return self.handler, self.supervisor

    def make_campaign(self, user=None, **vals):
        values = {
            "name": "2024年首次贷款通知",
            "centre_id": self.county.id,
            "audience_kind": "first_loan",
            "academic_year": 2024,
            "template_id": self.tpl_first.id,
            "message_date": "2024-08-15",
            "bring_items": "身份证、户口本、录取通知书",
            "audience_domain": ONLY_OURS,
        }
        values.update(vals)
        Campaign = self.env["student.loan.sms.campaign"]
        centre = self.env["student.loan.centre"].browse(values["centre_id"])
        return Campaign.with_user(user or self.staff(centre)[0]).create(values)

    def send(self, campaign, user=None):
        campaign.with_user(user or self.staff(campaign.centre_id)[1]).action_send()
        return campaign

    def dispatch(self, times=1):
        Campaign = self.env["student.loan.sms.campaign"].sudo()
        for _index in range(times):
            Campaign._cron_dispatch()

    @staticmethod
    def lines_by_state(campaign):
        result = {}
        for line in campaign.recipient_ids:
            result.setdefault(line.state, campaign.recipient_ids.browse())
            result[line.state] |= line
        return result


class SmsCase(SmsSetupMixin, StudentLoanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_sms()
