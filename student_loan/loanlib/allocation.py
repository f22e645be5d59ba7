"""How a repayment is applied to what a contract owes (还款冲抵顺序).

Plain Python (stdlib only, no Odoo import).

Order (先罚息、后利息、再本金)
-------------------------------
A repayment (typed by a handler, deducted by the bank and imported from its file, or the credit
left by earlier repayments) pays, in this order:

1. ``'penalty'``: penalty interest (罚息) accrued on overdue principal, oldest accrual first;
2. ``'overdue_interest'``: interest of settlements past their due date, oldest first;
3. ``'interest'``: interest due on or after the payment date (the settlement of the day);
4. ``'principal'``: principal, oldest due date first (so overdue principal before current).

This is the order the lending banks apply to student loans in arrears, as to other personal
loans: penalty interest first, then interest, then principal; within each kind the oldest
claim first. Ties (same kind, same date) keep the caller's order. Penalty interest waived by
a policy (e.g. the year 2022) is never a claim: the accrual books it as waived, not as owed.

Money is ``Decimal`` yuan to the fen; every part of the allocation is a fen amount, no claim
receives more than its residual, and ``sum(parts) + left == amount`` exactly.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from .errors import LibError, LibMessage, _lt

FEN = Decimal("0.01")
ORDER = ("penalty", "overdue_interest", "interest", "principal")
_RANK = {category: rank for rank, category in enumerate(ORDER)}
_AMOUNT = LibMessage(_lt("The repayment amount"))
_RESIDUAL = LibMessage(_lt("The amount owed"))


@dataclass(frozen=True)
class Claim:
    """Something a contract owes: ``residual`` yuan of ``category`` due on ``due_date``.

    ``ref`` is the caller's own reference (e.g. a record and a field), returned untouched.
    """

    category: str
    due_date: date
    residual: Decimal
    ref: object = None

    def __post_init__(self):
        if self.category not in _RANK:
            raise LibError(
                _lt("A claim must be one of %(categories)s, got %(category)s."),
                categories=ORDER,
                category=repr(self.category),
            )
        if not isinstance(self.due_date, date) or isinstance(self.due_date, datetime):
            raise LibError(_lt("The due date of a claim must be a date, got %(value)s."), value=repr(self.due_date))
        object.__setattr__(self, "residual", _fen(self.residual, _RESIDUAL))


@dataclass(frozen=True)
class Allocation:
    """``parts``: ``(claim, amount)`` in the order paid, amounts > 0; ``left``: what no claim took."""

    parts: tuple
    left: Decimal

    @property
    def total(self):
        return sum((amount for _, amount in self.parts), Decimal("0.00"))

    def by_category(self):
        """``{category: amount paid}`` for every category of ``ORDER``."""
        totals = dict.fromkeys(ORDER, Decimal("0.00"))
        for claim, amount in self.parts:
            totals[claim.category] += amount
        return totals


def ordered(claims):
    """``claims`` in the order they are paid (see the module's docstring); stable for ties."""
    claims = list(claims)
    for claim in claims:
        if not isinstance(claim, Claim):
            raise LibError(_lt("A claim must be a Claim, got %(value)s."), value=repr(claim))  # noqa: TRY004
    return sorted(claims, key=lambda claim: (_RANK[claim.category], claim.due_date))


def allocate(amount, claims):
    """Apply ``amount`` to ``claims`` in order; returns an :class:`Allocation`.

    :param amount: the repayment, a fen amount >= 0
    :param claims: :class:`Claim` objects in any order
    """
    left = _fen(amount, _AMOUNT)
    parts = []
    for claim in ordered(claims):
        if left <= 0:
            break
        part = min(left, claim.residual)
        if part > 0:
            parts.append((claim, part))
            left -= part
    return Allocation(tuple(parts), left)


def _fen(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, str, Decimal)):
        raise LibError(_lt("%(name)s must be a number, got %(value)s."), name=name, value=repr(value))  # noqa: TRY004
    try:
        result = Decimal(value)
    except InvalidOperation:
        raise LibError(_lt("%(name)s must be a number, got %(value)s."), name=name, value=repr(value)) from None
    if not result.is_finite():
        raise LibError(_lt("%(name)s must be a finite number, got %(value)s."), name=name, value=repr(value))
    if result < 0:
        raise LibError(_lt("%(name)s must not be negative, got %(value)s."), name=name, value=result)
    if result != result.quantize(FEN):
        raise LibError(_lt("%(name)s %(value)s has fractions of a fen."), name=name, value=result)
    return result.quantize(FEN)
