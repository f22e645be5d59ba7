"""Repayment plans of student-origin credit student loans (生源地信用助学贷款).

Plain Python (stdlib only, no Odoo import). Each academic year's loan is its own
contract; this module turns one contract's terms into a dated plan and recomputes
that plan after an early repayment or a change of study length (学制). The policy
rules (term, grace years, rate) are the caller's business: the engine takes their
results (maturity date, grace years, annual rate) as input.

Conventions
-----------
Money
    ``decimal.Decimal`` yuan, every amount rounded to the fen (0.01) with
    ROUND_HALF_UP, each amount on a line on its own. The last line repays the
    whole remaining balance, so the principal repaid equals the principal lent.
    Floats are accepted as input and read through ``str()``.
Interest (ACT/360)
    ``interest = balance × annual_rate × days / 360`` for an accrual period, where
    ``days`` counts calendar days from the period start (included) to its end
    (excluded). A line's accrual period runs from the previous line's date (the
    disbursement date for the first line) to the line's date.
Subsidy (财政贴息)
    The student pays interest from the *student-pay start*, 1 September of the
    graduation year; interest on the days before it is paid by the state. A period
    straddling that date is split by days: ``subsidised_interest`` is the interest
    on the days before 1 September, ``interest`` (student-payable) the interest on
    the days from it, each rounded separately.
Schedule
    * Interest-only lines on the yearly settlement date (``settlement_month`` /
      ``settlement_day``, default 20 December) after the disbursement date, up to
      and including the grace end (graduation date + ``grace_years``; 29 February
      falls back to 28 February). Kind ``'study'`` when due on or before the
      student-pay start (all interest subsidised), otherwise ``'grace'``.
    * If the grace end is not a settlement date, a ``'grace'`` line on the grace
      end settles the interest accrued to it, so repayment starts with no accrued
      interest and the first repayment period is at most one period long.
    * ``'repayment'`` lines on each due date after the grace end and before the
      maturity date, plus a last line on the maturity date. Due dates are the
      yearly settlement date (``frequency='yearly'``) or the settlement day of every
      month, clamped to the month's last day (``frequency='monthly'``). When the
      grace end is the maturity date, the whole principal is due on that date.
Repayment methods (balance ``B`` at the first remaining repayment line, ``n``
remaining repayment lines, period rate ``i = annual_rate / 1 or 12``)
    * ``'annuity'`` (等额本息): instalment ``A = B·i / (1 − (1 + i)^−n)``
      (``B / n`` when the rate is 0), rounded to the fen. Each line's interest is
      still ACT/360 on its days and its principal is ``A − interest`` (subsidised
      and student interest together), floored at 0 and capped at the balance; so
      every line but the last totals ``A``, unless ``A`` does not cover the
      interest or irregular first/last periods let the balance run out early.
    * ``'linear'`` (等额本金): principal ``B / n`` rounded to the fen (capped at the
      balance) on every line but the last, interest ACT/360 on the balance.
Conventions of the calendar (``LoanTerms.convention``)
    * ``'legacy'`` (the default, the plans stored so far): as described under
      Schedule, a grace-end line (e.g. 1 July) outside the yearly settlement
      calendar, and a last line on the maturity date however short its period (a
      maturity one day after the last 20 December gives a one-day line).
    * ``'bank'`` (how the bank bills: every line on its settlement calendar): no
      grace-end line, the interest accrued to the grace end is settled with the
      next settlement date, which is the first repayment line; the last line is
      the last due date on or before the maturity date (on the maturity date only
      when no due date falls between the grace end and it, e.g. a bullet
      repayment). Every period is then a whole period, so the annuity is level
      but for the rounding of the last line and the 365/366-day years.
    **The bank convention is the one the bank bills by, and the convention of every
    contract's plan** (``student.loan.contract.plan_convention``, ``'bank'`` for new
    plans; the repayment addon's 18.0.1.1.0 migration re-projected the unsettled
    lines of the plans stored before under ``'legacy'``, keeping the settled ones).
    The engine's default stays ``'legacy'`` for callers that build a plan from bare
    terms (the worked examples of the plain tests); pass ``convention='bank'``.
    The settlement run (结息) does not depend on the convention: it settles the
    stored lines' periods (``period_start`` to the due date) whatever their dates.
Relief (module ``deferral``)
    ``LoanTerms.subsidy_end`` (interest-subsidy extension, 贴息延期) moves the
    student-pay start; ``LoanTerms.deferral_end`` (principal deferral, 本金延期) moves
    the grace end, so the lines up to it are interest only. Both default to ``None``
    (no relief): plans without relief are unchanged.
Events
    Both keep the lines due on or before the event date unchanged and project the
    rest of the plan from there with the same due dates and maturity; the
    instalment is recomputed from the new balance and the remaining line count.

    * Early repayment (``apply_prepayment``) adds a ``'prepayment'`` line on the
      payment date: the payment first settles the student interest accrued since
      the last line (the state's share accrued to that date is settled on the same
      line as ``subsidised_interest``), the rest repays principal. Repaying the
      whole balance closes the plan: no line follows.
    * A study change (``recompute_for_study_change``) replaces the graduation date
      (and the maturity date when given). The accrual period in progress at the
      change date is not settled yet, so it is recomputed under the new terms.
"""

