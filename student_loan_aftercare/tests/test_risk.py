import base64
import csv
import datetime
import io

import openpyxl
from freezegun import freeze_time

from odoo.tests import tagged

from .common import FIRST_PRINCIPAL, AftercareCase


@tagged("post_install", "-at_install")
class TestRisk(AftercareCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.settle_and_pay_before(cls.senior_contract, FIRST_PRINCIPAL)
        cls.Settlement._settle_due(datetime.date(2031, 2, 1))
        cls.as_of = datetime.date(2031, 2, 1)

    def rows(self, user=None):
        text = self.Risk.with_user(user or self.admin)._risk_csv(self.as_of)
        return list(csv.DictReader(io.StringIO(text)))

    def test_csv_per_county_unit_and_total(self):
        rows = self.rows()
        self.assertEqual(
            list(rows[0]),
            [
                "division_code",
                "division_name",
                "division_kind",
                "lender",
                "contracts_in_repayment",
                "overdue_contracts",
                "overdue_principal",
                "recovery_rate",
                "default_rate",
                "risk_fund_due",
            ],
        )
        county = next(row for row in rows if row["division_code"] == self.county.code)
        self.assertEqual(county["lender"], "CDB")
        self.assertEqual(county["division_kind"], "county")
        # the senior graduated (in repayment, overdue since 20 December 2030); the freshman has not
        self.assertEqual(county["contracts_in_repayment"], "1")
        self.assertEqual(county["overdue_contracts"], "1")
        unpaid = self.Settlement.sudo().search([("contract_id", "=", self.senior_contract.id), ("state", "=", "open")])
        self.assertEqual(county["overdue_principal"], f"{sum(unpaid.mapped('principal_residual')):.2f}")
        self.assertLess(float(county["recovery_rate"]), 1)
        self.assertEqual(county["default_rate"], "0.0000")
        city = next(row for row in rows if row["division_code"] == self.city.code)
        self.assertEqual(city["overdue_contracts"], "1")
        total = rows[-1]
        self.assertEqual(total["division_code"], "TOTAL")
        self.assertEqual(total["overdue_contracts"], "1")

    def test_risk_fund_of_the_year(self):
        # the 2024 contracts are the new loans of the 2024-2025 year: 5 % set aside, half central
        as_of = datetime.date(2025, 5, 31)
        figures = self.Risk.sudo()._risk_figures(as_of)
        county = figures[self.county.code, "CDB"]
        amount = self.senior_contract.amount
        self.assertEqual(float(county.new_loans), amount)
        self.assertAlmostEqual(float(county.risk_fund_due), amount * 0.05, places=2)
        self.assertEqual(county.risk_fund_central + county.risk_fund_local, county.risk_fund_due)

    def test_defaults_in_the_rates(self):
        self.DefaultCase._detect_defaults(datetime.date(2032, 1, 10))
        self.settle(datetime.date(2032, 1, 10))
        self.as_of = datetime.date(2032, 1, 10)
        county = next(row for row in self.rows() if row["division_code"] == self.county.code)
        self.assertEqual(county["default_rate"], "1.0000")

    def test_county_sees_itself_only_and_stored_lines_for_pivot(self):
        codes = {row["division_code"] for row in self.rows(self.handler_b)}
        self.assertNotIn(self.county.code, codes)
        with freeze_time(self.as_of):
            wizard = self.env["student.loan.risk.wizard"].with_user(self.admin).create({"as_of": self.as_of})
            action = wizard.action_compute()
        lines = self.Risk.with_user(self.city_viewer).search(action["domain"])
        self.assertIn(self.county, lines.centre_id)
        self.assertEqual(sum(lines.mapped("overdue_contracts")), 1)
        with freeze_time(self.as_of):
            wizard.action_xlsx()
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.xlsx_file))).active
        self.assertIn("贷后风险统计表", sheet["A1"].value)
