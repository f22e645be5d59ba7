"""Penalty interest (罚息) is collected: a repayment pays penalty interest first, then interest, then principal
(先罚息、后利息、再本金, ``loanlib.allocation``), typed by the handler or imported from the bank's file; waived
penalty interest is never collected."""

import datetime
from decimal import Decimal

from freezegun import freeze_time

from odoo.tests import tagged

from .common import FIRST_PRINCIPAL, AftercareCase
from .test_bank_import import csv_file

RUN_DAY = datetime.date(2031, 3, 20)


@tagged("post_install", "-at_install")
class TestPenaltyCollection(AftercareCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # every settlement before the first principal is paid on time; the 20 December 2030 one (interest and
        # the first principal) is not paid: three months later penalty interest has accrued on its principal
        cls.settle_and_pay_before(cls.senior_contract, FIRST_PRINCIPAL)
        cls.Settlement._settle_due(FIRST_PRINCIPAL)
        cls.due_line = cls.Settlement.sudo().search(
            [("contract_id", "=", cls.senior_contract.id), ("state", "=", "open")]
        )

    def accrue(self, day=RUN_DAY):
        with freeze_time(day):
            run = self.PenaltyRun.with_user(self.supervisor).create({"date": day})
            run.with_user(self.supervisor).action_run()
        return run.line_ids.filtered(lambda line: line.contract_id == self.senior_contract)

    def worklist_penalty(self):
        self.env.flush_all()
        self.Overdue.invalidate_model()
        return self.Overdue.search([("contract_id", "=", self.senior_contract.id)]).penalty_accrued

    def test_payment_pays_penalty_then_interest_then_principal(self):
        contract = self.senior_contract
        penalty = self.accrue()
        self.assertEqual(len(penalty), 1)
        self.assertGreater(penalty.amount, 0)
        self.assertEqual(penalty.state, "open")
        interest, principal = self.due_line.interest, self.due_line.principal_due
        self.assertGreater(interest, 0)
        self.assertGreater(principal, 0)
        outstanding = contract.principal_outstanding
        # what is owed now includes the penalty interest: the contract is overdue by that much more
        contract.invalidate_recordset()
        with freeze_time(RUN_DAY):
            self.assertAlmostEqual(contract.amount_unpaid, penalty.amount + interest + principal, places=2)
            self.assertAlmostEqual(contract.amount_overdue, penalty.amount + interest + principal, places=2)
        self.assertAlmostEqual(contract.penalty_residual, penalty.amount, places=2)
        self.assertAlmostEqual(self.worklist_penalty(), penalty.amount, places=2)

        # 100 yuan less than everything: penalty interest and interest in full, principal short of 100
        amount = round(penalty.amount + interest + principal - 100, 2)
        payment = self.pay(contract, amount, RUN_DAY)
        self.assertAlmostEqual(payment.penalty_amount, penalty.amount, places=2)
        self.assertAlmostEqual(payment.overdue_interest_amount, interest, places=2)
        self.assertAlmostEqual(payment.principal_amount, principal - 100, places=2)
        self.assertEqual(payment.credit_amount, 0)
        self.assertEqual(payment.allocation_ids[0].kind, "penalty")
        self.assertEqual(payment.allocation_ids.penalty_line_id, penalty)
        self.assertEqual(penalty.state, "paid")
        self.assertAlmostEqual(penalty.amount_paid, penalty.amount, places=2)
        self.assertIn("Penalty interest", contract.message_ids[:1].body)
        contract.invalidate_recordset()
        with freeze_time(RUN_DAY):
            self.assertAlmostEqual(contract.penalty_residual, 0, places=2)
            self.assertAlmostEqual(contract.amount_unpaid, 100, places=2)
            self.assertAlmostEqual(contract.principal_outstanding, outstanding - principal + 100, places=2)
            self.assertEqual(contract.repayment_status, "overdue")
        self.assertAlmostEqual(self.due_line.principal_residual, 100, places=2)
        self.assertEqual(self.worklist_penalty(), 0, "the worklist shows the penalty interest still unpaid")

    def test_small_payment_pays_penalty_only_and_the_rest_later(self):
        contract = self.senior_contract
        penalty = self.accrue()
        part = round(penalty.amount / 2, 2)
        payment = self.pay(contract, part, RUN_DAY)
        self.assertAlmostEqual(payment.penalty_amount, part, places=2)
        self.assertEqual(payment.overdue_interest_amount + payment.principal_amount, 0)
        self.assertEqual(penalty.state, "open")
        self.assertAlmostEqual(penalty.amount_residual, penalty.amount - part, places=2)
        self.assertEqual(self.due_line.interest_paid, 0)

    def test_waived_penalty_is_not_collected(self):
        contract = self.senior_contract
        self.env["student.loan.penalty.waiver"].create(
            {"name": "2031 waiver", "date_from": datetime.date(2031, 1, 1), "date_to": datetime.date(2031, 12, 31)}
        )
        penalty = self.accrue()
        self.assertGreater(penalty.waived_amount, 0)
        self.assertEqual(penalty.days_charged, 11)  # 21-31 December 2030: before the waiver
        payment = self.pay(contract, round(penalty.amount + self.due_line.amount_residual + 500, 2), RUN_DAY)
        self.assertAlmostEqual(payment.penalty_amount, penalty.amount, places=2)
        self.assertAlmostEqual(payment.credit_amount, 500, places=2)
        self.assertEqual(self.due_line.state, "paid")
        contract.invalidate_recordset()
        self.assertEqual(contract.penalty_residual, 0)

    def test_bank_file_collects_penalty_and_reconciles_it(self):
        contract = self.senior_contract
        penalty = self.accrue()
        owed = Decimal(str(penalty.amount)) + Decimal(str(self.due_line.amount_residual))
        owed = owed.quantize(Decimal("0.01"))
        content = csv_file([(contract.name, RUN_DAY.isoformat(), owed, "BKPEN1")])
        bank_import = self.Import.with_user(self.handler).create(
            {"kind": "repayment", "file": content, "filename": "还款.csv"}
        )
        with freeze_time(RUN_DAY):
            bank_import.action_preview()
            line = bank_import.line_ids
            self.assertEqual(line.reconcile, "match", "our figure includes the unpaid penalty interest")
            self.assertAlmostEqual(line.our_penalty, penalty.amount, places=2)
            self.assertAlmostEqual(line.our_amount, float(owed), places=2)
            bank_import.action_confirm()
        payment = bank_import.line_ids.payment_id
        self.assertAlmostEqual(payment.penalty_amount, penalty.amount, places=2)
        self.assertEqual(payment.credit_amount, 0)
        self.assertEqual(penalty.state, "paid")
        self.assertEqual(self.due_line.state, "paid")
        contract.invalidate_recordset()
        with freeze_time(RUN_DAY):
            self.assertAlmostEqual(contract.amount_unpaid, 0, places=2)
            self.assertEqual(contract.repayment_status, "current")

    def test_payment_pays_the_penalty_accrued_up_to_its_date(self):
        """The penalty interest of the days since the last run is accrued when the repayment is posted."""
        contract = self.senior_contract
        first = self.accrue()
        later = RUN_DAY + datetime.timedelta(days=30)
        payment = self.pay(contract, round(first.amount + self.due_line.amount_residual + 50, 2), later)
        accruals = contract.penalty_line_ids.sorted("date_from")
        self.assertEqual(len(accruals), 2)
        self.assertEqual((accruals[1].date_from, accruals[1].date_to), (RUN_DAY, later))
        self.assertGreater(accruals[1].amount, 0)
        self.assertEqual(accruals[1].run_id.state, "done")
        self.assertEqual(set(accruals.mapped("state")), {"paid"})
        self.assertAlmostEqual(payment.penalty_amount, sum(accruals.mapped("amount")), places=2)
        self.assertEqual(self.due_line.state, "paid")
        self.assertAlmostEqual(payment.credit_amount, 50 - accruals[1].amount, places=2)
        # a second repayment the same day accrues nothing more
        self.pay(contract, 1.0, later)
        self.assertEqual(len(contract.penalty_line_ids), 2)
