import logging
from decimal import Decimal

from odoo import api, fields, models, modules, tools
from odoo.tools import SQL

from odoo.addons.student_loan.loanlib import repayment

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
        """Scheduled action: settle every period due up to today, in committed batches."""
        params = self.env["ir.config_parameter"].sudo()
        batch_size = int(params.get_param("student_loan_repayment.settlement_batch_size", 2000))
        max_batches = int(params.get_param("student_loan_repayment.settlement_batches_per_call", 10))
        self._settle_due(
            fields.Date.context_today(self), batch_size=batch_size, max_batches=max_batches, commit=self._can_commit()
        )

    @api.model
    def _can_commit(self):
        return not modules.module.current_test and not tools.config["test_enable"]

    @api.model
    def _settle_due(self, settle_date, batch_size=2000, max_batches=None, commit=False):
        """Settle the periods due on or before ``settle_date`` of every active contract.

        Contracts are taken in batches (``batch_size`` contracts, in id order); each batch is one
        transaction when ``commit`` is set. The progress goes to ``ir.cron._notify_progress``; when
        ``max_batches`` stops the run early, the cron is triggered again for the rest. A crash loses
        at most the batch in progress: a run only picks contracts with a period still unsettled, and
        the unique (contract, period) constraint refuses a second settlement of the same period.

        :return: number of contracts settled
        """
        total = self._count_contracts_to_settle(settle_date)
        done, batches, last_id = 0, 0, 0
        while True:
            contract_ids = self._get_contracts_to_settle(settle_date, batch_size, after_id=last_id)
            if not contract_ids:
                break
            self._settle_contracts(contract_ids, settle_date)
            done += len(contract_ids)
            batches += 1
            last_id = contract_ids[-1]
            self.env["ir.cron"]._notify_progress(done=done, remaining=max(total - done, 0))
            if commit:
                # one transaction per batch: a crash loses at most the batch in progress
                self.env.cr.commit()  # pylint: disable=invalid-commit
                if batches % 10 == 1:
                    # the table grows fast on the settlement date: keep the planner's figures current
                    self.env.cr.execute("ANALYZE student_loan_settlement_line")
            if max_batches and batches >= max_batches:
                if self._get_contracts_to_settle(settle_date, 1, after_id=last_id):
                    cron = self.env.ref("student_loan_repayment.ir_cron_settle_interest", raise_if_not_found=False)
                    if cron:
                        cron._trigger()
                break
        _logger.info("Interest settlement up to %s: %s contracts settled in %s batches", settle_date, done, batches)
        return done

    @api.model
    def _contracts_to_settle_query(self, settle_date):
        """Active contracts with a plan line due on or before ``settle_date`` and not settled yet.

        A plan line is settled when it links to its settlement line: the link is written in the same
        transaction as the settlement, and the unique (contract, period) constraint refuses a second one.
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
    def _get_contracts_to_settle(self, settle_date, limit, after_id=0):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                # both bounds: each batch starts where the last one ended, in the plan lines and in the contracts
                "SELECT DISTINCT pl.contract_id %s AND pl.contract_id > %s AND c.id > %s "
                "ORDER BY pl.contract_id LIMIT %s",
                self._contracts_to_settle_query(settle_date),
                after_id,
                after_id,
                limit,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _settle_contracts(self, contract_ids, settle_date):
        """Settle the due periods of ``contract_ids`` (set-based: a fixed number of queries per batch).

        The contracts are locked first, so a repayment posted meanwhile (which settles its own contract)
        waits for the batch instead of settling the same period twice.
        """
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(
            SQL(
                """
            SELECT c.id, c.amount, c.rate, c.graduation_date
              FROM student_loan_contract c
             WHERE c.id = ANY(%s) AND c.state = 'active'
             ORDER BY c.id
               FOR NO KEY UPDATE OF c
            """,
                list(contract_ids),
            )
        )
        contracts = {row[0]: row[1:] for row in cr.fetchall()}
        cr.execute(
            SQL(
                """
            SELECT s.contract_id, sum(s.principal_paid)
              FROM student_loan_settlement_line s
             WHERE s.contract_id = ANY(%s)
             GROUP BY s.contract_id
            """,
                list(contracts),
            )
        )
        principal_paid = dict(cr.fetchall())
        cr.execute(
            SQL(
                """
            SELECT pl.id, pl.contract_id, pl.date, pl.kind, pl.period_start, pl.principal
              FROM student_loan_plan_line pl
             WHERE pl.contract_id = ANY(%s) AND pl.date <= %s AND pl.settlement_line_id IS NULL
             ORDER BY pl.contract_id, pl.date, pl.id
            """,
                list(contracts),
                settle_date,
            )
        )
        vals_list = []
        balances = {}
        for plan_line_id, contract_id, day, kind, period_start, principal in cr.fetchall():
            amount, rate, graduation_date = contracts[contract_id]
            balance = balances.get(contract_id)
            if balance is None:
                balance = max(to_decimal(amount) - to_decimal(principal_paid.get(contract_id)), Decimal(0))
            subsidised, student = repayment.split_interest(
                balance, annual_rate(rate), period_start, day, repayment.student_pay_start(graduation_date)
            )
            principal_due = min(to_decimal(principal), balance)
            # the principal stays outstanding until it is paid: the next period accrues on it too
            balances[contract_id] = balance
            vals_list.append(
                {
                    "contract_id": contract_id,
                    "plan_line_id": plan_line_id,
                    "date": day,
                    "due_date": day,
                    "kind": kind,
                    "period_start": period_start,
                    "days": (day - period_start).days,
                    "balance": float(balance),
                    "rate": rate,
                    "subsidised_interest": float(subsidised),
                    "interest": float(student),
                    "principal_due": float(principal_due),
                }
            )
        # the related fields (student, centre, year) read the batch's contracts at once
        self.env["student.loan.contract"].browse(contracts).mapped("student_id")
        lines = self.sudo().create(vals_list)
        self._link_plan_lines(lines)
        self.env["student.loan.contract"].browse(contracts)._apply_credit(settle_date)
        return lines

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
