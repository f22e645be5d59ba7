"""Guessing what an uploaded document is from its file name and shape (``loanlib.doctype``)."""

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from loanlib import doctype

TYPES = [
    ("student_id_card", doctype.parse_keywords("学生身份证, 本人身份证, student id"), "card"),
    ("coborrower_id_card", doctype.parse_keywords("父、母、家长、监护人、共同借款人, parent, father, mother"), "card"),
    ("admission_notice", doctype.parse_keywords("录取通知, 通知书, admission"), "page"),
    ("student_card", doctype.parse_keywords("学生证, student card"), "card"),
    ("application_form", doctype.parse_keywords("申请表, application"), "page"),
]


def png(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (240, 240, 240)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("file_name", "code"),
    [
        ("父亲身份证正面.jpg", "coborrower_id_card"),
        ("张三-学生身份证.png", "student_id_card"),
        ("录取通知书.pdf", "admission_notice"),
        ("ＡＤＭＩＳＳＩＯＮ letter.PDF", "admission_notice"),
        ("学生证.jpg", "student_card"),
        ("贷款申请表(盖章).pdf", "application_form"),
        ("IMG_2024.jpg", None),
        ("", None),
        (None, None),
    ],
)
def test_guess_by_name(file_name, code):
    assert doctype.guess_by_name(file_name, {code: words for code, words, _shape in TYPES}) == code


def test_shape():
    assert doctype.document_shape(png(856, 540), "image/png") == "card"
    assert doctype.document_shape(png(540, 856), "image/png") == "card"
    assert doctype.document_shape(png(1000, 1414), "image/png") == "page"
    assert doctype.document_shape(b"%PDF-1.4", "application/pdf") == "page"
    assert doctype.document_shape(b"not an image", "image/png") is None
    assert doctype.document_shape(b"", "text/plain") is None


def test_untold_card_is_the_first_card_not_taken():
    card = png(856, 540)
    assert doctype.guess_type_code("IMG_1.png", card, "image/png", TYPES) == "student_id_card"
    assert doctype.guess_type_code("IMG_2.png", card, "image/png", TYPES, taken=["student_id_card"]) == (
        "coborrower_id_card"
    )
    taken = ["student_id_card", "coborrower_id_card", "student_card"]
    assert doctype.guess_type_code("IMG_3.png", card, "image/png", TYPES, taken=taken) == "student_id_card"
    assert doctype.guess_type_code("scan.pdf", b"%PDF-1.4", "application/pdf", TYPES) == "admission_notice"
    # the name wins over the shape
    assert doctype.guess_type_code("申请表.png", card, "image/png", TYPES) == "application_form"
    assert doctype.guess_type_code("x.txt", b"hello", "text/plain", TYPES) is None


@given(st.one_of(st.none(), st.text(max_size=80)), st.binary(max_size=64))
def test_any_input_no_crash(file_name, raw):
    code = doctype.guess_type_code(file_name, raw, "image/png", TYPES)
    assert code is None or code in {code for code, _words, _shape in TYPES}
