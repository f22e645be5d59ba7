"""Loan policy arithmetic: caps, amounts, rates and terms (plain Python, no Odoo import).

The numbers themselves are parameters of each academic year's policy record; these functions
only apply them. Money is ``decimal.Decimal`` in yuan.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

GRADUATE_LEVELS = ("master", "doctor")
MAX_MONEY = 10**12


def cap_for_level(level, cap_undergraduate, cap_graduate):
    """The year's cap for a study level: vocational and undergraduate share one cap."""
    if not level:
        raise ValueError("The study level is missing.")
    return Decimal(cap_graduate if level in GRADUATE_LEVELS else cap_undergraduate)


def parse_money(value, label="The amount"):
    """``value`` as a finite Decimal of plausible size (a client can send NaN, Infinity or 1e300)."""
    try:
        amount = Decimal(value or 0)
    except (TypeError, ValueError, ArithmeticError) as error:
        raise ValueError(f"{label} must be a number, not {value!r}.") from error
    if not amount.is_finite() or abs(amount) >= MAX_MONEY:
        raise ValueError(f"{label} must be a number below {MAX_MONEY:,} yuan, not {value!r}.")
    return amount


def requested_amount(tuition, accommodation, cap):
    """The actual need (据实): tuition + accommodation, whole yuan, limited by the cap."""
    need = parse_money(tuition, "The tuition") + parse_money(accommodation, "The accommodation")
    if need < 0:
        raise ValueError("Tuition and accommodation cannot be negative.")
    need = need.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return min(need, Decimal(cap))


def check_amount(amount, minimum, cap, need=None):
    """Return a list of reasons why ``amount`` is not acceptable (empty when it is)."""
    reasons = []
    try:
        amount = parse_money(amount)
    except ValueError as error:
        return [str(error)]
    minimum, cap = parse_money(minimum, "The minimum"), parse_money(cap, "The cap")
    need = None if need is None else parse_money(need, "The actual need")
    if amount != amount.to_integral_value():
        reasons.append(f"The amount must be a whole number of yuan, not {amount}.")
    if amount < Decimal(minimum):
        reasons.append(f"The amount {amount:,.0f} is below the minimum of {Decimal(minimum):,.0f} yuan.")
    if amount > Decimal(cap):
        reasons.append(f"The amount {amount:,.0f} is above the year's cap of {Decimal(cap):,.0f} yuan.")
    if need is not None and amount > Decimal(need):
        reasons.append(
            f"The amount {amount:,.0f} is above the actual need (tuition + accommodation) of {Decimal(need):,.0f} yuan."
        )
    return reasons


def contract_rate(lpr_percent, spread_bp):
    """Fixed contract rate in percent: the same-term LPR minus the spread in basis points."""
    rate = parse_money(str(lpr_percent), "The LPR") - parse_money(spread_bp, "The spread") / Decimal(100)
    rate = rate.quantize(Decimal("0.0001"))
    if rate <= 0:
        raise ValueError(f"LPR {lpr_percent}% minus {spread_bp} bp leaves no positive rate.")
    return rate


def remaining_study_years(enrolment_year, study_years, academic_year):
    """Years of study left at the start of ``academic_year`` (the current year included)."""
    remaining = enrolment_year + study_years - academic_year
    if remaining < 1:
        raise ValueError(
            f"A student enrolled in {enrolment_year} for {study_years} years is no longer studying in {academic_year}."
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
        raise ValueError(f"The year {enrolment_year} + {study_years} is out of range.") from error


def maturity_date(start, years):
    """``years`` after ``start`` (29 February falls back to 28 February)."""
    try:
        return start.replace(year=start.year + years)
    except OverflowError as error:
        raise ValueError(f"{years} years after {start} is out of range.") from error
    except ValueError:
        return start.replace(year=start.year + years, day=28)
