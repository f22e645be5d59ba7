import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import AftercareCase


@tagged("post_install", "-at_install")
class TestGraduation(AftercareCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Graduation = cls.env["student.loan.graduation"]
        cls.survey = cls.env.ref("student_loan_aftercare.survey_integrity_quiz")
        cls.student = cls.senior_contract.student_id

    def take_quiz(self, correct):
        answer = self.survey.sudo()._create_answer(partner=self.student.partner_id, check_attempts=False)
        for question in self.survey.question_ids:
            choices = question.suggested_answer_ids
            pick = choices.filtered("is_correct") if correct else choices.filtered(lambda choice: not choice.is_correct)
            answer._save_lines(question, pick[:1].id)
        answer._mark_done()
        return answer

    def apply(self):
        return self.Graduation.with_user(self.handler).create(
            {
                "student_id": self.student.id,
                "graduation_year": 2025,
                "mobile": "13900001111",
                "home_address": "河南省郑州市金水区花园路1号",
                "employer": "郑州某公司",
                "third_party_name": "王老师",
                "third_party_phone": "13900002222",
            }
        )

    def test_quiz_first_then_the_handler_confirms(self):
        self.take_quiz(correct=False)
        with self.assertRaisesRegex(UserError, "integrity quiz"):
            self.apply()
        quiz = self.take_quiz(correct=True)
        self.assertTrue(quiz.scoring_success)
        graduation = self.apply()
        self.assertEqual(graduation.state, "draft")
        graduation.with_user(self.handler).action_submit()
        self.assertEqual(graduation.state, "submitted")
        self.assertEqual(graduation.quiz_input_id, quiz)
        self.assertEqual(len(graduation.review_ids), 1, "shipped tier: the county handler confirms")
        self.assertNotEqual(self.student.mobile, "13900001111", "nothing changes before the confirmation")
        with self.assertRaisesRegex(UserError, "already has a graduation confirmation"):
            self.apply()
        with freeze_time(datetime.date(2025, 7, 10)):
            unconfirmed = self.env["student.loan.student"].search(self.Graduation._unconfirmed_graduates_domain(2025))
            self.assertIn(self.student, unconfirmed)
            with self.assertRaises(AccessError):
                graduation.with_user(self.city_viewer).action_confirm()
            with self.assertRaises(AccessError):
                graduation.with_user(self.handler_b).action_confirm()
            with self.assertRaisesRegex(UserError, "cannot be changed now"):
                graduation.with_user(self.handler).write({"mobile": "13900003333"})
            graduation.with_user(self.handler2).action_confirm()
        self.assertEqual(graduation.state, "confirmed")
        self.assertEqual(graduation.confirmed_by_id, self.handler2)
        self.assertEqual(self.student.mobile, "13900001111")
        self.assertEqual(self.student.employer, "郑州某公司")
        self.assertNotIn(
            self.student, self.env["student.loan.student"].search(self.Graduation._unconfirmed_graduates_domain(2025))
        )
        with self.assertRaisesRegex(UserError, "cannot be changed now"):
            graduation.with_user(self.handler).write({"mobile": "13900003333"})

    def test_returned_with_a_reason_then_submitted_again(self):
        self.take_quiz(correct=True)
        graduation = self.apply()
        graduation.with_user(self.handler).action_submit()
        graduation.with_user(self.handler2).action_review_return("工作单位地址不完整")
        self.assertEqual(graduation.state, "returned")
        self.assertEqual(graduation.return_reason, "工作单位地址不完整")
        self.assertIn(self.student.partner_id, graduation.message_ids[:1].partner_ids, "the student is told")
        graduation.with_user(self.handler).write({"employer_address": "郑州市金水区经三路2号"})
        with self.assertRaisesRegex(ValidationError, "Contact Phone"):
            graduation.with_user(self.handler).write({"third_party_phone": "12345"})
        graduation.with_user(self.handler).action_submit()
        graduation.with_user(self.handler2).action_confirm()
        self.assertEqual(self.student.employer_address, "郑州市金水区经三路2号")

    def test_a_supervisor_tier_added_by_the_administrator(self):
        """Tiers are data: a supervisor's tier after the handler's makes the confirmation two-level."""
        self.env["tier.definition"].create(
            {
                "name": "负责人复核毕业确认",
                "model_id": self.env["ir.model"]._get_id("student.loan.graduation"),
                "review_role": "approve",
                "review_type": "field",
                "reviewer_field_id": self.env.ref(
                    "student_loan_aftercare.field_student_loan_graduation__review_supervisor_ids"
                ).id,
                "sequence": 20,
                "approve_sequence": True,
            }
        )
        self.take_quiz(correct=True)
        graduation = self.apply()
        graduation.with_user(self.handler).action_submit()
        graduation.with_user(self.handler).action_confirm()
        self.assertEqual(graduation.state, "checked")
        self.assertNotEqual(self.student.mobile, "13900001111")
        graduation.with_user(self.supervisor).action_approve()
        self.assertEqual(graduation.state, "confirmed")
        self.assertEqual(self.student.mobile, "13900001111")

    def test_worklist_and_sms_audience_of_unconfirmed_graduates(self):
        Student = self.env["student.loan.student"]
        worklist = self.Graduation._unconfirmed_graduates_domain(2025)
        audience = self.Graduation._unconfirmed_graduates_domain(2025, to_apply_only=True)
        self.assertIn(self.student, Student.search(worklist))
        self.assertIn(self.student, Student.search(audience))
        self.take_quiz(correct=True)
        graduation = self.apply()
        graduation.with_user(self.handler).action_submit()
        self.assertIn(self.student, Student.search(worklist), "the handler still has to confirm it")
        self.assertNotIn(self.student, Student.search(audience), "no SMS asking to apply: it is applied for")
        graduation.with_user(self.handler2).action_review_return("请补充联系人")
        self.assertIn(self.student, Student.search(audience), "returned: the student has to apply again")
        # the worklist of 2026 still shows the 2025 graduate who was never confirmed
        with freeze_time(datetime.date(2026, 2, 1)):
            action = self.Graduation.with_user(self.handler).action_open_unconfirmed()
            self.assertIn(self.student, Student.with_user(self.handler).search(action["domain"]))
