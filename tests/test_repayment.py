"""Unit and property tests of the repayment engine (``loanlib.repayment``)."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from loanlib import repayment
from loanlib.repayment import (
    add_years,
    apply_prepayment,
    build_plan,
    payoff_amount,
    recompute_for_study_change,
    settlement_interest,
    split_interest,
)

D = Decimal
FAST = settings(max_examples=60, deadline=None)
COMBOS = [(m, f) for m in repayment.METHODS for f in repayment.FREQUENCIES]

# The worked example's contract (also the base of the example-based tests).
EXAMPLE = {
    "principal": 8000,
    "annual_rate": D("0.0435"),
    "disbursement_date": date(2020, 10, 15),
    "graduation_date": date(2024, 7, 1),
    "maturity_date": date(2039, 10, 14),
    "grace_years": 5,
}


# --------------------------------------------------------------------- strategies


@st.composite
def contracts(draw, method=None, frequency=None, min_principal=1):
    """Keyword arguments of ``build_plan`` for a valid, random contract."""
    disbursement = draw(st.dates(date(2010, 1, 1), date(2030, 12, 31)))
    graduation = disbursement + timedelta(days=draw(st.integers(1, 6 * 366)))
    grace_years = draw(st.integers(0, 5))
    grace_end = add_years(graduation, grace_years)
    maturity = grace_end + timedelta(days=draw(st.integers(0, 16 * 366)))
    month, day = draw(st.one_of(st.just((12, 20)), st.tuples(st.integers(1, 12), st.integers(1, 28))))
    return {
        "principal": draw(st.one_of(st.integers(min_principal, 25000), st.just(max(8000, min_principal)))),
        "annual_rate": draw(
            st.one_of(
                st.just(D("0.0435")),
                st.decimals(min_value=0, max_value=D("0.1"), places=4),
            )
        ),
        "disbursement_date": disbursement,
        "graduation_date": graduation,
        "maturity_date": maturity,
        "grace_years": grace_years,
        "method": method or draw(st.sampled_from(repayment.METHODS)),
        "frequency": frequency or draw(st.sampled_from(list(repayment.FREQUENCIES))),
        "settlement_month": month,
        "settlement_day": day,
    }


def between(draw, first, last):
    """A date in [first, last] (both included)."""
    return first + timedelta(days=draw(st.integers(0, (last - first).days)))


@st.composite
def prepayments(draw):
    """``(plan, payment_date, accrued, balance)`` with a payment date inside the plan."""
    plan = build_plan(**draw(contracts(min_principal=1000)))
    terms = plan.terms
    assume((terms.maturity_date - terms.disbursement_date).days >= 2)
    day = between(
        draw,
        terms.disbursement_date + timedelta(days=1),
        terms.maturity_date - timedelta(days=1),
    )
    balance = plan.balance_on(day)
    return plan, day, payoff_amount(plan, day) - balance, balance


@st.composite
def study_changes(draw):
    """``(plan, change_date, new_graduation_date)`` for a valid study change."""
    plan = build_plan(**draw(contracts(min_principal=1000)))
    terms = plan.terms
    # Latest graduation whose grace period still ends by maturity.
    latest = add_years(terms.maturity_date, -terms.grace_years)
    while add_years(latest, terms.grace_years) > terms.maturity_date:
        latest -= timedelta(days=1)
    last_change = min(latest, terms.maturity_date - timedelta(days=1))
    assume(last_change > terms.disbursement_date)
    change = between(draw, terms.disbursement_date + timedelta(days=1), last_change)
    return plan, change, between(draw, change, latest)


# ------------------------------------------------------------------------ helpers


def assert_well_formed(plan):
    """Invariants every plan satisfies, however it was produced."""
    terms, lines = plan.terms, plan.lines
    assert lines, "a plan has at least one line"
    assert plan.total_principal == terms.principal
    assert lines[-1].balance == 0
    balance, previous = terms.principal, terms.disbursement_date
    for line in lines:
        assert line.kind in repayment.KINDS
        assert line.period_start == previous
        # Only a prepayment may fall on the date of the line before it (0 days).
        assert line.date > previous or (line.kind == "prepayment" and line.days == 0)
        assert line.days == (line.date - line.period_start).days
        for amount in (line.principal, line.interest, line.subsidised_interest):
            assert amount >= 0 and amount == amount.quantize(D("0.01"))
        assert line.balance == balance - line.principal
        assert 0 <= line.balance <= balance
        balance, previous = line.balance, line.date
    if lines[-1].kind != "prepayment":
        assert lines[-1].date == terms.maturity_date


def assert_interest_split(plan, lines=None):
    """Student interest only from the student-pay start, the rest subsidised."""
    terms = plan.terms
    pay_start = terms.student_pay_start
    for line in plan.lines if lines is None else lines:
        before = line.balance + line.principal
        if line.date <= pay_start:
            assert line.interest == 0
        if line.period_start >= pay_start:
            assert line.subsidised_interest == 0
        if line.kind == "study":
            assert line.date <= pay_start and line.principal == 0
        expected = split_interest(before, terms.annual_rate, line.period_start, line.date, pay_start)
        assert (line.subsidised_interest, line.interest) == expected


# --------------------------------------------------------------- worked example


def test_worked_example_by_hand():
    """8,000 yuan at 4.35%, disbursed 2020-10-15, graduation 2024-07-01, 5 grace years,
    maturity 2039-10-14, yearly annuity, settlement on 20 December.

    Full-balance interest: 8000 × 0.0435 = 348 yuan per 360 days.
    Student-pay start: 2024-09-01. Grace end: 2029-07-01.

    1. Study line 2020-12-20, from 2020-10-15:
       days = 17 (15..31 Oct) + 30 (Nov) + 19 (1..19 Dec) = 66
       interest = 348 × 66 / 360 = 63.80, all subsidised, student 0.
    2. Study lines 2021..2023-12-20: 365 days, 348 × 365 / 360 = 352.8333 -> 352.83.
    3. Straddling line 2024-12-20, from 2023-12-20 (366 days, 2024 is leap):
       before 1 Sept: 12 (20..31 Dec) + 31 + 29 + 31 + 30 + 31 + 30 + 31 + 31 = 256 days,
           subsidised = 348 × 256 / 360 = 247.4667 -> 247.47
       from 1 Sept: 30 + 31 + 30 + 19 = 110 days,
           student = 348 × 110 / 360 = 106.3333 -> 106.33
    4. Grace line 2025-12-20: 365 days, student interest 352.83, principal 0.
       Grace line 2028-12-20: 366 days, 348 × 366 / 360 = 353.80.
    5. Grace-end line 2029-07-01, from 2028-12-20:
       days = 12 + 31 + 28 + 31 + 30 + 31 + 30 = 193, 348 × 193 / 360 = 186.5667 -> 186.57.
    6. Repayment: 2029-12-20 .. 2038-12-20 (10 lines) + 2039-10-14 = 11 lines.
       A = 348 / (1 − 1.0435^−11) = 348 / (1 − 0.6260125) = 348 / 0.3739875
         = 930.5124 -> 930.51
       First repayment line 2029-12-20, from 2029-07-01: days = 30 + 31 + 31 + 30 + 31
       + 30 + 19 = 172, interest = 348 × 172 / 360 = 166.2667 -> 166.27,
       principal = 930.51 − 166.27 = 764.24, balance = 8000 − 764.24 = 7235.76.
       Second: 7235.76 × 0.0435 × 365 / 360 = 319.13, principal 611.38.
    7. Last line 2039-10-14, from 2038-12-20: 298 days on 657.13:
       657.13 × 0.0435 × 298 / 360 = 23.662 -> 23.66, principal 657.13.
    """
    plan = build_plan(**EXAMPLE)
    by_date = {line.date: line for line in plan.lines}

    def check(day, kind, days, principal, interest, subsidised, balance):
        line = by_date[day]
        assert (line.kind, line.days) == (kind, days)
        assert (line.principal, line.interest, line.subsidised_interest) == (
            D(principal),
            D(interest),
            D(subsidised),
        )
        assert line.balance == D(balance)

    check(date(2020, 12, 20), "study", 66, "0", "0", "63.80", "8000")
    check(date(2021, 12, 20), "study", 365, "0", "0", "352.83", "8000")
    check(date(2024, 12, 20), "grace", 366, "0", "106.33", "247.47", "8000")
    check(date(2025, 12, 20), "grace", 365, "0", "352.83", "0", "8000")
    check(date(2028, 12, 20), "grace", 366, "0", "353.80", "0", "8000")
    check(date(2029, 7, 1), "grace", 193, "0", "186.57", "0", "8000")
    check(date(2029, 12, 20), "repayment", 172, "764.24", "166.27", "0", "7235.76")
    check(date(2030, 12, 20), "repayment", 365, "611.38", "319.13", "0", "6624.38")
    check(date(2039, 10, 14), "repayment", 298, "657.13", "23.66", "0", "0")
    assert [line.kind for line in plan.lines].count("study") == 4
    assert [line.kind for line in plan.lines].count("repayment") == 11
    assert {line.total for line in plan.lines[10:-1]} == {D("930.51")}
    assert_well_formed(plan)


# ----------------------------------------------------------------- plan properties


@pytest.mark.parametrize(("method", "frequency"), COMBOS)
@FAST
@given(data=st.data())
def test_plan_invariants(method, frequency, data):
    """Principal repaid == lent, balances non-negative and non-increasing,
    last line on maturity, interest split at the student-pay start."""
    plan = build_plan(**data.draw(contracts(method=method, frequency=frequency)))
    assert plan.terms.method == method and plan.terms.frequency == frequency
    assert_well_formed(plan)
    assert_interest_split(plan)
    kinds = [line.kind for line in plan.lines]
    assert kinds == sorted(kinds, key=["study", "grace", "repayment"].index)
    assert all(line.date <= plan.terms.grace_end for line in plan.lines if line.kind != "repayment")


@pytest.mark.parametrize("frequency", list(repayment.FREQUENCIES))
@FAST
@given(data=st.data())
def test_annuity_instalments_are_constant(frequency, data):
    plan = build_plan(**data.draw(contracts(method="annuity", frequency=frequency, min_principal=1000)))
    repayments = [line for line in plan.lines if line.kind == "repayment"]
    # Lines that clear the balance early (short stubs) are capped; the rest are equal.
    payments = {line.principal + line.interest + line.subsidised_interest for line in repayments[:-1] if line.balance}
    assert len(payments) <= 1


@pytest.mark.parametrize("frequency", list(repayment.FREQUENCIES))
@FAST
@given(data=st.data())
def test_linear_principal_is_constant(frequency, data):
    plan = build_plan(**data.draw(contracts(method="linear", frequency=frequency, min_principal=1000)))
    principals = [line.principal for line in plan.lines if line.kind == "repayment"]
    assert len(set(principals[:-1])) <= 1
    interests = [line.interest for line in plan.lines if line.kind == "repayment"]
    assert all(p > 0 for p in principals[:-1])
    assert len(interests) == len(principals)


def test_monthly_dates_clamp_to_month_end():
    plan = build_plan(**EXAMPLE, frequency="monthly", settlement_day=31, settlement_month=1)
    dates = [line.date for line in plan.lines if line.kind == "repayment"]
    assert date(2030, 2, 28) in dates and date(2032, 2, 29) in dates
    assert date(2030, 4, 30) in dates and date(2030, 5, 31) in dates
    assert dates[-1] == EXAMPLE["maturity_date"]
    assert all(line.date.month == 1 and line.date.day == 31 for line in plan.lines if line.kind == "study")
    assert_well_formed(plan)


def test_zero_rate_and_bullet_repayment():
    plan = build_plan(**{**EXAMPLE, "annual_rate": 0})
    assert plan.total_interest == plan.total_subsidised_interest == 0
    assert_well_formed(plan)
    bullet = build_plan(**{**EXAMPLE, "maturity_date": date(2029, 7, 1)})
    assert bullet.lines[-1].date == date(2029, 7, 1)
    assert [line.kind for line in bullet.lines].count("repayment") == 1
    assert bullet.lines[-1].principal == 8000
    assert_well_formed(bullet)


def test_float_inputs_read_as_decimals():
    assert build_plan(**{**EXAMPLE, "principal": 8000.0, "annual_rate": 0.0435}) == (build_plan(**EXAMPLE))


def test_no_grace_years_with_graduation_before_september():
    """Repayment starting before the student-pay start still splits the subsidy."""
    plan = build_plan(**{**EXAMPLE, "grace_years": 0})
    first = next(line for line in plan.lines if line.kind == "repayment")
    assert plan.lines[plan.lines.index(first) - 1].date == date(2024, 7, 1)
    assert first.date == date(2024, 12, 20)
    assert first.subsidised_interest > 0 and first.interest > 0
    assert_interest_split(plan)
    assert_well_formed(plan)


# ------------------------------------------------------------------------- helpers


def test_settlement_interest_and_split():
    start, end = date(2023, 12, 20), date(2024, 12, 20)
    assert settlement_interest(8000, D("0.0435"), start, end) == D("353.80")
    assert settlement_interest("1000.00", "0.05", start, start) == 0
    assert split_interest(8000, D("0.0435"), start, end, date(2024, 9, 1)) == (
        D("247.47"),
        D("106.33"),
    )
    # Student-pay start outside the period: all on one side.
    assert split_interest(8000, "0.0435", start, end, date(2025, 9, 1)) == (
        D("353.80"),
        0,
    )
    assert split_interest(8000, "0.0435", start, end, date(2023, 9, 1)) == (
        0,
        D("353.80"),
    )


@pytest.mark.parametrize(
    "args",
    [
        (-1, "0.0435", date(2024, 1, 1), date(2024, 2, 1)),
        (100, "1", date(2024, 1, 1), date(2024, 2, 1)),
        (100, "0.0435", date(2024, 2, 1), date(2024, 1, 1)),
        (100, "0.0435", "2024-01-01", date(2024, 2, 1)),
        (100, "x", date(2024, 1, 1), date(2024, 2, 1)),
    ],
)
def test_settlement_interest_rejects_bad_input(args):
    with pytest.raises(ValueError):
        settlement_interest(*args)


# ---------------------------------------------------------------------- prepayment


@FAST
@given(case=prepayments())
def test_full_prepayment_closes_the_plan(case):
    plan, day, accrued, balance = case
    closed = apply_prepayment(plan, day, balance + accrued)
    last = closed.lines[-1]
    assert (last.kind, last.date, last.balance) == ("prepayment", day, 0)
    assert (last.principal, last.interest) == (balance, accrued)
    assert closed.lines[:-1] == tuple(line for line in plan.lines if line.date <= day)
    assert_well_formed(closed)
    if day + timedelta(days=1) < plan.terms.maturity_date:
        with pytest.raises(ValueError, match="already fully repaid"):
            apply_prepayment(closed, day + timedelta(days=1), 1)


@FAST
@given(case=prepayments(), data=st.data())
def test_partial_prepayment_recomputes_the_rest(case, data):
    plan, day, accrued, balance = case
    assume(balance > D("0.01"))
    cents = data.draw(st.integers(1, int(balance * 100) - 1))
    reduced = apply_prepayment(plan, day, accrued + D(cents) / 100)
    assert_well_formed(reduced)
    assert_interest_split(reduced)
    kept = tuple(line for line in plan.lines if line.date <= day)
    assert reduced.lines[: len(kept)] == kept
    line = reduced.lines[len(kept)]
    assert (line.kind, line.date, line.interest) == ("prepayment", day, accrued)
    assert line.balance == balance - D(cents) / 100
    assert reduced.lines[-1].date == plan.terms.maturity_date

    def later_interest(p):
        return sum(x.interest + x.subsidised_interest for x in p.lines if x.date > day)

    terms = plan.terms
    if cents >= 10000 and terms.annual_rate >= D("0.01") and (terms.maturity_date - day).days >= 90:
        assert later_interest(reduced) < later_interest(plan)
        assert (reduced.total_interest + reduced.total_subsidised_interest) < (
            plan.total_interest + plan.total_subsidised_interest
        )


def test_partial_prepayment_example():
    """Paying 3,000 on 2031-06-30 lowers the later instalments, same maturity."""
    plan = build_plan(**EXAMPLE)
    day = date(2031, 6, 30)
    accrued = settlement_interest(D("6624.38"), D("0.0435"), date(2030, 12, 20), day)
    assert payoff_amount(plan, day) == D("6624.38") + accrued
    reduced = apply_prepayment(plan, day, D("3000") + accrued)
    line = next(x for x in reduced.lines if x.kind == "prepayment")
    assert (line.principal, line.interest, line.balance) == (
        D("3000"),
        accrued,
        D("3624.38"),
    )
    old = [x.total for x in plan.lines if x.date > day][:-1]
    new = [x.total for x in reduced.lines if x.date > day][:-1]
    assert len(old) == len(new) and max(new) < min(old)
    assert_well_formed(reduced)


def test_prepayment_during_study_settles_the_subsidy():
    plan = build_plan(**EXAMPLE)
    day = date(2022, 6, 20)  # 182 days after 2021-12-20
    closed = apply_prepayment(plan, day, 8000)
    last = closed.lines[-1]
    assert (last.principal, last.interest) == (D("8000"), 0)
    assert last.subsidised_interest == D("175.93")  # 348 × 182 / 360 = 175.9333
    assert_well_formed(closed)


@pytest.mark.parametrize(
    ("day", "amount", "message"),
    [
        (date(2031, 6, 30), 0, "must be positive"),
        (date(2031, 6, 30), -5, "must be positive"),
        (date(2031, 6, 30), D("10.005"), "fractions of a fen"),
        (date(2031, 6, 30), D("100000"), "exceeds the outstanding principal"),
        (date(2031, 6, 30), D("1.00"), "does not cover the interest"),
        (date(2020, 10, 15), 100, "after the disbursement date"),
        (date(2039, 10, 14), 100, "before the maturity date"),
        (datetime(2031, 6, 30), 100, "datetime.date"),
        (date(2031, 6, 30), "lots", "must be a number"),
    ],
)
def test_prepayment_rejects_bad_input(day, amount, message):
    with pytest.raises(ValueError, match=message):
        apply_prepayment(build_plan(**EXAMPLE), day, amount)


def test_prepayment_amount_just_above_payoff_is_rejected():
    plan = build_plan(**EXAMPLE)
    day = date(2031, 6, 30)
    with pytest.raises(ValueError, match="exceeds"):
        apply_prepayment(plan, day, payoff_amount(plan, day) + D("0.01"))


# -------------------------------------------------------------------- study change


@FAST
@given(case=study_changes())
def test_study_change_properties(case):
    plan, change, graduation = case
    changed = recompute_for_study_change(plan, change, graduation)
    terms = changed.terms
    assert terms.graduation_date == graduation
    assert terms.maturity_date == plan.terms.maturity_date
    kept = tuple(line for line in plan.lines if line.date <= change)
    assert changed.lines[: len(kept)] == kept
    assert_well_formed(changed)
    recomputed = changed.lines[len(kept) :]
    assert recomputed and all(line.date >= change for line in recomputed)
    assert_interest_split(changed, recomputed)


def test_study_change_example_extends_the_subsidy():
    """One more year of study (graduation 2025-07-01), decided on 2023-03-01."""
    plan = build_plan(**EXAMPLE)
    changed = recompute_for_study_change(plan, date(2023, 3, 1), date(2025, 7, 1))
    by_date = {line.date: line for line in changed.lines}
    assert by_date[date(2024, 12, 20)].kind == "study"
    assert by_date[date(2024, 12, 20)].interest == 0
    # 2024-12-20 .. 2025-09-01 = 255 days: 348 × 255 / 360 = 246.50
    assert by_date[date(2025, 12, 20)].subsidised_interest == D("246.50")
    assert date(2030, 7, 1) in by_date and date(2029, 7, 1) not in by_date
    assert changed.lines[-1].date == EXAMPLE["maturity_date"]
    assert changed.total_subsidised_interest > plan.total_subsidised_interest
    assert_well_formed(changed)

    longer = recompute_for_study_change(plan, date(2023, 3, 1), date(2025, 7, 1), date(2040, 10, 14))
    assert longer.lines[-1].date == longer.terms.maturity_date == date(2040, 10, 14)
    assert_well_formed(longer)


@pytest.mark.parametrize(
    ("change", "graduation", "maturity", "message"),
    [
        (date(2023, 3, 1), date(2023, 2, 28), None, "before the change date"),
        (date(2020, 10, 15), date(2025, 7, 1), None, "after the disbursement date"),
        (date(2039, 10, 14), date(2039, 10, 14), None, "before the maturity date"),
        (date(2023, 3, 1), date(2035, 7, 1), None, "after the maturity date"),
        (date(2023, 3, 1), date(2025, 7, 1), date(2023, 3, 1), "must be after"),
        (date(2023, 3, 1), "2025-07-01", None, "datetime.date"),
    ],
)
def test_study_change_rejects_bad_input(change, graduation, maturity, message):
    with pytest.raises(ValueError, match=message):
        recompute_for_study_change(build_plan(**EXAMPLE), change, graduation, maturity)


def test_study_change_after_full_repayment_is_rejected():
    closed = apply_prepayment(build_plan(**EXAMPLE), date(2022, 6, 20), 8000)
    with pytest.raises(ValueError, match="already fully repaid"):
        recompute_for_study_change(closed, date(2023, 3, 1), date(2025, 7, 1))


# ----------------------------------------------------------------------- bad terms


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"principal": 0}, "positive whole number"),
        ({"principal": -8000}, "positive whole number"),
        ({"principal": D("8000.50")}, "positive whole number"),
        ({"principal": True}, "must be a number"),
        ({"principal": float("nan")}, "finite"),
        ({"principal": "eight"}, "must be a number"),
        ({"annual_rate": D("-0.01")}, "0 <= rate < 1"),
        ({"annual_rate": 1}, "0 <= rate < 1"),
        ({"annual_rate": D("4.35")}, "0 <= rate < 1"),
        ({"graduation_date": date(2020, 10, 15)}, "before the graduation date"),
        ({"maturity_date": date(2024, 6, 30)}, "must not be after the maturity"),
        ({"maturity_date": date(2029, 6, 30)}, "grace period ends on 2029-07-01"),
        ({"grace_years": -1}, "grace_years"),
        ({"grace_years": 1.5}, "grace_years"),
        ({"method": "balloon"}, "method"),
        ({"frequency": "weekly"}, "frequency"),
        ({"settlement_month": 13}, "settlement_month"),
        ({"settlement_month": 2, "settlement_day": 29}, "settlement_day"),
        ({"settlement_day": 0}, "settlement_day"),
        ({"disbursement_date": datetime(2020, 10, 15)}, "datetime.date"),
        ({"maturity_date": None}, "datetime.date"),
    ],
)
def test_build_plan_rejects_bad_input(change, message):
    with pytest.raises(ValueError, match=message):
        build_plan(**{**EXAMPLE, **change})
