from odoo import api, fields, models
from odoo.tools import SQL

# what the R1 view counts (student.loan.statistics): a contract from its signing date, while it is signed,
# approved, disbursed or closed
COUNTED = "state IN ('signed', 'approved', 'active', 'closed') AND signing_date IS NOT NULL AND centre_id IS NOT NULL"
MEASURES = ("contract_count", "amount", "first_count", "renewal_count")


class StudentLoanStatisticsDaily(models.Model):
    """R1 pre-aggregated: the contracts signed per academic year, signing date and aid centre (the
    figures of the R1 table), so that "as of D" adds up a few thousand rows instead of reading every
    contract of the season (3.55 million at national scale).

    Kept exact by a statement trigger on the contracts (whatever writes them: the ORM, the COPY of the
    synthetic province, set-based SQL): the rows a statement inserts, updates or deletes are added
    (new values) and taken off (old values) in the same transaction. Read through ``_read_group`` with
    the record rules of the statistics (a county sees itself, a city its counties)."""

    _name = "student.loan.statistics.daily"
    _description = "Loan Statistics per Day (R1)"
    _order = "signing_date desc, centre_id"
    _log_access = False

    academic_year = fields.Integer(required=True, readonly=True)
    signing_date = fields.Date(required=True, readonly=True)
    centre_id = fields.Many2one("student.loan.centre", string="Aid Centre", required=True, readonly=True)
    contract_count = fields.Integer(string="Contracts", readonly=True, aggregator="sum")
    amount = fields.Float(digits=(16, 2), readonly=True, aggregator="sum")
    first_count = fields.Integer(string="First Loans", readonly=True, aggregator="sum")
    renewal_count = fields.Integer(string="Renewals", readonly=True, aggregator="sum")

    _sql_constraints = [
        (
            "day_centre_unique",
            "unique(academic_year, signing_date, centre_id)",
            "One row per academic year, signing date and aid centre.",
        ),
    ]

    def init(self):
        cr = self.env.cr
        cr.execute(
            "SELECT 1 FROM pg_trigger WHERE tgname = 'student_loan_contract_r1_insert' "
            "AND tgrelid = 'student_loan_contract'::regclass"
        )
        installed = bool(cr.fetchone())
        # one function per event (a transition table exists only for its own event)
        for event, referencing, new_rows, old_rows in (
            ("INSERT", "NEW TABLE AS new_rows", "new_rows", None),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows", "new_rows", "old_rows"),
            ("DELETE", "OLD TABLE AS old_rows", None, "old_rows"),
        ):
            function = f"student_loan_contract_r1_{event.lower()}"
            empty = "(SELECT * FROM student_loan_contract WHERE FALSE)"
            cr.execute(
                SQL(f"""
                CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO student_loan_statistics_daily AS t
                           (academic_year, signing_date, centre_id, contract_count, amount, first_count,
                            renewal_count)
                    SELECT academic_year, signing_date, centre_id, sum(sign), sum(sign * amount),
                           COALESCE(sum(sign) FILTER (WHERE loan_kind = 'first'), 0),
                           COALESCE(sum(sign) FILTER (WHERE loan_kind = 'renewal'), 0)
                      FROM (
                            SELECT academic_year, signing_date, centre_id, amount, loan_kind, 1 AS sign
                              FROM {new_rows or empty} n WHERE {COUNTED}
                            UNION ALL
                            SELECT academic_year, signing_date, centre_id, amount, loan_kind, -1
                              FROM {old_rows or empty} o WHERE {COUNTED}
                           ) x
                     GROUP BY academic_year, signing_date, centre_id
                    HAVING sum(sign) <> 0 OR sum(sign * amount) <> 0
                        OR sum(sign) FILTER (WHERE loan_kind = 'first') <> 0
                    ON CONFLICT (academic_year, signing_date, centre_id) DO UPDATE
                       SET contract_count = t.contract_count + EXCLUDED.contract_count,
                           amount = t.amount + EXCLUDED.amount,
                           first_count = t.first_count + EXCLUDED.first_count,
                           renewal_count = t.renewal_count + EXCLUDED.renewal_count;
                    RETURN NULL;
                END $$;
            """)
            )
            trigger = f"student_loan_contract_r1_{event.lower()}"
            cr.execute(SQL(f"DROP TRIGGER IF EXISTS {trigger} ON student_loan_contract"))
            cr.execute(
                SQL(
                    f"CREATE TRIGGER {trigger} AFTER {event} ON student_loan_contract REFERENCING {referencing} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
                )
            )
        if not installed:
            self._rebuild()

    @api.model
    def _rebuild(self):
        """Every row again from the contracts, set-based (install; a check compares it with the view)."""
        cr = self.env.cr
        cr.execute("DELETE FROM student_loan_statistics_daily")
        cr.execute(
            SQL(
                """
                INSERT INTO student_loan_statistics_daily
                       (academic_year, signing_date, centre_id, contract_count, amount, first_count, renewal_count)
                SELECT academic_year, signing_date, centre_id, count(*), sum(amount),
                       count(*) FILTER (WHERE loan_kind = 'first'), count(*) FILTER (WHERE loan_kind = 'renewal')
                  FROM student_loan_contract
                 WHERE %s
                 GROUP BY academic_year, signing_date, centre_id
                """,
                SQL(COUNTED),
            )
        )
        self.env.invalidate_all()
