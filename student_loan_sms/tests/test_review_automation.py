import json

from odoo.tests import tagged

from .common import SmsCase


@tagged("post_install", "-at_install")
class TestReviewAutomation(SmsCase):
    """An administrator's Automation Rule on the review engine: an SMS to the student on a return reaches the
    provider (the local fake gateway) through the student's centre gateway."""

    def test_sms_rule_on_return_reaches_the_gateway(self):
        rule = self.env.ref("student_loan_sms.base_automation_application_returned_sms")
        rule.active = True
        student = self.make_students(1, first_loan=False)
        application = self.make_checked_application(student)
        application.with_user(self.supervisor)._return("共同借款人住址需写明村组")
        sms = self.env["sms.sms"].sudo().search([("partner_id", "=", student.partner_id.id)])
        self.assertEqual(len(sms), 1, "one SMS queued for the student")
        self.assertIn("共同借款人住址需写明村组", sms.body)
        sms.send()
        self.assertEqual(len(self.fake.requests), 1)
        request = self.fake.requests[0]
        self.assertEqual(request["params"]["TemplateCode"], "SMS_900000000")
        content = json.loads(request["params"]["TemplateParam"])["content"]
        self.assertIn(application.name, content)
        self.assertIn("被退回", content)
        self.assertEqual(self.fake.accepted_numbers("aliyun"), [student.mobile])

    def test_inactive_rule_sends_nothing(self):
        student = self.make_students(1, first_loan=False)
        application = self.make_checked_application(student)
        application.with_user(self.supervisor)._return("请补充材料")
        self.assertFalse(self.env["sms.sms"].sudo().search([("partner_id", "=", student.partner_id.id)]))
