from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import SmsCase


@tagged("post_install", "-at_install")
class TestCampaignApproval(SmsCase):
    """R4: a campaign above the audience size set on its tier waits for the city's approval."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.city_supervisor = mail_new_test_user(
            cls.env,
            login="sl_sms_city_sup",
            groups="student_loan.group_supervisor",
            loan_centre_id=cls.city.id,
            email="sl_sms_city_sup@example.com",
        )
        # the province administrator lowers the size of a "large" campaign to 2 recipients
        cls.env.ref("student_loan_sms.tier_definition_sms_campaign_large").with_user(cls.admin).write(
            {"definition_domain": "[('audience_count', '>', 2)]"}
        )

    def test_large_campaign_waits_for_the_city(self):
        self.make_students(3)
        campaign = self.make_campaign()
        self.assertEqual(campaign.audience_count, 3)
        self.send(campaign)
        self.assertEqual((campaign.state, campaign.approval_state), ("draft", "to_approve"))
        self.assertFalse(campaign.recipient_ids, "nothing queued before the approval")
        self.assertEqual(campaign.activity_ids.user_id, self.city_supervisor)
        with self.assertRaisesRegex(UserError, "waiting for its approval"):
            self.send(campaign)
        with self.assertRaises(AccessError):
            campaign.with_user(self.supervisor).action_approve()
        with self.assertRaisesRegex(UserError, "cannot be changed now"):
            campaign.with_user(self.handler).write({"bring_items": "身份证"})
        campaign.with_user(self.city_supervisor).action_approve()
        self.assertEqual((campaign.state, campaign.approval_state), ("queued", "approved"))
        self.assertEqual(len(campaign.recipient_ids), 3)
        self.dispatch()
        self.assertEqual(len(self.fake.accepted_numbers("aliyun")), 3)

    def test_returned_campaign_can_be_corrected(self):
        self.make_students(3)
        campaign = self.send(self.make_campaign())
        campaign.with_user(self.city_supervisor)._return("请写明办理地点")
        self.assertEqual(campaign.approval_state, "returned")
        campaign.with_user(self.handler).write({"bring_items": "身份证、户口本"})
        self.send(campaign)
        self.assertEqual(campaign.approval_state, "to_approve")

    def test_small_campaign_goes_out_at_once(self):
        self.make_students(2)
        campaign = self.send(self.make_campaign())
        self.assertEqual((campaign.state, campaign.approval_state), ("queued", "draft"))
        self.assertFalse(campaign.review_ids)
