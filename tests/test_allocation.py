"""Plain tests of the repayment allocation (先罚息、后利息、再本金): ``loanlib.allocation``, no Odoo."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loanlib import allocation
from loanlib.errors import LibError

D = Decimal
FAST = settings(max_examples=200, deadline=None)

fen = st.decimals(min_value=D("0.00"), max_value=D("20000.00"), places=2)
claims = st.lists(
    st.builds(
        allocation.Claim,
        category=st.sampled_from(allocation.ORDER),
        due_date=st.dates(date(2020, 1, 1), date(2040, 12, 31)),
        residual=fen,
    ),
    max_size=12,
)


@FAST
@given(fen, claims)
def test_sum_is_conserved_and_nothing_is_negative(amount, owed):
    result = allocation.allocate(amount, owed)
    assert result.total + result.left == amount
    assert result.left >= 0
    assert all(part > 0 and part == part.quantize(D("0.01")) for _, part in result.parts)
    # nothing is left while something is owed
    assert result.left == 0 or result.total == sum((claim.residual for claim in owed), D(0))


@FAST
@given(fen, claims)
def test_no_claim_gets_more_than_it_owes(amount, owed):
    paid = {}
    for claim, part in allocation.allocate(amount, owed).parts:
        paid[id(claim)] = paid.get(id(claim), D(0)) + part
    assert all(paid.get(id(claim), D(0)) <= claim.residual for claim in owed)


@FAST
@given(fen, claims)
def test_order_is_respected(amount, owed):
    """A claim receives something only when every claim before it in the order is paid in full."""
    result = allocation.allocate(amount, owed)
    paid = {id(claim): part for claim, part in result.parts}
    queue = allocation.ordered(owed)
    for index, claim in enumerate(queue):
        if paid.get(id(claim)):
            assert all(paid.get(id(before), D(0)) == before.residual for before in queue[:index])
    keys = [(allocation.ORDER.index(claim.category), claim.due_date) for claim in queue]
    assert keys == sorted(keys)


def test_penalty_first_then_interest_then_principal():
    day = date(2031, 12, 20)
    owed = [
        allocation.Claim("principal", date(2030, 12, 20), D("1000.00"), "p2030"),
        allocation.Claim("interest", day, D("30.00"), "i2031"),
        allocation.Claim("overdue_interest", date(2030, 12, 20), D("50.00"), "i2030"),
        allocation.Claim("penalty", date(2031, 6, 30), D("12.34"), "pen1"),
        allocation.Claim("penalty", date(2031, 3, 31), D("5.00"), "pen0"),
    ]
    result = allocation.allocate(D("100.00"), owed)
    assert [(claim.ref, part) for claim, part in result.parts] == [
        ("pen0", D("5.00")),
        ("pen1", D("12.34")),
        ("i2030", D("50.00")),
        ("i2031", D("30.00")),
        ("p2030", D("2.66")),
    ]
    assert result.left == 0
    assert result.by_category() == {
        "penalty": D("17.34"),
        "overdue_interest": D("50.00"),
        "interest": D("30.00"),
        "principal": D("2.66"),
    }
    assert allocation.allocate(D("2000"), owed).left == D("2000") - D("1097.34")


@pytest.mark.parametrize(
    ("amount", "owed", "msgid"),
    [
        (D("-1"), [], "%(name)s must not be negative, got %(value)s."),
        (D("1.001"), [], "%(name)s %(value)s has fractions of a fen."),
        (1.5, [], "%(name)s must be a number, got %(value)s."),
        (D("1"), ["x"], "A claim must be a Claim, got %(value)s."),
    ],
)
def test_bad_input(amount, owed, msgid):
    with pytest.raises(LibError) as info:
        allocation.allocate(amount, owed)
    assert info.value.msgid == msgid


def test_bad_claims():
    with pytest.raises(LibError, match="one of"):
        allocation.Claim("fee", date(2030, 1, 1), D(1))
    with pytest.raises(LibError, match="must be a date"):
        allocation.Claim("penalty", "2030-01-01", D(1))
    with pytest.raises(LibError, match="negative"):
        allocation.Claim("penalty", date(2030, 1, 1), D(-1))
