"""Risk-compensation fund (风险补偿金).

Plain Python (stdlib only, no Odoo import).

Conventions
-----------
Due
    Each year's new loans set aside ``loan_amount × rate`` (policy rate: 5 % since
    2021, 15 % earlier), rounded to the fen (ROUND_HALF_UP).
Shares
    The central government's share is ``due × central_share`` rounded to the fen;
    the local share is the rest, so the two always add up to the amount due.
Consumption
    Defaults consume the fund: what the bank lost (defaulted principal plus unpaid
    interest) is paid out of it; ``remaining = due − consumed`` may be negative
    (the fund does not cover the losses).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import LibError, LibMessage, _lt

FEN = Decimal("0.01")
# Labels of the values named in the messages (translated with them).
_LOAN_AMOUNT = LibMessage(_lt("The loan amount"))
_RATE = LibMessage(_lt("The risk-fund rate"))
_CENTRAL_SHARE = LibMessage(_lt("The central share"))
_FUND_DUE = LibMessage(_lt("The fund due"))
_CONSUMED = LibMessage(_lt("The consumed amount"))


@dataclass(frozen=True)
class FundDue:
    due: Decimal
    central: Decimal
    local: Decimal


def fund_due(loan_amount, rate, central_share):
    """The fund due for ``loan_amount`` of new loans and its central/local shares."""
    amount = _number(loan_amount, _LOAN_AMOUNT)
    if amount < 0:
        raise LibError(_lt("The loan amount must not be negative, got %(amount)s."), amount=amount)
    fraction = _number(rate, _RATE)
    if not 0 <= fraction <= 1:
        raise LibError(
            _lt("The risk-fund rate must be a fraction between 0 and 1 (0.05 for 5%%), got %(rate)s."), rate=fraction
        )
    share = _number(central_share, _CENTRAL_SHARE)
    if not 0 <= share <= 1:
        raise LibError(
            _lt("The central share must be a fraction between 0 and 1 (0.5 for 50%%), got %(share)s."), share=share
        )
    due = (amount * fraction).quantize(FEN, rounding=ROUND_HALF_UP)
    central = (due * share).quantize(FEN, rounding=ROUND_HALF_UP)
    return FundDue(due, central, due - central)


def remaining(due, consumed):
    """What is left of the fund after the defaults consumed ``consumed``."""
    return (_number(due, _FUND_DUE) - _number(consumed, _CONSUMED)).quantize(FEN)


def _number(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise LibError(_lt("%(name)s must be a number, got %(value)s."), name=name, value=repr(value))  # noqa: TRY004
    try:
        result = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        raise LibError(_lt("%(name)s must be a number, got %(value)s."), name=name, value=repr(value)) from None
    if not result.is_finite():
        raise LibError(_lt("%(name)s must be a finite number, got %(value)s."), name=name, value=repr(value))
    return result
