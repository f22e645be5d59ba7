"""Plain tests of the after-the-loan maths: penalty interest, overdue buckets and rates, the risk
fund, principal deferral and interest-subsidy extension (``loanlib``; no Odoo)."""

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from loanlib import deferral, overdue, penalty, prepayment, repayment, riskfund
from loanlib.errors import LibError

D = Decimal
FAST = settings(max_examples=80, deadline=None)

days = st.dates(date(2015, 1, 1), date(2040, 12, 31))
fen_amounts = st.decimals(min_value=D("0.00"), max_value=D("30000.00"), places=2)
rates = st.decimals(min_value=D("0.0100"), max_value=D("0.0800"), places=4)
multiples = st.decimals(min_value=D("1.0"), max_value=D("2.0"), places=2)


@st.composite
def segment_lists(draw):
    start = draw(days)
    gaps = draw(st.lists(st.integers(1, 400), min_size=1, max_size=6))
    amounts = draw(st.lists(fen_amounts, min_size=len(gaps), max_size=len(gaps)))
    segments, day = [], start
    for gap, amount in zip(gaps, amounts, strict=True):
        segments.append((day, amount))
        day += timedelta(days=gap)
    return segments


# ----------------------------------------------------------------------------- penalty


def test_penalty_example_130_percent():
    # 10,000 yuan overdue for 30 days at 3.25 % × 1.3 = 4.225 %: 10000 × 0.04225 × 30 / 360 = 35.208…
    result = penalty.accrue(
        [(date(2025, 12, 21), D("10000.00"))], D("0.0325"), D("1.3"), date(2025, 12, 21), date(2026, 1, 20)
    )
    assert result.amount == D("35.21")
    assert (result.days_charged, result.days_waived) == (30, 0)


def test_penalty_waived_year():
    segments = [(date(2021, 12, 21), D("5000.00"))]
    waiver = penalty.year_waiver(2022, "疫情")
    result = penalty.accrue(segments, D("0.0435"), D("1.3"), date(2021, 12, 21), date(2023, 1, 1), [waiver])
    assert result.days_charged == 11  # 21-31 December 2021
    assert result.days_waived == 365
    assert result.amount == (D(5000) * D("0.0435") * D("1.3") * 11 / 360).quantize(D("0.01"))


@FAST
@given(segment_lists(), rates, multiples, st.integers(0, 900), st.integers(0, 900))
def test_penalty_split_is_additive_to_a_fen(segments, rate, multiple, first, second):
    start = segments[0][0]
    middle, end = start + timedelta(days=first), start + timedelta(days=first + second)
    whole = penalty.accrue(segments, rate, multiple, start, end).amount
    parts = (
        penalty.accrue(segments, rate, multiple, start, middle).amount
        + penalty.accrue(segments, rate, multiple, middle, end).amount
    )
    assert abs(whole - parts) <= D("0.01")


@FAST
@given(segment_lists(), rates, multiples, st.integers(0, 900), days, st.integers(0, 800))
def test_penalty_waivers_only_lower_it_and_days_add_up(segments, rate, multiple, length, w_start, w_length):
    start = segments[0][0]
    end = start + timedelta(days=length)
    waiver = penalty.Waiver(w_start, w_start + timedelta(days=w_length))
    plain = penalty.accrue(segments, rate, multiple, start, end)
    waived = penalty.accrue(segments, rate, multiple, start, end, [waiver, waiver])
    assert waived.amount <= plain.amount
    assert waived.days_charged + waived.days_waived == plain.days_charged
    assert abs(waived.amount + waived.waived_amount - plain.amount) <= D("0.01")
    everything = penalty.Waiver(start, end)
    assert penalty.accrue(segments, rate, multiple, start, end, [everything]).amount == 0


@FAST
@given(segment_lists(), rates, multiples, multiples, st.integers(0, 900))
def test_penalty_grows_with_the_multiple_and_time(segments, rate, low, high, length):
    assume(low <= high)
    start = segments[0][0]
    end = start + timedelta(days=length)
    assert (
        penalty.accrue(segments, rate, low, start, end).amount
        <= penalty.accrue(segments, rate, high, start, end).amount
    )
    later = end + timedelta(days=10)
    assert (
        penalty.accrue(segments, rate, low, start, end).amount
        <= penalty.accrue(segments, rate, low, start, later).amount
    )


