import datetime

from odoo.tests import tagged

from ..populate.province_loader import ProvinceLoader, ensure_regions
from ..reportlib import r1_table
from ..reportlib.province_plan import Totals
from .common import StudentLoanReportCase


@tagged("post_install", "-at_install")
class TestStatisticsDaily(StudentLoanReportCase):
    """R1 from its daily sums gives the figures of the view over the contracts, after the COPY of a
    generated national sample (two regions) and after ORM and SQL writes; incremental equals rebuilt."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ensure_regions(cls.env, 2)
        cls.loader = ProvinceLoader(
            cls.env,
            seed=13,
            totals=Totals(contracts=300, amount=1_950_000, first_loans=100, renewals=200),
            year=2017,
            batch_size=70,
            progress=lambda line: None,
        )
        cls.loader.load()
        cls.Daily = cls.env["student.loan.statistics.daily"]

    def view_rows(self):
        self.env.flush_all()
        self.env.cr.execute("""
            SELECT academic_year, signing_date, centre_id, sum(contract_count), sum(amount), sum(first_count),
                   sum(renewal_count)
              FROM student_loan_statistics GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        """)
        return self.env.cr.fetchall()

    def daily_rows(self):
        self.env.flush_all()
        self.env.cr.execute("""
            SELECT academic_year, signing_date, centre_id, contract_count, amount, first_count, renewal_count
              FROM student_loan_statistics_daily WHERE contract_count <> 0 OR amount <> 0 ORDER BY 1, 2, 3
        """)
        return self.env.cr.fetchall()

    def assert_same(self):
        self.assertEqual(self.daily_rows(), self.view_rows())

    def test_same_sums_as_the_view_after_the_copy(self):
        self.assert_same()
        self.env.cr.execute(
            "SELECT count(DISTINCT substr(code, 1, 2)) FROM student_loan_centre c "
            "JOIN student_loan_statistics_daily d ON d.centre_id = c.id"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 2, "both regions signed contracts")

    def test_r1_table_same_as_from_the_view(self):
        Statistics = self.env["student.loan.statistics"]
        for as_of in (datetime.date(2017, 7, 20), datetime.date(2017, 8, 31), datetime.date(2017, 12, 31)):
            data = Statistics._r1_data(as_of, breakdowns=False)
            rows = Statistics._read_group(
                Statistics._as_of_domain(as_of), ["centre_id"], ["contract_count:sum", "amount:sum"]
            )
            expected = {centre.code: (count, amount) for centre, count, amount in rows}
            self.assertEqual({row.code: (row.contracts, row.amount) for row in data.centres}, expected)
            total = r1_table.total_figures(data)
            self.assertEqual(total.contracts, sum(count for count, _amount in expected.values()))
        [(count,)] = Statistics._read_group(Statistics._as_of_domain("2017-12-31"), [], ["contract_count:sum"])
        self.assertEqual(r1_table.total_figures(Statistics._r1_data("2017-12-31")).contracts, count)
        self.assertGreaterEqual(count, 300)

    def test_writes_follow(self):
        Contract = self.env["student.loan.contract"].sudo()
        season = Contract.search([("id", ">=", self.loader.first_id["contract"]), ("academic_year", "=", 2017)])
        # the ORM: cancel, move the signing date, another centre, another amount, another kind
        season[0].write({"state": "cancelled"})
        season[1].write({"signing_date": season[1].signing_date + datetime.timedelta(days=3)})
        season[2].write({"centre_id": self.county.id})
        season[3].write({"amount": season[3].amount - 100})
        season[4].write({"loan_kind": "renewal" if season[4].loan_kind == "first" else "first"})
        self.assert_same()
        # set-based SQL and deletes
        self.env.cr.execute("UPDATE student_loan_contract SET state = 'closed' WHERE id = ANY(%s)", [season[5:40].ids])
        self.env.cr.execute(
            "UPDATE student_loan_application SET contract_id = NULL WHERE contract_id = %s", [season[41].id]
        )
        self.env.cr.execute("UPDATE student_loan_contract SET application_id = NULL WHERE id = %s", [season[41].id])
        self.env.cr.execute("DELETE FROM student_loan_contract WHERE id = %s", [season[41].id])
        self.env.invalidate_all()
        self.assert_same()
        incremental = self.daily_rows()
        self.Daily._rebuild()
        self.assertEqual(self.daily_rows(), incremental)

    def test_a_county_reads_its_own_rows(self):
        rows = self.Daily.with_user(self.handler)._read_group([], ["centre_id"], ["contract_count:sum"])
        self.assertTrue(rows)
        self.assertEqual({centre for centre, _count in rows}, {self.handler.loan_centre_id})