import calendar
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext

from .errors import LibError, _lt

FEN = Decimal("0.01")
DAYS_IN_YEAR_BASIS = 360
METHODS = ("annuity", "linear")
CONVENTIONS = ("legacy", "bank")
FREQUENCIES = {"yearly": 1, "monthly": 12}
KINDS = ("study", "grace", "repayment", "prepayment")

# Enough digits for any realistic balance × rate × days, whatever the caller's context.
_CONTEXT = Context(prec=34)
_ZERO = Decimal("0.00")
# Every bad input raises LibError (a ValueError), wrong types included (hence the TRY004 noqa):
# callers turn it into user-facing errors with ``lib_error_message``.


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class PlanLine:
    """One due date of a plan. Amounts are ``Decimal`` yuan rounded to the fen.

    ``principal`` + ``interest`` is what the student pays on ``date``;
    ``subsidised_interest`` is what the state pays; ``balance`` is the principal
    outstanding after the line; ``days`` the accrual days from ``period_start``.
    """

    date: date
    kind: str  # 'study' | 'grace' | 'repayment' | 'prepayment'
    principal: Decimal
    interest: Decimal
    subsidised_interest: Decimal
    balance: Decimal
    days: int
    period_start: date  # pylint: disable=used-before-assignment

    @property
    def total(self):
        """What the student pays on the line: principal + student interest."""
        return self.principal + self.interest


