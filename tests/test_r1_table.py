"""The R1 table's layout: CSV lines per statistics unit and TOTAL, city blocks, the XLSX sheet."""

import csv
import datetime
import io

import openpyxl
from reportlib import r1_table, r1_xlsx
from reportlib.r1_table import Figures, R1Data, Unit


def _data():
    units = [
        Unit("411600", "周口市", "city", [("411623", "商水县", "county"), ("411621", "扶沟县", "county")]),
        Unit("410100", "郑州市", "city", [("410102", "中原区", "county")]),
        Unit("410181", "巩义市", "direct_county"),
        Unit("419001", "济源市", "province_admin"),
        Unit("411628", "鹿邑县", "direct_county"),
    ]
    centres = [
        Figures("411623", "商水县", "county", "411600", 10, 65_000.0, 4, 6),
        Figures("411621", "扶沟县", "county", "411600", 5, 30_500.5, 2, 3),
        Figures("410102", "中原区", "county", "410100", 1, 8_000.0, 1, 0),
        Figures("410181", "巩义市", "direct_county", "410181", 3, 20_000.0, 1, 2),
        Figures("419001", "济源市", "province_admin", "419001", 2, 9_000.0, 0, 2),
    ]
    breakdowns = {
        "education_level": [Figures("undergraduate", "Undergraduate", "education_level", None, 21, 132_500.5, 8, 13)],
        "is_poverty_registered": [Figures("True", "Yes", "is_poverty_registered", None, 21, 132_500.5, 8, 13)],
    }
    return R1Data(datetime.date(2017, 9, 30), 2017, "河南省", units, centres, breakdowns)


def test_unit_figures_in_bulletin_order_with_zero_units():
    figures = r1_table.unit_figures(_data())
    assert [(f.code, f.contracts) for f in figures] == [
        ("410100", 1),
        ("411600", 15),
        ("419001", 2),
        ("410181", 3),
        ("411628", 0),
    ]
    total = r1_table.total_figures(_data())
    assert (total.contracts, total.amount, total.first_loans, total.renewals) == (21, 132_500.5, 8, 13)


def test_csv_columns_lines_and_total():
    text = r1_table.to_csv(_data())
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "division_code",
        "division_name",
        "division_kind",
        "contracts",
        "amount",
        "first_loans",
        "renewals",
    ]
    assert rows[1] == ["410100", "郑州市", "city", "1", "8000.00", "1", "0"]
    assert rows[2] == ["411600", "周口市", "city", "15", "95500.50", "6", "9"]
    assert rows[-2] == ["411628", "鹿邑县", "direct_county", "0", "0.00", "0", "0"]
    assert rows[-1] == ["TOTAL", "河南省", "province", "21", "132500.50", "8", "13"]
    assert len(rows) == 1 + 5 + 1
    assert text.endswith("\n")


def test_blocks_city_counties_then_direct_counties_together():
    blocks = r1_table.blocks(_data())
    assert [block.title for block in blocks] == ["郑州市", "周口市", "济源市", "省直管县（市）"]
    zhoukou = blocks[1]
    assert [row.code for row in zhoukou.rows] == ["411623", "411621"]
    assert zhoukou.subtotal.contracts == 15
    direct = blocks[-1]
    assert [row.code for row in direct.rows] == ["410181", "411628"]
    assert direct.rows[1].contracts == 0 and direct.subtotal.contracts == 3


def test_xlsx_layout_like_a_statistics_sheet():
    content = r1_xlsx.build_workbook(_data(), generated=datetime.date(2017, 10, 8), preparer="张会计")
    workbook = openpyxl.load_workbook(io.BytesIO(content))  # formulas
    values = openpyxl.load_workbook(io.BytesIO(content), data_only=True)  # their stored values
    sheet, sheet_values = workbook["合同签订情况"], values["合同签订情况"]
    assert sheet["A1"].value == "河南省生源地信用助学贷款合同签订情况统计表"
    assert "A1:H1" in {str(merged) for merged in sheet.merged_cells.ranges}
    assert sheet["A2"].value == "统计截止日期：2017年9月30日（2017—2018学年）"
    assert [cell.value for cell in sheet[4]] == list(r1_xlsx.HEADERS)
    assert sheet.freeze_panes == "D5"
    rows = list(sheet_values.iter_rows(min_row=5, values_only=True))
    labels = [row[2] for row in rows]
    assert labels[:2] == ["中原区", "郑州市小计"]
    assert labels[2:5] == ["商水县", "扶沟县", "周口市小计"]
    assert "省直管县（市）小计" in labels
    zhoukou = rows[4]
    assert zhoukou[4:8] == (15, 95_500.5, 6, 9)
    total_row = next(row for row in rows if row[0] == "河南省合计")
    assert total_row[4:8] == (21, 132_500.5, 8, 13)
    # subtotal and total cells are formulas
    formula_row = 5 + labels.index("周口市小计")
    assert sheet.cell(formula_row, 5).value == f"=SUM(E{formula_row - 2}:E{formula_row - 1})"
    assert sheet.cell(formula_row, 6).number_format == "#,##0.00"
    assert sheet.cell(5, 5).number_format == "#,##0"
    assert sheet.print_title_rows == "$1:$4"
    assert any("制表日期：2017年10月8日" == row[5] for row in rows if row[5])
    breakdown = values["分类汇总"]
    items = [row[1] for row in breakdown.iter_rows(min_row=5, values_only=True)]
    assert "本科" in items and "建档立卡学生" in items
