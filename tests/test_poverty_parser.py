"""The poverty-register parser (student_loan_intake/intakelib/poverty.py): no Odoo needed."""

import datetime
import io

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from intakelib import poverty
from intakelib.poverty import FileError
from stdnum.cn import ric

TODAY = datetime.date(2024, 8, 1)


def make_id(region="411326", birth="20060301", serial=1):
    body = f"{region}{birth}{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


HEADER = ["序号", "户编号", "户主姓名", "姓名", "与户主关系", "身份证号", "出生日期", "性别", "所在村", "就读学校"]


def csv_bytes(rows, header=HEADER, encoding="utf-8-sig", delimiter=","):
    lines = [delimiter.join(header)] + [delimiter.join(str(value) for value in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows, header=HEADER, sheet="Sheet1"):
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(header)
    for row in rows:
        worksheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def person(serial=1, name="王小明", birth="20060301", **overrides):
    row = {
        "序号": serial,
        "户编号": f"4113260001{serial:04d}",
        "户主姓名": "王大山",
        "姓名": name,
        "与户主关系": "之子",
        "身份证号": make_id(birth=birth, serial=serial),
        "出生日期": f"{birth[:4]}-{birth[4:6]}-{birth[6:]}",
        "性别": "男" if serial % 2 else "女",
        "所在村": "淅川县上集镇张营村",
        "就读学校": "淅川县第一高级中学",
    }
    row.update(overrides)
    return [row[column] for column in HEADER]


def parse(content, filename="register.csv", **kwargs):
    table = poverty.read_table(content, filename, **kwargs)
    return table, poverty.parse_rows(table, poverty.suggest_mapping(table.headers), today=TODAY)


# ----------------------------------------------------------------------
# good files
# ----------------------------------------------------------------------


def test_csv_round_trip():
    rows = [person(1), person(2, name="王小红")]
    table, result = parse(csv_bytes(rows))
    assert table.kind == "csv"
    assert not result.issues
    assert [record.name for record in result.records] == ["王小明", "王小红"]
    first = result.records[0]
    assert first.key == f"id:{make_id(serial=1)}"
    assert first.birth_date == datetime.date(2006, 3, 1)
    assert first.gender == "male"  # from the ID's 17th digit
    assert first.household_no == "41132600010001"
    assert first.school == "淅川县第一高级中学"
    assert first.row == 2


def test_suggest_mapping_from_chinese_headers():
    mapping = poverty.suggest_mapping(HEADER)
    assert mapping == {
        1: "household_no",
        2: "household_head",
        3: "name",
        4: "relation",
        5: "id_number",
        6: "birth_date",
        7: "gender",
        8: "address",
        9: "school",
    }
    assert poverty.suggest_mapping(["Name", "ID Number", "Birth date", "Phone"]) == {
        0: "name",
        1: "id_number",
        2: "birth_date",
        3: "phone",
    }
    # a target is used once: the second 姓名 column stays unmapped
    assert poverty.suggest_mapping(["姓名", "姓名"]) == {0: "name"}


def test_gbk_csv_with_semicolons_and_tabs():
    rows = [person(1)]
    for encoding, delimiter in (("gb18030", ","), ("gbk", ";"), ("utf-8", "\t")):
        _table, result = parse(csv_bytes(rows, encoding=encoding, delimiter=delimiter))
        assert [record.name for record in result.records] == ["王小明"], (encoding, delimiter)


def test_xlsx_with_dates_and_header_row():
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.append(["淅川县2024年建档立卡在校学生名单"])
    worksheet.append(["姓名", "身份证号码", "出生日期"])
    worksheet.append(["李华", make_id(serial=3), datetime.datetime(2006, 3, 1)])
    worksheet.append([None, None, None])  # blank rows are skipped
    worksheet.append(["赵四", None, datetime.datetime(2005, 7, 9)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table, result = parse(buffer.getvalue(), "名单.xlsx", header_row=2)
    assert table.kind == "xlsx"
    assert table.headers == ["姓名", "身份证号码", "出生日期"]
    assert [record.row for record in result.records] == [3, 5]
    zhao = result.records[1]
    assert zhao.key == "nb:赵四|2005-07-09"
    assert not zhao.id_valid
    assert [issue.code for issue in result.issues] == ["id_missing"]
    assert result.issues[0].level == "warning"
    assert result.issues[0].column == "身份证号码"


def test_xlsx_sheet_choice():
    content = xlsx_bytes([person(1)], sheet="名单")
    table = poverty.read_table(content, "x.xlsx", sheet="名单")
    assert table.sheet == "名单" and table.sheets == ("名单",)
    with pytest.raises(FileError) as error:
        poverty.read_table(content, "x.xlsx", sheet="Missing")
    assert error.value.code == "sheet_missing"


def test_id_number_stored_as_excel_number():
    rows = [person(1, **{"身份证号": float(make_id(serial=1)[:17] + "0")})]
    _table, result = parse(xlsx_bytes(rows), "x.xlsx")
    assert [issue.code for issue in result.issues] == ["id_float"]
    assert result.records[0].key.startswith("nb:")  # matched by name + birth date instead


def test_old_15_digit_id_is_converted():
    old = "411326850301123"
    _table, result = parse(csv_bytes([person(1, birth="19850301", **{"身份证号": old})]))
    record = result.records[0]
    assert record.id_number.startswith("41132619850301123")
    assert ric.is_valid(record.id_number)
    assert [issue.code for issue in result.issues] == ["id_15"]


def test_full_width_and_spaces_in_id():
    number = make_id(serial=7)
    full_width = "".join(chr(ord(char) + 0xFEE0) for char in number[:6]) + " " + number[6:]
    _table, result = parse(csv_bytes([person(7, **{"身份证号": full_width})]))
    assert result.records[0].id_number == number
    assert not result.issues


# ----------------------------------------------------------------------
# bad files
# ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "filename", "code"),
    [
        (b"", "x.csv", "empty_file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "x.xls", "xls_format"),
        (b"%PDF-1.4 ...", "x.pdf", "wrong_type"),
        (b"PK\x03\x04garbage", "x.xlsx", "bad_xlsx"),
        (b"\x00\x01\x02binary", "x.csv", "binary_csv"),
        (b"\n\n\n", "x.csv", "no_header"),
        ("姓名,身份证号\n".encode(), "x.csv", "no_rows"),
        ("姓名,身份证号\n张三,1\n".encode("utf-16"), "x.csv", "binary_csv"),
    ],
)
def test_bad_files(content, filename, code):
    with pytest.raises(FileError) as error:
        poverty.read_table(content, filename)
    assert error.value.code == code
    assert str(error.value)


def test_docx_is_not_xlsx():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(FileError) as error:
        poverty.read_table(buffer.getvalue(), "名单.docx")
    assert error.value.code == "wrong_type"


def test_too_large_file_is_refused_before_reading():
    content = b"x" * (50 * 1024 * 1024)
    with pytest.raises(FileError) as error:
        poverty.read_table(content, "big.csv")
    assert error.value.code == "too_large"
    assert "50.0 MB" in str(error.value)


def test_too_many_rows():
    content = csv_bytes([person(i) for i in range(1, 12)])
    with pytest.raises(FileError) as error:
        poverty.read_table(content, "x.csv", max_rows=10)
    assert error.value.code == "too_many_rows"


def test_missing_required_columns():
    table = poverty.read_table("姓名,村\n张三,张营村\n".encode(), "x.csv")
    with pytest.raises(FileError) as error:
        poverty.parse_rows(table, poverty.suggest_mapping(table.headers))
    assert error.value.code == "missing_columns"
    assert "id_number" in str(error.value)
    with pytest.raises(FileError) as error:
        poverty.parse_rows(table, {0: "name", 1: "name"})
    assert error.value.code == "mapped_twice"


def test_row_errors_and_warnings():
    good_birth_bad_check = make_id(serial=5)[:17] + ("0" if make_id(serial=5)[17] != "0" else "1")
    rows = [
        person(1),
        person(2, name=""),  # error: no name
        person(3, **{"身份证号": "41132620060301", "出生日期": ""}),  # warning length; birth missing -> error
        person(4, name="王四", **{"身份证号": "41132620060301004X"[:17] + "Y"}),  # chars -> warning, birth from column
        person(5, name="王五", **{"身份证号": good_birth_bad_check, "出生日期": ""}),  # checksum; birth from the ID
        person(6, **{"出生日期": "not a date"}),  # valid ID: warning only
        person(7, **{"身份证号": "", "出生日期": "2006-13-45"}),  # no ID, bad date: error
        person(8, **{"性别": "?"}),  # warning
        person(9, **{"出生日期": "2006-03-02"}),  # mismatch with the ID: warning
        person(10, name="X" * 60),  # error: too long
    ]
    _table, result = parse(csv_bytes(rows))
    by_row = {}
    for issue in result.issues:
        by_row.setdefault(issue.row, []).append((issue.level, issue.code))
    assert 2 not in by_row
    assert by_row[3] == [("error", "name_missing")]
    assert by_row[4] == [("warning", "id_length"), ("error", "no_identity")]
    assert by_row[5] == [("warning", "id_chars")]
    assert by_row[6] == [("warning", "id_checksum")]
    assert by_row[7] == [("warning", "birth_invalid")]
    assert by_row[8] == [("warning", "id_missing"), ("error", "birth_invalid")]
    assert by_row[9] == [("warning", "gender_unknown")]
    assert by_row[10] == [("warning", "birth_mismatch")]
    assert by_row[11] == [("error", "name_too_long")]
    assert result.error_rows == 4
    assert [record.row for record in result.records] == [2, 5, 6, 7, 9, 10]
    checksum_row = next(record for record in result.records if record.row == 6)
    assert checksum_row.key == "nb:王五|2006-03-01"
    assert checksum_row.id_raw == good_birth_bad_check
    for issue in result.issues:
        assert issue.message  # every code has a message


def test_duplicate_rows():
    rows = [person(1), person(1), person(1, **{"所在村": "另一个村"})]
    _table, result = parse(csv_bytes(rows))
    assert [(issue.row, issue.level, issue.code, issue.params) for issue in result.issues] == [
        (3, "warning", "duplicate_same", {"row": 2}),
        (4, "error", "duplicate_conflict", {"row": 2}),
    ]
    assert len(result.records) == 1


# ----------------------------------------------------------------------
# re-import and diff
# ----------------------------------------------------------------------


def test_row_hash_ignores_order_and_format():
    rows = [person(1), person(2, name="王小红")]
    _t, from_csv = parse(csv_bytes(rows))
    _t, from_xlsx = parse(xlsx_bytes(list(reversed(rows))), "x.xlsx")
    assert {r.key: r.row_hash for r in from_csv.records} == {r.key: r.row_hash for r in from_xlsx.records}
    assert poverty.checksum(csv_bytes(rows)) == poverty.checksum(csv_bytes(rows))
    assert poverty.checksum(csv_bytes(rows)) != poverty.checksum(csv_bytes(rows[:1]))


def test_diff_register():
    _t, before = parse(csv_bytes([person(1), person(2), person(3)]))
    _t, after = parse(csv_bytes([person(1), person(2, **{"所在村": "新村"}), person(4)]))
    previous = {record.key: record.row_hash for record in before.records}
    diff = poverty.diff_register(previous, after.records)
    assert [r.row for r in diff.unchanged] == [2]
    assert [r.id_number for r in diff.changed] == [make_id(serial=2)]
    assert [r.id_number for r in diff.new] == [make_id(serial=4)]
    assert diff.removed == [f"id:{make_id(serial=3)}"]
    same = poverty.diff_register(previous, before.records)
    assert not same.new and not same.changed and not same.removed and len(same.unchanged) == 3


def test_parse_date_formats():
    expected = datetime.date(2006, 3, 1)
    for text in ("2006-03-01", "2006/3/1", "2006.03.01", "20060301", "2006年3月1日", "01/03/2006"):
        assert poverty.parse_date(text) == expected, text
    assert poverty.parse_date(datetime.datetime(2006, 3, 1, 10)) == expected
    assert poverty.parse_date("1800-01-01") is None
    assert poverty.parse_date("") is None


# ----------------------------------------------------------------------
# malformed content (hypothesis): a clear FileError or per-row issues, never a crash
# ----------------------------------------------------------------------

cell_text = st.one_of(
    st.text(max_size=30),
    st.from_regex(r"[0-9Xx ]{0,20}", fullmatch=True),
    st.sampled_from(["", "男", "女", "2006-02-30", "2006-03-01", make_id(serial=9), "41132620060301999X"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000), st.sampled_from(["x.csv", "x.xlsx", "x.txt", ""]))
def test_random_bytes_never_crash(content, filename):
    try:
        table = poverty.read_table(content, filename)
    except FileError as error:
        assert error.code in poverty.MESSAGES
        return
    try:
        result = poverty.parse_rows(table, poverty.suggest_mapping(table.headers), today=TODAY)
    except FileError as error:
        assert error.code in ("missing_columns", "mapped_twice")
        return
    assert len(result.records) <= result.rows_total


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cell_text, min_size=0, max_size=6), min_size=1, max_size=15))
def test_random_cells_give_row_issues(rows):
    header = ["姓名", "身份证号", "出生日期", "性别", "户编号", "电话"]
    table = poverty.Table(kind="csv", headers=header, rows=[(i + 2, tuple(row)) for i, row in enumerate(rows)])
    result = poverty.parse_rows(table, poverty.suggest_mapping(header), today=TODAY)
    keys = [record.key for record in result.records]
    assert len(keys) == len(set(keys))  # one record per person
    error_rows = {issue.row for issue in result.errors}
    assert not error_rows & {record.row for record in result.records}  # a row with an error is never kept
    for record in result.records:
        assert record.name
        assert record.id_valid or record.birth_date
        assert len(record.row_hash) == 40
    for issue in result.issues:
        assert issue.message


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(cell_text, max_size=5), min_size=1, max_size=10), st.sampled_from(["utf-8-sig", "gb18030"]))
def test_random_csv_round_trip(rows, encoding):
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["姓名", "身份证号", "出生日期"])
    writer.writerows(rows)
    try:
        content = buffer.getvalue().encode(encoding)
    except UnicodeEncodeError:
        return
    try:
        table = poverty.read_table(content, "x.csv")
    except FileError as error:
        assert error.code in ("no_rows", "binary_csv", "bad_csv", "no_header")
        return
    result = poverty.parse_rows(table, {0: "name", 1: "id_number", 2: "birth_date"}, today=TODAY)
    assert len(result.records) + result.error_rows <= len(table.rows)
