"""An approved interest-subsidy extension (贴息延期) moves the split of the set-based settlement (结息):
end to end from the relief application to the settlement lines, against loanlib."""

import base64
import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.student_loan.loanlib import repayment

from .common import AftercareCase

APPLIED = datetime.date(2025, 8, 1)
SUBSIDY_END = datetime.date(2028, 9, 1)
LAST = datetime.date(2029, 12, 20)


@tagged("post_install", "-at_install")
class TestSubsidySettlement(AftercareCase):
    def _relief(self, subsidy_end):
        relief = (
            self.env["student.loan.relief"]
            .with_user(self.handler)
            .create(
                {
                    "contract_id": self.senior_contract.id,
                    "kind": "subsidy_extension",
                    "reason": "further_study",
                    "subsidy_end": subsidy_end,
                }
            )
        )
        attachment = (
            self.env["ir.attachment"]
            .with_user(self.handler)
            .create(
                {
                    "name": "录取通知书.pdf",
                    "datas": base64.b64encode(b"%PDF-1.4 x"),
                    "res_model": relief._name,
                    "res_id": relief.id,
                }
            )
        )
        relief.with_user(self.handler).write({"evidence_ids": [(4, attachment.id)]})
        relief.with_user(self.handler).action_submit()
        relief.with_user(self.handler2).action_check()
        return relief

    def test_extension_moves_the_split_of_the_settlement(self):
        contract = self.senior_contract
        self.settle_and_pay_before(contract, APPLIED)
        self.assertFalse(contract.subsidy_end)
        with freeze_time(APPLIED):
            relief = self._relief(SUBSIDY_END)
            self.assertFalse(contract.subsidy_end, "a relief checked but not approved moves nothing")
            relief.with_user(self.supervisor).action_approve()
        self.assertEqual(relief.state, "approved")
        self.assertEqual(contract.subsidy_end, SUBSIDY_END)

        # the set-based settlement of every later period, as the nightly jobs run it
        self.Settlement._settle_due(LAST)
        lines = self.Settlement.sudo().search([("contract_id", "=", contract.id), ("date", ">", APPLIED)])
        self.assertEqual(lines.mapped("date"), [datetime.date(year, 12, 20) for year in range(2029, 2024, -1)])
        plan = {line.date: line for line in contract.plan_line_ids}
        balance = contract.amount
        for line in lines:
            subsidised, student = repayment.split_interest(
                self.money(balance), self.money(contract.rate) / 100, line.period_start, line.date, SUBSIDY_END
            )
            self.assertEqual(
                (self.money(line.subsidised_interest), self.money(line.interest)),
                (subsidised, student),
                f"settlement of {line.date} against loanlib",
            )
            # the plan the relief stored (loanlib.deferral.extend_subsidy) says the same
            self.assertEqual(
                (self.money(line.subsidised_interest), self.money(line.interest)),
                (self.money(plan[line.date].subsidised_interest), self.money(plan[line.date].interest)),
            )
        by_date = {line.date: line for line in lines}
        # 2025-2027: the state pays everything, the student nothing (without the extension: from 1 Sept 2025)
        for year in (2025, 2026, 2027):
            self.assertEqual(by_date[datetime.date(year, 12, 20)].interest, 0)
            self.assertGreater(by_date[datetime.date(year, 12, 20)].subsidised_interest, 0)
        # 2028: split on 1 September 2028; 2029: the student's
        split = by_date[datetime.date(2028, 12, 20)]
        self.assertGreater(split.subsidised_interest, 0)
        self.assertGreater(split.interest, 0)
        self.assertEqual(by_date[LAST].subsidised_interest, 0)

        # the engine's plan of the contract knows the extension: a second one must end later
        self.assertEqual(contract._get_engine_plan().terms.student_pay_start, SUBSIDY_END)
