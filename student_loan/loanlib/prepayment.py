"""The bank's prepayment cycle (提前还款): when a request may be made and when it is paid.

Plain Python (stdlib only, no Odoo import).

Conventions (every number a policy parameter)
-----------
* A request is accepted from day ``apply_from`` to day ``apply_to`` of a month (reported: 1–10).
* It is paid (deducted) on day ``payment_day`` of the same month (reported: the 20th).
* No request in a blocked month (reported: November, the month before the yearly settlement).
"""

from datetime import date, datetime

from .errors import LibError, LibMessage, _lt

_FIRST_DAY = LibMessage(_lt("The first day"))
_LAST_DAY = LibMessage(_lt("The last day"))
_PAYMENT_DAY = LibMessage(_lt("The payment day"))


def check_request(day, apply_from=1, apply_to=10, payment_day=20, blocked_months=(11,)):
    """The payment date of a prepayment requested on ``day``; ``LibError`` when refused."""
    if not isinstance(day, date) or isinstance(day, datetime):
        raise LibError(_lt("The request date must be a datetime.date, got %(value)s."), value=repr(day))  # noqa: TRY004
    for value, name in ((apply_from, _FIRST_DAY), (apply_to, _LAST_DAY), (payment_day, _PAYMENT_DAY)):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 28:
            raise LibError(
                _lt("%(name)s of the prepayment cycle must be a day 1..28, got %(value)s."),
                name=name,
                value=repr(value),
            )
    if not apply_from <= apply_to < payment_day:
        raise LibError(
            _lt("The prepayment cycle needs first day <= last day < payment day, got %(first)s, %(last)s, %(paid)s."),
            first=apply_from,
            last=apply_to,
            paid=payment_day,
        )
    if day.month in blocked_months:
        raise LibError(_lt("No prepayment can be requested in month %(month)s: the bank blocks it."), month=day.month)
    if not apply_from <= day.day <= apply_to:
        raise LibError(
            _lt("Prepayments are requested from day %(first)s to day %(last)s of a month, not on day %(day)s."),
            first=apply_from,
            last=apply_to,
            day=day.day,
        )
    return day.replace(day=payment_day)
