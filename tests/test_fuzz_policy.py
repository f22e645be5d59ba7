"""Fuzzing the policy arithmetic (``loanlib.policy``) with hypothesis: amounts from any client.

JSON-RPC accepts ``NaN``, ``Infinity`` and huge numbers for the tuition, accommodation and amount
fields; the arithmetic must answer with an amount or a ``ValueError`` (a clear message), never with
``decimal.InvalidOperation`` or ``OverflowError``.
"""

import datetime
from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from loanlib import policy

FUZZ = settings(max_examples=300, deadline=None)

amounts = st.one_of(
    st.none(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1000, 8000, 12000, 20000, 25000, 0.5, 999.999, 1e308]),
)
caps = st.sampled_from([8000, 12000, 16000, 20000, 25000, 10**9])


@FUZZ
@given(amounts, amounts, caps)
@example(float("nan"), 0, 20000)
@example(float("inf"), 0, 20000)
@example(1e30, 0, 10**9)
def test_requested_amount_any_input(tuition, accommodation, cap):
    try:
        amount = policy.requested_amount(tuition, accommodation, cap)
    except ValueError as error:
        assert str(error)
        return
    assert isinstance(amount, Decimal) and amount.is_finite()
    assert amount == amount.to_integral_value()
    assert 0 <= amount <= cap


@FUZZ
@given(amounts, st.sampled_from([0, 1000]), caps, st.one_of(st.none(), amounts))
@example(float("nan"), 1000, 20000, None)
@example(float("inf"), 1000, 20000, 20000)
@example(5000, 1000, 20000, float("nan"))
def test_check_amount_any_input(amount, minimum, cap, need):
    try:
        reasons = policy.check_amount(amount, minimum, cap, need)
    except ValueError as error:
        assert str(error)
        return
    assert isinstance(reasons, list) and all(isinstance(reason, str) and reason for reason in reasons)


@FUZZ
@given(st.integers(1000, 20000), st.integers(1000, 25000))
def test_check_amount_accepts_whole_amounts_within_limits(amount, need):
    reasons = policy.check_amount(amount, 1000, 20000, need)
    assert (reasons == []) == (amount <= need)


@FUZZ
@given(
    st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-100, 100)),
    st.one_of(st.integers(-(10**6), 10**6), st.just(0)),
)
@example(float("nan"), 60)
@example(float("inf"), 60)
def test_contract_rate_any_input(lpr, spread_bp):
    try:
        rate = policy.contract_rate(lpr, spread_bp)
    except ValueError as error:
        assert str(error)
        return
    assert isinstance(rate, Decimal) and rate.is_finite() and rate > 0


@FUZZ
@given(st.integers(-(10**12), 10**12), st.integers(-(10**6), 10**6))
@example(99999, 4)
@example(10**12, 4)
def test_graduation_date_any_years(enrolment_year, study_years):
    try:
        day = policy.graduation_date(enrolment_year, study_years)
    except ValueError as error:
        assert str(error)
        return
    assert isinstance(day, datetime.date) and (day.month, day.day) == (7, 1)


@FUZZ
@given(st.dates(), st.integers(-(10**6), 10**6))
def test_maturity_date_any_term(start, years):
    try:
        day = policy.maturity_date(start, years)
    except ValueError as error:
        assert str(error)
        return
    assert day.year == start.year + years
