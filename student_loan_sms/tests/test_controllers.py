"""The webhooks and the portal page, over HTTP."""

import json
import re

from odoo.tests import HttpCase, tagged

from odoo.addons.student_loan.tests.common import StudentLoanCase

from .common import SmsSetupMixin


@tagged("post_install", "-at_install")
class TestWebhooks(SmsSetupMixin, StudentLoanCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_sms()

    def _post(self, url, payload, raw=None):
        return self.url_open(
            url,
            data=raw if raw is not None else json.dumps(payload, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json"},
        )

    def test_aliyun_receipt_and_reply(self):
        students = self.make_students(1)
        campaign = self.send(self.make_campaign())
        self.dispatch()
        line = campaign.recipient_ids
        self.assertEqual(line.state, "sent")
        gateway = self.gw_aliyun.sudo()
        response = self._post(
            gateway.receipt_url.replace(gateway.get_base_url(), ""),
            [
                {
                    "send_time": "2024-08-15 09:00:00",
                    "report_time": "2024-08-15 09:00:05",
                    "success": True,
                    "err_msg": "用户接收成功",
                    "err_code": "DELIVERED",
                    "phone_number": students.mobile,
                    "sms_size": "1",
                    "biz_id": line.provider_ref,
                    "out_id": "",
                }
            ],
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"code": 0, "msg": "成功"})
        line.invalidate_recordset()
        self.assertEqual(line.state, "delivered")

        response = self._post(
            gateway.inbound_url.replace(gateway.get_base_url(), ""),
            [
                {
                    "phone_number": students.mobile,
                    "content": "退订",
                    "send_time": "2024-08-15 10:00:00",
                    "sign_name": "商水县学生资助中心",
                    "dest_code": "",
                    "sequence_id": 1,
                }
            ],
        )
        self.assertEqual(response.json(), {"code": 0, "msg": "成功"})
        students.invalidate_recordset()
        self.assertTrue(students.sms_opt_out)

    def test_tencent_receipt(self):
        self.make_students(1, centre=self.county_b)
        campaign = self.send(self.make_campaign(centre_id=self.county_b.id))
        self.dispatch()
        line = campaign.recipient_ids
        gateway = self.gw_tencent.sudo()
        response = self._post(
            f"/student_loan_sms/{gateway.id}/{gateway.webhook_token}/receipt",
            [
                {
                    "user_receive_time": "2024-08-15 09:00:05",
                    "nationcode": "86",
                    "mobile": line.number[3:],
                    "report_status": "SUCCESS",
                    "errmsg": "DELIVRD",
                    "description": "用户短信送达成功",
                    "sid": line.provider_ref,
                }
            ],
        )
        self.assertEqual(response.json(), {"result": 0, "errmsg": "OK"})
        line.invalidate_recordset()
        self.assertEqual(line.state, "delivered")

    def test_wrong_token_and_bad_body(self):
        gateway = self.gw_http.sudo()
        response = self._post(f"/student_loan_sms/{gateway.id}/not-the-token/receipt", [])
        self.assertEqual(response.status_code, 404)
        response = self._post(f"/student_loan_sms/{gateway.id}/{gateway.webhook_token}/receipt", None, raw=b"<xml/>")
        self.assertEqual(response.status_code, 400)
        response = self._post(f"/student_loan_sms/{gateway.id}/{gateway.webhook_token}/receipt", [])
        self.assertEqual(response.json(), {"status": "ok"})

    def test_portal_opt_out(self):
        student = self.make_students(1, first_loan=False)
        portal_user = self.env["res.users"].create(
            {
                "name": student.name,
                "login": "sms_portal_web",
                "password": "sms_portal_web",
                "groups_id": [(6, 0, self.env.ref("base.group_portal").ids)],
            }
        )
        student.sudo().user_id = portal_user
        self.authenticate("sms_portal_web", "sms_portal_web")
        page = self.url_open("/my/sms")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Do not send me SMS campaigns", page.text)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open("/my/sms", data={"csrf_token": token, "opt_out": "1"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("Your choice is saved", response.text)
        student.invalidate_recordset()
        self.assertTrue(student.sms_opt_out)
        home = self.url_open("/my/home")
        self.assertIn("/my/sms", home.text)
