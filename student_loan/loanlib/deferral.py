"""Principal deferral (本金延期) and interest-subsidy extension (贴息延期) on a plan.

Plain Python (stdlib only, no Odoo import), on top of ``repayment``.

Conventions
-----------
Principal deferral of ``years`` years from ``change_date``
    The repayment due dates in the ``years`` years after ``change_date`` become
    interest-only: the deferral ends on the last repayment due date on or before
    ``change_date + years`` (``LoanTerms.deferral_end``). The maturity moves by
    ``years`` years, so the number of repayment lines left is unchanged. The lines
    due on or before ``change_date`` stand; the rest is projected again (the
    instalment is recomputed from the balance and the remaining lines). Interest
    keeps accruing and is due on the deferred dates; no penalty interest arises
    from a deferred date (nothing is overdue).
Interest-subsidy extension until ``new_subsidy_end``
    The state pays the interest accrued before ``new_subsidy_end`` instead of the
    student (``LoanTerms.subsidy_end``); the lines due on or before ``change_date``
    stand, the rest is projected again. The principal schedule does not change.
"""

from dataclasses import replace

from . import repayment
from .errors import LibError, _lt


def defer_principal(plan, change_date, years):
    """Return ``plan`` with its principal deferred ``years`` years from ``change_date``.

    :raises LibError: if ``years`` is not 1..5, ``change_date`` is outside
        (disbursement, maturity), the loan is repaid, or no principal falls due in
        the deferral period (nothing to defer).
    """
    terms = repayment._check_plan(plan)
    repayment._check_date(change_date, "change_date")
    if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= 5:
        raise LibError(_lt("A principal deferral lasts 1 to 5 whole years, got %(years)s."), years=repr(years))
    if not terms.disbursement_date < change_date < terms.maturity_date:
        raise LibError(
            _lt(
                "The deferral date %(date)s must be after the disbursement date %(disbursement)s "
                "and before the maturity date %(maturity)s."
            ),
            date=change_date,
            disbursement=terms.disbursement_date,
            maturity=terms.maturity_date,
        )
    kept, start, balance = repayment._split_at(plan, change_date)
    limit = repayment.add_years(change_date, years)
    deferred = [line.date for line in plan.lines if change_date < line.date <= limit and line.kind == "repayment"]
    if not deferred:
        raise LibError(
            _lt("No principal falls due between %(date)s and %(limit)s: there is nothing to defer."),
            date=change_date,
            limit=limit,
        )
    new_terms = replace(
        terms,
        deferral_end=deferred[-1],
        maturity_date=repayment.add_years(terms.maturity_date, years),
    )
    return repayment.Plan(new_terms, (*kept, *repayment._project(new_terms, start, balance)))


def extend_subsidy(plan, change_date, new_subsidy_end):
    """Return ``plan`` with the interest subsidy extended until ``new_subsidy_end``.

    :raises LibError: if ``change_date`` is outside (disbursement, maturity), the
        new end is not later than the current student-pay start nor after
        ``change_date``, or the loan is repaid.
    """
    terms = repayment._check_plan(plan)
    repayment._check_date(change_date, "change_date")
    repayment._check_date(new_subsidy_end, "new_subsidy_end")
    if not terms.disbursement_date < change_date < terms.maturity_date:
        raise LibError(
            _lt(
                "The extension date %(date)s must be after the disbursement date %(disbursement)s "
                "and before the maturity date %(maturity)s."
            ),
            date=change_date,
            disbursement=terms.disbursement_date,
            maturity=terms.maturity_date,
        )
    if new_subsidy_end <= terms.student_pay_start:
        raise LibError(
            _lt("The interest subsidy already runs until %(current)s: an extension must end later, got %(end)s."),
            current=terms.student_pay_start,
            end=new_subsidy_end,
        )
    if new_subsidy_end > terms.maturity_date:
        raise LibError(
            _lt("The subsidy cannot end after the maturity date %(maturity)s."), maturity=terms.maturity_date
        )
    kept, start, balance = repayment._split_at(plan, change_date)
    new_terms = replace(terms, subsidy_end=new_subsidy_end)
    return repayment.Plan(new_terms, (*kept, *repayment._project(new_terms, start, balance)))
