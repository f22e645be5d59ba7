"""Fuzzing the importers against the core's validators: the poverty-register import of
student_loan_intake (``intakelib.poverty``) must accept exactly the resident ID numbers that the
core accepts for a student (``loanlib.identity``), never crash on a cell, and bound hostile files.
"""

import datetime
import io
import zipfile

import openpyxl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from intakelib import poverty
from stdnum.cn import ric

from loanlib import identity

FUZZ = settings(max_examples=300, deadline=None)
TODAY = datetime.date(2026, 1, 1)


@st.composite
def valid_ids(draw):
    birth = draw(st.dates(datetime.date(1950, 1, 1), datetime.date(2012, 12, 31)))
    body = f"{draw(st.sampled_from(['411326', '411623', '410181']))}{birth:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return body + ric.calc_check_digit(body + "0")


def spellings(number):
    full_width = number.translate({ord(char): ord(char) + 0xFEE0 for char in "0123456789X"})
    return [number, number.lower(), f" {number} ", f"{number[:6]} {number[6:14]} {number[14:]}", full_width]


cells = st.one_of(
    valid_ids().flatmap(lambda number: st.sampled_from(spellings(number))),
    st.text(alphabet="0123456789Xx -", min_size=14, max_size=20),
    st.text(alphabet=st.characters(categories=["Nd", "No"]), min_size=18, max_size=18),
    st.text(max_size=25),
)


def core_number(value):
    try:
        return identity.parse_resident_id(value, today=TODAY).number
    except ValueError:
        return ""


@FUZZ
@given(cells)
@example("41132620060301²01X")
@example("٤١١٣٢٦٢٠٠٦٠٣٠١٠٠١٥")
def test_import_and_core_agree_on_18_digit_numbers(value):
    parsed = poverty.parse_id_number(value, today=TODAY)  # must not raise, whatever the cell holds
    assert (parsed.number == "") == bool(parsed.problem and parsed.problem != "id_15")
    if parsed.problem == "id_15":  # old 15-digit numbers: converted by the import only
        return
    assert parsed.number == core_number(value), (
        f"{value!r}: the import says {parsed.number or parsed.problem!r}, a student form says "
        f"{core_number(value) or 'invalid'!r}"
    )


@FUZZ
@given(valid_ids())
def test_every_spelling_of_a_valid_number_imports_as_it(number):
    for spelled in spellings(number):
        assert poverty.parse_id_number(spelled, today=TODAY).number == number, spelled


def xlsx_with_sheet(sheet_xml):
    workbook = openpyxl.Workbook()
    workbook.active.append(["姓名", "身份证号"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source, out = zipfile.ZipFile(io.BytesIO(buffer.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = sheet_xml if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename)
            archive.writestr(item, data)
    return out.getvalue()


def test_billion_laughs_is_refused():
    entities = "".join(f'<!ENTITY l{level} "{f"&l{level - 1};" * 10}">' for level in range(1, 10))
    sheet = (
        f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY l0 "lol">{entities}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row></sheetData></worksheet>'
    ).encode()
    with pytest.raises(poverty.FileError):
        poverty.read_table(xlsx_with_sheet(sheet), "register.xlsx")


def test_compressed_rows_beyond_the_limit_are_refused():
    rows = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (i, i) for i in range(1, 60))
    sheet = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>" + rows + b"</sheetData></worksheet>"
    )
    with pytest.raises(poverty.FileError, match="rows"):
        poverty.read_table(xlsx_with_sheet(sheet), "register.xlsx", max_rows=50)
