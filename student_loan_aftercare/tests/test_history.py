import datetime

from odoo.tests import tagged

from ..populate import repayment_history
from .common import AftercareCase


@tagged("post_install", "-at_install")
class TestHistory(AftercareCase):
    AS_OF = datetime.date(2033, 3, 1)

    def load(self, r):
        """Load the history of the senior contract with the seed that gives it the draw ``r``."""
        seed = (r - self.senior_contract.id * 7919) % 10000
        counts = repayment_history.load_history(self.env, self.AS_OF, seed=seed, contract_ids=self.senior_contract.ids)
        self.assertFalse(counts.get("skipped"))
        lines = self.Settlement.sudo().search([("contract_id", "=", self.senior_contract.id)])
        self.assertTrue(lines)
        for line in lines:  # the stored figures are what the ORM computes from the allocations
            paid = sum(line.allocation_ids.mapped("amount"))
            self.assertAlmostEqual(paid, line.amount_paid, places=2)
            self.assertEqual(line.state, "paid" if round(line.amount_due - paid, 2) == 0 else "open")
        return lines, self.Risk.sudo()._risk_figures(self.AS_OF)[self.county.code, "CDB"]

    def test_on_time(self):
        lines, figures = self.load(5000)
        self.assertEqual(set(lines.mapped("state")), {"paid"})
        self.assertEqual((figures.contracts_in_repayment, figures.overdue_contracts), (1, 0))
        self.assertEqual(figures.recovery_rate, 1)
        self.assertEqual(
            repayment_history.load_history(self.env, self.AS_OF, contract_ids=self.senior_contract.ids),
            {"skipped": True},
            "loaded once",
        )

    def test_late(self):
        lines, figures = self.load(100)
        self.assertEqual(set(lines.mapped("state")), {"paid"})
        self.assertTrue(all(lines.allocation_ids.mapped("overdue")))
        self.assertEqual(figures.overdue_contracts, 0)

    def test_overdue_31_90(self):
        lines, figures = self.load(450)
        self.assertEqual(figures.overdue_contracts, 1)
        self.assertEqual(figures.contracts_31_90, 1)
        oldest = min(lines.filtered(lambda line: line.state == "open").mapped("due_date"))
        self.assertTrue(31 <= (self.AS_OF - oldest).days <= 90)

    def test_default_and_relief(self):
        _lines, figures = self.load(785)
        self.assertEqual(figures.default_contracts, 1)
        self.assertEqual(figures.default_rate, 1)
        self.assertTrue(self.DefaultCase.search([("contract_id", "=", self.senior_contract.id)]))

    def test_state_repayment(self):
        lines, _figures = self.load(797)
        relief = self.env["student.loan.relief"].search([("contract_id", "=", self.senior_contract.id)])
        self.assertEqual(relief.kind, "compensation")
        self.assertEqual(set(lines.allocation_ids.payment_id.mapped("channel")), {"other"})
