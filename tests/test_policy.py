"""loanlib.policy: caps, amounts, rates and terms (no Odoo)."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loanlib import policy


def test_caps_by_level():
    assert policy.cap_for_level("undergraduate", 20000, 25000) == 20000
    assert policy.cap_for_level("vocational", 20000, 25000) == 20000
    assert policy.cap_for_level("master", 20000, 25000) == 25000
    assert policy.cap_for_level("doctor", 20000, 25000) == 25000
    with pytest.raises(ValueError):
        policy.cap_for_level(False, 1, 2)


def test_requested_amount_is_need_capped():
    assert policy.requested_amount(5000, 1200, 20000) == 6200
    assert policy.requested_amount(30000, 1200, 20000) == 20000
    assert policy.requested_amount(4999.6, 0, 20000) == 5000


def test_check_amount():
    assert policy.check_amount(6000, 1000, 8000, 6200) == []
    assert "whole number" in policy.check_amount(6000.5, 1000, 8000)[0]
    assert "minimum" in policy.check_amount(999, 1000, 8000)[0]
    assert "cap" in policy.check_amount(8001, 1000, 8000)[0]
    assert "actual need" in policy.check_amount(7000, 1000, 8000, 6200)[0]


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=0, max_value=50000),
    st.integers(min_value=0, max_value=10000),
    st.sampled_from([8000, 12000, 16000, 20000, 25000]),
)
def test_requested_amount_properties(tuition, accommodation, cap):
    amount = policy.requested_amount(tuition, accommodation, cap)
    assert 0 <= amount <= cap
    assert amount <= tuition + accommodation
    assert amount == amount.to_integral_value()


def test_contract_rate():
    assert policy.contract_rate(4.65, 30) == Decimal("4.3500")
    assert policy.contract_rate(3.85, 60) == Decimal("3.2500")
    assert policy.contract_rate(4.9, 0) == Decimal("4.9000")
    with pytest.raises(ValueError):
        policy.contract_rate(0.5, 60)


def test_term_and_dates():
    remaining = policy.remaining_study_years(2024, 4, 2024)
    assert remaining == 4
    assert policy.term_years(remaining, 15, 22) == 19
    assert policy.term_years(8, 15, 22) == 22
    assert policy.graduation_date(2024, 4) == datetime.date(2028, 7, 1)
    assert policy.maturity_date(datetime.date(2024, 2, 29), 19) == datetime.date(2043, 2, 28)
    with pytest.raises(ValueError, match="no longer studying"):
        policy.remaining_study_years(2018, 4, 2024)
