"""Delivery receipts and replies in each provider's format, and the opt-out they lead to."""

from .common import SmsCase


class TestReceipts(SmsCase):
    def _sent_campaign(self, centre, count=2, **vals):
        students = self.make_students(count, centre=centre, first_loan=centre != self.direct_county)
        if centre == self.direct_county:
            vals.setdefault("audience_kind", "custom")
            vals.setdefault("template_id", False)
            vals.setdefault("body", "{姓名}：{日期}开会")
        campaign = self.send(self.make_campaign(centre_id=centre.id, **vals))
        self.dispatch()
        self.assertEqual(campaign.sent_count, count)
        return campaign, students

    def test_aliyun_sms_report(self):
        campaign, _students = self._sent_campaign(self.county, template_id=self.tpl_same.id)
        biz_id = campaign.recipient_ids[0].provider_ref
        self.assertEqual(len(self.fake.accepted), 2)
        ok, ko = self.fake.accepted[0], self.fake.accepted[1]
        payload = [
            {
                "send_time": "2024-08-15 09:00:00",
                "report_time": "2024-08-15 09:00:05",
                "success": True,
                "err_msg": "用户接收成功",
                "err_code": "DELIVERED",
                "phone_number": ok["number"],
                "sms_size": "1",
                "biz_id": biz_id,
                "out_id": "",
            },
            {
                "send_time": "2024-08-15 09:00:00",
                "report_time": "2024-08-15 09:00:07",
                "success": False,
                "err_msg": "用户已停机",
                "err_code": "MK:0001",
                "phone_number": ko["number"],
                "sms_size": "1",
                "biz_id": biz_id,
                "out_id": "",
            },
            {"success": True, "err_code": "DELIVERED", "phone_number": "13800000000", "biz_id": "unknown^0"},
        ]
        self.assertEqual(self.gw_aliyun._process_receipts(payload), 2)
        delivered = campaign.recipient_ids.filtered(lambda line: line.number == f"+86{ok['number']}")
        failed = campaign.recipient_ids - delivered
        self.assertEqual(delivered.state, "delivered")
        self.assertTrue(delivered.delivered_date)
        self.assertEqual((failed.state, failed.failure_reason), ("failed", "MK:0001 用户已停机"))
        self.assertEqual((campaign.delivered_count, campaign.failed_count, campaign.sent_count), (1, 1, 1))
        self.assertEqual(failed.error_code, "MK:0001")
        # a receipt pushed twice changes nothing
        self.assertEqual(self.gw_aliyun._process_receipts(payload), 0)
        self.assertEqual(failed.state, "failed")

    def test_tencent_callback(self):
        campaign, _students = self._sent_campaign(self.county_b)
        first, second = campaign.recipient_ids.sorted("id")
        payload = [
            {
                "user_receive_time": "2024-08-15 09:00:05",
                "nationcode": "86",
                "mobile": first.number[3:],
                "report_status": "SUCCESS",
                "errmsg": "DELIVRD",
                "description": "用户短信送达成功",
                "sid": first.provider_ref,
            },
            {
                "user_receive_time": "2024-08-15 09:00:06",
                "nationcode": "86",
                "mobile": second.number[3:],
                "report_status": "FAIL",
                "errmsg": "MN:0001",
                "description": "空号",
                "sid": second.provider_ref,
            },
        ]
        self.assertEqual(self.gw_tencent._process_receipts(payload), 2)
        self.assertEqual(first.state, "delivered")
        self.assertEqual((second.state, second.failure_reason), ("failed", "MN:0001 空号"))

    def test_http_gateway_receipts(self):
        campaign, _students = self._sent_campaign(self.direct_county, count=1)
        line = campaign.recipient_ids
        self.gw_http._process_receipts({"message_id": line.provider_ref, "to": line.number, "status": "delivered"})
        self.assertEqual(line.state, "delivered")


class TestReplies(SmsCase):
    def test_td_reply_unsubscribes(self):
        students = self.make_students(2)
        campaign = self.send(self.make_campaign())
        student = students[0]
        # Alibaba Cloud SmsUp push
        self.gw_aliyun._process_inbound(
            [
                {
                    "phone_number": student.mobile,
                    "send_time": "2024-08-15 10:00:00",
                    "content": "TD",
                    "sign_name": "商水县学生资助中心",
                    "dest_code": "1234",
                    "sequence_id": 1234567890,
                }
            ]
        )
        self.assertTrue(student.sms_opt_out)
        self.assertTrue(self.env["phone.blacklist"].sudo().search([("number", "=", f"+86{student.mobile}")]))
        line = campaign.recipient_ids.filtered(lambda rec: rec.student_id == student)
        self.assertEqual((line.state, line.skip_reason), ("skipped", "opt_out"))
        self.assertIn("Unsubscribed from SMS by replying 'TD'", student.message_ids[0].body)
        self.dispatch()
        self.assertEqual(self.fake.accepted_numbers(), [students[1].mobile], "the opted-out student gets nothing")
        # the next campaign skips them
        campaign2 = self.send(self.make_campaign(name="第二次"))
        line2 = campaign2.recipient_ids.filtered(lambda rec: rec.student_id == student)
        self.assertEqual(line2.skip_reason, "opt_out")

    def test_tencent_reply_in_chinese_and_other_replies(self):
        student = self.make_students(1, centre=self.county_b, first_loan=False)
        self.gw_tencent._process_inbound(
            {
                "extend": "",
                "mobile": student.mobile,
                "nationcode": "86",
                "sign": "周口市学生资助中心",
                "text": "好的，谢谢",
                "time": 1723687200,
            }
        )
        self.assertFalse(student.sms_opt_out)
        self.assertIn("SMS reply from +86", student.message_ids[0].body)
        self.assertIn("好的，谢谢", student.message_ids[0].body)
        self.gw_tencent._process_inbound({"mobile": student.mobile, "nationcode": "86", "text": " 退订 "})
        self.assertTrue(student.sms_opt_out)

    def test_portal_switch(self):
        student = self.make_students(1, first_loan=False)
        portal_user = self.env["res.users"].create(
            {
                "name": student.name,
                "login": "sms_portal_student",
                "groups_id": [(6, 0, self.env.ref("base.group_portal").ids)],
            }
        )
        student.sudo().user_id = portal_user
        Student = self.env["student.loan.student"].with_user(portal_user)
        Student._portal_set_sms_opt_out(portal_user, True)
        self.assertTrue(student.sms_opt_out)
        self.assertTrue(self.env["phone.blacklist"].sudo().search([("number", "=", f"+86{student.mobile}")]))
        Student._portal_set_sms_opt_out(portal_user, False)
        self.assertFalse(student.sms_opt_out)
