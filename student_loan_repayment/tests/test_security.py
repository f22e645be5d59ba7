import datetime

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import RepaymentCase


@tagged("post_install", "-at_install")
class TestRepaymentSecurity(RepaymentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["student.loan.settlement.line"]._settle_due(datetime.date(2025, 12, 20))

    def test_read_by_centre(self):
        """Records follow the contract's centre: the county and its city see them, other centres do not."""
        models = [
            "student.loan.plan.line",
            "student.loan.settlement.line",
            "student.loan.payment",
            "student.loan.payment.allocation",
            "student.loan.change.request",
        ]
        self.pay(self.senior_contract, 100, datetime.date(2026, 1, 5))
        request = self.ChangeRequest.with_user(self.handler).create(
            {
                "kind": "plan",
                "contract_id": self.contract.id,
                "new_method": "linear",
            }
        )
        ours = [("contract_id", "in", (self.contract | self.senior_contract).ids)]
        for user in (self.handler, self.city_viewer, self.bank, self.admin):
            for model in models:
                self.assertTrue(self.env[model].with_user(user).search_count(ours), f"{user.login} reads {model}")
        for user in (self.handler_b, self.other_city_viewer):
            for model in models:
                self.assertFalse(self.env[model].with_user(user).search_count(ours), f"{user.login} reads {model}")
            with self.assertRaises(AccessError):
                request.with_user(user).read(["name"])
            self.assertFalse(request.plan_line_ids.with_user(user)._filtered_access("read"))
        self.assertTrue(request.with_user(self.city_viewer).new_plan_line_ids)

    def test_write_by_role(self):
        """Handlers record repayments and change requests; viewers and the bank only read them; nobody edits
        settlements or plans by hand."""
        for user in (self.city_viewer, self.bank):
            with self.assertRaises(AccessError):
                self.Payment.with_user(user).create(
                    {"contract_id": self.senior_contract.id, "amount": 10, "date": datetime.date(2026, 1, 5)}
                )
            with self.assertRaises(AccessError):
                self.ChangeRequest.with_user(user).create({"kind": "education", "contract_id": self.contract.id})
        for user in (self.handler, self.supervisor, self.bank):
            line = self.env["student.loan.settlement.line"].with_user(user).search([], limit=1)
            with self.assertRaises(AccessError):
                line.write({"interest": 0})
            with self.assertRaises(AccessError):
                self.contract.plan_line_ids[:1].with_user(user).write({"principal": 0})
        # a handler of another county cannot record a repayment for this contract
        with self.assertRaises(AccessError):
            self.Payment.with_user(self.handler_b).create(
                {"contract_id": self.senior_contract.id, "amount": 10, "date": datetime.date(2026, 1, 5)}
            )
        # the settlement run is the administrator's
        with self.assertRaises(AccessError):
            self.env["student.loan.settlement.wizard"].with_user(self.supervisor).create({})
