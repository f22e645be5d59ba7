"""Amounts in Chinese capital numerals (student_loan/loanlib/cn_money.py), as the PDF documents print them."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loanlib.cn_money import DIGITS, amount_in_words
from loanlib.errors import LibError

CAPITALS = set(DIGITS) | set("拾佰仟万亿元角分整")


def test_amounts_in_chinese_capitals():
    assert amount_in_words(0) == "零元整"
    assert amount_in_words(8000) == "捌仟元整"
    assert amount_in_words(6200) == "陆仟贰佰元整"
    assert amount_in_words(1005) == "壹仟零伍元整"
    assert amount_in_words(10010) == "壹万零壹拾元整"
    assert amount_in_words(12345.6) == "壹万贰仟叁佰肆拾伍元陆角"
    assert amount_in_words(6543.21) == "陆仟伍佰肆拾叁元贰角壹分"
    assert amount_in_words(100000001) == "壹亿零壹元整"
    assert amount_in_words(2_323_000_000) == "贰拾叁亿贰仟叁佰万元整"


def test_negative_amount_is_refused():
    with pytest.raises(LibError) as error:
        amount_in_words(-1)
    assert error.value.msgid == "A negative amount has no capital form."


@given(st.integers(min_value=1, max_value=10**12 - 1))
def test_whole_yuan_end_with_zheng(yuan):
    text = amount_in_words(yuan)
    assert text.endswith("元整")
    assert set(text) <= CAPITALS
    assert "零零" not in text
    assert not text.startswith("零")


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2))
def test_cents_are_written_when_present(amount):
    text = amount_in_words(amount)
    assert set(text) <= CAPITALS
    assert text.endswith("整") == (amount == amount.to_integral_value())
