"""A campaign goes out through each adapter to the local fake provider: signature, parameters,
batching, statuses, and the provider's errors."""

import json
from collections import Counter

from odoo.exceptions import AccessError

from .common import ONLY_OURS, SmsCase


class TestAliyun(SmsCase):
    def test_send_batch_sms_with_per_student_parameters(self):
        students = self.make_students(3)
        campaign = self.send(self.make_campaign())
        self.assertEqual(campaign.state, "queued")
        self.assertEqual(len(campaign.recipient_ids), 3)
        self.assertFalse(self.fake.requests, "queueing sends nothing")
        self.dispatch()

        self.assertEqual(campaign.state, "done")
        self.assertEqual(campaign.sent_count, 3)
        self.assertEqual(len(self.fake.requests), 1)
        request = self.fake.requests[0]
        self.assertEqual(request["action"], "SendBatchSms")
        params = request["params"]
        self.assertEqual(params["Version"], "2017-05-25")
        self.assertEqual(params["SignatureMethod"], "HMAC-SHA1")
        self.assertEqual(params["TemplateCode"], "SMS_153055065")
        self.assertEqual(sorted(json.loads(params["PhoneNumberJson"])), sorted(students.mapped("mobile")))
        self.assertEqual(json.loads(params["SignNameJson"]), ["商水县学生资助中心"] * 3)
        by_number = dict(
            zip(json.loads(params["PhoneNumberJson"]), json.loads(params["TemplateParamJson"]), strict=True)
        )
        student = students[0]
        self.assertEqual(
            by_number[student.mobile],
            {"name": student.name, "date": "2024年8月15日", "items": "身份证、户口本、录取通知书"},
        )
        line = campaign.recipient_ids.filtered(lambda rec: rec.student_id == student)
        self.assertEqual(line.state, "sent")
        self.assertEqual(line.number, f"+86{student.mobile}")
        self.assertTrue(line.provider_ref.endswith("^0"), "the BizId is kept for the receipts")
        self.assertEqual(
            line.body, f"{student.name}同学：请于2024年8月15日携带身份证、户口本、录取通知书到商水县办理首次贷款。"
        )
        self.assertEqual(line.segments, 1)

        # the status lives on the recipient line; the students' chatters stay quiet, the campaign's has a summary
        self.assertFalse(student.message_ids.filtered(lambda m: m.message_type == "sms"))
        self.assertFalse(line.mail_message_id)
        self.assertEqual(student.sms_recipient_ids, line)
        self.assertIn("Finished: 3 sent", campaign.message_ids[0].body)
        # the SMS queue's rows of accepted campaign messages are gone at once (no chatter message, no tracker)
        sms = self.env["sms.sms"].sudo().search([("sl_recipient_id", "in", campaign.recipient_ids.ids)])
        self.assertFalse(sms)

    def test_send_sms_groups_identical_texts_within_the_batch_size(self):
        self.gw_aliyun.batch_size = 2
        self.make_students(3)
        campaign = self.send(self.make_campaign(template_id=self.tpl_same.id))
        self.dispatch()
        self.assertEqual([r["action"] for r in self.fake.requests], ["SendSms", "SendSms"])
        self.assertEqual([len(r["params"]["PhoneNumbers"].split(",")) for r in self.fake.requests], [2, 1])
        self.assertEqual(
            json.loads(self.fake.requests[0]["params"]["TemplateParam"]), {"date": "2024年8月15日", "centre": "商水县"}
        )
        self.assertEqual(campaign.sent_count, 3)
        self.assertEqual(len(set(campaign.recipient_ids.mapped("provider_ref"))), 2, "one BizId per request")

    def test_illegal_number_fails_alone(self):
        """A request naming an illegal number is refused whole: the others are sent one by one."""
        students = self.make_students(3)
        bad = students[1]
        self.fake.illegal_numbers.add(bad.mobile)
        campaign = self.send(self.make_campaign(template_id=self.tpl_same.id))
        self.dispatch()
        lines = self.lines_by_state(campaign)
        self.assertEqual(lines["failed"].student_id, bad)
        self.assertEqual(lines["failed"].failure_reason, "isv.MOBILE_NUMBER_ILLEGAL: 非法手机号")
        self.assertEqual(len(lines["sent"]), 2)
        self.assertCountEqual(self.fake.accepted_numbers(), (students - bad).mapped("mobile"))
        self.assertEqual(lines["failed"].error_code, "isv.MOBILE_NUMBER_ILLEGAL")
        self.assertEqual(campaign.state, "done")

    def test_wrong_secret_blocks_the_gateway_and_nothing_is_sent_twice(self):
        students = self.make_students(2)
        self.gw_aliyun.access_key_secret = "not-the-secret"
        campaign = self.send(self.make_campaign())
        self.dispatch()
        self.assertTrue(self.gw_aliyun.blocked)
        self.assertIn("SignatureDoesNotMatch", self.gw_aliyun.last_error)
        self.assertEqual(set(campaign.recipient_ids.mapped("state")), {"queued"}, "nothing was sent: still queued")
        self.assertFalse(self.fake.accepted)
        self.assertTrue(campaign.gateway_blocked)

        # a blocked gateway is not called again
        self.fake.reset()
        self.dispatch()
        self.assertFalse(self.fake.requests)

        # the administrator fixes the secret: the gateway unblocks and each message goes once
        self.gw_aliyun.with_user(self.admin).access_key_secret = "aliyun-fake-secret"
        self.assertFalse(self.gw_aliyun.blocked)
        self.dispatch(times=2)
        self.assertEqual(Counter(self.fake.accepted_numbers()), Counter(students.mapped("mobile")))
        self.assertEqual(campaign.state, "done")

    def test_unknown_access_key(self):
        self.make_students(1)
        self.gw_aliyun.access_key_id = "LTAI5tNobody"
        self.send(self.make_campaign())
        self.dispatch()
        self.assertTrue(self.gw_aliyun.blocked)
        self.assertEqual(self.gw_aliyun.last_error, "InvalidAccessKeyId.NotFound: Specified access key is not found.")

    def test_unapproved_sign_name(self):
        self.make_students(1)
        self.gw_aliyun.sign_name = "未备案签名"
        campaign = self.send(self.make_campaign())
        self.dispatch()
        self.assertTrue(self.gw_aliyun.blocked)
        self.assertIn("isv.SMS_SIGNATURE_ILLEGAL", campaign.gateway_error)

    def test_free_text_sms_uses_the_fallback_template(self):
        """An SMS written in the chatter of a student goes through the centre's gateway too."""
        student = self.make_students(1, first_loan=False)
        student._message_sms("请明天上午到资助中心补交材料。")
        self.assertEqual(len(self.fake.requests), 1)
        request = self.fake.requests[0]
        self.assertEqual(request["action"], "SendSms")
        self.assertEqual(request["params"]["TemplateCode"], "SMS_900000000")
        self.assertEqual(json.loads(request["params"]["TemplateParam"]), {"content": "请明天上午到资助中心补交材料。"})
        line = student.sms_recipient_ids
        self.assertEqual(line.state, "sent")
        self.assertFalse(line.campaign_id)
        self.assertEqual(student.sms_count, 1)

    def test_free_text_without_fallback_template_fails_clearly(self):
        self.gw_aliyun.fallback_template_code = False
        student = self.make_students(1, first_loan=False)
        student._message_sms("自由文本")
        self.assertFalse(self.fake.requests)
        line = student.sms_recipient_ids
        self.assertEqual(line.state, "failed")
        self.assertIn("registered templates", line.failure_reason)


