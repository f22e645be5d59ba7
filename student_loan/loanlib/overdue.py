"""Overdue buckets, recovery and default rates, default detection.

Plain Python (stdlib only, no Odoo import).

Conventions
-----------
Days past due
    Counted from the day after the oldest unpaid due date: an amount due on 20
    December and unpaid on 21 December is 1 day past due.
Buckets
    ``1–30``, ``31–90``, ``91–180``, ``181–365`` and ``>365`` days past due
    (``BUCKETS``); 0 days is not overdue (no bucket). Bounds are a parameter of
    ``bucket_for``, the default is the national reporting practice.
Recovery rate (回收率)
    ``amount recovered / amount due`` over the same period (principal and interest
    that fell due, and what of it was paid); 1 when nothing fell due.
Default rate (违约率)
    ``principal of defaulted contracts / principal of contracts in repayment``; 0
    when nothing is in repayment.
Rates are ``Decimal`` fractions rounded to 4 places (ROUND_HALF_UP), in ``[0, 1]``.
Default case
    A contract becomes a default case when it is more than ``threshold_days`` past
    due and nobody reached the borrower (or the co-borrower) in the last
    ``contact_window_days`` days.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import LibError, LibMessage, _lt

RATE_PLACES = Decimal("0.0001")
BUCKETS = (
    ("1_30", 1, 30),
    ("31_90", 31, 90),
    ("91_180", 91, 180),
    ("181_365", 181, 365),
    ("365_plus", 366, None),
)
BUCKET_KEYS = tuple(key for key, _, _ in BUCKETS)
# Labels of the values named in the messages (translated with them).
_OLDEST_DUE = LibMessage(_lt("The oldest unpaid due date"))
_AS_OF = LibMessage(_lt("The reference date"))
_LAST_CONTACT = LibMessage(_lt("The last contact date"))
_AMOUNT_DUE = LibMessage(_lt("The amount due"))
_AMOUNT_RECOVERED = LibMessage(_lt("The amount recovered"))
_DEFAULTED = LibMessage(_lt("The defaulted principal"))
_IN_REPAYMENT = LibMessage(_lt("The principal in repayment"))
_DAYS = LibMessage(_lt("The days past due"))
_THRESHOLD = LibMessage(_lt("The default threshold"))
_WINDOW = LibMessage(_lt("The contact window"))


def days_past_due(oldest_unpaid_due_date, as_of):
    """Days past due on ``as_of`` for the oldest unpaid due date (``None``: 0)."""
    if oldest_unpaid_due_date is None:
        return 0
    _check_date(oldest_unpaid_due_date, _OLDEST_DUE)
    _check_date(as_of, _AS_OF)
    return max(0, (as_of - oldest_unpaid_due_date).days)


def bucket_for(days, buckets=BUCKETS):
    """The bucket key for ``days`` past due, or ``None`` when not overdue."""
    if isinstance(days, bool) or not isinstance(days, int):
        raise LibError(_lt("Days past due must be a whole number, got %(days)s."), days=repr(days))  # noqa: TRY004
    if days < 0:
        raise LibError(_lt("Days past due must not be negative, got %(days)s."), days=days)
    for key, low, high in buckets:
        if days >= low and (high is None or days <= high):
            return key
    return None


def recovery_rate(amount_due, amount_recovered):
    """``recovered / due`` as a fraction in [0, 1] (1 when nothing fell due)."""
    due = _amount(amount_due, _AMOUNT_DUE)
    recovered = _amount(amount_recovered, _AMOUNT_RECOVERED)
    if not due:
        return Decimal(1).quantize(RATE_PLACES)
    return min(Decimal(1), recovered / due).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def default_rate(defaulted_principal, principal_in_repayment):
    """``defaulted / in repayment`` as a fraction in [0, 1] (0 when nothing is in repayment)."""
    defaulted = _amount(defaulted_principal, _DEFAULTED)
    base = _amount(principal_in_repayment, _IN_REPAYMENT)
    if not base:
        return Decimal(0).quantize(RATE_PLACES)
    if defaulted > base:
        raise LibError(
            _lt("The defaulted principal %(defaulted)s exceeds the principal in repayment %(base)s."),
            defaulted=defaulted,
            base=base,
        )
    return (defaulted / base).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def is_default(days, threshold_days, last_contact_date, as_of, contact_window_days):
    """Whether an overdue loan becomes a default case (see the module's conventions)."""
    for value, name in ((days, _DAYS), (threshold_days, _THRESHOLD), (contact_window_days, _WINDOW)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise LibError(_lt("%(name)s must be a whole number >= 0, got %(value)s."), name=name, value=repr(value))
    _check_date(as_of, _AS_OF)
    if days <= threshold_days:
        return False
    if last_contact_date is None:
        return True
    _check_date(last_contact_date, _LAST_CONTACT)
    return (as_of - last_contact_date).days > contact_window_days


def _amount(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise LibError(_lt("%(name)s must be a number, got %(value)s."), name=name, value=repr(value))  # noqa: TRY004
    try:
        result = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        raise LibError(_lt("%(name)s must be a number, got %(value)s."), name=name, value=repr(value)) from None
    if not result.is_finite() or result < 0:
        raise LibError(_lt("%(name)s must be a finite amount >= 0, got %(value)s."), name=name, value=repr(value))
    return result


def _check_date(value, name):
    if not isinstance(value, date) or isinstance(value, datetime):
        raise LibError(_lt("%(name)s must be a datetime.date, got %(value)s."), name=name, value=repr(value))  # noqa: TRY004
