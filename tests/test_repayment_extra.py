"""Engine properties the Odoo side (student_loan_repayment) relies on.

* The interest settlement (结息) recomputes each period's interest with ``split_interest`` on the
  principal outstanding: on a plan paid on schedule it must give the plan's own figures.
* A stored plan is read back from fen-rounded floats: the engine must accept it and treat it as the
  original.
* A repayment-plan change of method or frequency replaces the terms of a ``Plan`` and projects the rest
  with ``recompute_for_study_change``.
"""

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loanlib import repayment

D = Decimal
FAST = settings(max_examples=60, deadline=None)


@st.composite
def plans(draw):
    disbursement = draw(st.dates(date(2014, 1, 1), date(2030, 12, 31)))
    graduation = disbursement + timedelta(days=draw(st.integers(1, 6 * 366)))
    grace_years = draw(st.integers(0, 5))
    maturity = repayment.add_years(graduation, grace_years) + timedelta(days=draw(st.integers(0, 16 * 366)))
    return repayment.build_plan(
        draw(st.integers(1000, 25000)),
        draw(st.decimals(min_value=D("0.01"), max_value=D("0.08"), places=4)),
        disbursement,
        graduation,
        maturity,
        grace_years,
        method=draw(st.sampled_from(repayment.METHODS)),
        frequency=draw(st.sampled_from(list(repayment.FREQUENCIES))),
    )


def as_stored(plan):
    """The plan as read back from the database (floats rounded to the fen)."""
    lines = tuple(
        dataclasses.replace(
            line,
            **{
                name: Decimal(str(float(getattr(line, name)))).quantize(D("0.01"))
                for name in ("principal", "interest", "subsidised_interest", "balance")
            },
        )
        for line in plan.lines
    )
    return repayment.Plan(plan.terms, lines)


@FAST
@given(plans())
def test_settlement_on_schedule_equals_the_plan(plan):
    terms = plan.terms
    pay_start = repayment.student_pay_start(terms.graduation_date)
    balance = terms.principal
    for line in plan.lines:
        assert repayment.split_interest(balance, terms.annual_rate, line.period_start, line.date, pay_start) == (
            line.subsidised_interest,
            line.interest,
        )
        balance = line.balance


@FAST
@given(plans(), st.data())
def test_stored_plan_reads_back(plan, data):
    stored = as_stored(plan)
    assert stored == plan
    terms = plan.terms
    day = terms.disbursement_date + timedelta(
        days=data.draw(st.integers(1, max(1, (terms.maturity_date - terms.disbursement_date).days - 1)))
    )
    if day >= terms.maturity_date:
        return

    def payoff(source):
        # a plan whose balance reaches zero on its last due date before a zero final line is repaid
        # from that day: both the stored and the built plan must say so, in the same words
        try:
            return repayment.payoff_amount(source, day)
        except ValueError as error:
            return ("refused", str(error))

    assert payoff(stored) == payoff(plan)


def test_method_change_from_a_date():
    plan = repayment.build_plan(8000, D("0.0325"), date(2024, 9, 10), date(2028, 7, 1), date(2043, 9, 10), 5)
    change = date(2025, 3, 1)
    linear = repayment.Plan(dataclasses.replace(plan.terms, method="linear"), plan.lines)
    new = repayment.recompute_for_study_change(linear, change, plan.terms.graduation_date)
    assert new.terms.method == "linear"
    assert [line for line in new.lines if line.date <= change] == [line for line in plan.lines if line.date <= change]
    repayments = [line for line in new.lines if line.kind == "repayment"]
    assert len({line.principal for line in repayments[:-1]}) == 1
    assert new.total_principal == D(8000)


def test_plan_change_after_graduation_is_refused():
    """Known limitation: a plan cannot be recomputed from a date after the graduation date, even when the
    graduation date does not change (e.g. a change of method during repayment)."""
    plan = repayment.build_plan(8000, D("0.0325"), date(2020, 9, 10), date(2022, 7, 1), date(2039, 9, 10), 5)
    linear = repayment.Plan(dataclasses.replace(plan.terms, method="linear"), plan.lines)
    with pytest.raises(ValueError, match="before the change date"):
        repayment.recompute_for_study_change(linear, date(2030, 1, 10), plan.terms.graduation_date)
