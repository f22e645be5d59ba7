"""Loan policy arithmetic: caps, amounts, rates and terms (plain Python, no Odoo import).

The numbers themselves are parameters of each academic year's policy record; these functions
only apply them. Money is ``decimal.Decimal`` in yuan.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from .errors import LibError, LibMessage, _lt

GRADUATE_LEVELS = ("master", "doctor")
MAX_MONEY = 10**12


def cap_for_level(level, cap_undergraduate, cap_graduate):
    """The year's cap for a study level: vocational and undergraduate share one cap."""
    if not level:
        raise LibError(_lt("The study level is missing."))
    return Decimal(cap_graduate if level in GRADUATE_LEVELS else cap_undergraduate)


def parse_money(value, label=None):
    """``value`` as a finite Decimal of plausible size (a client can send NaN, Infinity or 1e300).

    :param label: what the value is, a :class:`LibMessage` ("The amount" by default)
    """
    label = label or LibMessage(_lt("The amount"))
    try:
        amount = Decimal(value or 0)
    except (TypeError, ValueError, ArithmeticError) as error:
        raise LibError(_lt("%(label)s must be a number, not %(value)s."), label=label, value=repr(value)) from error
    if not amount.is_finite() or abs(amount) >= MAX_MONEY:
        raise LibError(
            _lt("%(label)s must be a number below %(max)s yuan, not %(value)s."),
            label=label,
            max=f"{MAX_MONEY:,}",
            value=repr(value),
        )
    return amount


def requested_amount(tuition, accommodation, cap):
    """The actual need (据实): tuition + accommodation, whole yuan, limited by the cap."""
    need = parse_money(tuition, LibMessage(_lt("The tuition"))) + parse_money(
        accommodation, LibMessage(_lt("The accommodation"))
    )
    if need < 0:
        raise LibError(_lt("Tuition and accommodation cannot be negative."))
    need = need.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return min(need, Decimal(cap))


def check_amount(amount, minimum, cap, need=None):
    """Return a list of reasons (:class:`LibMessage`) why ``amount`` is not acceptable (empty when it is)."""
    reasons = []
    try:
        amount = parse_money(amount)
    except ValueError as error:
        return [error.message]
    minimum = parse_money(minimum, LibMessage(_lt("The minimum")))
    cap = parse_money(cap, LibMessage(_lt("The cap")))
    need = None if need is None else parse_money(need, LibMessage(_lt("The actual need")))
    if amount != amount.to_integral_value():
        reasons.append(LibMessage(_lt("The amount must be a whole number of yuan, not %(amount)s."), amount=amount))
    if amount < Decimal(minimum):
        reasons.append(
            LibMessage(
                _lt("The amount %(amount)s is below the minimum of %(minimum)s yuan."),
                amount=f"{amount:,.0f}",
                minimum=f"{Decimal(minimum):,.0f}",
            )
        )
    if amount > Decimal(cap):
        reasons.append(
            LibMessage(
                _lt("The amount %(amount)s is above the year's cap of %(cap)s yuan."),
                amount=f"{amount:,.0f}",
                cap=f"{Decimal(cap):,.0f}",
            )
        )
    if need is not None and amount > Decimal(need):
        reasons.append(
            LibMessage(
                _lt("The amount %(amount)s is above the actual need (tuition + accommodation) of %(need)s yuan."),
                amount=f"{amount:,.0f}",
                need=f"{Decimal(need):,.0f}",
            )
        )
    return reasons


def contract_rate(lpr_percent, spread_bp):
    """Fixed contract rate in percent: the same-term LPR minus the spread in basis points."""
    rate = parse_money(str(lpr_percent), LibMessage(_lt("The LPR"))) - parse_money(
        spread_bp, LibMessage(_lt("The spread"))
    ) / Decimal(100)
    rate = rate.quantize(Decimal("0.0001"))
    if rate <= 0:
        raise LibError(
            _lt("LPR %(lpr)s%% minus %(spread)s bp leaves no positive rate."), lpr=lpr_percent, spread=spread_bp
        )
    return rate


def remaining_study_years(enrolment_year, study_years, academic_year):
    """Years of study left at the start of ``academic_year`` (the current year included)."""
    remaining = enrolment_year + study_years - academic_year
    if remaining < 1:
        raise LibError(
            _lt("A student enrolled in %(enrolment)s for %(years)s years is no longer studying in %(year)s."),
            enrolment=enrolment_year,
            years=study_years,
            year=academic_year,
        )
    return remaining


def term_years(remaining_years, extra_years, max_years):
    """Loan term: remaining study years + the policy's extra years, at most ``max_years``."""
    return min(remaining_years + extra_years, max_years)


def graduation_date(enrolment_year, study_years):
    """Expected graduation: 1 July of the last year of study."""
    try:
        return datetime.date(enrolment_year + study_years, 7, 1)
    except OverflowError as error:
        raise LibError(
            _lt("The year %(enrolment)s + %(years)s is out of range."), enrolment=enrolment_year, years=study_years
        ) from error


def maturity_date(start, years):
    """``years`` after ``start`` (29 February falls back to 28 February)."""
    try:
        return start.replace(year=start.year + years)
    except OverflowError as error:
        raise LibError(_lt("%(years)s years after %(start)s is out of range."), years=years, start=start) from error
    except ValueError:
        return start.replace(year=start.year + years, day=28)
