"""Penalty interest (罚息) on overdue principal.

Plain Python (stdlib only, no Odoo import), like ``repayment``.

Conventions
-----------
Rate
    The penalty rate is the contract's annual rate times a policy multiple (1.3 for
    "130 %" of the contract rate): ``penalty_rate = annual_rate × multiple``.
Accrual (ACT/360, daily)
    Penalty interest accrues day by day on the principal that is overdue on that
    day: ``Σ overdue_principal(day) × penalty_rate / 360`` over the days from the
    accrual start (included) to its end (excluded). The sum is kept exact and
    rounded once to the fen (ROUND_HALF_UP) per accrual run, so splitting a period
    in two changes the total by at most one fen.
Overdue principal
    Given as *segments* ``(from_date, amount)``: ``amount`` is overdue from
    ``from_date`` until the next segment's date. Before the first segment nothing is
    overdue; amounts are fen amounts >= 0.
Waivers
    A waiver is a half-open date range ``[start, end)`` in which no penalty interest
    accrues (e.g. a policy year in which it was waived for everyone:
    ``year_waiver(2022)``). Overlapping waivers count each day once.

Every bad input raises ``LibError`` (a ``ValueError``) with an English message id naming the value,
translated by the Odoo layer (``student_loan.models.lib_errors``).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext

from .errors import LibError, LibMessage, _lt

FEN = Decimal("0.01")
DAYS_IN_YEAR_BASIS = 360
_CONTEXT = Context(prec=40)
# Labels of the values named in the messages (translated with them).
_WAIVER_START = LibMessage(_lt("The waiver start"))
_WAIVER_END = LibMessage(_lt("The waiver end"))
_CONTRACT_RATE = LibMessage(_lt("The contract rate"))
_PENALTY_MULTIPLE = LibMessage(_lt("The penalty multiple"))
_START_DATE = LibMessage(_lt("The start date"))
_END_DATE = LibMessage(_lt("The end date"))
_DUE_DATE = LibMessage(_lt("The due date"))
_PRINCIPAL_DUE = LibMessage(_lt("The principal due"))
_PAYMENT_DATE = LibMessage(_lt("The payment date"))
_PRINCIPAL_PAID = LibMessage(_lt("The principal paid"))
_SEGMENT_DATE = LibMessage(_lt("The segment date"))
_OVERDUE_PRINCIPAL = LibMessage(_lt("The overdue principal"))


@dataclass(frozen=True)
class Waiver:
    """No penalty interest accrues from ``start`` (included) to ``end`` (excluded)."""

    start: date
    end: date
    reason: str = ""

    def __post_init__(self):
        _check_date(self.start, _WAIVER_START)
        _check_date(self.end, _WAIVER_END)
        if self.end < self.start:
            raise LibError(
                _lt("The waiver ends on %(end)s, before it starts on %(start)s."), end=self.end, start=self.start
            )


@dataclass(frozen=True)
class Accrual:
    """The result of one accrual run."""

    amount: Decimal  # penalty interest, rounded to the fen
    days_charged: int  # days with overdue principal and no waiver
    days_waived: int  # days with overdue principal inside a waiver
    waived_amount: Decimal  # what the waived days would have cost, rounded to the fen


def year_waiver(year, reason=""):
    """A waiver of the whole calendar year ``year``."""
    if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2200:
        raise LibError(_lt("The waiver year must be a calendar year, got %(year)s."), year=repr(year))
    return Waiver(date(year, 1, 1), date(year + 1, 1, 1), reason)


def penalty_rate(annual_rate, multiple):
    """The annual penalty rate: ``annual_rate × multiple`` (0.0325 × 1.3 = 0.04225)."""
    rate = _to_decimal(annual_rate, _CONTRACT_RATE)
    if not 0 <= rate < 1:
        raise LibError(
            _lt("The contract rate must be a fraction with 0 <= rate < 1 (0.0325 for 3.25%%), got %(rate)s."),
            rate=rate,
        )
    factor = _to_decimal(multiple, _PENALTY_MULTIPLE)
    if not 1 <= factor <= 5:
        raise LibError(
            _lt("The penalty multiple must be between 1 and 5 (1.3 for 130%%), got %(multiple)s."), multiple=factor
        )
    with localcontext(_CONTEXT):
        return rate * factor


def waived_ranges(start, end, waivers):
    """The waivers clipped to ``[start, end)``, merged into disjoint ``(start, end)`` ranges in order."""
    ranges = []
    for waiver in waivers:
        if not isinstance(waiver, Waiver):
            raise LibError(_lt("A waiver must be a Waiver, got %(value)s."), value=repr(waiver))  # noqa: TRY004
        low, high = max(start, waiver.start), min(end, waiver.end)
        if low < high:
            ranges.append((low, high))
    merged = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def _overlap_days(low, high, ranges):
    return sum(max(0, (min(high, r_high) - max(low, r_low)).days) for r_low, r_high in ranges)


def accrue(segments, annual_rate, multiple, start, end, waivers=()):
    """Penalty interest from ``start`` (included) to ``end`` (excluded).

    :param segments: ``[(from_date, overdue_principal), ...]`` in date order
    :param annual_rate: the contract's annual rate as a fraction (0.0325)
    :param multiple: the policy's penalty multiple (1.3)
    :param waivers: ``Waiver`` ranges in which nothing accrues
    :return: an ``Accrual``
    """
    _check_date(start, _START_DATE)
    _check_date(end, _END_DATE)
    if end < start:
        raise LibError(_lt("The accrual period ends on %(end)s, before it starts on %(start)s."), end=end, start=start)
    rate = penalty_rate(annual_rate, multiple)
    steps = _check_segments(segments)
    waived = waived_ranges(start, end, waivers)
    charged_sum = waived_sum = Decimal(0)
    days_charged = days_waived = 0
    for index, (seg_start, amount) in enumerate(steps):
        seg_end = steps[index + 1][0] if index + 1 < len(steps) else end
        low, high = max(seg_start, start), min(seg_end, end)
        if high <= low or not amount:
            continue
        total = (high - low).days
        skipped = _overlap_days(low, high, waived)
        days_charged += total - skipped
        days_waived += skipped
        charged_sum += amount * (total - skipped)
        waived_sum += amount * skipped
    with localcontext(_CONTEXT):
        amount = (charged_sum * rate / DAYS_IN_YEAR_BASIS).quantize(FEN, rounding=ROUND_HALF_UP)
        waived_amount = (waived_sum * rate / DAYS_IN_YEAR_BASIS).quantize(FEN, rounding=ROUND_HALF_UP)
    return Accrual(amount, days_charged, days_waived, waived_amount)


def segments_from_dues(dues, payments=()):
    """Overdue-principal segments from principal instalments and principal repaid.

    :param dues: ``[(due_date, principal_due), ...]``: principal becomes overdue the
        day after its due date
    :param payments: ``[(date, principal_paid), ...]``: principal paid towards these
        instalments; on each day the overdue principal is what fell due before it
        minus what was paid up to it (never below 0: a payment on or before the due
        date covers the instalment when it falls due)
    :return: ``[(date, overdue_principal), ...]`` suitable for ``accrue``
    """
    due_events, paid_events = {}, {}
    for day, amount in dues:
        _check_date(day, _DUE_DATE)
        key = day + timedelta(days=1)
        due_events[key] = due_events.get(key, Decimal(0)) + _check_amount(amount, _PRINCIPAL_DUE)
    for day, amount in payments:
        _check_date(day, _PAYMENT_DATE)
        paid_events[day] = paid_events.get(day, Decimal(0)) + _check_amount(amount, _PRINCIPAL_PAID)
    segments, fallen_due, paid = [], Decimal(0), Decimal(0)
    for day in sorted(set(due_events) | set(paid_events)):
        fallen_due += due_events.get(day, Decimal(0))
        paid += paid_events.get(day, Decimal(0))
        segments.append((day, max(Decimal(0), fallen_due - paid).quantize(FEN)))
    return segments


# ---------------------------------------------------------------------- internals


def _check_segments(segments):
    steps = []
    previous = None
    for item in segments:
        try:
            day, amount = item
        except (TypeError, ValueError):
            raise LibError(_lt("A segment must be (date, amount), got %(value)s."), value=repr(item)) from None
        _check_date(day, _SEGMENT_DATE)
        if previous is not None and day <= previous:
            raise LibError(
                _lt("Segment dates must increase: %(date)s follows %(previous)s."), date=day, previous=previous
            )
        steps.append((day, _check_amount(amount, _OVERDUE_PRINCIPAL)))
        previous = day
    return steps


def _check_amount(value, name):
    amount = _to_decimal(value, name)
    if amount < 0:
        raise LibError(_lt("%(name)s must not be negative, got %(value)s."), name=name, value=amount)
    if amount != amount.quantize(FEN):
        raise LibError(_lt("%(name)s %(value)s has fractions of a fen."), name=name, value=amount)
    return amount


def _to_decimal(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise LibError(_lt("%(name)s must be a number, got %(value)s."), name=name, value=repr(value))  # noqa: TRY004
    try:
        result = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        raise LibError(_lt("%(name)s must be a number, got %(value)s."), name=name, value=repr(value)) from None
    if not result.is_finite():
        raise LibError(_lt("%(name)s must be a finite number, got %(value)s."), name=name, value=repr(value))
    return result


def _check_date(value, name):
    if not isinstance(value, date) or isinstance(value, datetime):
        raise LibError(_lt("%(name)s must be a datetime.date, got %(value)s."), name=name, value=repr(value))  # noqa: TRY004
