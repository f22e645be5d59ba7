from odoo.tests import tagged

from odoo.addons.student_loan.loanlib import identity

from ..populate.province_loader import ProvinceLoader, load_stats
from ..reportlib import r1_table
from ..reportlib.province_plan import Totals
from .common import StudentLoanReportCase


@tagged("post_install", "-at_install")
class TestProvinceLoader(StudentLoanReportCase):
    """The synthetic province at small scale: exact totals, rows valid for the ORM, sequences."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.totals = Totals(contracts=90, amount=588_900, first_loans=31, renewals=59)
        cls.lines = []
        cls.loader = ProvinceLoader(
            cls.env, seed=5, totals=cls.totals, year=2017, batch_size=40, progress=cls.lines.append
        )
        cls.stats = cls.loader.load()

    def test_totals_are_exactly_the_requested_ones(self):
        data = self.env["student.loan.statistics"]._r1_data("2017-12-31")
        total = r1_table.total_figures(data)
        self.assertEqual((total.contracts, total.amount, total.first_loans, total.renewals), (90, 588_900, 31, 59))
        self.assertEqual(self.stats["rows"]["student"], 90)
        self.assertEqual(self.stats["rows"]["contract"], self.stats["rows"]["application"])
        self.assertGreater(self.stats["rows"]["contract"], 90)  # the renewals' earlier years
        self.assertTrue(any("rows/s" in line for line in self.lines))
        self.assertEqual(load_stats(self.env)["seed"], 5)

    def test_rows_are_what_the_orm_computes(self):
        self.assertEqual(self.loader.verify_sample(size=40), [])

    def test_records_read_through_the_orm(self):
        Contract = self.env["student.loan.contract"]
        contracts = Contract.search([("id", ">=", self.loader.first_id["contract"])])
        self.assertEqual(len(contracts), self.stats["rows"]["contract"])
        season = contracts.filtered(lambda contract: contract.academic_year == 2017)
        self.assertEqual(len(season), 90)
        for contract in season:
            student = contract.student_id
            self.assertEqual(contract.application_id.contract_id, contract)
            self.assertEqual(contract.application_id.loan_kind, contract.loan_kind)
            self.assertEqual(student.partner_id.mobile, f"+86 {student.mobile}")
            self.assertEqual(identity.parse_resident_id(student.id_number).region_code, contract.centre_id.code)
            self.assertEqual(contract.coborrower_id.student_id, student)
            self.assertTrue(1000 <= contract.amount <= contract.application_id.cap_amount)
            self.assertEqual(contract.amount, round(contract.amount))
            self.assertIn(contract.state, ("signed", "approved", "active"))
            self.assertEqual(contract.policy_id.academic_year, 2017)
            self.assertTrue(contract.signing_date)
        renewals = season.filtered(lambda contract: contract.loan_kind == "renewal")
        for contract in renewals:
            earlier = contract.student_id.contract_ids.filtered(lambda other: other.academic_year < 2017)
            self.assertTrue(earlier, "a renewal has the earlier years' contracts")
        # every contract has the policy of its own year
        self.assertFalse(contracts.filtered(lambda other: other.policy_id.academic_year != other.academic_year))
        # the loaded contracts keep their kind when the ORM recomputes it
        applications = season.application_id
        applications.invalidate_recordset(["loan_kind"])
        self.env.add_to_compute(applications._fields["loan_kind"], applications)
        self.assertEqual(applications.mapped("loan_kind"), season.mapped("loan_kind"))

    def test_numbers_continue_after_the_load(self):
        contract = self.env["student.loan.contract"].search(
            [("id", ">=", self.loader.first_id["contract"]), ("academic_year", "=", 2017)],
            limit=1,
        )
        number = self.env["student.loan.contract"]._next_number(contract.centre_id, 2017)
        loaded = self.env["student.loan.contract"].search_count(
            [("centre_id", "=", contract.centre_id.id), ("academic_year", "=", 2017)]
        )
        self.assertEqual(number, f"{contract.centre_id.code}-2017-{loaded + 1:06d}")
        # the ORM creates a new student and contract next to the loaded ones
        student = self.create_student(user=self.handler, name="新学生")
        self.assertTrue(student.partner_id)

    def test_a_failing_copy_stops_the_row_worker(self):
        calls = []

        def sink(table, columns, text):
            calls.append(table)
            if len(calls) > 3:
                raise RuntimeError("disk full")

        loader = ProvinceLoader(
            self.env, seed=6, totals=Totals(60, 390_000, 20, 40), batch_size=5, sink=sink, progress=lambda line: None
        )
        with self.assertRaisesRegex(RuntimeError, "disk full"):
            loader.load()
