"""A synthetic repayment history for the synthetic province (``make province-history``).

Set-based SQL over the contracts already loaded by ``make demo-province``: for every disbursed
contract whose student graduated before the "as of" date, the yearly settlements (20 December) of the
last ``years`` years, and the bank's deductions that paid them. Deterministic from the contract id and
the seed: most loans are paid on the due date, some late, some are overdue in every bucket (1-30,
31-90, 91-180, 181-365, > 365 days: an instalment left unpaid, and everything after it), a few are
default cases (some written off) and a few were repaid by the state (代偿). Run once per database:
a second run finds the history and does nothing.
"""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

#: share of contracts in 1/10000 per kind of history, in this order (the rest pays on time)
MIX = (
    ("late", 300),
    ("b1_30", 100),
    ("b31_90", 100),
    ("b91_180", 100),
    ("b181_365", 100),
    ("b365_plus", 80),
    ("default", 15),
    ("relief", 5),
)
#: days past due of the oldest unpaid instalment per kind (low, high)
DAYS = {
    "b1_30": (1, 30),
    "b31_90": (31, 90),
    "b91_180": (91, 180),
    "b181_365": (181, 365),
    "b365_plus": (366, 900),
    "default": (400, 1100),
}


def _kind_sql():
    cases, low = [], 0
    for kind, share in MIX:
        cases.append(SQL("WHEN r < %s THEN %s", low + share, kind))
        low += share
    return SQL("CASE %s ELSE 'on_time' END", SQL(" ").join(cases))


def _days_sql():
    cases = [
        SQL("WHEN kind = %s THEN %s + mod(r * 7, %s)", kind, low, high - low + 1) for kind, (low, high) in DAYS.items()
    ]
    return SQL("CASE %s END", SQL(" ").join(cases))


