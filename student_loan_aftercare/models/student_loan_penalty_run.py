import logging
from collections import defaultdict
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, split_every

from odoo.addons.student_loan.loanlib import penalty

_logger = logging.getLogger(__name__)


class StudentLoanPenaltyRun(models.Model):
    """One accrual of penalty interest over the whole book of a centre (the province's: every contract),
    up to a date, with the waivers in force applied. Idempotent: each contract accrues from where its last
    run stopped, so a second run to the same date accrues nothing."""

    _name = "student.loan.penalty.run"
    _description = "Penalty Interest Run"
    _inherit = ["mail.thread", "student.loan.job.mixin"]
    _order = "date desc, id desc"

    RUN_CHUNK = 2000

    name = fields.Char(readonly=True, default="/", copy=False)
    centre_id = fields.Many2one(
        "student.loan.centre",
        string="Aid Centre",
        required=True,
        default=lambda self: self.env.user.loan_centre_id,
        help="Contracts of this centre and of the centres below it.",
    )
    date = fields.Date(
        string="Accrue Until",
        required=True,
        default=fields.Date.context_today,
        help="Penalty interest accrues on every day before this date.",
    )
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft", readonly=True, tracking=True)
    line_ids = fields.One2many("student.loan.penalty.line", "run_id", string="Accruals", readonly=True)
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.ref("base.CNY"))
    contract_count = fields.Integer(string="Contracts", readonly=True)
    amount_total = fields.Monetary(string="Penalty Interest", readonly=True)
    waived_total = fields.Monetary(string="Waived", readonly=True)
    user_id = fields.Many2one("res.users", string="Run By", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("student.loan.penalty.run") or "/"
        return super().create(vals_list)

    def action_run(self):
        """Check the run and queue it (``_job_run``, channel root.student_loan.policy)."""
        self.ensure_one()
        if not self.env.user.has_group("student_loan.group_supervisor"):
            raise UserError(self.env._("Only supervisors and the province administrator run the penalty interest."))
        self.check_access("write")
        self._check_runnable()
        return self._job_enqueue("_job_run", self.env._("Penalty interest run %s", self.name))

    def _check_runnable(self):
        if self.state != "draft":
            raise UserError(self.env._("%s has run already.", self.name))
        if self.date > fields.Date.context_today(self):
            raise UserError(self.env._("Penalty interest cannot be accrued into the future (%s).", self.date))

    def _job_run(self):
        """The job: accrue the book (``_accrue``, committed in steps), then the totals from the run's lines.

        Each contract accrues from where its last accrual stopped, so a retried job accrues only the
        contracts left and a job run again on a finished run does nothing."""
        self.ensure_one()
        self._job_lock()
        if self.state == "done":
            return self.env._("%s has run already: nothing to do.", self.name)
        self._check_runnable()
        self.sudo()._accrue()
        self.env["student.loan.penalty.line"].flush_model()
        [(count, amount, waived)] = (
            self.env["student.loan.penalty.line"]
            .sudo()
            ._read_group([("run_id", "=", self.id)], [], ["__count", "amount:sum", "waived_amount:sum"])
        )
        self.sudo().write(
            {
                "state": "done",
                "user_id": self.env.uid,
                "contract_count": count,
                "amount_total": amount,
                "waived_total": waived,
            }
        )
        message = self.env._(
            "Penalty interest accrued until %(date)s on %(count)s contracts: %(amount)s yuan (%(waived)s waived).",
            date=self.date,
            count=count,
            amount=self.amount_total,
            waived=self.waived_total,
        )
        self.message_post(body=message)
        return message

    @api.model
    def _accrue_for_payment(self, contracts, day):
        """Accrue the penalty interest of ``contracts`` up to ``day`` (excluded), e.g. before a repayment of
        that day is allocated, so it pays the penalty interest accrued to it first. A run is recorded only
        when something accrues; idempotent like any run."""
        contracts = contracts.filtered(lambda contract: contract.state == "active")
        if not contracts:
            return self.browse()
        run = self.new({"centre_id": contracts[0].centre_id.id, "date": day})
        vals_list, counts = run._prepare_accruals(contract_ids=contracts.ids)
        if not vals_list:
            return self.browse()
        run = self.sudo().create(
            {
                "centre_id": contracts[0].centre_id.id,
                "date": day,
                "state": "done",
                "user_id": self.env.uid,
                "contract_count": counts["contracts"],
                "amount_total": float(counts["amount"]),
                "waived_total": float(counts["waived"]),
            }
        )
        self.env["student.loan.penalty.line"].sudo().create([dict(vals, run_id=run.id) for vals in vals_list])
        return run

    def _accrue(self):
        """Accrue every contract of the centre (set-based reads; the lines created and committed in steps)."""
        self.ensure_one()
        dues, terms, payments, waivers = self._accrual_inputs()
        total = waived = Decimal(0)
        contracts = 0
        done = 0
        for chunk in split_every(self._job_chunk_size(self.RUN_CHUNK), list(dues), list):
            vals_list, chunk_total, chunk_waived = self._accrue_chunk(chunk, dues, terms, payments, waivers)
            self.env["student.loan.penalty.line"].create([dict(vals, run_id=self.id) for vals in vals_list])
            contracts += len(vals_list)
            total += chunk_total
            waived += chunk_waived
            done += len(chunk)
            self._job_step(done, len(dues))
        return {"contracts": contracts, "amount": total, "waived": waived}

    def _prepare_accruals(self, contract_ids=None):
        """``(line values without run, counts)`` of the accruals up to the run's date: every contract of the
        centre, or only ``contract_ids`` (one step: a repayment's own contracts)."""
        self.ensure_one()
        dues, terms, payments, waivers = self._accrual_inputs(contract_ids)
        vals_list, total, waived = self._accrue_chunk(list(dues), dues, terms, payments, waivers)
        return vals_list, {"contracts": len(vals_list), "amount": total, "waived": waived}

    def _accrual_inputs(self, contract_ids=None):
        """What the accruals up to the run's date need: ``(dues, terms, payments, waivers)`` of every contract of
        the centre, or only of ``contract_ids``."""
        self.ensure_one()
        self.env.flush_all()
        cr = self.env.cr
        if contract_ids is None:
            centre_ids = self.env["student.loan.centre"].search([("id", "child_of", self.centre_id.id)]).ids
            scope, accrued_scope = SQL("s.centre_id = ANY(%s)", centre_ids), SQL("TRUE")
        else:
            scope = SQL("s.contract_id = ANY(%s)", list(contract_ids))
            accrued_scope = SQL("contract_id = ANY(%s)", list(contract_ids))
        # contracts with principal that fell due before the date and is unpaid, or was paid after
        # their last accrual (late payments accrue up to the day they were paid)
        cr.execute(
            SQL(
                """
            WITH accrued AS (
                SELECT contract_id, max(date_to) AS accrued_to
                  FROM student_loan_penalty_line WHERE %(accrued_scope)s GROUP BY contract_id
            )
            SELECT s.contract_id, s.id, s.due_date, s.principal_due, c.rate, pol.penalty_multiple,
                   acc.accrued_to
              FROM student_loan_settlement_line s
              JOIN student_loan_contract c ON c.id = s.contract_id AND c.state = 'active'
              JOIN student_loan_policy pol ON pol.academic_year = c.academic_year
         LEFT JOIN accrued acc ON acc.contract_id = s.contract_id
             WHERE %(scope)s
               AND s.principal_due > 0
               AND s.due_date < %(date)s
               AND COALESCE(acc.accrued_to, s.due_date) < %(date)s
               AND (s.principal_residual > 0 OR EXISTS (
                        SELECT 1 FROM student_loan_payment_allocation a
                          JOIN student_loan_payment p ON p.id = a.payment_id
                         WHERE a.settlement_line_id = s.id AND a.kind = 'principal'
                           AND p.date > s.due_date AND p.date > COALESCE(acc.accrued_to, s.due_date)))
             ORDER BY s.contract_id, s.due_date
            """,
                scope=scope,
                accrued_scope=accrued_scope,
                date=self.date,
            )
        )
        dues = defaultdict(list)
        terms = {}
        line_ids = []
        for contract_id, line_id, due_date, principal_due, rate, multiple, accrued_to in cr.fetchall():
            dues[contract_id].append((due_date, Decimal(str(principal_due)).quantize(penalty.FEN)))
            terms[contract_id] = (rate, multiple, accrued_to)
            line_ids.append(line_id)
        payments = defaultdict(list)
        if line_ids:
            cr.execute(
                SQL(
                    """
                SELECT a.contract_id, p.date, sum(a.amount)
                  FROM student_loan_payment_allocation a
                  JOIN student_loan_payment p ON p.id = a.payment_id
                 WHERE a.settlement_line_id = ANY(%s) AND a.kind = 'principal'
                 GROUP BY a.contract_id, p.date
                """,
                    line_ids,
                )
            )
            for contract_id, day, amount in cr.fetchall():
                payments[contract_id].append((day, Decimal(str(amount)).quantize(penalty.FEN)))
        waivers = self.env["student.loan.penalty.waiver"]._get_waivers()
        return dues, terms, payments, waivers

    def _accrue_chunk(self, contract_ids, dues, terms, payments, waivers):
        """The penalty lines of ``contract_ids`` (values to create, without their run) and their totals."""
        vals_list = []
        total = waived = Decimal(0)
        for contract_id in contract_ids:
            contract_dues = dues[contract_id]
            rate, multiple, accrued_to = terms[contract_id]
            segments = penalty.segments_from_dues(contract_dues, payments.get(contract_id, ()))
            start = accrued_to or segments[0][0]
            if start >= self.date:
                continue
            try:
                result = penalty.accrue(
                    segments,
                    Decimal(str(rate)) / 100,
                    Decimal(str(multiple or 1.3)),
                    start,
                    self.date,
                    waivers,
                )
            except ValueError as error:
                _logger.warning("Penalty interest of contract %s not accrued: %s", contract_id, error)
                continue
            if not result.days_charged and not result.days_waived:
                continue
            total += result.amount
            waived += result.waived_amount
            vals_list.append(
                {
                    "contract_id": contract_id,
                    "date_from": start,
                    "date_to": self.date,
                    "days_charged": result.days_charged,
                    "days_waived": result.days_waived,
                    "rate": rate,
                    "multiple": multiple,
                    "amount": float(result.amount),
                    "waived_amount": float(result.waived_amount),
                }
            )
        return vals_list, total, waived
