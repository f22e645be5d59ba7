import datetime

from freezegun import freeze_time

from odoo.addons.student_loan_portal.tests.common import StudentLoanPortalCase

DISBURSED = datetime.date(2024, 9, 10)
#: a day inside the bank's prepayment window (days 1–10, paid on the 20th) of academic year 2025
IN_WINDOW = datetime.date(2026, 3, 5)


class PortalAftercareCase(StudentLoanPortalCase):
    """Student A's 2024-2025 contract, disbursed on 10 September 2024; A graduated on 1 July 2025."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the pages are checked in Chinese: zh_CN installed with the addons' translations, as in production
        # (``make test`` installs the addons without it)
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"].search([("state", "=", "installed")])._update_translations(["zh_CN"])
        cls.student_a.enrolment_year = 2021
        with freeze_time(DISBURSED):
            application = cls.portal_application(
                cls.student_a, signed=True, submitted=True, academic_year=2024, enrolment_year=2021
            )
            application.sudo().eligibility_stamped = True
            cls.pass_manual_checks(application.sudo())
            application.with_user(cls.handler).action_check()
            application.with_user(cls.supervisor).action_approve()
            application.with_user(cls.supervisor).action_send_to_bank()
            application.with_user(cls.bank).action_bank_confirm()
        cls.contract = application.contract_id
        cls.survey = cls.env.ref("student_loan_aftercare.survey_integrity_quiz")
        cls.Graduation = cls.env["student.loan.graduation"]
        cls.Prepayment = cls.env["student.loan.prepayment.request"]

    @classmethod
    def take_quiz(cls, student, correct=True):
        answer = cls.survey.sudo()._create_answer(partner=student.partner_id, check_attempts=False)
        for question in cls.survey.question_ids:
            choices = question.suggested_answer_ids
            pick = choices.filtered("is_correct") if correct else choices.filtered(lambda choice: not choice.is_correct)
            answer._save_lines(question, pick[:1].id)
        answer._mark_done()
        return answer
