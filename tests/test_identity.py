"""loanlib.identity: ID numbers, mobiles, addresses (no Odoo)."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from loanlib import identity


def valid_id(region="410181", birth="20000229", serial="122"):
    body = region + birth + serial
    return body + ric.calc_check_digit(body + "0")


def test_parse_valid_id():
    number = valid_id()
    parsed = identity.parse_resident_id(number.lower())
    assert parsed.number == number
    assert parsed.birth_date == datetime.date(2000, 2, 29)
    assert parsed.gender == "female"  # 17th digit 2
    assert parsed.region_code == "410181"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "empty"),
        ("4101812000022912", "18 characters"),
        ("41018120000229123Y", "only digits"),
        ("410181200002301230", "birth date"),
        ("410181209902281230", "impossible birth date|birth date"),
    ],
)
def test_parse_invalid_id(value, message):
    with pytest.raises(ValueError, match=message):
        identity.parse_resident_id(value)


def test_wrong_check_digit():
    number = valid_id()
    wrong = number[:-1] + ("1" if number[-1] != "1" else "2")
    with pytest.raises(ValueError, match="check digit"):
        identity.parse_resident_id(wrong)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_parse_never_crashes(value):
    """Any text either parses to a valid number or raises ValueError with a message."""
    try:
        parsed = identity.parse_resident_id(value)
    except ValueError as error:
        assert str(error)
    else:
        assert ric.is_valid(parsed.number)


@pytest.mark.parametrize("value", ["13812345678", "+86 138 1234 5678", "0086-138-1234-5678", "138-1234-5678"])
def test_mobile_ok(value):
    assert identity.normalize_cn_mobile(value) == "13812345678"


@pytest.mark.parametrize("value", ["", "12345", "010-62345678", "+1 415 555 2671", "1381234567x"])
def test_mobile_bad(value):
    with pytest.raises(ValueError):
        identity.normalize_cn_mobile(value)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=25))
def test_mobile_never_crashes(value):
    try:
        result = identity.normalize_cn_mobile(value)
    except ValueError as error:
        assert str(error)
    else:
        assert len(result) == 11 and result.startswith("1")


def test_mask():
    assert identity.mask_id_number("410181200002291234") == "410181********1234"
    assert identity.mask_id_number("") == ""
    assert identity.mask_id_number("12345") == "*****"


@pytest.mark.parametrize(
    ("address", "complete"),
    [
        ("河南省周口市商水县城关乡解放路12号", True),
        ("河南省郑州市中原区建设路街道 3 号楼", True),
        ("河南省南阳市淅川县上集镇张营村3组15号", True),
        ("河南省南阳市淅川县上集镇张营村3组", False),
        ("河南省南阳市淅川县上集镇张营村15号", False),
        ("河南省周口市商水县城关乡解放路", False),
        ("河南省周口市", False),
        ("商水县", False),
        ("", False),
        (None, False),
    ],
)
def test_address_complete(address, complete):
    assert identity.is_address_complete(address) is complete


@pytest.mark.parametrize(
    ("address", "missing"),
    [
        ("河南省南阳市淅川县上集镇张营村3组15号", ()),
        ("河南省南阳市淅川县上集镇张营村3组", ("house_number",)),
        ("河南省南阳市淅川县上集镇15号", ("village", "group")),
        ("河南省周口市商水县城关乡解放路", ("house_number",)),
        ("张营村3组15号", ("county",)),
        ("", ("county", "village", "group", "house_number")),
        (None, ("county", "village", "group", "house_number")),
    ],
)
def test_address_missing_parts(address, missing):
    """The words of the document check and of the return reasons: 村、组、门牌号 (or the street in a town)."""
    assert identity.address_missing_parts(address) == missing
