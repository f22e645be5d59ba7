"""Fixtures of the repayment tests: disbursed contracts built through the core's review workflow."""

import datetime
from decimal import Decimal

from freezegun import freeze_time

from odoo.addons.student_loan.loanlib import repayment
from odoo.addons.student_loan.tests.common import StudentLoanCase

D = Decimal
DISBURSED = datetime.date(2024, 9, 10)


class RepaymentCase(StudentLoanCase):
    """Two disbursed contracts of the 2024-2025 year (rate 3.25%, 6,200 yuan), both paid out on 10 September
    2024: a freshman's (4-year undergraduate course from 2024, graduating 1 July 2028) and a senior's (enrolled
    2021, graduating 1 July 2025, so the student pays interest from 1 September 2025)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Tests never rely on demo data: other contracts' plans and settlements (from demo data of this or
        # other addons) are removed inside the test transaction, so a settlement run only sees ours.
        others = cls.env["student.loan.contract"].sudo().search([])
        cls.env["student.loan.settlement.line"].sudo().search([("contract_id", "in", others.ids)]).unlink()
        others.plan_line_ids.unlink()
        with freeze_time(DISBURSED):
            cls.application = cls.make_confirmed_application()
            cls.senior_student = cls.create_student(user=cls.handler, name="李明", enrolment_year=2021)
            cls.senior_application = cls.make_confirmed_application(cls.senior_student)
        cls.contract = cls.application.contract_id
        cls.student = cls.application.student_id
        cls.senior_contract = cls.senior_application.contract_id
        cls.Settlement = cls.env["student.loan.settlement.line"]
        cls.Payment = cls.env["student.loan.payment"]
        cls.ChangeRequest = cls.env["student.loan.change.request"]

    @staticmethod
    def engine_plan(contract):
        """The plan the engine computes for the contract's stored terms."""
        return repayment.build_plan(**contract._get_plan_terms())

    @staticmethod
    def money(value):
        return Decimal(str(value)).quantize(Decimal("0.01"))

    def settle(self, day, **kwargs):
        return self.Settlement._settle_due(day, **kwargs)

    def pay(self, contract, amount, day, user=None, **vals):
        """Record and post a repayment as the handler (or ``user``) on ``day``."""
        with freeze_time(day):
            payment = self.Payment.with_user(user or self.handler).create(
                dict({"contract_id": contract.id, "amount": amount, "date": day, "channel": "alipay"}, **vals)
            )
            payment.action_post()
        return payment