def load_history(env, as_of, seed=2017, years=4, contract_ids=None):
    """Insert the history (of ``contract_ids``, default every contract); return the counts. Does nothing
    when these contracts have settlements already."""
    cr = env.cr
    env.flush_all()
    cr.execute(
        SQL(
            "SELECT count(*) FROM student_loan_settlement_line WHERE %s::int[] IS NULL OR contract_id = ANY(%s::int[])",
            contract_ids,
            contract_ids,
        )
    )
    if cr.fetchone()[0]:
        return {"skipped": True}
    uid = env.uid
    cr.execute(
        SQL(
            """
        CREATE TEMP TABLE hist_contract ON COMMIT DROP AS
        SELECT k.*, CASE WHEN k.kind IN %(overdue)s THEN %(as_of)s::date - (%(days)s)::int END AS oldest_unpaid
          FROM (SELECT c.id, c.student_id, c.centre_id, c.academic_year, c.amount, c.rate,
                       (c.graduation_date + make_interval(years => pol.grace_years))::date AS grace_end,
                       c.graduation_date, r.r, (%(kind)s) AS kind
                  FROM student_loan_contract c
                  JOIN student_loan_policy pol ON pol.academic_year = c.academic_year
                 CROSS JOIN LATERAL (SELECT mod(c.id::bigint * 7919 + %(seed)s, 10000)::int AS r) r
                 WHERE c.state = 'active' AND c.graduation_date < %(as_of)s
                   AND c.disbursement_date IS NOT NULL
                   AND (%(ids)s::int[] IS NULL OR c.id = ANY(%(ids)s::int[]))) k
        """,
            overdue=tuple(DAYS),
            as_of=as_of,
            days=_days_sql(),
            kind=_kind_sql(),
            seed=seed,
            ids=contract_ids,
        )
    )
    # yearly settlements of the last years, plus the unpaid instalment of the overdue loans
    cr.execute(
        SQL(
            """
        CREATE TEMP TABLE hist_line ON COMMIT DROP AS
        SELECT h.*, d.due, d.period_days, d.monthly,
               round((h.amount * h.rate / 100 * d.period_days / 360)::numeric, 2) AS interest,
               CASE WHEN d.due > h.grace_end
                    THEN round((h.amount / CASE WHEN d.monthly THEN 120 ELSE 10 END)::numeric, 2)
                    ELSE 0 END AS principal,
               (h.oldest_unpaid IS NULL OR d.due < h.oldest_unpaid) AS paid
          FROM hist_contract h
          CROSS JOIN LATERAL (
                SELECT make_date(y, 12, 20) AS due, 365 AS period_days, FALSE AS monthly
                  FROM generate_series(%(first_year)s, %(last_year)s) y
                 WHERE make_date(y, 12, 20) < %(as_of)s AND make_date(y, 12, 20) > h.graduation_date
                UNION ALL
                SELECT h.oldest_unpaid, 30, TRUE
                 WHERE h.oldest_unpaid IS NOT NULL AND h.oldest_unpaid > h.graduation_date
                   AND (extract(month FROM h.oldest_unpaid), extract(day FROM h.oldest_unpaid)) != (12, 20)
          ) d
        """,
            first_year=as_of.year - years,
            last_year=as_of.year,
            as_of=as_of,
        )
    )
    cr.execute(
        SQL(
            """
        INSERT INTO student_loan_settlement_line (
            contract_id, student_id, centre_id, academic_year, date, due_date, kind, period_start, days, balance,
            rate, subsidised_interest, interest, principal_due, amount_due, interest_paid, principal_paid,
            amount_paid, interest_residual, principal_residual, amount_residual, state,
            create_uid, create_date, write_uid, write_date)
        SELECT id, student_id, centre_id, academic_year, due, due,
               CASE WHEN principal > 0 THEN 'repayment' ELSE 'grace' END,
               due - period_days, period_days, amount, rate, 0, interest, principal, interest + principal,
               CASE WHEN paid THEN interest ELSE 0 END, CASE WHEN paid THEN principal ELSE 0 END,
               CASE WHEN paid THEN interest + principal ELSE 0 END,
               CASE WHEN paid THEN 0 ELSE interest END, CASE WHEN paid THEN 0 ELSE principal END,
               CASE WHEN paid THEN 0 ELSE interest + principal END,
               CASE WHEN paid THEN 'paid' ELSE 'open' END,
               %(uid)s, now(), %(uid)s, now()
          FROM hist_line
        ON CONFLICT DO NOTHING
        """,
            uid=uid,
        )
    )
    lines = cr.rowcount
    # the bank's deductions: one posted repayment per paid settlement, on the due date (late ones later);
    # the map (repayment, settlement) joins the allocations on primary keys
    cr.execute("CREATE TEMP TABLE hist_payment (payment_id int, line_id int) ON COMMIT DROP")
    cr.execute(
        SQL(
            """
        WITH inserted AS (
            INSERT INTO student_loan_payment (
                name, state, contract_id, student_id, centre_id, date, amount, channel, reference, early_repayment,
                overdue_interest_amount, interest_amount, principal_amount, credit_amount, posted_by_id,
                create_uid, create_date, write_uid, write_date)
            SELECT 'HIST/' || s.id, 'posted', s.contract_id, s.student_id, s.centre_id,
                   LEAST(s.due_date + CASE WHEN h.kind = 'late' THEN 5 + mod(h.r, 50) ELSE 0 END, %(as_of)s::date),
                   s.amount_due, CASE WHEN h.kind = 'relief' THEN 'other' ELSE 'bank_card' END, 'HIST-' || s.id,
                   FALSE, CASE WHEN h.kind = 'late' THEN s.interest ELSE 0 END,
                   CASE WHEN h.kind = 'late' THEN 0 ELSE s.interest END, s.principal_due, 0, %(uid)s,
                   %(uid)s, now(), %(uid)s, now()
              FROM student_loan_settlement_line s
              JOIN hist_contract h ON h.id = s.contract_id
             WHERE s.state = 'paid' AND s.amount_due > 0
            RETURNING id, reference
        )
        INSERT INTO hist_payment SELECT id, substr(reference, 6)::int FROM inserted
        """,
            as_of=as_of,
            uid=uid,
        )
    )
    payments = cr.rowcount
    cr.execute("ANALYZE hist_payment")
    cr.execute(
        SQL(
            """
        INSERT INTO student_loan_payment_allocation (
            payment_id, settlement_line_id, contract_id, centre_id, date, kind, overdue, source, amount,
            create_uid, create_date, write_uid, write_date)
        SELECT p.id, s.id, s.contract_id, s.centre_id, p.date, part.kind, p.date > s.due_date, 'payment',
               part.amount, %(uid)s, now(), %(uid)s, now()
          FROM hist_payment m
          JOIN student_loan_payment p ON p.id = m.payment_id
          JOIN student_loan_settlement_line s ON s.id = m.line_id
         CROSS JOIN LATERAL (VALUES ('interest', s.interest), ('principal', s.principal_due)) part(kind, amount)
         WHERE part.amount > 0
        """,
            uid=uid,
        )
    )
    allocations = cr.rowcount
    # default cases: opened when the arrears passed a year; every third one written off (death or disability)
    cr.execute(
        SQL(
            """
        INSERT INTO student_loan_default_case (
            name, contract_id, student_id, centre_id, lender_id, state, write_off_state, date_opened, date_closed,
            days_past_due,
            principal_outstanding, amount_overdue, write_off_reason, create_uid, create_date, write_uid, write_date)
        SELECT 'WY-HIST-' || h.id, h.id, h.student_id, h.centre_id, c.lender_id,
               CASE WHEN mod(h.r, 3) = 0 THEN 'written_off' ELSE 'open' END,
               CASE WHEN mod(h.r, 3) = 0 THEN 'approved' ELSE 'draft' END,
               h.oldest_unpaid + 366, CASE WHEN mod(h.r, 3) = 0 THEN %(as_of)s::date END, 366, h.amount,
               (SELECT sum(amount_residual) FROM student_loan_settlement_line s WHERE s.contract_id = h.id),
               CASE WHEN mod(h.r, 3) = 0 THEN (CASE WHEN mod(h.r, 2) = 0 THEN 'death' ELSE 'disability' END) END,
               %(uid)s, now(), %(uid)s, now()
          FROM hist_contract h
          JOIN student_loan_contract c ON c.id = h.id
         WHERE h.kind = 'default'
        """,
            as_of=as_of,
            uid=uid,
        )
    )
    defaults = cr.rowcount
    cr.execute(
        SQL(
            """
        INSERT INTO student_loan_relief (
            name, kind, reason, contract_id, student_id, centre_id, state, years, amount, date_approved,
            create_uid, create_date, write_uid, write_date)
        SELECT 'JM-HIST-' || h.id, 'compensation', CASE WHEN mod(h.r, 2) = 0 THEN 'military' ELSE 'grassroots' END,
               h.id, h.student_id, h.centre_id, 'approved', 1,
               (SELECT COALESCE(sum(amount_due), 0) FROM student_loan_settlement_line s WHERE s.contract_id = h.id),
               %(as_of)s::date, %(uid)s, now(), %(uid)s, now()
          FROM hist_contract h
         WHERE h.kind = 'relief'
        """,
            as_of=as_of,
            uid=uid,
        )
    )
    reliefs = cr.rowcount
    if contract_ids is None:
        cr.execute("ANALYZE student_loan_settlement_line")
        cr.execute("ANALYZE student_loan_payment")
        cr.execute("ANALYZE student_loan_payment_allocation")
    env.invalidate_all()
    counts = {
        "settlements": lines,
        "payments": payments,
        "allocations": allocations,
        "default_cases": defaults,
        "relief": reliefs,
    }
    _logger.info("Repayment history as of %s: %s", as_of, counts)
    return counts
