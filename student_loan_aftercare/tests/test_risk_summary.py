import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.student_loan.models.student_loan_application import current_academic_year
from odoo.addons.student_loan_report.populate.province_loader import ProvinceLoader
from odoo.addons.student_loan_report.reportlib.province_plan import Totals

from ..models.student_loan_risk_summary import CONTRACT_TABLE, DIRTY_TABLE, FIGURE_COLUMNS, SUMMARY_TABLE
from ..populate import repayment_history
from .common import FIRST_PRINCIPAL, AftercareCase

HISTORY_AS_OF = datetime.date(2025, 6, 1)


@tagged("post_install", "-at_install")
class TestRiskSummary(AftercareCase):
    """The risk table read from its pre-aggregated summary gives the figures of the direct query, on
    every date, on the fixtures and on a small generated region with its repayment history; the
    summary follows the writes (ORM and set-based SQL) incrementally."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.settle_and_pay_before(cls.senior_contract, FIRST_PRINCIPAL)
        cls.Settlement._settle_due(datetime.date(2031, 2, 1))
        # a small generated region (a few cities' worth of students and their earlier contracts), and
        # its repayment history: on time, late, overdue in every bucket, defaults, 代偿
        cls.loader = ProvinceLoader(
            cls.env,
            seed=11,
            totals=Totals(contracts=240, amount=1_560_000, first_loans=80, renewals=160),
            year=2017,
            batch_size=100,
            progress=lambda line: None,
        )
        cls.loader.load()
        cls.generated = cls.env["student.loan.contract"].search([("id", ">=", cls.loader.first_id["contract"])])
        eligible = cls.generated.filtered(
            lambda contract: contract.state == "active" and contract.graduation_date < HISTORY_AS_OF
        )
        # one contract of each kind of history for sure (the seed that gives the contract the draw r),
        # the others as the seed falls
        for contract, r in zip(eligible, (785, 790, 797, 760, 650, 550, 450, 350, 100), strict=False):
            repayment_history.load_history(
                cls.env, HISTORY_AS_OF, seed=(r - contract.id * 7919) % 10000, years=5, contract_ids=contract.ids
            )
            # its work tables go at commit: the test's transaction does not commit
            cls.env.cr.execute("DROP TABLE IF EXISTS hist_contract, hist_line, hist_payment")
        cls.counts = repayment_history.load_history(
            cls.env, HISTORY_AS_OF, seed=3, years=5, contract_ids=(cls.generated - eligible[:9]).ids
        )
        cls.Summary = cls.env["student.loan.risk.summary"]
        cls.Summary._refresh()

    def dates(self):
        """Month ends from 2017 to 2033, the days around the yearly due date, and bucket edges."""
        days = set()
        for year in range(2017, 2034):
            days.update(datetime.date(year, month, 28) for month in range(1, 13))
            days.update(datetime.date(year, 12, day) for day in (19, 20, 21))
        days.update(HISTORY_AS_OF - datetime.timedelta(days=offset) for offset in (0, 1, 30, 31, 90, 91, 365, 366))
        return sorted(days)

    def direct(self, as_of):
        self.env.cr.execute(self.Risk._risk_query(as_of))
        return self.normalise(self.env.cr.fetchall())

    def summary(self, as_of):
        self.env.cr.execute(self.Summary._figures_query(as_of, current_academic_year(as_of)))
        return self.normalise(self.env.cr.fetchall())

    @staticmethod
    def normalise(rows):
        return sorted(rows, key=lambda row: (row[0], row[1] or 0))

    def assert_same_as_direct(self, dates=None):
        self.env.flush_all()
        self.Summary._refresh()
        for as_of in dates or self.dates():
            self.assertEqual(self.summary(as_of), self.direct(as_of), f"risk figures as of {as_of}")

    def test_generated_history_covers_every_kind(self):
        self.assertGreater(self.counts["settlements"], 100)
        self.env.cr.execute(
            "SELECT count(*) FROM student_loan_default_case WHERE contract_id = ANY(%s)", [self.generated.ids]
        )
        self.assertGreater(self.env.cr.fetchone()[0], 0)
        figures = self.Risk.sudo()._risk_figures(HISTORY_AS_OF)
        total = sum(item.overdue_contracts for item in figures.values())
        self.assertGreater(total, 0)

    def test_same_figures_as_the_direct_query_on_every_date(self):
        self.assert_same_as_direct()
        # and the visible centres only (a city's or county's table)
        centres = self.generated[:5].centre_id.ids
        as_of = HISTORY_AS_OF
        self.env.cr.execute(self.Risk._risk_query(as_of, centres))
        direct = self.normalise(self.env.cr.fetchall())
        self.env.cr.execute(self.Summary._figures_query(as_of, current_academic_year(as_of), centres))
        self.assertEqual(self.normalise(self.env.cr.fetchall()), direct)
        self.assertTrue(direct)

    def test_the_csv_reads_the_summary(self):
        as_of = HISTORY_AS_OF
        from_summary = self.Risk.sudo()._risk_csv(as_of)
        self.assertIn("TOTAL", from_summary)
        # the stored lines (pivot) are made from the same figures
        lines = self.Risk.sudo()._store_as_of(as_of)
        self.assertEqual(
            sum(lines.mapped("overdue_contracts")), sum(row[7] or 0 for row in self.direct(as_of) if row[3])
        )

    def test_writes_are_applied_incrementally(self):
        self.env.cr.execute(f"SELECT count(*) FROM {DIRTY_TABLE}")
        self.assertEqual(self.env.cr.fetchone()[0], 0, "refreshed")
        self.env.cr.execute(f"SELECT count(DISTINCT contract_id) FROM {CONTRACT_TABLE}")
        contracts_before = self.env.cr.fetchone()[0]
        # a repayment through the ORM on the senior contract's first principal instalment
        line = self.Settlement.sudo().search(
            [("contract_id", "=", self.senior_contract.id), ("state", "=", "open")], order="due_date", limit=1
        )
        with freeze_time(line.due_date + datetime.timedelta(days=40)):
            payment = self.Payment.with_user(self.handler).create(
                {
                    "contract_id": self.senior_contract.id,
                    "amount": line.amount_residual,
                    "date": line.due_date + datetime.timedelta(days=40),
                    "channel": "alipay",
                }
            )
            payment.action_post()
        # set-based SQL: settlements of the next years, default detection; and contract writes
        self.Settlement._settle_due(datetime.date(2027, 1, 1))
        self.DefaultCase._detect_defaults(datetime.date(2027, 1, 10))
        overdue = self.generated.filtered(lambda contract: contract.state == "active")[:3]
        overdue[0].state = "cancelled"
        overdue[1].graduation_date = overdue[1].graduation_date + datetime.timedelta(days=400)
        self.env.flush_all()
        self.env.cr.execute(f"SELECT array_agg(contract_id) FROM {DIRTY_TABLE}")
        dirty = set(self.env.cr.fetchone()[0] or [])
        self.assertIn(self.senior_contract.id, dirty)
        self.assertTrue({overdue[0].id, overdue[1].id} <= dirty)
        self.assertNotIn(overdue[2].id, dirty, "a contract nothing touched stays as it is")
        refreshed = self.Summary._refresh()
        self.assertEqual(refreshed, len(dirty))
        self.assertLess(refreshed, contracts_before, "only the changed contracts are rebuilt")
        self.assert_same_as_direct()
        # the incremental result is the rebuilt one
        incremental = self.summary_rows()
        self.Summary._rebuild()
        self.assertEqual(incremental, self.summary_rows())

    def test_a_write_elsewhere_leaves_the_summary_alone(self):
        self.generated[:2].write({"signed_by_proxy": True})
        self.senior_contract.student_id.mobile = "13800000000"
        self.env.flush_all()
        self.env.cr.execute(f"SELECT count(*) FROM {DIRTY_TABLE}")
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_removed_history_is_taken_off(self):
        lines = self.Settlement.sudo().search(
            [("contract_id", "in", self.generated.ids), ("allocation_ids", "!=", False)], limit=20
        )
        contracts = lines.contract_id
        self.env.cr.execute(
            "DELETE FROM student_loan_payment_allocation WHERE settlement_line_id = ANY(%s)", [lines.ids]
        )
        self.env.cr.execute("DELETE FROM student_loan_default_case WHERE contract_id = ANY(%s)", [self.generated.ids])
        self.env.invalidate_all()
        self.env.cr.execute(f"SELECT array_agg(contract_id) FROM {DIRTY_TABLE}")
        self.assertTrue(set(contracts.ids) <= set(self.env.cr.fetchone()[0]))
        # (the stored paid amounts are left as they were: the figures still follow the same rules)
        self.assert_same_as_direct([HISTORY_AS_OF, datetime.date(2022, 12, 21), datetime.date(2031, 1, 1)])

    def summary_rows(self):
        columns = ", ".join(FIGURE_COLUMNS)
        self.env.cr.execute(
            f"SELECT centre_id, lender_key, date, {columns} FROM {SUMMARY_TABLE} "
            f"WHERE {' OR '.join(f'{column} <> 0' for column in FIGURE_COLUMNS)} ORDER BY 1, 2, 3"
        )
        return self.env.cr.fetchall()
