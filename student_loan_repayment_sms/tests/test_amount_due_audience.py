import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.student_loan_repayment.tests.common import RepaymentCase
from odoo.addons.student_loan_sms.tests.common import SmsSetupMixin


@tagged("post_install", "-at_install")
class TestAmountDueAudience(SmsSetupMixin, RepaymentCase):
    """The SMS campaign's 'amount due' audience reads the repayment plans: the graduate owes his first
    interest (61.57 yuan on 20 December 2025), the freshman nothing (the state pays while he studies)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_sms()

    def make_campaign(self, days):
        students = self.student | self.senior_student
        return (
            self.env["student.loan.sms.campaign"]
            .with_user(self.handler)
            .create(
                {
                    "name": "结息日前还款提醒",
                    "centre_id": self.county.id,
                    "audience_kind": "amount_due",
                    "due_days": days,
                    "gateway_id": self.gw_http.id,
                    "template_id": False,
                    "body": "{姓名}：请于{日期}前还款{金额}元",
                    "audience_domain": f"[('id', 'in', {students.ids})]",
                }
            )
        )

    def test_students_with_an_amount_due_and_their_amounts(self):
        with freeze_time(datetime.date(2025, 11, 25)):
            campaign = self.make_campaign(30)
            self.assertEqual(campaign.audience_count, 1)
            students, extra = campaign._get_audience()
            self.assertEqual(students, self.senior_student)
            self.assertEqual(extra[self.senior_student.id], {"金额": "61.57", "日期": "2025年12月20日"})
            self.assertEqual(campaign.preview, f"{self.senior_student.name}：请于2025年12月20日前还款61.57元")

    def test_nobody_before_the_window(self):
        with freeze_time(datetime.date(2025, 11, 1)):
            campaign = self.make_campaign(30)
            self.assertEqual(campaign.audience_count, 0)
