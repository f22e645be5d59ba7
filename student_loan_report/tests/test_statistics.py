import base64
import csv
import datetime
import io
import subprocess
import sys
from pathlib import Path

import openpyxl

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import config

from ..reportlib import r1_table
from .common import StudentLoanReportCase


@tagged("post_install", "-at_install")
class TestStatistics(StudentLoanReportCase):
    """R1 as of a date: per statistics unit, county and kind of division; the CSV; the XLSX."""

    def _units(self, data):
        return {row.code: row for row in r1_table.unit_figures(data)}

    def test_as_of_counts_signed_contracts_of_the_season(self):
        Statistics = self.env["student.loan.statistics"]
        data = Statistics._r1_data(datetime.date(2024, 7, 31))
        self.assertEqual(data.academic_year, 2024)
        units = self._units(data)
        self.assertEqual(units["411600"].contracts, 1)  # only 商水县's first loan of 10 July
        self.assertEqual(units["411600"].amount, 8000)
        self.assertEqual(units["410181"].contracts, 0)
        data = Statistics._r1_data(datetime.date(2024, 8, 31))
        units = self._units(data)
        zhoukou = units["411600"]
        self.assertEqual((zhoukou.contracts, zhoukou.amount, zhoukou.first_loans, zhoukou.renewals), (3, 26500, 2, 1))
        self.assertEqual((units["410181"].contracts, units["410181"].renewals), (1, 1))
        self.assertEqual(units["419001"].contracts, 0)  # signed on 1 September
        data = Statistics._r1_data(datetime.date(2025, 3, 1))  # still the 2024-2025 season
        units = self._units(data)
        self.assertEqual(units["419001"].contracts, 1)
        self.assertEqual(data.academic_year, 2024)
        # the previous season on its own
        data = Statistics._r1_data(datetime.date(2024, 3, 1))
        self.assertEqual(data.academic_year, 2023)
        self.assertEqual(self._units(data)["411600"].contracts, 1)

    def test_per_county_and_kind_of_division(self):
        data = self.env["student.loan.statistics"]._r1_data(datetime.date(2024, 12, 31))
        by_centre = {row.code: row for row in data.centres}
        self.assertEqual(by_centre[self.county.code].contracts, 2)
        self.assertEqual(by_centre[self.county.code].unit_code, "411600")
        self.assertEqual(by_centre[self.county_b.code].amount, 12000)
        kinds = {row.code: row for row in data.breakdowns["division_kind"]}
        self.assertEqual(kinds["city"].contracts, 3)
        self.assertEqual(kinds["direct_county"].contracts, 1)
        self.assertEqual(kinds["province_admin"].amount, 5000)
        levels = {row.code: row for row in data.breakdowns["education_level"]}
        self.assertEqual(levels["master"].contracts, 1)
        self.assertEqual(levels["undergraduate"].contracts, 1)
        poverty = {row.code: row for row in data.breakdowns["is_poverty_registered"]}
        self.assertEqual((poverty["True"].contracts, poverty["True"].amount), (2, 13500))
        self.assertEqual(poverty["False"].contracts, 3)

    def test_pivot_read_group_and_as_of_domain(self):
        Statistics = self.env["student.loan.statistics"]
        domain = Statistics._as_of_domain("2024-12-31")
        groups = Statistics.read_group(
            domain, ["contract_count", "amount", "first_count", "renewal_count"], ["reporting_city_id"]
        )
        zhoukou = next(group for group in groups if group["reporting_city_id"][0] == self.city.id)
        self.assertEqual((zhoukou["contract_count"], zhoukou["amount"], zhoukou["first_count"]), (3, 26500, 2))
        self.assertNotIn(self.c_cancelled.id, Statistics.search(domain).contract_id.ids)
        self.assertNotIn(self.c_draft.id, Statistics.search([]).contract_id.ids)

    def test_csv_format(self):
        text = self.env["student.loan.statistics"]._r1_csv("2024-12-31")
        rows = list(csv.reader(io.StringIO(text)))
        self.assertEqual(
            rows[0],
            ["division_code", "division_name", "division_kind", "contracts", "amount", "first_loans", "renewals"],
        )
        self.assertEqual(len(rows), 1 + 28 + 1)  # 17 cities, 济源, 10 directly-managed counties, TOTAL
        self.assertEqual([row[2] for row in rows[1:29]], ["city"] * 17 + ["province_admin"] + ["direct_county"] * 10)
        zhoukou = next(row for row in rows if row[0] == "411600")
        self.assertEqual(zhoukou, ["411600", "周口市", "city", "3", "26500.00", "2", "1"])
        self.assertEqual(rows[-1], ["TOTAL", "河南省", "province", "5", "38500.00", "3", "2"])

    def test_csv_command(self):
        """`make province-stats` runs the odoo-bin command: CSV on stdout (committed data only)."""
        odoo_bin = Path(config["root_path"]).parent / "odoo-bin"
        addons = f"{Path(config['root_path']).parent / 'addons'},{Path(__file__).resolve().parents[2]}"
        result = subprocess.run(
            [
                sys.executable,
                str(odoo_bin),
                f"--addons-path={addons}",
                "province_stats",
                "-c",
                config.rcfile,
                "-d",
                self.env.cr.dbname,
                "--as-of",
                "2024-12-31",
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        rows = list(csv.reader(io.StringIO(result.stdout)))
        self.assertEqual(rows[0][0], "division_code")
        self.assertEqual(len(rows), 30)
        self.assertEqual(rows[-1][:3], ["TOTAL", "河南省", "province"])

    def test_xlsx_export_from_the_wizard(self):
        wizard = self.env["student.loan.statistics.wizard"].with_user(self.admin).create({"as_of": "2024-12-31"})
        self.assertEqual(wizard.academic_year, 2024)
        action = wizard.action_download_xlsx()
        self.assertIn("field=xlsx_file", action["url"])
        self.assertEqual(wizard.xlsx_name, "R1_20241231_2024.xlsx")
        workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.xlsx_file)), data_only=True)
        sheet = workbook["合同签订情况"]
        self.assertEqual(sheet["A1"].value, "河南省生源地信用助学贷款合同签订情况统计表")
        self.assertIn("2024年12月31日", sheet["A2"].value)
        self.assertEqual(sheet.freeze_panes, "D5")
        rows = list(sheet.iter_rows(min_row=5, values_only=True))
        by_label = {row[2]: row for row in rows if row[2]}
        self.assertEqual(by_label["商水县"][4:8], (2, 14500, 1, 1))
        self.assertEqual(by_label["周口市小计"][4:8], (3, 26500, 2, 1))
        self.assertEqual(by_label["省直管县（市）小计"][4], 1)
        self.assertEqual(next(row for row in rows if row[0] == "河南省合计")[4:8], (5, 38500, 3, 2))
        counties = [row[2] for row in rows if row[3] == "县（市、区）"]
        self.assertGreater(len(counties), 100)  # every county is listed, with zeros where nothing was signed

    def test_dashboard_and_pivot_actions(self):
        wizard = self.env["student.loan.statistics.wizard"].with_user(self.admin).create({"as_of": "2024-12-31"})
        html = str(wizard.table_html)
        self.assertIn("周口市", html)
        self.assertIn("26,500.00", html)
        self.assertIn("38,500.00", html)
        action = wizard.action_open_pivot()
        self.assertEqual(action["res_model"], "student.loan.statistics")
        self.assertIn(("signing_date", "<=", datetime.date(2024, 12, 31)), action["domain"])
        self.assertEqual(action["views"][0][1], "pivot")
        self.assertEqual(wizard.action_open_graph()["views"][0][1], "graph")