class TestTencent(SmsCase):
    def test_send_sms_signed_tc3(self):
        students = self.make_students(2, centre=self.county_b)
        campaign = self.send(self.make_campaign(centre_id=self.county_b.id))
        self.assertEqual(campaign.gateway_id, self.gw_tencent)
        self.dispatch()
        # per-student parameters: one request per parameter set
        self.assertEqual(len(self.fake.requests), 2)
        request = self.fake.requests[0]
        headers = request["headers"]
        self.assertEqual(headers["x-tc-version"], "2021-01-11")
        self.assertEqual(headers["x-tc-region"], "ap-guangzhou")
        self.assertTrue(headers["authorization"].startswith("TC3-HMAC-SHA256 Credential=AKIDFakeSecretId/"))
        body = request["params"]
        self.assertEqual(body["SmsSdkAppId"], "1400006666")
        self.assertEqual(body["TemplateId"], "1234567")
        self.assertEqual(body["SignName"], "周口市学生资助中心")
        self.assertEqual(len(body["TemplateParamSet"]), 3)
        self.assertIn(body["PhoneNumberSet"][0], [f"+86{m}" for m in students.mapped("mobile")])
        self.assertEqual(campaign.sent_count, 2)
        self.assertTrue(all(ref.startswith("2433:") for ref in campaign.recipient_ids.mapped("provider_ref")))
        self.assertEqual(len(set(campaign.recipient_ids.mapped("provider_ref"))), 2, "one SerialNo per number")

    def test_same_text_goes_in_one_request_and_bad_numbers_fail_alone(self):
        students = self.make_students(3, centre=self.county_b)
        self.fake.illegal_numbers.add(students[2].mobile)
        campaign = self.send(self.make_campaign(centre_id=self.county_b.id, template_id=self.tpl_same.id))
        self.dispatch()
        self.assertEqual(len(self.fake.requests), 1)
        request = self.fake.requests[0]
        self.assertEqual(len(request["params"]["PhoneNumberSet"]), 3)
        self.assertEqual(request["params"]["TemplateParamSet"], ["2024年8月15日", campaign.centre_id.name])
        lines = self.lines_by_state(campaign)
        self.assertEqual(len(lines["sent"]), 2)
        self.assertEqual(lines["failed"].error_code, "InvalidParameterValue.IncorrectPhoneNumber")
        self.assertEqual(lines["failed"].failure_reason, "InvalidParameterValue.IncorrectPhoneNumber: 手机号格式错误")

    def test_wrong_secret_key(self):
        self.make_students(1, centre=self.county_b)
        self.gw_tencent.access_key_secret = "wrong"
        campaign = self.send(self.make_campaign(centre_id=self.county_b.id))
        self.dispatch()
        self.assertTrue(self.gw_tencent.blocked)
        self.assertIn("AuthFailure.SignatureFailure", self.gw_tencent.last_error)
        self.assertEqual(campaign.queued_count, 1)
        self.assertFalse(self.fake.accepted)


