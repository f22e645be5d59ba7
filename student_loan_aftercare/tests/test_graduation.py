import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
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
        self.assertEqual(graduation.quiz_input_id, quiz)
        self.assertNotEqual(self.student.mobile, "13900001111", "nothing changes before the confirmation")
        with freeze_time(datetime.date(2025, 7, 10)):
            unconfirmed = self.env["student.loan.student"].search(self.Graduation._unconfirmed_graduates_domain(2025))
            self.assertIn(self.student, unconfirmed)
            with self.assertRaises(AccessError):
                graduation.with_user(self.city_viewer).action_confirm()
            graduation.with_user(self.handler).action_confirm()
        self.assertEqual(self.student.mobile, "13900001111")
        self.assertEqual(self.student.employer, "郑州某公司")
        self.assertNotIn(
            self.student, self.env["student.loan.student"].search(self.Graduation._unconfirmed_graduates_domain(2025))
        )
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            graduation.with_user(self.handler).write({"mobile": "13900003333"})