@tagged("post_install", "-at_install")
class TestStatisticsAccess(StudentLoanReportCase):
    """A county sees itself, a city its counties, the province everything (as the core's rules)."""

    def _data(self, user):
        return self.env["student.loan.statistics"].with_user(user)._r1_data(datetime.date(2024, 12, 31))

    def test_county_sees_itself(self):
        data = self._data(self.handler)
        self.assertEqual({row.code for row in data.centres}, {self.county.code})
        self.assertEqual([unit.code for unit in data.units], ["411600"])
        self.assertEqual(data.units[0].centres, [(self.county.code, self.county.name, "county")])
        visible = self.env["student.loan.statistics"].with_user(self.handler).search([])
        self.assertEqual(set(visible.centre_id.ids), {self.county.id})

    def test_city_sees_its_counties(self):
        data = self._data(self.city_viewer)
        self.assertEqual({row.code for row in data.centres}, {self.county.code, self.county_b.code})
        wizard = self.env["student.loan.statistics.wizard"].with_user(self.city_viewer).create({"as_of": "2024-12-31"})
        html = str(wizard.table_html)
        self.assertIn(self.county.name, html)  # the city's counties, one line each
        self.assertNotIn("巩义市", html)
        self.assertFalse(self._data(self.other_city_viewer).centres)

    def test_titles_and_totals_name_the_viewers_division(self):
        """A county's sheet says 商水县 in its title and total line, a city's 周口市; the province's 河南省."""
        self.assertEqual(self._data(self.handler).province_name, self.county.name)
        self.assertEqual(self._data(self.city_viewer).province_name, self.city.name)
        self.assertEqual(self._data(self.admin).province_name, "河南省")
        wizard = self.env["student.loan.statistics.wizard"].with_user(self.handler).create({"as_of": "2024-12-31"})
        wizard.action_download_xlsx()
        workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.xlsx_file)), data_only=True)
        cells = [str(cell) for row in workbook.worksheets[0].iter_rows(values_only=True) for cell in row if cell]
        self.assertTrue(cells[0].startswith(self.county.name), cells[0])
        self.assertIn(f"{self.county.name}合计", cells)
        self.assertFalse([cell for cell in cells if "河南省" in cell], "a county's sheet names the province")

    def test_province_sees_everything(self):
        self.assertEqual(len(self._data(self.admin).centres), 4)
        self.assertEqual(len(self._data(self.bank).centres), 4)

    def test_statistics_are_read_only(self):
        Statistics = self.env["student.loan.statistics"].with_user(self.admin)
        with self.assertRaises(AccessError):
            Statistics.create({"amount": 1})
        record = Statistics.search([], limit=1)
        with self.assertRaises(AccessError):
            record.write({"amount": 1})