@dataclass(frozen=True)
class LoanTerms:
    """The terms of one contract, validated and normalised on creation."""

    principal: Decimal
    annual_rate: Decimal
    disbursement_date: date
    graduation_date: date
    maturity_date: date
    grace_years: int
    method: str = "annuity"
    frequency: str = "yearly"
    settlement_month: int = 12
    settlement_day: int = 20
    # Relief (see ``deferral``): the state pays the interest until this date instead of the
    # 1 September of the graduation year; and no principal falls due until this date.
    subsidy_end: date | None = None
    deferral_end: date | None = None
    # Due-date calendar (see the module's "Conventions of the calendar"); "legacy" keeps the plans stored so far.
    convention: str = "legacy"

    def __post_init__(self):
        principal = _to_decimal(self.principal, "principal")
        if principal <= 0 or principal != principal.to_integral_value():
            raise LibError(
                _lt("principal must be a positive whole number of yuan, got %(principal)s."), principal=principal
            )
        rate = _check_rate(self.annual_rate)
        object.__setattr__(self, "principal", principal.quantize(FEN))
        object.__setattr__(self, "annual_rate", rate)
        for name in ("disbursement_date", "graduation_date", "maturity_date"):
            _check_date(getattr(self, name), name)
        if self.method not in METHODS:
            raise LibError(
                _lt("method must be one of %(methods)s, got %(method)s."), methods=METHODS, method=repr(self.method)
            )
        if self.frequency not in FREQUENCIES:
            raise LibError(
                _lt("frequency must be one of %(frequencies)s, got %(frequency)s."),
                frequencies=tuple(FREQUENCIES),
                frequency=repr(self.frequency),
            )
        if not _is_int(self.grace_years) or self.grace_years < 0:
            raise LibError(
                _lt("grace_years must be a whole number >= 0, got %(years)s."),
                years=repr(self.grace_years),
            )
        _check_settlement_day(self.settlement_month, self.settlement_day)
        if self.convention not in CONVENTIONS:
            raise LibError(
                _lt("convention must be one of %(conventions)s, got %(convention)s."),
                conventions=CONVENTIONS,
                convention=repr(self.convention),
            )
        for name in ("subsidy_end", "deferral_end"):
            if getattr(self, name) is not None:
                _check_date(getattr(self, name), name)
        if self.subsidy_end is not None and self.subsidy_end < student_pay_start(self.graduation_date):
            raise LibError(
                _lt(
                    "The interest subsidy cannot end on %(end)s, before %(start)s (1 September of the graduation year)."
                ),
                end=self.subsidy_end,
                start=student_pay_start(self.graduation_date),
            )
        if self.disbursement_date >= self.graduation_date:
            raise LibError(
                _lt("The disbursement date %(disbursement)s must be before the graduation date %(graduation)s."),
                disbursement=self.disbursement_date,
                graduation=self.graduation_date,
            )
        if self.graduation_date > self.maturity_date:
            raise LibError(
                _lt("The graduation date %(graduation)s must not be after the maturity date %(maturity)s."),
                graduation=self.graduation_date,
                maturity=self.maturity_date,
            )
        if self.grace_end > self.maturity_date:
            raise LibError(
                _lt(
                    "The grace period ends on %(grace_end)s (%(years)s years after graduation), "
                    "after the maturity date %(maturity)s."
                ),
                grace_end=self.grace_end,
                years=self.grace_years,
                maturity=self.maturity_date,
            )

    @property
    def student_pay_start(self):
        """1 September of the graduation year (or the extended ``subsidy_end``): the student pays
        interest from it."""
        return self.subsidy_end or student_pay_start(self.graduation_date)

    @property
    def grace_end(self):
        """End of the principal grace period: graduation date + grace years, or the end of a
        principal deferral when later."""
        end = add_years(self.graduation_date, self.grace_years)
        return max(end, self.deferral_end) if self.deferral_end else end


@dataclass(frozen=True)
class Plan:
    """A contract's terms and its ordered lines (``lines`` sorted by date)."""

    terms: LoanTerms
    lines: tuple

    @property
    def total_principal(self):
        return sum((line.principal for line in self.lines), _ZERO)

    @property
    def total_interest(self):
        """Student-payable interest of the whole plan."""
        return sum((line.interest for line in self.lines), _ZERO)

    @property
    def total_subsidised_interest(self):
        return sum((line.subsidised_interest for line in self.lines), _ZERO)

    def balance_on(self, day):
        """Principal outstanding after the lines due on or before ``day``."""
        balance = self.terms.principal
        for line in self.lines:
            if line.date > day:
                break
            balance = line.balance
        return balance


# ------------------------------------------------------------------ public helpers


