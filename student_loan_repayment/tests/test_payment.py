import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.student_loan.loanlib import repayment

from .common import DISBURSED, D, RepaymentCase

DEC_2025 = datetime.date(2025, 12, 20)


@tagged("post_install", "-at_install")
class TestPayment(RepaymentCase):
    def line_on(self, contract, day):
        return contract.settlement_line_ids.filtered(lambda line: line.date == day)

    def test_allocation_order_and_credit(self):
        """Overdue interest first; the overpayment is credit, applied at the next settlement."""
        contract = self.senior_contract
        self.settle(DEC_2025)
        due = self.line_on(contract, DEC_2025)
        self.assertEqual(self.money(due.amount_residual), D("61.57"))

        first = self.pay(contract, 30, datetime.date(2026, 1, 5))
        self.assertEqual(first.state, "posted")
        self.assertTrue(first.name.startswith("HK2026"), first.name)
        self.assertEqual(
            (first.overdue_interest_amount, first.interest_amount, first.principal_amount, first.credit_amount),
            (30, 0, 0, 0),
        )
        self.assertTrue(first.allocation_ids.overdue)
        self.assertEqual(self.money(due.amount_residual), D("31.57"))
        with freeze_time("2026-01-05"):
            contract.invalidate_recordset()
            self.assertEqual((contract.repayment_status, contract.days_past_due), ("overdue", 16))

        second = self.pay(contract, 131.57, datetime.date(2026, 1, 6))
        self.assertEqual((self.money(second.overdue_interest_amount), second.credit_amount), (D("31.57"), 100))
        self.assertEqual(due.state, "paid")
        contract.invalidate_recordset()
        self.assertEqual((contract.credit_amount, contract.repayment_status), (100, "current"))

        # the next settlement uses the credit
        self.settle(datetime.date(2026, 12, 20))
        nxt = self.line_on(contract, datetime.date(2026, 12, 20))
        self.assertEqual(self.money(nxt.interest), D("204.30"))
        self.assertEqual(nxt.interest_paid, 100)
        self.assertEqual(nxt.allocation_ids.source, "credit")
        contract.invalidate_recordset()
        self.assertEqual(contract.credit_amount, 0)
        third = self.pay(contract, 104.30, datetime.date(2026, 12, 20))
        # paid on the due date: interest, not overdue interest
        self.assertEqual((third.overdue_interest_amount, self.money(third.interest_amount)), (0, D("104.30")))
        self.assertEqual(nxt.state, "paid")
        self.assertIn(first.name, "".join(contract.message_ids.mapped("body")))

    def test_overdue_interest_then_interest_then_principal(self):
        contract = self.senior_contract
        first_repayment = datetime.date(2030, 12, 20)
        self.settle(first_repayment)
        lines = contract.settlement_line_ids
        current = self.line_on(contract, first_repayment)
        self.assertEqual(current.kind, "repayment")
        self.assertGreater(current.principal_due, 0)
        overdue = lines - current
        overdue_interest = self.money(sum(overdue.mapped("interest")))
        # 20 December 2025..2029 (the bank's calendar has no grace-end line on 1 July 2030)
        self.assertEqual(len(overdue.filtered(lambda line: line.interest > 0)), 5)
        amount = overdue_interest + self.money(current.interest) + D("100.00")
        payment = self.pay(contract, float(amount), first_repayment)
        self.assertEqual(self.money(payment.overdue_interest_amount), overdue_interest)
        self.assertEqual(self.money(payment.interest_amount), self.money(current.interest))
        self.assertEqual((payment.principal_amount, payment.credit_amount), (100, 0))
        self.assertEqual(set(overdue.mapped("state")), {"paid"})
        self.assertEqual(self.money(current.principal_residual), self.money(current.principal_due) - 100)
        contract.invalidate_recordset()
        self.assertAlmostEqual(contract.principal_outstanding, 6100, places=2)
        self.assertEqual(contract.repayment_status, "due")

    def test_early_repayment_recomputes_plan(self):
        """提前还款: accrued interest first, the rest repays principal; the plan is recomputed from that day."""
        contract = self.senior_contract
        self.settle(DEC_2025)
        day = datetime.date(2026, 3, 1)
        before = contract._get_engine_plan()
        payment = self.pay(contract, 61.57 + 2000, day, early_repayment=True)
        self.assertEqual(self.line_on(contract, DEC_2025).state, "paid")
        accrued = repayment.settlement_interest(D(6200), D("0.0325"), DEC_2025, day)  # 71 days, the student's
        self.assertEqual(accrued, D("39.74"))
        prepayment = contract.settlement_line_ids.filtered(lambda line: line.kind == "prepayment")
        self.assertEqual((prepayment.date, self.money(prepayment.interest), prepayment.state), (day, accrued, "paid"))
        self.assertEqual(self.money(prepayment.principal_due), D(2000) - accrued)
        self.assertEqual(self.money(payment.principal_amount), D(2000) - accrued)
        self.assertEqual(payment.credit_amount, 0)
        # the stored plan is the engine's plan after the prepayment
        expected = repayment.apply_prepayment(before, day, D(2000))
        stored = contract.plan_line_ids.sorted(lambda line: (line.date, line.id))
        self.assertEqual(
            [(line.date, line.kind, self.money(line.principal), self.money(line.interest)) for line in stored],
            [(line.date, line.kind, line.principal, line.interest) for line in expected.lines],
        )
        contract.invalidate_recordset()
        self.assertEqual(self.money(contract.principal_outstanding), D(4200) + accrued)
        # the next settlement accrues on the new balance from the prepayment date
        self.settle(datetime.date(2026, 12, 20))
        nxt = self.line_on(contract, datetime.date(2026, 12, 20))
        self.assertEqual((nxt.period_start, self.money(nxt.balance)), (day, D(4200) + accrued))
        with self.assertRaisesRegex(UserError, "one early repayment a day"):
            self.pay(contract, 500, datetime.date(2026, 12, 20), early_repayment=True)
            self.pay(contract, 500, datetime.date(2026, 12, 20), early_repayment=True)

    def test_payoff_closes_contract(self):
        contract = self.senior_contract
        self.settle(DEC_2025)
        day = datetime.date(2026, 3, 1)
        payoff = repayment.payoff_amount(contract._get_engine_plan(), day)
        self.assertEqual(payoff, D("6239.74"))
        payment = self.pay(contract, float(D("61.57") + payoff + 50), day, early_repayment=True)
        self.assertEqual(contract.state, "closed")
        self.assertEqual(payment.credit_amount, 50)
        self.assertFalse(contract.plan_line_ids.filtered(lambda line: line.date > day))
        contract.invalidate_recordset()
        self.assertEqual((contract.principal_outstanding, contract.repayment_status), (0, "repaid"))
        self.assertEqual(self.settle(datetime.date(2030, 12, 20)), 1, "only the other contract is settled")
        with self.assertRaisesRegex(ValidationError, "is closed"):
            self.pay(contract, 10, datetime.date(2026, 3, 2))

    def test_bad_input_changes_nothing(self):
        contract = self.senior_contract
        self.settle(DEC_2025)
        Payment = self.Payment.with_user(self.handler)
        count = self.Payment.search_count([])
        residual = self.line_on(contract, DEC_2025).amount_residual
        day = datetime.date(2026, 1, 5)
        with freeze_time(day):
            for amount in (0, -50):
                with self.assertRaisesRegex(ValidationError, "positive amount"):
                    Payment.create({"contract_id": contract.id, "amount": amount, "date": day})
            with self.assertRaisesRegex(ValidationError, "in the future"):
                Payment.create({"contract_id": contract.id, "amount": 50, "date": datetime.date(2026, 2, 1)})
            with self.assertRaisesRegex(ValidationError, "after the disbursement date"):
                Payment.create({"contract_id": contract.id, "amount": 50, "date": DISBURSED})
            with freeze_time(DISBURSED):
                signed = self.make_checked_application().contract_id
            with self.assertRaisesRegex(ValidationError, "not disbursed yet"):
                Payment.create({"contract_id": signed.id, "amount": 50, "date": day})
            # a draft for a contract closed since is refused at posting
            draft = Payment.create({"contract_id": contract.id, "amount": 50, "date": day})
            contract.sudo().state = "closed"
            with self.assertRaisesRegex(ValidationError, "is closed"):
                draft.action_post()
            contract.sudo().state = "active"
            # roles: a viewer cannot record or post payments
            with self.assertRaises(AccessError):
                self.Payment.with_user(self.city_viewer).create({"contract_id": contract.id, "amount": 5})
            with self.assertRaises(AccessError):
                draft.with_user(self.city_viewer).action_post()
        self.assertEqual(self.Payment.search_count([]), count + 1)
        self.assertEqual(draft.state, "draft")
        self.assertEqual(self.line_on(contract, DEC_2025).amount_residual, residual)
        self.assertFalse(self.env["student.loan.payment.allocation"].search([]))
        draft.with_context(date=day).action_post()
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            draft.write({"amount": 60})
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            draft.unlink()

    def test_statement(self):
        contract = self.senior_contract
        self.settle(DEC_2025)
        self.pay(contract, 100, datetime.date(2026, 1, 5))
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["student_loan_repayment"], ["zh_CN"], overwrite=True)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("student_loan_repayment.action_report_repayment_statement", self.senior_student.ids)[0]
            .decode()
        )
        self.assertEqual(html.count("<html"), 1)
        for expected in ("还款对账单", "李明", contract.name, "61.57", "100.00", "支付宝", "38.43", "宽限期"):
            self.assertIn(expected, html)
        self.assertEqual(len(self.senior_student._get_statement_lines()), 3)
        # the statement in the form: settlements and repayments of the student
        self.assertEqual(len(self.senior_student.settlement_line_ids), 2)
        self.assertEqual(len(self.senior_student.payment_ids), 1)