@FAST
@given(st.lists(st.tuples(days, fen_amounts), max_size=5), st.lists(st.tuples(days, fen_amounts), max_size=5))
def test_segments_from_dues_never_negative_nor_above_the_dues(dues, payments):
    segments = penalty.segments_from_dues(dues, payments)
    total_due = sum((amount for _, amount in dues), D(0))
    assert all(D(0) <= amount <= total_due for _, amount in segments)
    assert [day for day, _ in segments] == sorted({day for day, _ in segments})


def test_segments_from_dues_example():
    segments = penalty.segments_from_dues(
        [(date(2025, 12, 20), D("1000.00"))], [(date(2026, 1, 10), D("400.00")), (date(2026, 2, 1), D("600.00"))]
    )
    assert segments == [
        (date(2025, 12, 21), D("1000.00")),
        (date(2026, 1, 10), D("600.00")),
        (date(2026, 2, 1), D("0.00")),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([(date(2025, 1, 1), D("1"))], D("0.03"), D("0.5"), date(2025, 1, 1), date(2025, 2, 1)), "multiple"),
        (([(date(2025, 1, 1), D("-1"))], D("0.03"), D("1.3"), date(2025, 1, 1), date(2025, 2, 1)), "negative"),
        (([(date(2025, 1, 1), D("1.001"))], D("0.03"), D("1.3"), date(2025, 1, 1), date(2025, 2, 1)), "fen"),
        (([(date(2025, 1, 1), D("1"))], D("0.03"), D("1.3"), date(2025, 2, 1), date(2025, 1, 1)), "before"),
        (
            (
                [(date(2025, 2, 1), D("1")), (date(2025, 1, 1), D("1"))],
                D("0.03"),
                D("1.3"),
                date(2025, 1, 1),
                date(2025, 3, 1),
            ),
            "increase",
        ),
        (([("2025-01-01", D("1"))], D("0.03"), D("1.3"), date(2025, 1, 1), date(2025, 2, 1)), "date"),
    ],
)
def test_penalty_bad_input(args, message):
    with pytest.raises(LibError, match=message):
        penalty.accrue(*args)


# ----------------------------------------------------------------------------- overdue


@pytest.mark.parametrize(
    ("days_past", "bucket"),
    [
        (0, None),
        (1, "1_30"),
        (30, "1_30"),
        (31, "31_90"),
        (90, "31_90"),
        (91, "91_180"),
        (180, "91_180"),
        (181, "181_365"),
        (365, "181_365"),
        (366, "365_plus"),
        (5000, "365_plus"),
    ],
)
def test_buckets(days_past, bucket):
    assert overdue.bucket_for(days_past) == bucket


@FAST
@given(st.integers(1, 20000))
def test_every_overdue_day_has_exactly_one_bucket(days_past):
    matches = [key for key, low, high in overdue.BUCKETS if low <= days_past and (high is None or days_past <= high)]
    assert matches == [overdue.bucket_for(days_past)]


@FAST
@given(fen_amounts, fen_amounts)
def test_rates_are_fractions(due, recovered):
    rate = overdue.recovery_rate(due, recovered)
    assert D(0) <= rate <= D(1)
    low, high = sorted((due, recovered))
    assert D(0) <= overdue.default_rate(low, high) <= D(1)


def test_rates_examples():
    assert overdue.recovery_rate(D("1000"), D("950")) == D("0.9500")
    assert overdue.recovery_rate(0, 0) == D("1.0000")
    assert overdue.default_rate(D("300"), D("10000")) == D("0.0300")
    assert overdue.default_rate(0, 0) == D("0.0000")
    with pytest.raises(LibError, match="exceeds"):
        overdue.default_rate(D("2"), D("1"))


def test_default_detection():
    as_of = date(2026, 12, 31)
    assert overdue.is_default(400, 365, None, as_of, 180)
    assert not overdue.is_default(365, 365, None, as_of, 180)
    assert not overdue.is_default(400, 365, date(2026, 10, 1), as_of, 180)
    assert overdue.is_default(400, 365, date(2026, 1, 1), as_of, 180)
    assert overdue.days_past_due(date(2026, 12, 20), date(2026, 12, 21)) == 1
    assert overdue.days_past_due(None, as_of) == 0


# ----------------------------------------------------------------------------- risk fund


@FAST
@given(
    st.decimals(min_value=D(0), max_value=D("3000000000"), places=2),
    st.sampled_from([D("0.05"), D("0.15")]),
    st.decimals(min_value=D(0), max_value=D(1), places=2),
)
def test_fund_shares_add_up(amount, rate, share):
    fund = riskfund.fund_due(amount, rate, share)
    assert fund.central + fund.local == fund.due
    assert fund.central >= 0 and fund.local >= 0
    assert abs(fund.due - amount * rate) <= D("0.005")


