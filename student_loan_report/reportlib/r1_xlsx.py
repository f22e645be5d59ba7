"""The R1 table as an XLSX workbook laid out like a government statistics sheet (xlsxwriter).

Sheet 1 (合同签订情况): title, as-of date and unit line, a frozen two-line header in Chinese,
each city's counties followed by the city's subtotal, 济源, the directly-managed counties and their
subtotal, the province total, number formats, print set-up (A4 landscape, one page wide, header
rows repeated) and the preparer's line. Sheet 2 (分类汇总): by kind of division, level and 建档立卡.
Subtotals and totals are formulas whose values are stored too (readers without a formula engine
see them).
"""

import datetime
import io

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from . import r1_table

TITLE = "{province}生源地信用助学贷款合同签订情况统计表"
HEADERS = ("序号", "区划代码", "地区", "类别", "合同数（份）", "贷款金额（元）", "首贷合同（份）", "续贷合同（份）")
KIND_LABELS = {
    "city": "地市",
    "province_admin": "省直管市",
    "direct_county": "省直管县",
    "county": "县（市、区）",
    "province": "全省",
}
BREAKDOWN_TITLES = {
    "division_kind": (
        "按行政区划类别",
        {"city": "17个省辖市", "province_admin": "济源市", "direct_county": "10个省直管县（市）"},
    ),
    "education_level": (
        "按学历层次",
        {"vocational": "高职（专科）", "undergraduate": "本科", "master": "硕士研究生", "doctor": "博士研究生"},
    ),
    "is_poverty_registered": ("按建档立卡", {"True": "建档立卡学生", "False": "非建档立卡学生"}),
}
FIRST_DATA_ROW = 4  # 0-based: title, as-of line, blank line, header


def _date_cn(day):
    return f"{day.year}年{day.month}月{day.day}日"


class _Formats:
    def __init__(self, workbook):
        base = {"font_name": "宋体", "font_size": 10, "valign": "vcenter", "border": 1}
        self.title = workbook.add_format(
            {"font_name": "黑体", "font_size": 16, "bold": True, "align": "center", "valign": "vcenter"}
        )
        self.note = workbook.add_format({"font_name": "宋体", "font_size": 10})
        self.note_right = workbook.add_format({"font_name": "宋体", "font_size": 10, "align": "right"})
        self.header = workbook.add_format(
            {**base, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#D9E1F2"}
        )
        self.text = workbook.add_format({**base})
        self.center = workbook.add_format({**base, "align": "center"})
        self.count = workbook.add_format({**base, "num_format": "#,##0"})
        self.money = workbook.add_format({**base, "num_format": "#,##0.00"})
        bold = {**base, "bold": True, "bg_color": "#F2F2F2"}
        self.sub_text = workbook.add_format({**bold})
        self.sub_center = workbook.add_format({**bold, "align": "center"})
        self.sub_count = workbook.add_format({**bold, "num_format": "#,##0"})
        self.sub_money = workbook.add_format({**bold, "num_format": "#,##0.00"})
        total = {**base, "bold": True, "bg_color": "#FCE4D6", "top": 2}
        self.total_text = workbook.add_format({**total, "align": "center"})
        self.total_count = workbook.add_format({**total, "num_format": "#,##0"})
        self.total_money = workbook.add_format({**total, "num_format": "#,##0.00"})


def _col(index):
    return xl_col_to_name(index)


def build_workbook(data, generated=None, preparer=None):
    """Return the XLSX file (bytes) of the R1 table ``data`` (an ``r1_table.R1Data``)."""
    generated = generated or datetime.date.today()
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    workbook.set_properties(
        {
            "title": TITLE.format(province=data.province_name),
            "author": preparer or "",
            "created": datetime.datetime.combine(generated, datetime.time()),
        }
    )
    formats = _Formats(workbook)
    _detail_sheet(workbook, formats, data, generated, preparer)
    _breakdown_sheet(workbook, formats, data)
    workbook.close()
    return output.getvalue()


def _heading(sheet, formats, data, title, last_col):
    sheet.merge_range(0, 0, 0, last_col, title, formats.title)
    sheet.set_row(0, 30)
    season = f"{data.academic_year}—{data.academic_year + 1}学年"
    sheet.merge_range(1, 0, 1, 3, f"统计截止日期：{_date_cn(data.as_of)}（{season}）", formats.note)
    sheet.merge_range(1, 4, 1, last_col, "单位：份、元", formats.note_right)


def _detail_sheet(workbook, formats, data, generated, preparer):
    sheet = workbook.add_worksheet("合同签订情况")
    last_col = len(HEADERS) - 1
    _heading(sheet, formats, data, TITLE.format(province=data.province_name), last_col)
    header_row = FIRST_DATA_ROW - 1
    sheet.set_row(header_row, 32)
    for col, heading in enumerate(HEADERS):
        sheet.write(header_row, col, heading, formats.header)
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 10)
    sheet.set_column(2, 2, 18)
    sheet.set_column(3, 3, 12)
    sheet.set_column(4, 4, 13)
    sheet.set_column(5, 5, 18)
    sheet.set_column(6, 7, 14)
    sheet.freeze_panes(FIRST_DATA_ROW, 3)

    row = FIRST_DATA_ROW
    number = 0
    subtotal_rows = []
    for block in r1_table.blocks(data):
        first = row
        for figures in block.rows:
            number += 1
            sheet.write_number(row, 0, number, formats.center)
            sheet.write_string(row, 1, figures.code, formats.center)
            sheet.write_string(row, 2, figures.name, formats.text)
            sheet.write_string(row, 3, KIND_LABELS.get(figures.kind, figures.kind), formats.center)
            _write_figures(sheet, row, figures, formats.count, formats.money)
            row += 1
        subtotal = block.subtotal
        sheet.write_blank(row, 0, None, formats.sub_center)
        sheet.write_string(row, 1, subtotal.code, formats.sub_center)
        sheet.write_string(row, 2, f"{block.title}小计", formats.sub_text)
        sheet.write_string(row, 3, KIND_LABELS.get(subtotal.kind, subtotal.kind), formats.sub_center)
        for col, value in _values(subtotal):
            cell = f"=SUM({_col(col)}{first + 1}:{_col(col)}{row})"
            sheet.write_formula(row, col, cell, formats.sub_money if col == 5 else formats.sub_count, value)
        subtotal_rows.append(row)
        row += 1

    total = r1_table.total_figures(data)
    sheet.merge_range(row, 0, row, 3, f"{data.province_name}合计", formats.total_text)
    for col, value in _values(total):
        cells = ",".join(f"{_col(col)}{sub + 1}" for sub in subtotal_rows) or "0"
        sheet.write_formula(row, col, f"=SUM({cells})", formats.total_money if col == 5 else formats.total_count, value)
    row += 2
    sheet.write_string(row, 0, f"制表单位：{data.province_name}学生资助管理中心", formats.note)
    sheet.write_string(row, 5, f"制表日期：{_date_cn(generated)}", formats.note)
    if preparer:
        sheet.write_string(row + 1, 0, f"制表人：{preparer}", formats.note)
    sheet.write_string(
        row + 2,
        0,
        "说明：合同数为截止日期前已签订（含已审核、已放款、已结清）的当学年合同；"
        "省直管县（市）单列，不含在所属省辖市内。",
        formats.note,
    )

    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0, header_row)
    sheet.center_horizontally()
    sheet.set_footer("&C第 &P 页，共 &N 页")


