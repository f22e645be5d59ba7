import datetime

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import RepaymentCase


@tagged("post_install", "-at_install")
class TestForms(RepaymentCase):
    """The forms as the handler fills them in."""

    def test_record_repayment_from_contract(self):
        self.Settlement._settle_due(datetime.date(2025, 12, 20))
        contract = self.senior_contract.with_user(self.handler)
        action = contract.action_new_payment()
        with freeze_time("2026-01-05"):
            form = Form(self.env["student.loan.payment"].with_user(self.handler).with_context(**action["context"]))
            self.assertEqual(form.contract_id, self.senior_contract)
            self.assertEqual(form.date, datetime.date(2026, 1, 5))
            form.amount = 61.57
            form.channel = "bank_card"
            payment = form.save()
            payment.action_post()
        self.assertEqual((payment.state, payment.overdue_interest_amount), ("posted", 61.57))
        contract.invalidate_recordset()
        self.assertEqual(contract.repayment_status, "current")

    @freeze_time("2025-03-01")
    def test_enter_education_change(self):
        """Choosing the contract shows the current values and fills the requested ones in."""
        form = Form(self.ChangeRequest.with_user(self.handler))
        form.kind = "education"
        form.contract_id = self.contract
        self.assertEqual((form.old_school_id, form.old_study_years), (self.school, 4))
        self.assertEqual((form.new_school_id, form.new_study_years), (self.school, 4))
        form.new_school_id = self.graduate_school
        form.new_study_years = 5
        self.assertEqual(form.new_graduation_date, datetime.date(2029, 7, 1))
        form.description = "转入五年制专业"
        request = form.save()
        self.assertEqual((request.state, request.old_study_years, request.new_study_years), ("draft", 4, 5))
        self.assertTrue(request.name.startswith("BG"), request.name)
        request.action_submit()
        self.assertEqual(request.state, "to_approve")

    @freeze_time("2025-03-01")
    def test_enter_plan_change(self):
        form = Form(self.ChangeRequest.with_user(self.handler))
        form.kind = "plan"
        form.contract_id = self.contract
        self.assertEqual((form.old_method, form.new_method), ("annuity", "annuity"))
        form.new_frequency = "monthly"
        request = form.save()
        self.assertEqual(request.new_graduation_date, self.contract.graduation_date)
        self.assertGreater(len(request.new_plan_line_ids), len(request.old_plan_line_ids))
