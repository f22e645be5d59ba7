"""The risk table (贷后风险统计): per county, statistics unit and province, as of a date.

Plain Python (no Odoo import): the figures per (aid centre, lender) come from the SQL of
``student.loan.risk.line``; this module adds them up per unit and for the province,
computes the rates and writes the CSV of ``make province-risk`` and the XLSX sheet.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field, fields
from decimal import Decimal

from odoo.addons.student_loan.loanlib import overdue

CSV_HEADER = (
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
)
COUNTS = ("contracts_in_repayment", "overdue_contracts", "default_contracts") + tuple(
    f"contracts_{key}" for key in overdue.BUCKET_KEYS
)
MONEY = (
    "principal_in_repayment",
    "overdue_principal",
    "amount_due",
    "amount_recovered",
    "default_principal",
    "new_loans",
    "risk_fund_due",
    "risk_fund_central",
    "risk_fund_local",
    "default_consumed",
) + tuple(f"principal_{key}" for key in overdue.BUCKET_KEYS)


@dataclass
class Figures:
    code: str
    name: str
    kind: str
    lender: str
    contracts_in_repayment: int = 0
    overdue_contracts: int = 0
    default_contracts: int = 0
    contracts_1_30: int = 0
    contracts_31_90: int = 0
    contracts_91_180: int = 0
    contracts_181_365: int = 0
    contracts_365_plus: int = 0
    principal_in_repayment: Decimal = Decimal(0)
    overdue_principal: Decimal = Decimal(0)
    amount_due: Decimal = Decimal(0)
    amount_recovered: Decimal = Decimal(0)
    default_principal: Decimal = Decimal(0)
    new_loans: Decimal = Decimal(0)
    risk_fund_due: Decimal = Decimal(0)
    risk_fund_central: Decimal = Decimal(0)
    risk_fund_local: Decimal = Decimal(0)
    default_consumed: Decimal = Decimal(0)
    principal_1_30: Decimal = Decimal(0)
    principal_31_90: Decimal = Decimal(0)
    principal_91_180: Decimal = Decimal(0)
    principal_181_365: Decimal = Decimal(0)
    principal_365_plus: Decimal = Decimal(0)
    extra: dict = field(default_factory=dict)

    def add(self, other):
        for name in COUNTS + MONEY:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    @property
    def recovery_rate(self):
        return overdue.recovery_rate(self.amount_due, self.amount_recovered)

    @property
    def default_rate(self):
        return overdue.default_rate(
            min(self.default_principal, self.principal_in_repayment), self.principal_in_repayment
        )


@dataclass
class Unit:
    code: str
    name: str
    kind: str
    counties: list  # [(code, name)]


def build_rows(units, figures_by_centre):
    """The table's rows in order: each unit's counties then the unit, per lender; then the total.

    :param units: ``[Unit]`` in bulletin order
    :param figures_by_centre: ``{(centre code, lender code): Figures}``
    """
    lenders = sorted({lender for _, lender in figures_by_centre})
    rows = []
    total = Figures("TOTAL", "", "province", "ALL")
    for unit in units:
        for lender in lenders:
            unit_figures = Figures(unit.code, unit.name, unit.kind, lender)
            own = figures_by_centre.get((unit.code, lender))
            if own:
                unit_figures.add(own)
            for code, name in unit.counties:
                county = figures_by_centre.get((code, lender))
                if county:
                    rows.append(Figures(code, name, "county", lender).add(county))
                    unit_figures.add(county)
            if any(getattr(unit_figures, name) for name in COUNTS + MONEY):
                rows.append(unit_figures)
                total.add(unit_figures)
    rows.append(total)
    return rows


def to_csv(rows, province_name=""):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(
            [
                row.code,
                row.name or province_name,
                row.kind,
                row.lender,
                row.contracts_in_repayment,
                row.overdue_contracts,
                f"{row.overdue_principal:.2f}",
                f"{row.recovery_rate:.4f}",
                f"{row.default_rate:.4f}",
                f"{row.risk_fund_due:.2f}",
            ]
        )
    return buffer.getvalue()


XLSX_HEADERS = (
    ("区划代码", 10, None),
    ("地区", 16, None),
    ("类别", 10, None),
    ("贷款银行", 12, None),
    ("还款期合同（份）", 12, "contracts_in_repayment"),
    ("逾期合同（份）", 11, "overdue_contracts"),
    ("逾期本金（元）", 15, "overdue_principal"),
    ("逾期1-30天（元）", 14, "principal_1_30"),
    ("逾期31-90天（元）", 14, "principal_31_90"),
    ("逾期91-180天（元）", 14, "principal_91_180"),
    ("逾期181-365天（元）", 14, "principal_181_365"),
    ("逾期365天以上（元）", 14, "principal_365_plus"),
    ("回收率", 9, "recovery_rate"),
    ("违约率", 9, "default_rate"),
    ("风险补偿金（元）", 15, "risk_fund_due"),
    ("其中中央（元）", 14, "risk_fund_central"),
    ("其中地方（元）", 14, "risk_fund_local"),
    ("违约代偿（元）", 14, "default_consumed"),
)
KIND_LABELS = {
    "city": "地市",
    "province_admin": "省直管市",
    "direct_county": "省直管县",
    "county": "县（市、区）",
    "province": "全省",
}


def build_workbook(rows, as_of, province_name, lender_names, generated=None):
    """The XLSX sheet in the style of the R1 statistics (title, as-of line, frozen header, subtotals)."""
    import xlsxwriter  # noqa: PLC0415

    from odoo.addons.student_loan_report.reportlib.r1_xlsx import _date_cn, _Formats  # noqa: PLC0415

    generated = generated or datetime.date.today()
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    formats = _Formats(workbook)
    rate = {"font_name": "宋体", "font_size": 10, "valign": "vcenter", "border": 1, "num_format": "0.00%"}
    rate_format = workbook.add_format(rate)
    sub_rate = workbook.add_format({**rate, "bold": True, "bg_color": "#F2F2F2"})
    total_rate = workbook.add_format({**rate, "bold": True, "bg_color": "#FCE4D6", "top": 2})
    sheet = workbook.add_worksheet("贷后风险统计")
    last_col = len(XLSX_HEADERS) - 1
    sheet.merge_range(0, 0, 0, last_col, f"{province_name}生源地信用助学贷款贷后风险统计表", formats.title)
    sheet.set_row(0, 30)
    sheet.merge_range(1, 0, 1, 5, f"统计截止日期：{_date_cn(as_of)}", formats.note)
    sheet.merge_range(1, 6, 1, last_col, "单位：份、元", formats.note_right)
    sheet.set_row(3, 32)
    for col, (heading, width, _attr) in enumerate(XLSX_HEADERS):
        sheet.write(3, col, heading, formats.header)
        sheet.set_column(col, col, width)
    sheet.freeze_panes(4, 4)
    for index, figures in enumerate(rows):
        row = 4 + index
        is_total = figures.code == "TOTAL"
        is_unit = figures.kind != "county" and not is_total
        text = formats.total_text if is_total else (formats.sub_text if is_unit else formats.text)
        count = formats.total_count if is_total else (formats.sub_count if is_unit else formats.count)
        money = formats.total_money if is_total else (formats.sub_money if is_unit else formats.money)
        rates = total_rate if is_total else (sub_rate if is_unit else rate_format)
        sheet.write_string(row, 0, "" if is_total else figures.code, text)
        sheet.write_string(row, 1, f"{province_name}合计" if is_total else figures.name, text)
        sheet.write_string(row, 2, KIND_LABELS.get(figures.kind, figures.kind), text)
        sheet.write_string(row, 3, "全部" if is_total else lender_names.get(figures.lender, figures.lender), text)
        for col, (_heading, _width, attr) in enumerate(XLSX_HEADERS[4:], start=4):
            value = getattr(figures, attr)
            if attr.endswith("_rate"):
                sheet.write_number(row, col, float(value), rates)
            elif attr in COUNTS:
                sheet.write_number(row, col, value, count)
            else:
                sheet.write_number(row, col, float(value), money)
    foot = 4 + len(rows) + 1
    sheet.write_string(foot, 0, f"制表单位：{province_name}学生资助管理中心", formats.note)
    sheet.write_string(foot, 8, f"制表日期：{_date_cn(generated)}", formats.note)
    sheet.write_string(
        foot + 1,
        0,
        "说明：还款期合同为截止日期前已毕业且未结清的合同；回收率=截止日期前到期应还中已还的比例；"
        "违约率=违约合同未还本金/还款期未还本金；风险补偿金按当学年新增贷款额和政策比例计提。",
        formats.note,
    )
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0, 3)
    sheet.set_footer("&C第 &P 页，共 &N 页")
    workbook.close()
    return output.getvalue()


def field_names():
    return [item.name for item in fields(Figures) if item.name not in ("code", "name", "kind", "lender", "extra")]