def test_fund_example():
    fund = riskfund.fund_due(D("2323000000"), D("0.05"), D("0.5"))
    assert (fund.due, fund.central, fund.local) == (D("116150000.00"), D("58075000.00"), D("58075000.00"))
    assert riskfund.remaining(fund.due, D("150000000")) == D("-33850000.00")
    with pytest.raises(LibError, match="rate"):
        riskfund.fund_due(1, D("1.5"), D("0.5"))


# --------------------------------------------------------------------- deferral/subsidy


@st.composite
def repayment_plans(draw):
    disbursement = draw(st.dates(date(2016, 1, 1), date(2026, 12, 31)))
    graduation = disbursement + timedelta(days=draw(st.integers(200, 4 * 366)))
    grace_years = draw(st.integers(0, 5))
    maturity = repayment.add_years(graduation, grace_years + draw(st.integers(3, 15)))
    return repayment.build_plan(
        draw(st.integers(1000, 25000)),
        draw(rates),
        disbursement,
        graduation,
        maturity,
        grace_years,
        method=draw(st.sampled_from(repayment.METHODS)),
        frequency=draw(st.sampled_from(list(repayment.FREQUENCIES))),
    )


def _first_repayment(plan):
    return next(line.date for line in plan.lines if line.kind == "repayment")


@FAST
@given(repayment_plans(), st.integers(1, 3), st.integers(1, 60))
def test_deferral_keeps_the_past_repays_everything_and_moves_maturity(plan, years, before):
    change = _first_repayment(plan) - timedelta(days=before)
    assume(change > plan.terms.disbursement_date)
    deferred = deferral.defer_principal(plan, change, years)
    assert [line for line in deferred.lines if line.date <= change] == [
        line for line in plan.lines if line.date <= change
    ]
    assert deferred.total_principal == plan.terms.principal
    assert deferred.lines[-1].balance == 0
    assert deferred.terms.maturity_date == repayment.add_years(plan.terms.maturity_date, years)
    limit = repayment.add_years(change, years)
    assert all(
        line.principal == 0
        for line in deferred.lines
        if change < line.date <= limit and line.date != deferred.terms.maturity_date
    )
    # the student pays more interest for the longer use of the money, never less
    assert deferred.total_interest >= plan.total_interest - D("0.05") * len(plan.lines)


@FAST
@given(repayment_plans(), st.integers(1, 3))
def test_subsidy_extension_moves_interest_to_the_state(plan, years):
    change = plan.terms.graduation_date - timedelta(days=1)
    assume(change > plan.terms.disbursement_date)
    new_end = repayment.add_years(plan.terms.student_pay_start, years)
    assume(new_end <= plan.terms.maturity_date)
    extended = deferral.extend_subsidy(plan, change, new_end)
    assert extended.total_principal == plan.terms.principal
    assert extended.total_subsidised_interest >= plan.total_subsidised_interest
    assert all(line.interest == 0 for line in extended.lines if change < line.date <= new_end)
    # the same due dates: the principal schedule does not change
    assert [line.date for line in extended.lines] == [line.date for line in plan.lines]


EXAMPLE_PLAN = repayment.build_plan(8000, D("0.0325"), date(2024, 9, 10), date(2028, 7, 1), date(2043, 7, 1), 5)


def test_deferral_bad_input():
    plan = repayment.build_plan(8000, D("0.0325"), date(2024, 9, 10), date(2028, 7, 1), date(2043, 7, 1), 5)
    with pytest.raises(LibError, match="1 to 5"):
        deferral.defer_principal(plan, date(2030, 1, 1), 0)
    with pytest.raises(LibError, match="nothing to defer"):
        deferral.defer_principal(plan, date(2025, 1, 1), 1)
    with pytest.raises(LibError, match="later"):
        deferral.extend_subsidy(plan, date(2025, 1, 1), date(2028, 9, 1))
    with pytest.raises(LibError, match="before 2028-09-01"):
        repayment.LoanTerms(
            8000, D("0.0325"), date(2024, 9, 10), date(2028, 7, 1), date(2043, 7, 1), 5, subsidy_end=date(2028, 1, 1)
        )


def test_segments_payment_on_the_due_date_leaves_nothing_overdue():
    segments = penalty.segments_from_dues([(date(2025, 12, 20), D("1000.00"))], [(date(2025, 12, 20), D("1000.00"))])
    assert all(amount == 0 for _, amount in segments)
    start, end = date(2025, 12, 1), date(2026, 6, 1)
    assert penalty.accrue(segments, D("0.03"), D("1.3"), start, end).amount == 0


