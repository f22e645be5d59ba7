"""The bank's prepayment cycle (提前还款): when a request may be made and when it is paid.

Plain Python (stdlib only, no Odoo import).

Conventions (every number a policy parameter)
-----------
* A request is accepted from day ``apply_from`` to day ``apply_to`` of a month (reported: 1–10).
* It is paid (deducted) on day ``payment_day`` of the same month (reported: the 20th).
* No request in a blocked month (reported: November, the month before the yearly settlement).
"""

from datetime import date, datetime


def check_request(day, apply_from=1, apply_to=10, payment_day=20, blocked_months=(11,)):
    """The payment date of a prepayment requested on ``day``; ``ValueError`` when refused."""
    if not isinstance(day, date) or isinstance(day, datetime):
        raise ValueError(f"The request date must be a datetime.date, got {day!r}.")  # noqa: TRY004
    for value, name in ((apply_from, "first day"), (apply_to, "last day"), (payment_day, "payment day")):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 28:
            raise ValueError(f"The {name} of the prepayment cycle must be a day 1..28, got {value!r}.")
    if not apply_from <= apply_to < payment_day:
        raise ValueError(
            f"The prepayment cycle needs first day <= last day < payment day, got {apply_from}, {apply_to}, "
            f"{payment_day}."
        )
    if day.month in blocked_months:
        raise ValueError(f"No prepayment can be requested in month {day.month}: the bank blocks it.")
    if not apply_from <= day.day <= apply_to:
        raise ValueError(
            f"Prepayments are requested from day {apply_from} to day {apply_to} of a month, not on day {day.day}."
        )
    return day.replace(day=payment_day)
