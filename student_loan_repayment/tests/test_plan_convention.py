"""Plans follow the bank's settlement calendar (``loanlib.repayment``, convention ``'bank'``); the legacy plans
stored before 18.0.1.1.0 are moved to it for their unsettled lines (``_migrate_plan_convention``)."""

import datetime

from odoo.tests import tagged

from odoo.addons.student_loan.loanlib import repayment

from .common import RepaymentCase


@tagged("post_install", "-at_install")
class TestPlanConvention(RepaymentCase):
    def make_legacy(self, contract):
        """The contract's plan as it was stored before 18.0.1.1.0 (legacy calendar), not settled yet."""
        contract.with_context(student_loan_plan_change=True).write({"plan_convention": "legacy"})
        contract.sudo()._generate_plan()
        return contract.plan_line_ids.sorted("date")

    def test_new_plans_are_on_the_bank_calendar(self):
        contract = self.senior_contract
        self.assertEqual(contract.plan_convention, "bank")
        lines = contract.plan_line_ids.sorted("date")
        self.assertTrue(all((line.date.month, line.date.day) == (12, 20) for line in lines))
        self.assertLessEqual(lines[-1].date, contract.maturity_date)
        self.assertAlmostEqual(sum(lines.mapped("principal")), contract.amount, places=2)
        self.assertEqual(self.engine_plan(contract).terms.convention, "bank")

    def test_legacy_plan_moved_keeping_the_settled_lines_and_idempotent(self):
        contract = self.senior_contract
        legacy = self.make_legacy(contract)
        self.assertIn(datetime.date(2030, 7, 1), legacy.mapped("date"), "the legacy grace-end line")
        self.settle(datetime.date(2027, 12, 20))
        settled = contract.plan_line_ids.filtered("settlement_line_id")
        self.assertTrue(settled)
        before = [(line.id, line.date, line.interest, line.principal) for line in settled.sorted("date")]

        counts = self.env["student.loan.contract"]._migrate_plan_convention()
        self.assertEqual(counts["moved"], 1)
        self.assertEqual(contract.plan_convention, "bank")
        lines = contract.plan_line_ids.sorted("date")
        kept = lines.filtered("settlement_line_id")
        self.assertEqual([(line.id, line.date, line.interest, line.principal) for line in kept], before)
        self.assertNotIn(datetime.date(2030, 7, 1), lines.mapped("date"))
        self.assertTrue(all((line.date.month, line.date.day) == (12, 20) for line in lines))
        self.assertAlmostEqual(sum(lines.mapped("principal")), contract.amount, places=2)
        self.assertEqual(lines[-1].balance, 0)
        # the stored plan is the engine's bank plan moved at the last settled date
        expected = repayment.change_convention(
            repayment.build_plan(**dict(contract._get_plan_terms(), convention="legacy")),
            datetime.date(2027, 12, 20),
            "bank",
        )
        self.assertEqual(
            [(line.date, self.money(line.principal), self.money(line.interest)) for line in lines],
            [(line.date, line.principal, line.interest) for line in expected.lines],
        )
        # again: nothing to move, nothing changes
        ids = lines.ids
        self.assertEqual(self.env["student.loan.contract"]._migrate_plan_convention(), {"moved": 0, "kept": 0})
        self.assertEqual(contract._migrate_plan_convention(), {"moved": 0, "kept": 0})
        self.assertEqual(set(contract.plan_line_ids.ids), set(ids))
        # the settlement run goes on over the moved lines
        self.settle(datetime.date(2031, 12, 20))
        self.assertEqual(
            contract.settlement_line_ids.mapped("date"),
            sorted(contract.settlement_line_ids.mapped("date"), reverse=True),
        )
        self.assertNotIn(datetime.date(2030, 7, 1), contract.settlement_line_ids.mapped("due_date"))

    def test_changed_legacy_plan_is_kept(self):
        """A plan its terms do not give (e.g. a principal deferral's) keeps its lines and the legacy calendar."""
        contract = self.senior_contract
        legacy = self.make_legacy(contract)
        legacy.sudo().filtered(lambda line: line.kind == "repayment")[:2].write({"principal": 0.0})
        counts = contract._migrate_plan_convention()
        self.assertEqual(counts, {"moved": 0, "kept": 1})
        self.assertEqual(contract.plan_convention, "legacy")
        self.assertEqual(contract.plan_line_ids.sorted("date").ids, legacy.ids)
