import logging

from odoo import api, models
from odoo.tools import SQL

from odoo.addons.student_loan.loanlib import overdue

_logger = logging.getLogger(__name__)

# The figures of one contract as of a date (what the risk query adds up per aid centre and lender), in
# the order of the risk query's columns after centre and lender. ``grouped_rows`` counts the rows the query
# groups (a contract, or a contract and each of its open default cases; ``grouped_rows``): a centre and lender appear in
# the table when it is above 0, as they do in the query.
COUNT_COLUMNS = ("grouped_rows", "contracts_in_repayment", "overdue_contracts", "default_contracts") + tuple(
    f"contracts_{key}" for key in overdue.BUCKET_KEYS
)
FIGURE_COLUMNS = (
    "grouped_rows",
    "contracts_in_repayment",
    "principal_in_repayment",
    "overdue_contracts",
    "overdue_principal",
    "amount_due",
    "amount_recovered",
    "default_contracts",
    "default_principal",
    "default_consumed",
) + tuple(column for key in overdue.BUCKET_KEYS for column in (f"contracts_{key}", f"principal_{key}"))

CONTRACT_TABLE = "student_loan_risk_contract_delta"
SUMMARY_TABLE = "student_loan_risk_summary"
# the running totals of the summary at the start of each month (everything dated before it), per centre
# and lender: "as of D" reads one checkpoint row per centre and lender and the changes of D's month
CHECKPOINT_TABLE = "student_loan_risk_checkpoint"
DIRTY_TABLE = "student_loan_risk_dirty"
REBUILD = 0  # the contract id in the dirty table that asks for a full rebuild
# above this many changed contracts, the whole summary is rebuilt set-based instead
FULL_REBUILD_SHARE = 0.2

# (table, SQL giving the changed contract ids from the transition table ``changed``)
WATCHED = (
    ("student_loan_settlement_line", "SELECT contract_id FROM changed"),
    (
        "student_loan_payment_allocation",
        "SELECT s.contract_id FROM changed a JOIN student_loan_settlement_line s ON s.id = a.settlement_line_id "
        "UNION SELECT contract_id FROM changed WHERE contract_id IS NOT NULL",
    ),
    ("student_loan_default_case", "SELECT contract_id FROM changed"),
    ("student_loan_contract", "SELECT id FROM changed"),
)
# a contract counts again only when one of these changes (not on every write of the contract)
CONTRACT_COLUMNS = ("state", "amount", "graduation_date", "disbursement_date", "centre_id", "lender_id")


def _bucket_points():
    """Days past due where a contract moves from one bucket to the next (31, 91, 181, 366)."""
    points = set()
    for _key, low, high in overdue.BUCKETS:
        points.add(low)
        if high is not None:
            points.add(high + 1)
    return sorted(point for point in points if point > 1)