# --------------------------------------------------------------------------- prepayment cycle


def test_prepayment_cycle():
    assert prepayment.check_request(date(2026, 3, 5)) == date(2026, 3, 20)
    with pytest.raises(LibError, match="day 11"):
        prepayment.check_request(date(2026, 3, 11))
    with pytest.raises(LibError, match="month 11"):
        prepayment.check_request(date(2026, 11, 2))
    assert prepayment.check_request(date(2026, 11, 2), blocked_months=()) == date(2026, 11, 20)


@FAST
@given(days, st.integers(1, 10), st.integers(10, 19), st.integers(20, 28))
def test_prepayment_paid_in_the_month_after_the_window(day, low, high, pay_day):
    try:
        paid = prepayment.check_request(day, low, high, pay_day, blocked_months=(11,))
    except ValueError:
        assert day.month == 11 or not low <= day.day <= high
    else:
        assert (paid.year, paid.month, paid.day) == (day.year, day.month, pay_day)
        assert paid > day


# ------------------------------------------------------------------ the bank's calendar


@st.composite
def bank_plans(draw):
    disbursement = draw(st.dates(date(2016, 1, 1), date(2026, 12, 31)))
    graduation = disbursement + timedelta(days=draw(st.integers(200, 4 * 366)))
    grace_years = draw(st.integers(0, 5))
    maturity = repayment.add_years(graduation, grace_years) + timedelta(days=draw(st.integers(0, 15 * 366)))
    return repayment.build_plan(
        draw(st.integers(1000, 25000)),
        draw(rates),
        disbursement,
        graduation,
        maturity,
        grace_years,
        method=draw(st.sampled_from(repayment.METHODS)),
        frequency=draw(st.sampled_from(list(repayment.FREQUENCIES))),
    )


@FAST
@given(bank_plans())
def test_bank_calendar(plan):
    terms = dataclasses.replace(plan.terms, convention="bank")
    bank = repayment.Plan(terms, tuple(repayment._project(terms, terms.disbursement_date, terms.principal)))
    assert bank.total_principal == terms.principal
    assert bank.lines[-1].balance == 0
    days = [line.date for line in bank.lines]
    assert days == sorted(set(days))
    assert days[-1] <= terms.maturity_date
    on_calendar = [
        line
        for line in bank.lines
        if (line.date.month, line.date.day) == (12, 20) or (terms.frequency == "monthly" and line.date.day == 20)
    ]
    # every line is on the calendar, but a bullet repayment on the maturity date
    assert len(bank.lines) - len(on_calendar) <= 1
    if len(on_calendar) < len(bank.lines):
        assert bank.lines[-1].date == terms.maturity_date
    # no grace-end line: interest-only lines are settlement dates
    assert all((line.date.month, line.date.day) == (12, 20) for line in bank.lines if line.kind != "repayment")


def test_bank_calendar_example():
    # graduation 1 July 2024, grace 5 years (1 July 2029), maturity 21 December 2039 (one day after 20 December)
    args = (8000, D("0.0435"), date(2020, 10, 15), date(2024, 7, 1), date(2039, 12, 21), 5)
    legacy = repayment.build_plan(*args)
    assert date(2029, 7, 1) in [line.date for line in legacy.lines]
    assert legacy.lines[-1].days == 1
    terms = dataclasses.replace(legacy.terms, convention="bank")
    bank = repayment._project(terms, terms.disbursement_date, terms.principal)
    assert date(2029, 7, 1) not in [line.date for line in bank]
    assert bank[-1].date == date(2039, 12, 20)
    instalments = [line.principal + line.interest for line in bank if line.kind == "repayment"][:-1]
    assert max(instalments) - min(instalments) <= D("0.05") * 2


# ------------------------------------------------------------------------ library errors


