"""Campaigns: audiences, texts, de-duplication, opt-outs, bad input and access rights."""

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form

from ..models.student_loan_sms_campaign import StudentLoanSmsCampaign
from .common import MARK, ONLY_OURS, SmsCase, next_mobile

POOR_OF_OURS = f"[('is_poverty_registered', '=', True), ('name', '=like', '{MARK}%')]"


class TestAudience(SmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.first = cls.make_students(2)
        cls.no_loan = cls.make_students(1, first_loan=False)
        cls.poor = cls.make_students(1, first_loan=False, is_poverty_registered=True)
        cls.elsewhere = cls.make_students(1, centre=cls.county_b)

    def test_first_loan_applicants_of_the_year(self):
        campaign = self.make_campaign()
        self.assertEqual(campaign.gateway_id, self.gw_aliyun, "the centre's gateway")
        self.assertEqual(campaign.audience_count, 2)
        students, _extra = campaign._get_audience()
        self.assertEqual(students, self.first)
        campaign.academic_year = 2023
        self.assertEqual(campaign.audience_count, 0)

    def test_poverty_registered_students_of_the_centre(self):
        campaign = self.make_campaign(audience_kind="poverty", template_id=self.tpl_same.id)
        self.assertEqual(campaign._get_audience()[0], self.poor)

    def test_custom_filter_and_saved_filter(self):
        campaign = self.make_campaign(
            audience_kind="custom",
            template_id=self.tpl_same.id,
            audience_domain=f"[('id', 'in', {self.no_loan.ids + self.elsewhere.ids})]",
        )
        self.assertEqual(campaign._get_audience()[0], self.no_loan, "never beyond the campaign's centre")
        saved = self.env["ir.filters"].create(
            {
                "name": "建档立卡",
                "model_id": "student.loan.student",
                "domain": POOR_OF_OURS,
            }
        )
        with Form(campaign.with_user(self.handler)) as form:
            form.filter_id = saved
        self.assertEqual(campaign.audience_domain, POOR_OF_OURS)
        self.assertEqual(campaign.audience_count, 1)

    def test_city_campaign_reaches_its_counties(self):
        city_admin = self.env["student.loan.sms.campaign"].create(
            {
                "name": "全市通知",
                "centre_id": self.city.id,
                "audience_kind": "custom",
                "body": "通知",
                "gateway_id": self.gw_http.id,
                "audience_domain": ONLY_OURS,
            }
        )
        self.assertEqual(city_admin.audience_count, 5)

    def test_include_families(self):
        campaign = self.make_campaign(include_coborrowers=True)
        self.assertEqual(campaign.audience_count, 4, "2 students + their 2 co-borrowers")

    def test_invalid_filter(self):
        with self.assertRaisesRegex(ValidationError, "filter is not valid"):
            self.make_campaign(audience_kind="custom", audience_domain="[('nope', '=', 1)]")

    def test_amount_due_needs_the_repayment_addon(self):
        """Without the repayment addon (and so without the bridge student_loan_repayment_sms, which
        answers when both are installed) the audience names the addon to install."""
        campaign = self.make_campaign(
            audience_kind="amount_due",
            template_id=False,
            gateway_id=self.gw_http.id,
            body="{姓名}：请于{日期}前还款{金额}元",
        )
        with self.assertRaisesRegex(UserError, "student_loan_repayment"):
            StudentLoanSmsCampaign._get_amount_due(campaign)


class TestCampaignText(SmsCase):
    def test_preview_length_and_segments(self):
        student = self.make_students(1)
        campaign = self.make_campaign(template_id=False, gateway_id=self.gw_http.id, body="{姓名}：" + "短" * 60)
        sign = len("【巩义市学生资助中心】")
        self.assertEqual(campaign.preview, f"{student.name}：" + "短" * 60)
        self.assertEqual(campaign.preview_length, sign + len(student.name) + 61)
        self.assertEqual(campaign.preview_segments, 2, "over 70 characters: parts of 67")
        campaign.body = "短信"
        self.assertEqual(campaign.preview_segments, 1)

    def test_odoo_expressions_and_chinese_placeholders(self):
        student = self.make_students(1)
        template = self.env["sms.template"].create(
            {
                "name": "学校",
                "model_id": self.env["ir.model"]._get_id("student.loan.student"),
                "body": "{姓名}，学校：{{ object.school_id.name }}。",
            }
        )
        campaign = self.make_campaign(template_id=template.id, gateway_id=self.gw_http.id)
        expected = f"{student.name}，学校：{student.school_id.name}。"
        self.assertEqual(campaign.preview, expected)
        self.send(campaign)
        self.assertEqual(campaign.recipient_ids.body, expected)

    def test_expressions_in_an_edited_text_need_a_template_editor(self):
        """As in Odoo's SMS composer: only template editors write code into a text."""
        self.make_students(1)
        campaign = self.make_campaign(
            template_id=False, gateway_id=self.gw_http.id, body="{{ object.env['res.users'].search([]) }}"
        )
        with self.assertRaisesRegex(AccessError, "Mail Template Editor"):
            self.send(campaign)
        self.assertFalse(campaign.recipient_ids)

    def test_missing_placeholder_value_is_refused_before_anything_is_queued(self):
        self.make_students(2)
        campaign = self.make_campaign(template_id=False, gateway_id=self.gw_http.id, body="{姓名}：请还款{金额}元")
        self.assertIn("{金额}", campaign.preview_error)
        with self.assertRaisesRegex(UserError, r"needs \{金额\} but it has no value for 短信测试"):
            self.send(campaign)
        self.assertEqual(campaign.state, "draft")
        self.assertFalse(campaign.recipient_ids)
        self.assertFalse(self.env["sms.sms"].sudo().search([("sl_gateway_id", "=", self.gw_http.id)]))
        campaign.amount = 500
        self.send(campaign)
        self.assertEqual(campaign.recipient_ids[0].body.split("：")[1], "请还款500元")

    def test_unknown_placeholder(self):
        self.make_students(1)
        campaign = self.make_campaign(template_id=False, gateway_id=self.gw_http.id, body="{名字}你好")
        with self.assertRaisesRegex(UserError, r"Unknown placeholder \{名字\}"):
            self.send(campaign)

    def test_template_providers_need_the_registered_text(self):
        self.make_students(1)
        campaign = self.make_campaign(template_id=False, body="自己写的{姓名}")
        with self.assertRaisesRegex(UserError, "only sends templates registered"):
            self.send(campaign)
        campaign.template_id = self.tpl_first
        campaign.body = campaign.body + "改了"
        with self.assertRaisesRegex(UserError, "registered text of template SMS_153055065"):
            self.send(campaign)

    def test_template_code_variables(self):
        mapping = self.env["student.loan.sms.template.code"].search([("template_code", "=", "SMS_153055065")])
        self.assertEqual(mapping._variables(), [("name", "姓名"), ("date", "日期"), ("items", "材料")])
        with self.assertRaisesRegex(ValidationError, r"no placeholder \{金额\}"):
            mapping.param_map = "amount=金额"
        with self.assertRaises(ValidationError):
            mapping.param_map = "name"


class TestCampaignRecipients(SmsCase):
    def test_duplicates_opt_outs_and_invalid_numbers(self):
        students = self.make_students(4)
        twin = self.make_students(1, mobile=students[0].mobile)
        students[1].sms_opt_out = True
        self.env["phone.blacklist"].sudo()._add([f"+86{students[2].mobile}"])
        # an invalid co-borrower number, as imported from an old system (the form would refuse it)
        self.env.cr.execute(
            "UPDATE student_loan_coborrower SET mobile = '12345' WHERE id = %s", [students[3].coborrower_ids.id]
        )
        students[3].coborrower_ids.invalidate_recordset(["mobile"])
        campaign = self.make_campaign(
            template_id=False, gateway_id=self.gw_http.id, body="{收件人}您好：{日期}", include_coborrowers=True
        )
        self.send(campaign)
        lines = campaign.recipient_ids
        self.assertEqual(len(lines), 10, "5 students + 5 co-borrowers")
        by_reason = {}
        for line in lines:
            by_reason.setdefault(line.skip_reason or line.state, lines.browse())
            by_reason[line.skip_reason or line.state] |= line
        self.assertEqual(by_reason["opt_out"].student_id, students[1] | students[2])
        self.assertEqual(by_reason["failed"].coborrower_id, students[3].coborrower_ids)
        self.assertEqual(by_reason["failed"].failure_reason, "Invalid mobile number: 12345")
        # the twin shares the number of students[0]; the co-borrowers all have 13712345678
        duplicates = by_reason["duplicate"]
        self.assertEqual(duplicates.filtered(lambda rec: not rec.coborrower_id).student_id, twin)
        self.assertEqual(set(duplicates.filtered("coborrower_id").mapped("number")), {"+8613712345678"})
        self.assertEqual(len(duplicates), 4)
        queued = by_reason["queued"]
        self.assertEqual(len(set(queued.mapped("number"))), len(queued), "one message per number")
        self.assertEqual(len(queued), 3, "students 0 and 3, and one co-borrower number")
        self.assertIn("Queued by", campaign.message_ids[0].body)

        self.dispatch()
        self.assertEqual(len(self.fake.accepted), 3)
        self.assertEqual(len(set(self.fake.accepted_numbers())), 3)
        self.assertEqual(campaign.state, "done")
        self.assertEqual((campaign.sent_count, campaign.failed_count, campaign.skipped_count), (3, 1, 6))

    def test_empty_audience(self):
        campaign = self.make_campaign()
        with self.assertRaisesRegex(UserError, "The audience is empty"):
            self.send(campaign)
        self.assertEqual(campaign.state, "draft")

    def test_nobody_reachable(self):
        student = self.make_students(1)
        student.sms_opt_out = True
        with self.assertRaisesRegex(UserError, "Nobody can receive"):
            self.send(self.make_campaign())

    def test_gateway_not_configured(self):
        self.make_students(1)
        self.gw_aliyun.access_key_secret = False
        with self.assertRaisesRegex(UserError, "not configured: missing access key secret"):
            self.send(self.make_campaign())
        no_gateway_centre = self.other_city
        campaign = self.env["student.loan.sms.campaign"].create(
            {
                "name": "x",
                "centre_id": no_gateway_centre.id,
                "audience_kind": "custom",
                "body": "x",
            }
        )
        self.assertFalse(campaign.gateway_id)
        with self.assertRaisesRegex(UserError, "No SMS gateway is configured"):
            campaign.action_send()

    def test_cancel_withdraws_queued_messages(self):
        self.make_students(2)
        campaign = self.send(self.make_campaign())
        sms = self.env["sms.sms"].sudo().search([("sl_recipient_id", "in", campaign.recipient_ids.ids)])
        self.assertEqual(len(sms), 2)
        campaign.with_user(self.handler).action_cancel()
        self.assertEqual(campaign.state, "cancelled")
        self.assertEqual(set(campaign.recipient_ids.mapped("state")), {"cancelled"})
        self.assertEqual(set(sms.mapped("state")), {"canceled"})
        self.dispatch()
        self.assertFalse(self.fake.requests)
        campaign.with_user(self.handler).action_draft()
        self.assertEqual(campaign.state, "draft")
        self.assertFalse(campaign.recipient_ids)

    def test_sending_twice_is_refused(self):
        self.make_students(1)
        campaign = self.send(self.make_campaign())
        with self.assertRaisesRegex(UserError, "has been sent already"):
            self.send(campaign)
        self.assertEqual(len(campaign.recipient_ids), 1)

    def test_retry_failed_only_resends_refused_messages(self):
        students = self.make_students(2)
        self.fake.illegal_numbers.add(students[0].mobile)
        campaign = self.send(self.make_campaign(template_id=self.tpl_same.id))
        self.dispatch()
        self.assertEqual((campaign.sent_count, campaign.failed_count), (1, 1))
        self.fake.illegal_numbers.clear()
        campaign.with_user(self.supervisor).action_retry_failed()
        self.dispatch()
        self.assertEqual((campaign.sent_count, campaign.failed_count), (2, 0))
        self.assertCountEqual(self.fake.accepted_numbers(), students.mapped("mobile"), "each number once")
        with self.assertRaisesRegex(UserError, "No failed message"):
            campaign.with_user(self.supervisor).action_retry_failed()

    def test_opt_out_on_the_student_cancels_what_is_queued(self):
        students = self.make_students(2)
        campaign = self.send(self.make_campaign())
        students[0].with_user(self.handler).sms_opt_out = True
        line = campaign.recipient_ids.filtered(lambda rec: rec.student_id == students[0])
        self.assertEqual((line.state, line.skip_reason), ("skipped", "opt_out"))
        self.assertTrue(self.env["phone.blacklist"].sudo().search([("number", "=", line.number)]))
        self.dispatch()
        self.assertEqual(self.fake.accepted_numbers(), [students[1].mobile])
        students[0].sms_opt_out = False
        self.assertFalse(self.env["phone.blacklist"].sudo().search([("number", "=", line.number)]))


class TestCampaignAccess(SmsCase):
    def test_handler_prepares_supervisor_sends(self):
        self.make_students(1)
        campaign = self.make_campaign(user=self.handler)
        with self.assertRaisesRegex(AccessError, "Only a supervisor"):
            campaign.with_user(self.handler).action_send()
        self.send(campaign, user=self.supervisor)
        self.assertEqual(campaign.sent_by_id, self.supervisor)

    def test_centre_rules(self):
        campaign = self.make_campaign()
        self.assertEqual(campaign.with_user(self.city_viewer).name, "2024年首次贷款通知", "the city sees its counties")
        for user in (self.handler_b, self.other_city_viewer):
            with self.assertRaises(AccessError):
                campaign.with_user(user).read(["name"])
        with self.assertRaises(AccessError):
            self.make_campaign(user=self.handler_b)  # county A's campaign by county B's handler
        with self.assertRaises(AccessError):
            self.env["student.loan.sms.campaign"].with_user(self.city_viewer).create(
                {
                    "name": "x",
                    "centre_id": self.city.id,
                    "body": "x",
                    "audience_kind": "custom",
                }
            )
        self.assertEqual(
            self.env["student.loan.sms.campaign"].with_user(self.admin).search([("id", "=", campaign.id)]), campaign
        )

    def test_recipient_lines_follow_the_centre(self):
        self.make_students(1)
        campaign = self.send(self.make_campaign())
        line = campaign.recipient_ids
        self.assertEqual(line.with_user(self.city_viewer).number, line.number)
        with self.assertRaises(AccessError):
            line.with_user(self.handler_b).read(["number"])
        with self.assertRaises(AccessError):
            self.env["student.loan.sms.recipient"].with_user(self.handler).create(
                {
                    "centre_id": self.county.id,
                    "number": "+8613900000000",
                }
            )

    def test_only_drafts_are_deleted(self):
        self.make_students(1)
        campaign = self.send(self.make_campaign())
        with self.assertRaisesRegex(UserError, "Only draft or cancelled"):
            campaign.with_user(self.handler).unlink()

    def test_one_gateway_per_centre(self):
        with self.assertRaisesRegex(ValidationError, "already sends through"):
            self.gw_http.centre_ids = [(4, self.county.id)]

    def test_nearest_gateway_up_the_hierarchy(self):
        city_gateway = self.gw_http.copy({"name": "周口市", "centre_ids": [(6, 0, self.city.ids)]})
        other_county = self.env["student.loan.centre"].search(
            [("parent_id", "=", self.city.id), ("id", "not in", (self.county | self.county_b).ids)], limit=1
        )
        found = self.env["student.loan.sms.gateway"]._get_for_centres(self.county | other_county | self.city)
        self.assertEqual(found[self.county.id], self.gw_aliyun)
        self.assertEqual(found[other_county.id], city_gateway)
        self.assertEqual(found[self.city.id], city_gateway)

    def test_mobile_helper(self):
        self.assertRegex(next_mobile(), r"^139\d{8}$")