class TestHttpGateway(SmsCase):
    def test_bearer_json_batches(self):
        self.gw_http.batch_size = 2
        students = self.make_students(3, centre=self.direct_county, first_loan=False)
        campaign = self.send(
            self.make_campaign(
                centre_id=self.direct_county.id,
                audience_kind="custom",
                template_id=False,
                body="{姓名}同学，{日期}诚信教育座谈会请准时参加。",
                audience_domain=ONLY_OURS,
            )
        )
        self.dispatch()
        self.assertEqual([len(r["params"]["messages"]) for r in self.fake.requests], [2, 1])
        request = self.fake.requests[0]
        self.assertEqual(request["headers"]["authorization"], "Bearer http-fake-token")
        self.assertEqual(request["params"]["sign_name"], "巩义市学生资助中心")
        contents = {entry["number"]: entry["content"] for entry in self.fake.accepted}
        self.assertEqual(
            contents[students[0].mobile], f"{students[0].name}同学，2024年8月15日诚信教育座谈会请准时参加。"
        )
        self.assertEqual(campaign.sent_count, 3)
        self.assertTrue(all(ref.startswith("msg-") for ref in campaign.recipient_ids.mapped("provider_ref")))

    def test_wrong_token(self):
        self.make_students(1, centre=self.direct_county, first_loan=False)
        self.gw_http.api_token = "nope"
        campaign = self.send(
            self.make_campaign(
                centre_id=self.direct_county.id,
                audience_kind="custom",
                template_id=False,
                body="通知：{日期}开会。",
            )
        )
        self.dispatch()
        self.assertTrue(self.gw_http.blocked)
        self.assertEqual(self.gw_http.last_error, "HTTP401: invalid token")
        self.assertEqual(campaign.queued_count, 1)

    def test_dry_run_records_without_sending(self):
        self.gw_http.dry_run = True
        self.make_students(2, centre=self.direct_county, first_loan=False)
        campaign = self.send(
            self.make_campaign(
                centre_id=self.direct_county.id,
                audience_kind="custom",
                template_id=False,
                body="测试：{日期}",
            )
        )
        self.dispatch()
        self.assertFalse(self.fake.requests)
        self.assertEqual(campaign.sent_count, 2)
        self.assertTrue(all(campaign.recipient_ids.mapped("dry_run")))
        self.assertEqual(campaign.state, "done")


class TestGatewayAccess(SmsCase):
    def test_credentials_readable_by_administrators_only(self):
        for user in (self.handler, self.supervisor, self.city_viewer):
            gateway = self.gw_aliyun.with_user(user)
            self.assertEqual(gateway.name, "商水 阿里云")
            for field_name in ("access_key_secret", "access_key_id", "api_token", "webhook_token"):
                with self.assertRaises(AccessError):
                    gateway.read([field_name])
            with self.assertRaises(AccessError):
                gateway.write({"rate_limit": 5})
        gateway = self.gw_aliyun.with_user(self.admin)
        self.assertEqual(gateway.access_key_secret, "aliyun-fake-secret")
        self.assertIn(f"/student_loan_sms/{gateway.id}/", gateway.receipt_url)
