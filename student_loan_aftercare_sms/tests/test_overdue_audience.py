import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.student_loan_aftercare.tests.common import FIRST_PRINCIPAL, AftercareCase


@tagged("post_install", "-at_install")
class TestOverdueAudience(AftercareCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.settle_and_pay_before(cls.senior_contract, FIRST_PRINCIPAL)
        cls.Settlement._settle_due(FIRST_PRINCIPAL)

    def campaign(self, bucket):
        return (
            self.env["student.loan.sms.campaign"]
            .with_user(self.handler)
            .create(
                {
                    "name": "逾期提醒",
                    "centre_id": self.county.id,
                    "audience_kind": "overdue",
                    "overdue_bucket": bucket,
                    "body": "{姓名}同学：您有{金额}元贷款自{日期}起逾期，请尽快还款。",
                }
            )
        )

    def test_audience_by_bucket_with_the_amount(self):
        with freeze_time(datetime.date(2031, 2, 1)):  # 43 days past due
            campaign = self.campaign("31_90")
            students, extra = campaign._get_audience()
            self.assertEqual(students, self.senior_contract.student_id)
            unpaid = self.Settlement.sudo().search(
                [("contract_id", "=", self.senior_contract.id), ("state", "=", "open")]
            )
            self.assertEqual(extra[students.id]["金额"], campaign._format_amount(sum(unpaid.mapped("amount_residual"))))
            self.assertEqual(extra[students.id]["日期"], "2030年12月20日")
            students, _extra = self.campaign("1_30")._get_audience()
            self.assertFalse(students)

    def test_unconfirmed_graduates(self):
        with freeze_time(datetime.date(2025, 7, 10)):
            campaign = (
                self.env["student.loan.sms.campaign"]
                .with_user(self.handler)
                .create(
                    {
                        "name": "毕业确认提醒",
                        "centre_id": self.county.id,
                        "audience_kind": "unconfirmed_graduates",
                        "body": "{姓名}同学：请登录系统完成诚信教育测试并申请毕业确认。",
                    }
                )
            )
            students, _extra = campaign._get_audience()
        self.assertEqual(students, self.senior_contract.student_id)

    def test_who_applied_is_not_told_to_apply(self):
        student = self.senior_contract.student_id
        survey = self.env.ref("student_loan_aftercare.survey_integrity_quiz")
        answer = survey.sudo()._create_answer(partner=student.partner_id, check_attempts=False)
        for question in survey.question_ids:
            answer._save_lines(question, question.suggested_answer_ids.filtered("is_correct")[:1].id)
        answer._mark_done()
        graduation = (
            self.env["student.loan.graduation"]
            .with_user(self.handler)
            .create(
                {
                    "student_id": student.id,
                    "graduation_year": 2025,
                    "mobile": "13900001111",
                    "home_address": "河南省郑州市金水区花园路1号",
                }
            )
        )
        graduation.with_user(self.handler).action_submit()
        with freeze_time(datetime.date(2025, 7, 10)):
            campaign = (
                self.env["student.loan.sms.campaign"]
                .with_user(self.handler)
                .create(
                    {
                        "name": "毕业确认提醒",
                        "centre_id": self.county.id,
                        "audience_kind": "unconfirmed_graduates",
                        "body": "{姓名}同学：请登录系统完成诚信教育测试并申请毕业确认。",
                    }
                )
            )
            students, _extra = campaign._get_audience()
        self.assertFalse(students)