class StudentLoanRiskSummary(models.AbstractModel):
    """The risk table pre-aggregated: what each contract adds to its centre and lender's figures, as
    changes on the dates where they change (``student_loan_risk_summary``: per centre, lender and
    date). The figures as of a date are the sum of the changes up to that date, a few thousand rows
    instead of every settlement, repayment and allocation of the province.

    A contract's figures only change on its own dates: disbursement, graduation, settlement dates,
    the day after each due date, repayment dates, a default case's opening and closing, and the days
    its oldest unpaid due date crosses a bucket (31, 91, 181, 366 days). ``_contract_figures_sql``
    evaluates the risk query's own per-contract expressions on each of those dates and keeps the
    differences (exact: same expressions, same numeric sums).

    Kept up to date incrementally: triggers on settlements, allocations, default cases and contracts
    note the contracts a statement changed (``student_loan_risk_dirty``; whatever writes them, the
    ORM or set-based SQL), and ``_refresh`` replaces the changes of those contracts (subtract the old
    ones, add the new ones) before the table is read, and every night."""

    _name = "student.loan.risk.summary"
    _description = "Risk Statistics Summary"

    # ------------------------------------------------------------------
    # Tables and triggers
    # ------------------------------------------------------------------

    @api.model
    def _install(self):
        cr = self.env.cr
        cr.execute("SELECT to_regclass(%s)", [SUMMARY_TABLE])
        exists = cr.fetchone()[0]
        counts = ", ".join(f"{column} integer NOT NULL DEFAULT 0" for column in COUNT_COLUMNS)
        money = ", ".join(
            f"{column} numeric NOT NULL DEFAULT 0" for column in FIGURE_COLUMNS if column not in COUNT_COLUMNS
        )
        cr.execute(
            SQL(f"""
            CREATE TABLE IF NOT EXISTS {CONTRACT_TABLE} (
                contract_id integer NOT NULL, date date NOT NULL, centre_id integer NOT NULL,
                lender_key integer NOT NULL, {counts}, {money}, PRIMARY KEY (contract_id, date));
            CREATE TABLE IF NOT EXISTS {SUMMARY_TABLE} (
                centre_id integer NOT NULL, lender_key integer NOT NULL, date date NOT NULL,
                {counts}, {money}, PRIMARY KEY (date, centre_id, lender_key));
            CREATE TABLE IF NOT EXISTS {CHECKPOINT_TABLE} (
                month date NOT NULL, centre_id integer NOT NULL, lender_key integer NOT NULL,
                {counts}, {money}, PRIMARY KEY (month, centre_id, lender_key));
            CREATE TABLE IF NOT EXISTS {DIRTY_TABLE} (contract_id integer PRIMARY KEY);
        """)
        )
        for table, changed in WATCHED:
            function = f"{table}_risk_dirty"
            condition = ""
            if table == "student_loan_contract":
                # updates: only the columns the risk figures read
                cr.execute(
                    "SELECT array_agg(column_name::text) FROM information_schema.columns "
                    "WHERE table_name = %s AND column_name = ANY(%s)",
                    [table, list(CONTRACT_COLUMNS)],
                )
                columns = cr.fetchone()[0] or []
                condition = " OR ".join(f"o.{column} IS DISTINCT FROM n.{column}" for column in columns) or "FALSE"
            cr.execute(
                SQL(f"""
                CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'UPDATE' THEN
                        INSERT INTO {DIRTY_TABLE} (contract_id)
                        SELECT DISTINCT contract_id FROM (
                            {changed.replace("changed", "new_rows")}
                            UNION {changed.replace("changed", "old_rows")}
                        ) x(contract_id)
                        WHERE contract_id IS NOT NULL {self._update_filter(table, condition)}
                        ON CONFLICT DO NOTHING;
                    ELSIF TG_OP = 'INSERT' THEN
                        INSERT INTO {DIRTY_TABLE} (contract_id)
                        SELECT DISTINCT contract_id FROM ({changed.replace("changed", "new_rows")}) x(contract_id)
                        WHERE contract_id IS NOT NULL ON CONFLICT DO NOTHING;
                    ELSE
                        INSERT INTO {DIRTY_TABLE} (contract_id)
                        SELECT DISTINCT contract_id FROM ({changed.replace("changed", "old_rows")}) x(contract_id)
                        WHERE contract_id IS NOT NULL ON CONFLICT DO NOTHING;
                    END IF;
                    RETURN NULL;
                END $$;
            """)
            )
            for event, referencing in (
                ("INSERT", "NEW TABLE AS new_rows"),
                ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
                ("DELETE", "OLD TABLE AS old_rows"),
            ):
                trigger = f"{table}_risk_{event.lower()}"
                cr.execute(SQL(f"DROP TRIGGER IF EXISTS {trigger} ON {table}"))
                cr.execute(
                    SQL(
                        f"CREATE TRIGGER {trigger} AFTER {event} ON {table} REFERENCING {referencing} "
                        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
                    )
                )
        if not exists:
            # built from the data at the first read (or the nightly job), not during the upgrade
            cr.execute(SQL("INSERT INTO %s VALUES (%s) ON CONFLICT DO NOTHING", SQL.identifier(DIRTY_TABLE), REBUILD))

    @staticmethod
    def _update_filter(table, condition):
        if table != "student_loan_contract":
            return ""
        return f"AND contract_id IN (SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {condition})"

    # ------------------------------------------------------------------
    # Per-contract figures and their changes
    # ------------------------------------------------------------------

    @api.model
    def _contract_figures_sql(self, contract_ids=None):
        """The changes of the figures of the contracts (all when ``contract_ids`` is None): rows
        ``(contract_id, date, centre_id, lender_key, FIGURE_COLUMNS...)``, only the non-zero ones."""
        buckets = SQL(", ").join(
            SQL(
                "count(*) FILTER (WHERE e.q - e.oldest BETWEEN %(low)s AND %(high)s) AS %(count)s, "
                "COALESCE(sum(e.overdue_principal) FILTER (WHERE e.q - e.oldest BETWEEN %(low)s AND %(high)s), 0) "
                "AS %(principal)s",
                low=low,
                high=high if high is not None else 10**6,
                count=SQL.identifier(f"contracts_{key}"),
                principal=SQL.identifier(f"principal_{key}"),
            )
            for key, low, high in overdue.BUCKETS
        )
        changes = SQL(", ").join(
            SQL(
                "%(column)s - COALESCE(lag(%(column)s) OVER w, 0) AS %(column)s",
                column=SQL.identifier(column),
            )
            for column in FIGURE_COLUMNS
        )
        nonzero = SQL(" OR ").join(SQL("%s <> 0", SQL.identifier(column)) for column in FIGURE_COLUMNS)
        return SQL(
            """
            WITH c AS (
                SELECT id, centre_id, COALESCE(lender_id, 0) AS lender_key, amount, graduation_date,
                       disbursement_date
                  FROM student_loan_contract
                 WHERE state IN ('active', 'closed') AND disbursement_date IS NOT NULL
                   AND (%(ids)s::int[] IS NULL OR id = ANY(%(ids)s::int[]))
            ), points AS (
                -- the dates where something of the contract changes (from its disbursement on)
                SELECT DISTINCT x.contract_id, x.p
                  FROM (
                        SELECT id AS contract_id, disbursement_date AS p FROM c
                        UNION ALL SELECT id, graduation_date FROM c WHERE graduation_date IS NOT NULL
                        UNION ALL SELECT s.contract_id, s.date
                                    FROM student_loan_settlement_line s JOIN c ON c.id = s.contract_id
                        UNION ALL SELECT s.contract_id, s.due_date + 1
                                    FROM student_loan_settlement_line s JOIN c ON c.id = s.contract_id
                        UNION ALL SELECT s.contract_id, a.date
                                    FROM student_loan_payment_allocation a
                                    JOIN student_loan_settlement_line s ON s.id = a.settlement_line_id
                                    JOIN c ON c.id = s.contract_id
                        UNION ALL SELECT d.contract_id, d.date_opened
                                    FROM student_loan_default_case d JOIN c ON c.id = d.contract_id
                        UNION ALL SELECT d.contract_id, d.date_closed
                                    FROM student_loan_default_case d JOIN c ON c.id = d.contract_id
                                   WHERE d.date_closed IS NOT NULL
                       ) x
                  JOIN c ON c.id = x.contract_id
                 WHERE x.p >= c.disbursement_date
            ), line_points AS (
                -- the risk query's "late" (paid after the date) of each settlement, on each date
                SELECT pt.contract_id, pt.p, s.id, s.due_date, s.amount_due, s.amount_paid, s.principal_due,
                       s.principal_paid,
                       COALESCE(sum(a.amount), 0) AS late,
                       COALESCE(sum(a.amount) FILTER (WHERE a.kind = 'principal'), 0) AS late_principal
                  FROM points pt
                  JOIN student_loan_settlement_line s ON s.contract_id = pt.contract_id AND s.date <= pt.p
             LEFT JOIN student_loan_payment_allocation a ON a.settlement_line_id = s.id AND a.date > pt.p
                 GROUP BY pt.contract_id, pt.p, s.id
            ), lines AS (
                SELECT contract_id, p,
                       sum(principal_paid - late_principal) AS principal_paid,
                       sum(amount_due) FILTER (WHERE due_date < p) AS due,
                       sum(LEAST(amount_paid - late, amount_due)) FILTER (WHERE due_date < p) AS recovered,
                       min(due_date) FILTER (WHERE due_date < p AND amount_due - amount_paid + late > 0.005)
                           AS oldest,
                       sum(principal_due - principal_paid + late_principal) FILTER (WHERE due_date < p)
                           AS overdue_principal
                  FROM line_points
                 GROUP BY contract_id, p
            ), per_contract AS (
                SELECT pt.contract_id, pt.p, c.centre_id, c.lender_key, c.graduation_date,
                       c.amount - COALESCE(l.principal_paid, 0) AS principal_left,
                       COALESCE(l.due, 0) AS due,
                       COALESCE(l.recovered, 0) AS recovered,
                       l.oldest,
                       COALESCE(l.overdue_principal, 0) AS overdue_principal,
                       lead(pt.p) OVER (PARTITION BY pt.contract_id ORDER BY pt.p) AS next_p
                  FROM points pt
                  JOIN c ON c.id = pt.contract_id
             LEFT JOIN lines l ON l.contract_id = pt.contract_id AND l.p = pt.p
            ), expanded AS (
                -- and the days the oldest unpaid due date crosses into the next bucket
                SELECT pc.*, q.q
                  FROM per_contract pc
                 CROSS JOIN LATERAL (
                        SELECT pc.p AS q
                        UNION ALL
                        SELECT pc.oldest + k FROM unnest(%(bucket_points)s::int[]) k
                         WHERE pc.oldest IS NOT NULL AND pc.oldest + k > pc.p
                           AND (pc.next_p IS NULL OR pc.oldest + k < pc.next_p)
                 ) q
            ), figures AS (
                SELECT e.contract_id, e.q AS date, e.centre_id, e.lender_key,
                       count(*) AS grouped_rows,
                       count(*) FILTER (WHERE e.graduation_date <= e.q AND e.principal_left > 0)
                           AS contracts_in_repayment,
                       COALESCE(sum(e.principal_left)
                                FILTER (WHERE e.graduation_date <= e.q AND e.principal_left > 0), 0)
                           AS principal_in_repayment,
                       count(*) FILTER (WHERE e.q - e.oldest > 0) AS overdue_contracts,
                       COALESCE(sum(e.overdue_principal) FILTER (WHERE e.q - e.oldest > 0), 0) AS overdue_principal,
                       sum(e.due) AS amount_due,
                       sum(e.recovered) AS amount_recovered,
                       count(d.contract_id) AS default_contracts,
                       COALESCE(sum(LEAST(e.principal_left, d.principal_outstanding))
                                FILTER (WHERE d.contract_id IS NOT NULL), 0) AS default_principal,
                       COALESCE(sum(d.principal_outstanding), 0) AS default_consumed,
                       %(buckets)s
                  FROM expanded e
             LEFT JOIN student_loan_default_case d
                    ON d.contract_id = e.contract_id AND d.date_opened <= e.q
                   AND (d.state != 'recovered' OR d.date_closed > e.q)
                 GROUP BY e.contract_id, e.q, e.centre_id, e.lender_key
            ), changes AS (
                SELECT contract_id, date, centre_id, lender_key, %(changes)s
                  FROM figures
                WINDOW w AS (PARTITION BY contract_id ORDER BY date)
            )
            SELECT * FROM changes WHERE %(nonzero)s
            """,
            ids=list(contract_ids) if contract_ids is not None else None,
            bucket_points=_bucket_points(),
            buckets=buckets,
            changes=changes,
            nonzero=nonzero,
        )

    # ------------------------------------------------------------------
    # Keeping it up to date
    # ------------------------------------------------------------------

    @api.model
    def _refresh(self):
        """Apply the changes noted by the triggers: rebuild the contracts changed since the last
        refresh (or everything, after an install or a bulk load). Returns the contracts rebuilt."""
        cr = self.env.cr
        self.env.flush_all()
        # one refresh at a time (the others wait, then find nothing left to do)
        cr.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [SUMMARY_TABLE])
        cr.execute(SQL(f"DELETE FROM {DIRTY_TABLE} RETURNING contract_id"))
        ids = [row[0] for row in cr.fetchall()]
        if not ids:
            return 0
        cr.execute("SELECT reltuples FROM pg_class WHERE relname = 'student_loan_contract'")
        estimate = max(cr.fetchone()[0], 1)
        if REBUILD in ids or len(ids) > FULL_REBUILD_SHARE * estimate:
            return self._rebuild()
        columns = SQL(", ").join(SQL.identifier(column) for column in FIGURE_COLUMNS)
        sums = SQL(", ").join(SQL("sum(%s)", SQL.identifier(column)) for column in FIGURE_COLUMNS)
        pairs_sql = SQL(
            "SELECT DISTINCT centre_id, lender_key FROM %s WHERE contract_id = ANY(%s)",
            SQL.identifier(CONTRACT_TABLE),
            ids,
        )
        cr.execute(pairs_sql)
        pairs = set(cr.fetchall())
        cr.execute(
            SQL(
                """
                UPDATE %(summary)s t SET %(subtract)s
                  FROM (SELECT centre_id, lender_key, date, %(sums)s
                          FROM %(contract)s WHERE contract_id = ANY(%(ids)s) GROUP BY centre_id, lender_key, date) o
                 WHERE t.date = o.date AND t.centre_id = o.centre_id AND t.lender_key = o.lender_key
                """,
                summary=SQL.identifier(SUMMARY_TABLE),
                contract=SQL.identifier(CONTRACT_TABLE),
                sums=SQL(", ").join(
                    SQL("sum(%s) AS %s", SQL.identifier(column), SQL.identifier(column)) for column in FIGURE_COLUMNS
                ),
                subtract=SQL(", ").join(
                    SQL("%s = t.%s - o.%s", *(SQL.identifier(column),) * 3) for column in FIGURE_COLUMNS
                ),
                ids=ids,
            )
        )
        cr.execute(SQL("DELETE FROM %s WHERE contract_id = ANY(%s)", SQL.identifier(CONTRACT_TABLE), ids))
        cr.execute(
            SQL(
                "INSERT INTO %s (contract_id, date, centre_id, lender_key, %s) %s",
                SQL.identifier(CONTRACT_TABLE),
                columns,
                self._contract_figures_sql(ids),
            )
        )
        cr.execute(
            SQL(
                """
                INSERT INTO %(summary)s (centre_id, lender_key, date, %(columns)s)
                SELECT centre_id, lender_key, date, %(sums)s
                  FROM %(contract)s WHERE contract_id = ANY(%(ids)s)
                 GROUP BY centre_id, lender_key, date
                ON CONFLICT (date, centre_id, lender_key) DO UPDATE SET %(add)s
                """,
                summary=SQL.identifier(SUMMARY_TABLE),
                contract=SQL.identifier(CONTRACT_TABLE),
                columns=columns,
                sums=sums,
                add=SQL(", ").join(
                    SQL(
                        "%s = %s.%s + EXCLUDED.%s",
                        SQL.identifier(column),
                        SQL.identifier(SUMMARY_TABLE),
                        SQL.identifier(column),
                        SQL.identifier(column),
                    )
                    for column in FIGURE_COLUMNS
                ),
                ids=ids,
            )
        )
        cr.execute(pairs_sql)
        pairs |= set(cr.fetchall())
        self._checkpoints(pairs)
        return len(ids)

    @api.model
    def _checkpoints(self, pairs=None):
        """Recompute the monthly checkpoints of ``pairs`` (centre, lender key), or of everything; of
        everything too when the summary's months grew (a checkpoint exists for every month of the range)."""
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT date_trunc('month', min(date))::date, "
                "(date_trunc('month', max(date)) + interval '1 month')::date FROM %s",
                SQL.identifier(SUMMARY_TABLE),
            )
        )
        first, last = cr.fetchone()
        cr.execute(SQL("SELECT min(month), max(month) FROM %s", SQL.identifier(CHECKPOINT_TABLE)))
        if pairs is not None and cr.fetchone() != (first, last):
            pairs = None
        if pairs is not None and not pairs:
            return
        pair_filter = (
            SQL(
                "(centre_id, lender_key) IN (SELECT * FROM unnest(%s::int[], %s::int[]))",
                [centre for centre, _lender in pairs],
                [lender for _centre, lender in pairs],
            )
            if pairs
            else SQL("TRUE")
        )
        cr.execute(SQL("DELETE FROM %s WHERE %s", SQL.identifier(CHECKPOINT_TABLE), pair_filter))
        if first is None:
            return
        columns = SQL(", ").join(SQL.identifier(column) for column in FIGURE_COLUMNS)
        cr.execute(
            SQL(
                """
                INSERT INTO %(checkpoint)s (month, centre_id, lender_key, %(columns)s)
                SELECT m.month, p.centre_id, p.lender_key, %(running)s
                  FROM (SELECT DISTINCT centre_id, lender_key FROM %(summary)s WHERE %(pairs)s) p
                 CROSS JOIN generate_series(%(first)s::date, %(last)s::date, interval '1 month') m(month)
             LEFT JOIN (SELECT centre_id, lender_key, date_trunc('month', date)::date AS month, %(sums)s
                          FROM %(summary)s WHERE %(pairs)s
                         GROUP BY centre_id, lender_key, date_trunc('month', date)) ms
                    ON ms.centre_id = p.centre_id AND ms.lender_key = p.lender_key AND ms.month = m.month
                WINDOW w AS (PARTITION BY p.centre_id, p.lender_key ORDER BY m.month
                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                """,
                checkpoint=SQL.identifier(CHECKPOINT_TABLE),
                summary=SQL.identifier(SUMMARY_TABLE),
                columns=columns,
                pairs=pair_filter,
                first=first,
                last=last,
                sums=SQL(", ").join(
                    SQL("sum(%s) AS %s", SQL.identifier(column), SQL.identifier(column)) for column in FIGURE_COLUMNS
                ),
                running=SQL(", ").join(
                    SQL("COALESCE(sum(ms.%s) OVER w, 0)", SQL.identifier(column)) for column in FIGURE_COLUMNS
                ),
            )
        )

    @api.model
    def _rebuild(self):
        """Rebuild the whole summary from the data (install, bulk loads), set-based."""
        cr = self.env.cr
        columns = SQL(", ").join(SQL.identifier(column) for column in FIGURE_COLUMNS)
        cr.execute(SQL("TRUNCATE %s, %s", SQL.identifier(CONTRACT_TABLE), SQL.identifier(SUMMARY_TABLE)))
        cr.execute(SQL("TRUNCATE %s", SQL.identifier(CHECKPOINT_TABLE)))
        cr.execute(SQL(f"DELETE FROM {DIRTY_TABLE}"))
        cr.execute(
            SQL(
                "INSERT INTO %s (contract_id, date, centre_id, lender_key, %s) %s",
                SQL.identifier(CONTRACT_TABLE),
                columns,
                self._contract_figures_sql(),
            )
        )
        rebuilt = cr.rowcount
        cr.execute(
            SQL(
                "INSERT INTO %s (centre_id, lender_key, date, %s) "
                "SELECT centre_id, lender_key, date, %s FROM %s GROUP BY centre_id, lender_key, date",
                SQL.identifier(SUMMARY_TABLE),
                columns,
                SQL(", ").join(SQL("sum(%s)", SQL.identifier(column)) for column in FIGURE_COLUMNS),
                SQL.identifier(CONTRACT_TABLE),
            )
        )
        self._checkpoints()
        cr.execute(SQL("ANALYZE %s", SQL.identifier(SUMMARY_TABLE)))
        cr.execute(SQL("ANALYZE %s", SQL.identifier(CHECKPOINT_TABLE)))
        _logger.info("Risk summary rebuilt: %s contract changes", rebuilt)
        return rebuilt

    @api.model
    def _cron_refresh(self):
        self.sudo()._refresh()

    # ------------------------------------------------------------------
    # Reading it
    # ------------------------------------------------------------------

    @api.model
    def _figures_query(self, as_of, year, centre_ids=None):
        """The risk query's rows (same columns, same figures) from the checkpoints and the summary."""
        sums = SQL(", ").join(
            SQL("sum(s.%s) AS %s", SQL.identifier(column), SQL.identifier(column))
            for column in FIGURE_COLUMNS
            if column != "grouped_rows"
        )
        plus = SQL(", ").join(
            SQL(
                "(COALESCE(cp.%s, 0) + COALESCE(tail.%s, 0))%s AS %s",
                SQL.identifier(column),
                SQL.identifier(column),
                SQL("::bigint") if column in COUNT_COLUMNS else SQL(""),
                SQL.identifier(column),
            )
            for column in FIGURE_COLUMNS
            if column != "grouped_rows"
        )
        return SQL(
            """
            WITH bounds AS (
                SELECT min(month) AS first, max(month) AS last FROM student_loan_risk_checkpoint
            ), m AS (
                SELECT GREATEST(first, LEAST(last, date_trunc('month', %(as_of)s::date)::date)) AS month FROM bounds
            ), cp AS (
                -- everything dated before the month of the date (or before the last checkpoint)
                SELECT c.* FROM student_loan_risk_checkpoint c JOIN m ON c.month = m.month
                 WHERE %(centres)s::int[] IS NULL OR c.centre_id = ANY(%(centres)s::int[])
            ), tail AS (
                -- and the changes from then to the date
                SELECT s.centre_id, s.lender_key, %(sums)s, sum(s.grouped_rows) AS grouped_rows
                  FROM student_loan_risk_summary s JOIN m ON s.date >= m.month
                 WHERE s.date <= %(as_of)s
                   AND (%(centres)s::int[] IS NULL OR s.centre_id = ANY(%(centres)s::int[]))
                 GROUP BY s.centre_id, s.lender_key
            ), f AS (
                SELECT COALESCE(cp.centre_id, tail.centre_id) AS centre_id,
                       NULLIF(COALESCE(cp.lender_key, tail.lender_key), 0) AS lender_id, %(plus)s
                  FROM cp FULL JOIN tail ON tail.centre_id = cp.centre_id AND tail.lender_key = cp.lender_key
                 WHERE COALESCE(cp.grouped_rows, 0) + COALESCE(tail.grouped_rows, 0) > 0
            ), fund AS (
                SELECT c.centre_id, c.lender_id, sum(c.amount) AS new_loans
                  FROM student_loan_contract c
                 WHERE c.state IN ('active', 'closed') AND c.academic_year = %(year)s
                   AND c.disbursement_date <= %(as_of)s
                   AND (%(centres)s::int[] IS NULL OR c.centre_id = ANY(%(centres)s::int[]))
                 GROUP BY c.centre_id, c.lender_id
            )
            SELECT COALESCE(f.centre_id, fund.centre_id), COALESCE(f.lender_id, fund.lender_id),
                   COALESCE(fund.new_loans, 0), f.*
              FROM f
         FULL JOIN fund ON fund.centre_id = f.centre_id AND fund.lender_id IS NOT DISTINCT FROM f.lender_id
            """,
            sums=sums,
            plus=plus,
            as_of=as_of,
            year=year,
            centres=centre_ids,
        )