def add_years(day, years):
    """``day`` moved by ``years`` years; 29 February falls back to 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def student_pay_start(graduation_date):
    """1 September of the graduation year (interest before it is subsidised)."""
    return date(graduation_date.year, 9, 1)


def settlement_interest(balance, rate, start, end):
    """ACT/360 interest on ``balance`` from ``start`` (included) to ``end`` (excluded).

    ``balance`` and ``rate`` may be Decimal, int, str or float (e.g. 0.0435 for
    4.35%). Returns a Decimal rounded to the fen (ROUND_HALF_UP).
    """
    balance = _to_decimal(balance, "balance")
    if balance < 0:
        raise LibError(_lt("balance must not be negative, got %(balance)s."), balance=balance)
    rate = _check_rate(rate)
    _check_date(start, "start")
    _check_date(end, "end")
    if end < start:
        raise LibError(_lt("The period end %(end)s is before its start %(start)s."), end=end, start=start)
    return _interest(balance, rate, (end - start).days)


def split_interest(balance, rate, start, end, pay_start):
    """Split a period's interest into ``(subsidised, student)`` at ``pay_start``.

    Days before ``pay_start`` (the student-pay start, see ``student_pay_start``) are
    subsidised, days from it are the student's; each part is ACT/360 on its own
    days, rounded to the fen.
    """
    for value, name in ((start, "start"), (end, "end"), (pay_start, "pay_start")):
        _check_date(value, name)
    cut = min(max(pay_start, start), end) if start <= end else end
    return (
        settlement_interest(balance, rate, start, cut),
        settlement_interest(balance, rate, cut, end),
    )


# ------------------------------------------------------------------------- engine


def build_plan(
    principal,
    annual_rate,
    disbursement_date,
    graduation_date,
    maturity_date,
    grace_years,
    method="annuity",
    frequency="yearly",
    settlement_month=12,
    settlement_day=20,
    convention="legacy",
):
    """Build the plan of one contract from disbursement to maturity.

    :param principal: amount lent, whole yuan (int, Decimal, str or integral float)
    :param annual_rate: fixed annual rate as a fraction, e.g. ``Decimal("0.0435")``
    :param grace_years: principal grace years after graduation (5 from 2020 on)
    :param method: ``'annuity'`` (等额本息) or ``'linear'`` (等额本金)
    :param frequency: ``'yearly'`` or ``'monthly'`` repayment lines
    :param convention: the due-date calendar, ``'legacy'`` or ``'bank'`` (see the module's
        "Conventions of the calendar"; contracts use ``'bank'``)
    :raises ValueError: on invalid terms
    """
    terms = LoanTerms(
        principal=principal,
        annual_rate=annual_rate,
        disbursement_date=disbursement_date,
        graduation_date=graduation_date,
        maturity_date=maturity_date,
        grace_years=grace_years,
        method=method,
        frequency=frequency,
        settlement_month=settlement_month,
        settlement_day=settlement_day,
        convention=convention,
    )
    return Plan(terms, tuple(_project(terms, terms.disbursement_date, terms.principal)))


def apply_prepayment(plan, payment_date, amount):
    """Return ``plan`` with an early repayment of ``amount`` yuan on ``payment_date``.

    Lines due on or before ``payment_date`` stand. A ``'prepayment'`` line on
    ``payment_date`` settles the interest accrued since the last line (student part
    paid out of ``amount``, state part as ``subsidised_interest``); the rest of
    ``amount`` repays principal and the remaining lines are recomputed. Paying the
    whole balance plus accrued interest closes the plan.

    :raises ValueError: if the date is outside (disbursement, maturity), the loan is
        already repaid, or ``amount`` is not a fen amount between the accrued
        interest and the outstanding principal plus accrued interest.
    """
    amount = _to_decimal(amount, "amount")
    if amount <= 0:
        raise LibError(_lt("The prepayment amount must be positive, got %(amount)s."), amount=amount)
    if amount != amount.quantize(FEN):
        raise LibError(_lt("The prepayment amount %(amount)s has fractions of a fen."), amount=amount)
    kept, start, balance, subsidised, accrued = _accrual(plan, payment_date)
    payable = balance + accrued
    if amount > payable:
        raise LibError(
            _lt(
                "The prepayment amount %(amount)s exceeds the outstanding principal %(balance)s "
                "plus accrued interest %(accrued)s (%(payable)s) on %(date)s."
            ),
            amount=amount,
            balance=balance,
            accrued=accrued,
            payable=payable,
            date=payment_date,
        )
    if amount < accrued:
        raise LibError(
            _lt(
                "The prepayment amount %(amount)s does not cover the interest %(accrued)s "
                "accrued from %(start)s to %(date)s."
            ),
            amount=amount,
            accrued=accrued,
            start=start,
            date=payment_date,
        )
    principal = amount - accrued
    balance -= principal
    line = PlanLine(
        date=payment_date,
        kind="prepayment",
        principal=principal,
        interest=accrued,
        subsidised_interest=subsidised,
        balance=balance,
        days=(payment_date - start).days,
        period_start=start,
    )
    future = _project(plan.terms, payment_date, balance) if balance else []
    return Plan(plan.terms, (*kept, line, *future))


def change_convention(plan, day, convention):
    """Return ``plan`` with the lines due after ``day`` projected again under ``convention``.

    The lines due on or before ``day`` (the settled ones) stand; the rest is projected from the
    last of them with the new calendar (see "Conventions of the calendar"). ``plan`` itself is
    returned when nothing can move: the loan is repaid on ``day``, or the new calendar has no due
    date after ``day`` (e.g. only the legacy one-day maturity line is left).

    :raises LibError: on an unknown convention or a bad date.
    """
    terms = _check_plan(plan)
    _check_date(day, "day")
    new_terms = replace(terms, convention=convention)
    kept = tuple(line for line in plan.lines if line.date <= day)
    start = kept[-1].date if kept else terms.disbursement_date
    balance = kept[-1].balance if kept else terms.principal
    if not balance or len(kept) == len(plan.lines):
        return plan
    future = _project(new_terms, start, balance)
    if not future or future[-1].balance:
        return plan
    return Plan(new_terms, (*kept, *future))


def payoff_amount(plan, payment_date):
    """Amount that repays ``plan`` in full on ``payment_date``.

    Outstanding principal after the lines due on or before ``payment_date`` plus
    the student interest accrued since the last of them (see ``apply_prepayment``).
    """
    _, _, balance, _, accrued = _accrual(plan, payment_date)
    return balance + accrued


def recompute_for_study_change(plan, change_date, new_graduation_date, new_maturity_date=None):
    """Return ``plan`` recomputed after a change of study length (学制).

    Lines due on or before ``change_date`` stand; the rest is projected from the
    last of them under the new graduation date (which moves the student-pay start
    and the grace end) and ``new_maturity_date`` (default: unchanged).

    :raises ValueError: if ``change_date`` is outside (disbursement, maturity), the
        new graduation date is before ``change_date``, the new maturity date is not
        after ``change_date``, the new terms are invalid (e.g. the grace period
        would end after maturity) or the loan is already repaid.
    """
    terms = _check_plan(plan)
    _check_date(change_date, "change_date")
    _check_date(new_graduation_date, "new_graduation_date")
    if not terms.disbursement_date < change_date < terms.maturity_date:
        raise LibError(
            _lt(
                "The change date %(date)s must be after the disbursement date %(disbursement)s "
                "and before the maturity date %(maturity)s."
            ),
            date=change_date,
            disbursement=terms.disbursement_date,
            maturity=terms.maturity_date,
        )
    if new_graduation_date < change_date:
        raise LibError(
            _lt("The new graduation date %(graduation)s is before the change date %(date)s."),
            graduation=new_graduation_date,
            date=change_date,
        )
    maturity = terms.maturity_date if new_maturity_date is None else new_maturity_date
    _check_date(maturity, "new_maturity_date")
    if maturity <= change_date:
        raise LibError(
            _lt("The new maturity date %(maturity)s must be after the change date %(date)s."),
            maturity=maturity,
            date=change_date,
        )
    new_terms = replace(terms, graduation_date=new_graduation_date, maturity_date=maturity)
    kept, start, balance = _split_at(plan, change_date)
    return Plan(new_terms, (*kept, *_project(new_terms, start, balance)))


# ---------------------------------------------------------------------- internals


def _project(terms, start, balance):
    """Lines due after ``start`` for ``balance`` outstanding from ``start`` on."""
    schedule = [(day, rep) for day, rep in _due_dates(terms) if day > start]
    remaining = sum(1 for _, rep in schedule if rep)
    pay_start = terms.student_pay_start
    per_line = None  # instalment (annuity) or principal (linear) per repayment line
    lines = []
    for day, is_repayment in schedule:
        subsidised, student = split_interest(balance, terms.annual_rate, start, day, pay_start)
        if not is_repayment:
            kind, principal = ("study" if day <= pay_start else "grace"), _ZERO
        else:
            kind = "repayment"
            if per_line is None:
                per_line = _per_line(terms, balance, remaining)
            if remaining == 1:
                principal = balance
            elif terms.method == "linear":
                principal = min(balance, per_line)
            else:
                principal = min(balance, max(_ZERO, per_line - subsidised - student))
            remaining -= 1
        balance -= principal
        lines.append(
            PlanLine(
                date=day,
                kind=kind,
                principal=principal,
                interest=student,
                subsidised_interest=subsidised,
                balance=balance,
                days=(day - start).days,
                period_start=start,
            )
        )
        start = day
    return lines


def _per_line(terms, balance, count):
    """Annuity instalment or linear principal for ``count`` repayment lines."""
    with localcontext(_CONTEXT):
        if terms.method == "linear" or terms.annual_rate == 0:
            amount = balance / count
        else:
            i = terms.annual_rate / FREQUENCIES[terms.frequency]
            amount = balance * i / (1 - (1 + i) ** -count)
        return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def _due_dates(terms):
    """All due dates of the contract as ``(date, is_repayment)``, ascending."""
    grace_end, maturity = terms.grace_end, terms.maturity_date
    month, dom = terms.settlement_month, terms.settlement_day
    dates = [
        (day, False)
        for day in (date(year, month, dom) for year in range(terms.disbursement_date.year, grace_end.year + 1))
        if terms.disbursement_date < day <= grace_end and day < maturity
    ]
    bank = terms.convention == "bank"
    if not bank and grace_end < maturity and (not dates or dates[-1][0] != grace_end):
        dates.append((grace_end, False))
    if terms.frequency == "yearly":
        candidates = (date(year, month, dom) for year in range(grace_end.year, maturity.year + 1))
    else:
        candidates = (
            date(year, mon, min(dom, calendar.monthrange(year, mon)[1]))
            for year in range(grace_end.year, maturity.year + 1)
            for mon in range(1, 13)
        )
    if bank:
        due = [day for day in candidates if grace_end < day <= maturity]
        dates += [(day, True) for day in due] or [(maturity, True)]
        return dates
    dates += [(day, True) for day in candidates if grace_end < day < maturity]
    dates.append((maturity, True))
    return dates


def _accrual(plan, day):
    """Validate a payment date; return the kept lines, accrual start, balance and
    the ``(subsidised, student)`` interest accrued from the last line to ``day``."""
    terms = _check_plan(plan)
    _check_date(day, "payment_date")
    if not terms.disbursement_date < day < terms.maturity_date:
        raise LibError(
            _lt(
                "The payment date %(date)s must be after the disbursement date %(disbursement)s "
                "and before the maturity date %(maturity)s."
            ),
            date=day,
            disbursement=terms.disbursement_date,
            maturity=terms.maturity_date,
        )
    kept, start, balance = _split_at(plan, day)
    subsidised, student = split_interest(balance, terms.annual_rate, start, day, terms.student_pay_start)
    return kept, start, balance, subsidised, student


def _split_at(plan, day):
    """``(lines due on or before day, last accrual start, balance)``; balance > 0."""
    kept = tuple(line for line in plan.lines if line.date <= day)
    start = kept[-1].date if kept else plan.terms.disbursement_date
    balance = kept[-1].balance if kept else plan.terms.principal
    if not balance or len(kept) == len(plan.lines):
        raise LibError(_lt("The loan is already fully repaid on %(date)s."), date=day)
    return kept, start, balance


def _interest(balance, rate, days):
    with localcontext(_CONTEXT):
        raw = balance * rate * days / DAYS_IN_YEAR_BASIS
        return raw.quantize(FEN, rounding=ROUND_HALF_UP)


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


def _check_rate(rate):
    rate = _to_decimal(rate, "annual_rate")
    if not 0 <= rate < 1:
        raise LibError(
            _lt("annual_rate must be a fraction with 0 <= rate < 1 (0.0435 for 4.35%%), got %(rate)s."), rate=rate
        )
    return rate


def _check_date(value, name):
    if not isinstance(value, date) or isinstance(value, datetime):
        raise LibError(_lt("%(name)s must be a datetime.date, got %(value)s."), name=name, value=repr(value))  # noqa: TRY004


def _check_settlement_day(month, day):
    if not (_is_int(month) and 1 <= month <= 12):
        raise LibError(_lt("settlement_month must be 1..12, got %(month)s."), month=repr(month))
    # Must exist every year, so 29 February is refused (2001 is not a leap year).
    if not (_is_int(day) and 1 <= day <= calendar.monthrange(2001, month)[1]):
        raise LibError(
            _lt("settlement_day %(day)s does not exist in month %(month)s every year."), day=repr(day), month=month
        )


def _check_plan(plan):
    if not isinstance(plan, Plan):
        raise LibError(_lt("plan must be a Plan, got %(type)s."), type=type(plan).__name__)  # noqa: TRY004
    return plan.terms


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)