def _values(figures):
    return ((4, figures.contracts), (5, round(figures.amount, 2)), (6, figures.first_loans), (7, figures.renewals))


def _write_figures(sheet, row, figures, count_format, money_format):
    for col, value in _values(figures):
        sheet.write_number(row, col, value, money_format if col == 5 else count_format)


def _breakdown_sheet(workbook, formats, data):
    sheet = workbook.add_worksheet("分类汇总")
    headers = ("分类", "项目", "合同数（份）", "贷款金额（元）", "首贷合同（份）", "续贷合同（份）")
    last_col = len(headers) - 1
    _heading(sheet, formats, data, TITLE.format(province=data.province_name) + "（分类汇总）", last_col)
    header_row = FIRST_DATA_ROW - 1
    for col, heading in enumerate(headers):
        sheet.write(header_row, col, heading, formats.header)
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 20)
    sheet.set_column(2, 5, 16)
    sheet.freeze_panes(FIRST_DATA_ROW, 0)
    row = FIRST_DATA_ROW
    for key, (title, labels) in BREAKDOWN_TITLES.items():
        order = {code: index for index, code in enumerate(labels)}
        figures_list = sorted(
            data.breakdowns.get(key, []), key=lambda figures, order=order: order.get(figures.code, len(order))
        )
        for figures in figures_list:
            sheet.write_string(row, 0, title, formats.text)
            sheet.write_string(row, 1, labels.get(figures.code, figures.name), formats.text)
            for col, value in _values(figures):
                sheet.write_number(row, col - 2, value, formats.money if col == 5 else formats.count)
            row += 1
    total = r1_table.total_figures(data)
    sheet.merge_range(row, 0, row, 1, f"{data.province_name}合计", formats.total_text)
    for col, value in _values(total):
        sheet.write_number(row, col - 2, value, formats.total_money if col == 5 else formats.total_count)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
