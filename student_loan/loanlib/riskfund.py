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

FEN = Decimal("0.01")


@dataclass(frozen=True)
class FundDue:
    due: Decimal
    central: Decimal
    local: Decimal


def fund_due(loan_amount, rate, central_share):
    """The fund due for ``loan_amount`` of new loans and its central/local shares."""
    amount = _number(loan_amount, "loan amount")
    if amount < 0:
        raise ValueError(f"The loan amount must not be negative, got {amount}.")
    fraction = _number(rate, "risk-fund rate")
    if not 0 <= fraction <= 1:
        raise ValueError(f"The risk-fund rate must be a fraction between 0 and 1 (0.05 for 5%), got {fraction}.")
    share = _number(central_share, "central share")
    if not 0 <= share <= 1:
        raise ValueError(f"The central share must be a fraction between 0 and 1 (0.5 for 50%), got {share}.")
    due = (amount * fraction).quantize(FEN, rounding=ROUND_HALF_UP)
    central = (due * share).quantize(FEN, rounding=ROUND_HALF_UP)
    return FundDue(due, central, due - central)


def remaining(due, consumed):
    """What is left of the fund after the defaults consumed ``consumed``."""
    return (_number(due, "fund due") - _number(consumed, "consumed amount")).quantize(FEN)


def _number(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise ValueError(f"The {name} must be a number, got {value!r}.")  # noqa: TRY004
    try:
        result = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        raise ValueError(f"The {name} must be a number, got {value!r}.") from None
    if not result.is_finite():
        raise ValueError(f"The {name} must be a finite number, got {value!r}.")
    return result
