import logging
from decimal import Decimal

from odoo import api, fields, models, modules, tools
from odoo.tools import SQL

from odoo.addons.queue_job.delay import chain, group
from odoo.addons.queue_job.job import identity_exact

from .student_loan_plan_line import PLAN_LINE_KINDS

_logger = logging.getLogger(__name__)

FEN = Decimal("0.01")


def to_decimal(value, places="0.01"):
    """A float from the database as an exact Decimal (money to the fen, rates to 4 places)."""
    return Decimal(str(value or 0)).quantize(Decimal(places))


def annual_rate(rate_percent):
    """The contract stores percent (4.35); the engine wants a fraction (0.0435)."""
    return to_decimal(rate_percent, "0.0001") / 100


class StudentLoanSettlementLine(models.Model):
    """The interest settlement (结息) of one contract for one period: what the state pays (贴息),
    what the student owes on the due date, and what has been paid of it."""

    _name = "student.loan.settlement.line"
    _description = "Interest Settlement Line"
    _order = "date desc, contract_id, id"

    contract_id = fields.Many2one(
        "student.loan.contract", required=True, index=True, ondelete="restrict", readonly=True
    )
    # stored fields are precomputed: a batch of lines is inserted with them, no UPDATE follows
    student_id = fields.Many2one(related="contract_id.student_id", store=True, index=True, precompute=True)
    centre_id = fields.Many2one(
        related="contract_id.centre_id", store=True, index=True, string="Aid Centre", precompute=True
    )
    academic_year = fields.Integer(
        related="contract_id.academic_year", store=True, string="Contract Year", precompute=True
    )
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    plan_line_id = fields.Many2one("student.loan.plan.line", readonly=True, ondelete="set null")
    date = fields.Date(string="Settlement Date", required=True, readonly=True, index=True)
    kind = fields.Selection(PLAN_LINE_KINDS, required=True, readonly=True)
    period_start = fields.Date(readonly=True)
    days = fields.Integer(string="Interest Days", readonly=True)
    balance = fields.Float(digits=(16, 2), string="Principal Outstanding", readonly=True)
    rate = fields.Float(string="Rate (%)", digits=(6, 4), readonly=True)
    subsidised_interest = fields.Float(digits=(16, 2), readonly=True, help="Paid by the state (财政贴息).")
    interest = fields.Float(digits=(16, 2), string="Interest Due", readonly=True, help="Interest the student owes.")
    principal_due = fields.Float(digits=(16, 2), readonly=True)
    amount_due = fields.Float(digits=(16, 2), compute="_compute_amount_due", store=True, precompute=True)
    due_date = fields.Date(required=True, readonly=True, index=True)
    allocation_ids = fields.One2many("student.loan.payment.allocation", "settlement_line_id", string="Payments")
    interest_paid = fields.Float(digits=(16, 2), compute="_compute_paid", store=True, precompute=True)
    principal_paid = fields.Float(digits=(16, 2), compute="_compute_paid", store=True, precompute=True)
    amount_paid = fields.Float(digits=(16, 2), compute="_compute_paid", store=True, precompute=True)
    interest_residual = fields.Float(
        digits=(16, 2), compute="_compute_paid", store=True, precompute=True, string="Interest Unpaid"
    )
    principal_residual = fields.Float(
        digits=(16, 2), compute="_compute_paid", store=True, precompute=True, string="Principal Unpaid"
    )
    amount_residual = fields.Float(
        digits=(16, 2), compute="_compute_paid", store=True, precompute=True, string="Unpaid"
    )
    state = fields.Selection(
        [("open", "Due"), ("paid", "Paid")],
        compute="_compute_paid",
        store=True,
        precompute=True,
        index=True,
        string="Status",
    )
    days_past_due = fields.Integer(compute="_compute_days_past_due")
    is_overdue = fields.Boolean(compute="_compute_days_past_due", search="_search_is_overdue", string="Overdue")

    _sql_constraints = [
        # Idempotence of the settlement run: one settlement per contract and period.
        (
            "contract_period_unique",
            "unique(contract_id, date, kind)",
            "This contract's interest is already settled for this period.",
        ),
        (
            "amounts_positive",
            "check(interest >= 0 and subsidised_interest >= 0 and principal_due >= 0)",
            "Settled amounts cannot be negative.",
        ),
    ]

    @api.depends("contract_id.currency_id")
    def _compute_currency_id(self):
        for line in self:
            line.currency_id = line.contract_id.currency_id

    @api.depends("interest", "principal_due")
    def _compute_amount_due(self):
        for line in self:
            line.amount_due = line.interest + line.principal_due

    @api.depends("interest", "principal_due", "allocation_ids.amount", "allocation_ids.kind")
    def _compute_paid(self):
        paid = {}
        stored = self.filtered("id")  # lines being created (precomputed) have no allocation yet
        if stored:
            for line, kind, amount in (
                self.env["student.loan.payment.allocation"]
                .sudo()
                ._read_group([("settlement_line_id", "in", stored.ids)], ["settlement_line_id", "kind"], ["amount:sum"])
            ):
                paid[line.id, kind] = amount
        currency = self.env.ref("base.CNY")
        for line in self:
            line.interest_paid = paid.get((line.id, "interest"), 0.0)
            line.principal_paid = paid.get((line.id, "principal"), 0.0)
            line.amount_paid = line.interest_paid + line.principal_paid
            line.interest_residual = currency.round(line.interest - line.interest_paid)
            line.principal_residual = currency.round(line.principal_due - line.principal_paid)
            line.amount_residual = currency.round(line.interest_residual + line.principal_residual)
            line.state = "open" if currency.compare_amounts(line.amount_residual, 0) > 0 else "paid"

    @api.depends("due_date", "amount_residual")
    @api.depends_context("date")
    def _compute_days_past_due(self):
        today = fields.Date.context_today(self)
        for line in self:
            overdue = line.state == "open" and line.due_date and line.due_date < today
            line.is_overdue = overdue
            line.days_past_due = (today - line.due_date).days if overdue else 0

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Unsupported search on the overdue status."))
        domain = [("state", "=", "open"), ("due_date", "<", fields.Date.context_today(self))]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.depends("contract_id", "date")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.contract_id.name or ''} {line.date or ''}".strip()

    # ------------------------------------------------------------------
    # Interest settlement run (结息)
    # ------------------------------------------------------------------

    @api.model
    def _cron_settle_interest(self):
        """Scheduled action: queue the settlement of every period due up to today (see :meth:`_enqueue_settlement`)."""
        return self._enqueue_settlement(fields.Date.context_today(self))

    @api.model
    def _get_chunk_size(self):
        """Contract ids per chunk (one statement, one transaction, one job): a system parameter."""
        params = self.env["ir.config_parameter"].sudo()
        return max(1, int(params.get_param("student_loan_repayment.settlement_batch_size", self.CHUNK_SIZE)))

    @api.model
    def _can_commit(self):
        return not modules.module.current_test and not tools.config["test_enable"]

    # contracts per chunk (one INSERT ... SELECT and one transaction each)
    CHUNK_SIZE = 50000
    # work_mem of a chunk's transaction (SET LOCAL)
    CHUNK_WORK_MEM = "64MB"
    # the columns the settlement statement fills; any other stored computed field is computed by the ORM after it
    SQL_COLUMNS = (
        "contract_id",
        "student_id",
        "centre_id",
        "academic_year",
        "plan_line_id",
        "date",
        "due_date",
        "kind",
        "period_start",
        "days",
        "balance",
        "rate",
        "subsidised_interest",
        "interest",
        "principal_due",
        "amount_due",
        "interest_paid",
        "principal_paid",
        "amount_paid",
        "interest_residual",
        "principal_residual",
        "amount_residual",
        "state",
        "create_uid",
        "create_date",
        "write_uid",
        "write_date",
    )

    @api.model
    def _settle_due(self, settle_date, batch_size=CHUNK_SIZE, max_batches=None, commit=False):
        """Settle the periods due on or before ``settle_date`` of every active contract, set-based.

        The contracts are taken in chunks of ids (``batch_size`` ids from the first contract with a period
        to settle); each chunk is one ``INSERT … SELECT`` (see :meth:`_settle_chunk`) and, when ``commit``
        is set, one transaction. The progress goes to ``ir.cron._notify_progress``; when ``max_batches``
        stops the run early, the cron is triggered again for the rest. A run killed in the middle loses at
        most the chunk in progress: a run only picks plan lines not settled yet, and the unique (contract,
        period) index makes a second settlement of the same period a no-op (``ON CONFLICT DO NOTHING``).

        :return: number of contracts settled
        """
        batch_size = max(1, int(batch_size or self.CHUNK_SIZE))
        total = self._count_contracts_to_settle(settle_date)
        done, batches, first_id = 0, 0, self._next_contract_to_settle(settle_date, 0)
        while first_id:
            last_id = first_id + batch_size - 1
            contracts, lines = self._settle_chunk(settle_date, first_id, last_id)
            done += contracts
            batches += 1
            self.env["ir.cron"]._notify_progress(done=done, remaining=max(total - done, 0))
            _logger.info(
                "Interest settlement up to %s: %s/%s contracts (chunk %s..%s: %s periods)",
                settle_date,
                done,
                total,
                first_id,
                last_id,
                lines,
            )
            if commit:
                # one transaction per chunk: a crash loses at most the chunk in progress
                self.env.cr.commit()  # pylint: disable=invalid-commit
            first_id = self._next_contract_to_settle(settle_date, last_id)
            if first_id and max_batches and batches >= max_batches:
                cron = self.env.ref("student_loan_repayment.ir_cron_settle_interest", raise_if_not_found=False)
                if cron:
                    cron._trigger()
                break
        if commit and batches:
            # the table grew on the settlement date: keep the planner's figures current
            self.env.cr.execute("ANALYZE student_loan_settlement_line")
        _logger.info("Interest settlement up to %s: %s contracts settled in %s chunks", settle_date, done, batches)
        return done

    # ------------------------------------------------------------------
    # The settlement as OCA queue_job jobs (channel root.student_loan.settlement, see data/queue_job_data.xml)
    # ------------------------------------------------------------------

    @api.model
    def _settlement_chunks(self, settle_date, batch_size):
        """The ``(first_id, last_id)`` ranges of contract ids, ``batch_size`` ids each, that have a period to settle."""
        first_id = self._next_contract_to_settle(settle_date, 0)
        while first_id:
            last_id = first_id + batch_size - 1
            yield first_id, last_id
            first_id = self._next_contract_to_settle(settle_date, last_id)

    @api.model
    def _enqueue_settlement(self, settle_date, batch_size=None):
        """Queue the settlement of the periods due up to ``settle_date``: one job per chunk of contract ids (the
        runner spreads them over the channel's capacity, on one server or several), then one job that closes
        the run once every chunk is done.

        Each chunk job is the chunk's one statement in one transaction (:meth:`_job_settle_chunk`); a job killed
        in the middle is rolled back and, run again, settles its chunk once: it only picks plan lines not settled
        yet and the unique (contract, period) index refuses a second settlement. The same chunk waiting in the
        queue is not queued twice (``identity_exact``).

        :return: number of chunk jobs queued
        """
        chunks = list(self._settlement_chunks(settle_date, batch_size or self._get_chunk_size()))
        if not chunks:
            return 0
        chunk_jobs = [
            self.delayable(
                identity_key=identity_exact,
                description=self.env._(
                    "Interest settlement up to %(date)s: contracts %(first)s to %(last)s",
                    date=settle_date,
                    first=first_id,
                    last=last_id,
                ),
            )._job_settle_chunk(settle_date, first_id, last_id)
            for first_id, last_id in chunks
        ]
        done_job = self.delayable(
            identity_key=identity_exact,
            description=self.env._("Interest settlement up to %(date)s: close the run", date=settle_date),
        )._job_settlement_done(settle_date)
        chain(group(*chunk_jobs), done_job).delay()
        _logger.info("Interest settlement up to %s: %s chunk jobs queued", settle_date, len(chunks))
        return len(chunks)

    @api.model
    def _job_settle_chunk(self, settle_date, first_id, last_id):
        """Job: settle the due periods of the contracts ``first_id..last_id`` (idempotent, retry-safe)."""
        contracts, lines = self.sudo()._settle_chunk(settle_date, first_id, last_id)
        _logger.info(
            "Interest settlement up to %s, contracts %s..%s: %s contracts, %s periods settled",
            settle_date,
            first_id,
            last_id,
            contracts,
            lines,
        )
        return f"{contracts} contracts, {lines} periods settled (contract ids {first_id}..{last_id})"

    @api.model
    def _job_settlement_done(self, settle_date):
        """Job: the last of a run: fresh planner statistics, and what is left (nothing, unless a chunk failed)."""
        self.env.cr.execute("ANALYZE student_loan_settlement_line, student_loan_plan_line")
        left = self._count_contracts_to_settle(settle_date)
        self.env.cr.execute("SELECT count(*) FROM student_loan_settlement_line WHERE date <= %s", [settle_date])
        lines = self.env.cr.fetchone()[0]
        _logger.info(
            "Interest settlement up to %s finished: %s settlement lines, %s contracts left", settle_date, lines, left
        )
        return f"{lines} settlement lines up to {settle_date}; {left} contracts left to settle"

    @api.model
    def _contracts_to_settle_query(self, settle_date):
        """Active contracts with a plan line due on or before ``settle_date`` and not settled yet.

        A plan line is settled when it links to its settlement line: the link is written in the same
        statement as the settlement, and the unique (contract, period) index refuses a second one.
        The query reads the plan lines and the contracts only (a partial index holds the lines not settled
        yet), so it does not depend on the statistics of a settlement table that grows during the run.
        """
        return SQL(
            """
            FROM student_loan_plan_line pl
            JOIN student_loan_contract c ON c.id = pl.contract_id AND c.state = 'active'
            WHERE pl.settlement_line_id IS NULL
              AND pl.date <= %(date)s
            """,
            date=settle_date,
        )

    @api.model
    def _count_contracts_to_settle(self, settle_date):
        self.env.flush_all()
        self.env.cr.execute(
            SQL("SELECT count(DISTINCT pl.contract_id) %s", self._contracts_to_settle_query(settle_date))
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _next_contract_to_settle(self, settle_date, after_id):
        """The smallest id above ``after_id`` of a contract with a period to settle (None when none is left)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT min(pl.contract_id) %s AND pl.contract_id > %s",
                self._contracts_to_settle_query(settle_date),
                after_id,
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _settlement_rows_query(self, settle_date, first_id, last_id, lock=True):
        """SELECT of the settlements due up to ``settle_date`` of the active contracts ``first_id..last_id``.

        The same arithmetic as ``loanlib.repayment`` (``split_interest``, ``student_pay_start``), in exact
        ``numeric``: the balance is the contract amount less the principal paid on its earlier settlements
        (it stays outstanding until paid, so every period of a catch-up run accrues on it); the period from
        ``period_start`` (included) to the due date (excluded) is cut at the student-pay start (loanlib's
        ``LoanTerms.student_pay_start``): the contract's ``subsidy_end`` when an interest-subsidy extension is
        approved (the extension point, see student_loan_aftercare), else 1 September of the graduation year;
        days before it are subsidised (财政贴息), days from it are the student's; each part is ACT/360
        ``balance × rate × days / 360`` rounded half-up to the fen; the principal due is the plan's,
        at most the balance. ``lock`` takes the contracts' row locks, so a repayment posted meanwhile (which
        settles its own contract) waits for the chunk.
        """
        return SQL(
            """
            SELECT r.*,
                   round(r.balance * r.rate * (r.cut - r.period_start) / 36000, 2) AS subsidised_interest,
                   round(r.balance * r.rate * (r.date - r.cut) / 36000, 2) AS interest
              FROM (
                SELECT pl.id AS plan_line_id, pl.contract_id, c.student_id, c.centre_id, c.academic_year,
                       pl.date, pl.kind, pl.period_start, round(c.rate::numeric, 4) AS rate, b.balance,
                       least(round(coalesce(pl.principal, 0)::numeric, 2), b.balance) AS principal_due,
                       CASE WHEN pl.period_start <= pl.date
                            THEN least(greatest(coalesce(c.subsidy_end,
                                                         make_date(extract(year FROM c.graduation_date)::int, 9, 1),
                                                         pl.date),
                                                pl.period_start),
                                       pl.date)
                            ELSE pl.date END AS cut
                  FROM student_loan_plan_line pl
                  JOIN (SELECT c.id, c.student_id, c.centre_id, c.academic_year, c.rate, c.amount,
                               c.graduation_date, c.subsidy_end
                          FROM student_loan_contract c
                         WHERE c.id BETWEEN %(first)s AND %(last)s AND c.state = 'active'
                         %(lock)s) c ON c.id = pl.contract_id
                  LEFT JOIN (SELECT s.contract_id, sum(s.principal_paid) AS paid
                               FROM student_loan_settlement_line s
                              WHERE s.contract_id BETWEEN %(first)s AND %(last)s
                              GROUP BY s.contract_id) p ON p.contract_id = pl.contract_id
                 CROSS JOIN LATERAL (
                       SELECT greatest(round(c.amount::numeric, 2) - round(coalesce(p.paid, 0)::numeric, 2), 0)
                              AS balance) b
                 WHERE pl.settlement_line_id IS NULL
                   AND pl.date <= %(date)s
                   AND pl.contract_id BETWEEN %(first)s AND %(last)s
              ) r
            """,
            first=first_id,
            last=last_id,
            date=settle_date,
            lock=SQL("FOR NO KEY UPDATE") if lock else SQL(),
        )

    @api.model
    def _settle_chunk_query(self, settle_date, first_id, last_id, return_ids=False):
        """The statement of one chunk: the settlement lines inserted and the plan lines linked to them.

        The rows are inserted in the order of the unique (contract, period) index and of the contract and
        student ids, so that each index grows at its right edge and the foreign-key checks of consecutive rows
        read the same pages (the contracts are locked by the ``SELECT`` already, which makes their check a
        lookup). It returns the contracts and lines settled (and the new line ids when ``return_ids``).
        """
        columns = SQL(", ").join(SQL.identifier(column) for column in self.SQL_COLUMNS)
        return SQL(
            """
            WITH inserted AS (
                INSERT INTO student_loan_settlement_line (%(columns)s)
                SELECT contract_id, student_id, centre_id, academic_year, plan_line_id, date, date, kind,
                       period_start, date - period_start, balance, rate, subsidised_interest, interest,
                       principal_due, interest + principal_due, 0, 0, 0, interest, principal_due,
                       interest + principal_due,
                       CASE WHEN interest + principal_due > 0 THEN 'open' ELSE 'paid' END,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM (%(rows)s) due
                 ORDER BY contract_id, date, kind
                ON CONFLICT (contract_id, date, kind) DO NOTHING
                RETURNING id, plan_line_id, contract_id
            ),
            linked AS (
                UPDATE student_loan_plan_line pl SET settlement_line_id = inserted.id
                  FROM inserted
                 WHERE pl.id = inserted.plan_line_id
                RETURNING inserted.id, inserted.contract_id
            )
            SELECT count(DISTINCT contract_id), count(*), CASE WHEN %(ids)s THEN array_agg(id) END FROM linked
            """,
            rows=self._settlement_rows_query(settle_date, first_id, last_id),
            columns=columns,
            uid=self.env.uid,
            now=self.env.cr.now(),
            ids=return_ids,
        )

    @api.model
    def _settle_chunk(self, settle_date, first_id, last_id):
        """Settle the due periods of the active contracts with ids ``first_id..last_id`` in one statement.

        ``INSERT … SELECT`` of the settlement lines (``ON CONFLICT DO NOTHING`` on the unique contract and
        period), the plan lines linked to them in the same statement (:meth:`_settle_chunk_query`), then the
        credit of contracts that have some applied to their new settlements. No per-row ORM work: stored
        computed fields of other addons, if any, are computed on the new lines afterwards.

        :return: (contracts settled, settlement lines created)
        """
        self.env.flush_all()
        extra_computed = [
            field
            for name, field in self._fields.items()
            if field.store and field.compute and name not in self.SQL_COLUMNS and name not in models.MAGIC_COLUMNS
        ]
        # the joins and the sort of a chunk fit in memory (the chunk's transaction only)
        self.env.cr.execute(SQL("SET LOCAL work_mem = %s", self.CHUNK_WORK_MEM))
        self.env.cr.execute(self._settle_chunk_query(settle_date, first_id, last_id, return_ids=bool(extra_computed)))
        contracts, lines, line_ids = self.env.cr.fetchone()
        self.env.invalidate_all()
        if extra_computed and line_ids:
            # stored computed fields added by other addons: the ORM computes them on the new lines
            new_lines = self.sudo().browse(line_ids)
            for field in extra_computed:
                self.env.add_to_compute(field, new_lines)
            new_lines.flush_recordset()
        if contracts:
            self._apply_credit_of_range(settle_date, first_id, last_id)
        return contracts, lines

    @api.model
    def _settle_contracts(self, contract_ids, settle_date):
        """Settle the periods of ``contract_ids`` due up to ``settle_date`` (e.g. before a repayment is
        allocated): the settlement run's statement, one contract at a time."""
        for contract_id in sorted(set(contract_ids)):
            self._settle_chunk(settle_date, contract_id, contract_id)

    @api.model
    def _apply_credit_of_range(self, settle_date, first_id, last_id):
        """Apply the credit (repayments not allocated yet) of the contracts ``first_id..last_id`` that have some."""
        self.env.cr.execute(
            SQL(
                """
            SELECT p.contract_id
              FROM student_loan_payment p
             WHERE p.state = 'posted' AND p.contract_id BETWEEN %s AND %s
             GROUP BY p.contract_id
            HAVING sum(p.amount) > coalesce((SELECT sum(a.amount) FROM student_loan_payment_allocation a
                                              WHERE a.contract_id = p.contract_id), 0)
            """,
                first_id,
                last_id,
            )
        )
        contract_ids = [row[0] for row in self.env.cr.fetchall()]
        if contract_ids:
            self.env["student.loan.contract"].sudo().browse(contract_ids)._apply_credit(settle_date)

    def _link_plan_lines(self, lines):
        """Mark the plan lines settled (one statement for the batch)."""
        if not lines:
            return
        self.env.flush_all()
        pairs = [(line.plan_line_id.id, line.id) for line in lines if line.plan_line_id]
        self.env.cr.execute(
            SQL(
                """
            UPDATE student_loan_plan_line pl SET settlement_line_id = v.settlement_line_id
              FROM (SELECT unnest(%s::int[]) AS plan_line_id, unnest(%s::int[]) AS settlement_line_id) v
             WHERE pl.id = v.plan_line_id
            """,
                [pair[0] for pair in pairs],
                [pair[1] for pair in pairs],
            )
        )
        self.env["student.loan.plan.line"].invalidate_model(["settlement_line_id", "is_settled"])