@pytest.mark.parametrize(
    ("call", "msgid"),
    [
        (lambda: penalty.year_waiver(1800), "The waiver year must be a calendar year, got %(year)s."),
        (
            lambda: penalty.penalty_rate(D("0.03"), 9),
            "The penalty multiple must be between 1 and 5 (1.3 for 130%%), got %(multiple)s.",
        ),
        (
            lambda: penalty.segments_from_dues([(date(2025, 1, 1), D("-1"))]),
            "%(name)s must not be negative, got %(value)s.",
        ),
        (
            lambda: penalty.accrue([], D("0.03"), D("1.3"), date(2025, 2, 1), date(2025, 1, 1)),
            "The accrual period ends on %(end)s, before it starts on %(start)s.",
        ),
        (lambda: overdue.bucket_for(-1), "Days past due must not be negative, got %(days)s."),
        (lambda: overdue.recovery_rate("x", 1), "%(name)s must be a number, got %(value)s."),
        (
            lambda: overdue.is_default(1, -1, None, date(2025, 1, 1), 1),
            "%(name)s must be a whole number >= 0, got %(value)s.",
        ),
        (lambda: riskfund.fund_due(-1, D("0.05"), D("0.5")), "The loan amount must not be negative, got %(amount)s."),
        (lambda: riskfund.remaining(D("nan"), 0), "%(name)s must be a finite number, got %(value)s."),
        (
            lambda: prepayment.check_request(date(2026, 3, 11)),
            "Prepayments are requested from day %(first)s to day %(last)s of a month, not on day %(day)s.",
        ),
        (
            lambda: prepayment.check_request(date(2026, 3, 1), payment_day=40),
            "%(name)s of the prepayment cycle must be a day 1..28, got %(value)s.",
        ),
        (
            lambda: dataclasses.replace(EXAMPLE_PLAN.terms, convention="x"),
            "convention must be one of %(conventions)s, got %(convention)s.",
        ),
        (
            lambda: deferral.defer_principal(EXAMPLE_PLAN, date(2030, 1, 1), 9),
            "A principal deferral lasts 1 to 5 whole years, got %(years)s.",
        ),
        (
            lambda: deferral.extend_subsidy(EXAMPLE_PLAN, date(2025, 1, 1), date(2044, 1, 1)),
            "The subsidy cannot end after the maturity date %(maturity)s.",
        ),
    ],
)
def test_library_refusals_carry_a_message_id(call, msgid):
    """Every refusal is a LibError with the English message id the Odoo layer translates, and its text."""
    with pytest.raises(LibError) as info:
        call()
    assert info.value.msgid == msgid
    assert str(info.value) == msgid % {key: str(value) for key, value in info.value.params.items()}


def test_value_labels_are_translatable_messages():
    """A value's name in a message (\"The principal due\") is itself a message the Odoo layer translates."""
    with pytest.raises(LibError) as info:
        penalty.segments_from_dues([(date(2025, 1, 1), D("1.001"))])
    label = info.value.params["name"]
    assert label.msgid == "The principal due"
    assert str(info.value) == "The principal due 1.001 has fractions of a fen."


# ------------------------------------------------------------------ moving a plan to the bank calendar


@FAST
@given(bank_plans(), st.integers(0, 8000))
def test_change_convention_keeps_the_past_and_repays_everything(legacy, offset):
    day = legacy.terms.disbursement_date + timedelta(days=offset)
    converted = repayment.change_convention(legacy, day, "bank")
    kept = [line for line in legacy.lines if line.date <= day]
    assert list(converted.lines[: len(kept)]) == kept
    assert converted.total_principal == legacy.terms.principal
    assert converted.lines[-1].balance == 0
    if converted is legacy:
        return
    assert converted.terms.convention == "bank"
    later = [line for line in converted.lines if line.date > day]
    # after the day, every line is on the settlement calendar (but a bullet repayment on the maturity date)
    off_calendar = [line for line in later if line.date.day != 20]
    assert not off_calendar or off_calendar == [later[-1]] and later[-1].date == legacy.terms.maturity_date
    # projecting again under the same convention changes nothing (the migration is idempotent)
    assert repayment.change_convention(converted, day, "bank") == converted


def test_change_convention_from_the_disbursement_is_a_new_bank_plan():
    args = (8000, D("0.0435"), date(2020, 10, 15), date(2024, 7, 1), date(2039, 12, 21), 5)
    legacy = repayment.build_plan(*args)
    bank = repayment.build_plan(*args, convention="bank")
    assert repayment.change_convention(legacy, legacy.terms.disbursement_date, "bank") == bank
    assert bank.lines[-1].date == date(2039, 12, 20)
    assert date(2029, 7, 1) not in [line.date for line in bank.lines]
    # after the last 20 December only the one-day legacy line is left: nothing moves
    assert repayment.change_convention(legacy, date(2039, 12, 20), "bank") is legacy
    with pytest.raises(LibError, match="convention must be one of"):
        repayment.change_convention(legacy, date(2030, 1, 1), "weekly")
