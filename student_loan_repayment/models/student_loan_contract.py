import csv
import io
import logging
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, split_every

from odoo.addons.student_loan.loanlib import allocation, repayment
from odoo.addons.student_loan.models.lib_errors import lib_error_message

from .student_loan_settlement_line import annual_rate, to_decimal

_logger = logging.getLogger(__name__)

REPAYMENT_METHODS = [
    ("annuity", "Equal Instalments (等额本息)"),
    ("linear", "Equal Principal (等额本金)"),
]
REPAYMENT_FREQUENCIES = [("yearly", "Yearly"), ("monthly", "Monthly")]
PLAN_CONVENTIONS = [
    ("legacy", "Legacy (grace-end line, short last line)"),
    ("bank", "Bank Settlement Calendar"),
]
PLAN_FIELDS = (
    "amount",
    "rate",
    "start_date",
    "graduation_date",
    "maturity_date",
    "disbursement_date",
    "repayment_method",
    "repayment_frequency",
)


class StudentLoanContract(models.Model):
    _inherit = "student.loan.contract"

    repayment_method = fields.Selection(
        REPAYMENT_METHODS,
        default="annuity",
        required=True,
        tracking=True,
        help="等额本息: equal instalments of principal and interest. 等额本金: equal principal, decreasing interest.",
    )
    repayment_frequency = fields.Selection(REPAYMENT_FREQUENCIES, default="yearly", required=True, tracking=True)
    plan_convention = fields.Selection(
        PLAN_CONVENTIONS,
        default="bank",
        readonly=True,
        help="The due-date calendar of the plan (loanlib.repayment): every line on the bank's settlement "
        "calendar; plans stored before 18.0.1.1.0 were moved to it for their unsettled lines.",
    )
    # Extension point of the settlement: the set-based settlement splits each period's interest at this date
    # when set (an approved interest-subsidy extension, 贴息延期; student_loan_aftercare computes it from its
    # approved reliefs), else at 1 September of the graduation year (loanlib ``LoanTerms.subsidy_end``).
    subsidy_end = fields.Date(
        string="Interest Subsidy Until",
        readonly=True,
        copy=False,
        tracking=True,
        help="Interest-subsidy extension: the state pays the interest accrued before this date instead of "
        "1 September of the graduation year.",
    )
    plan_line_ids = fields.One2many("student.loan.plan.line", "contract_id", string="Repayment Plan")
    settlement_line_ids = fields.One2many("student.loan.settlement.line", "contract_id", string="Settlements")
    payment_ids = fields.One2many("student.loan.payment", "contract_id", string="Repayments")
    change_request_ids = fields.One2many("student.loan.change.request", "contract_id", string="Change Requests")
    change_request_count = fields.Integer(compute="_compute_change_request_count")
    plan_total_interest = fields.Monetary(compute="_compute_plan_totals", string="Plan: Student Interest")
    plan_total_subsidised = fields.Monetary(compute="_compute_plan_totals", string="Plan: Subsidised Interest")
    principal_repaid = fields.Monetary(compute="_compute_repayment_summary")
    principal_outstanding = fields.Monetary(compute="_compute_repayment_summary")
    amount_unpaid = fields.Monetary(compute="_compute_repayment_summary", string="Due and Unpaid")
    amount_overdue = fields.Monetary(compute="_compute_repayment_summary", string="Overdue")
    days_past_due = fields.Integer(compute="_compute_repayment_summary")
    credit_amount = fields.Monetary(
        compute="_compute_repayment_summary",
        string="Credit",
        help="Overpayments kept for the next settlement.",
    )
    next_due_date = fields.Date(compute="_compute_repayment_summary")
    next_due_amount = fields.Monetary(compute="_compute_repayment_summary", string="Next Amount Due")
    repayment_status = fields.Selection(
        [
            ("none", "Not Disbursed"),
            ("current", "Up to Date"),
            ("due", "Amount Due"),
            ("overdue", "Overdue"),
            ("repaid", "Repaid"),
        ],
        compute="_compute_repayment_summary",
    )
    is_overdue = fields.Boolean(compute="_compute_repayment_summary", search="_search_is_overdue", string="Overdue?")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    def _compute_change_request_count(self):
        counts = dict(
            self.env["student.loan.change.request"]._read_group(
                [("contract_id", "in", self.ids)], ["contract_id"], ["__count"]
            )
        )
        for contract in self:
            contract.change_request_count = counts.get(contract, 0)

    @api.depends("plan_line_ids.interest", "plan_line_ids.subsidised_interest")
    def _compute_plan_totals(self):
        for contract in self:
            contract.plan_total_interest = sum(contract.plan_line_ids.mapped("interest"))
            contract.plan_total_subsidised = sum(contract.plan_line_ids.mapped("subsidised_interest"))

    @api.depends_context("date")
    def _compute_repayment_summary(self):
        today = fields.Date.context_today(self)
        Line = self.env["student.loan.settlement.line"].sudo()
        ids = self.ids
        paid = dict(
            (contract.id, (principal_paid, residual))
            for contract, principal_paid, residual in Line._read_group(
                [("contract_id", "in", ids)], ["contract_id"], ["principal_paid:sum", "amount_residual:sum"]
            )
        )
        overdue = {
            contract.id: (residual, oldest)
            for contract, residual, oldest in Line._read_group(
                [("contract_id", "in", ids), ("state", "=", "open"), ("due_date", "<", today)],
                ["contract_id"],
                ["amount_residual:sum", "due_date:min"],
            )
        }
        next_due = {
            contract.id: day
            for contract, day in self.env["student.loan.plan.line"]
            .sudo()
            ._read_group(
                [("contract_id", "in", ids), ("settlement_line_id", "=", False)], ["contract_id"], ["date:min"]
            )
        }
        next_amounts = {}
        if next_due:
            for line in (
                self.env["student.loan.plan.line"]
                .sudo()
                .search(
                    [
                        ("contract_id", "in", list(next_due)),
                        ("date", "in", list(set(next_due.values()))),
                        ("settlement_line_id", "=", False),
                    ]
                )
            ):
                if line.date == next_due[line.contract_id.id]:
                    next_amounts[line.contract_id.id] = next_amounts.get(line.contract_id.id, 0.0) + line.total
        credit_by_contract = self._get_credit_amounts()
        for contract in self:
            principal_paid, residual = paid.get(contract.id, (0.0, 0.0))
            overdue_amount, oldest = overdue.get(contract.id, (0.0, None))
            contract.principal_repaid = principal_paid
            contract.principal_outstanding = (
                contract.amount - principal_paid
                if contract.state == "active"
                else (0.0 if contract.state == "closed" else contract.amount)
            )
            contract.amount_unpaid = residual
            contract.amount_overdue = overdue_amount
            contract.days_past_due = (today - oldest).days if oldest else 0
            contract.is_overdue = bool(oldest)
            contract.credit_amount = float(credit_by_contract.get(contract.id, 0))
            contract.next_due_date = next_due.get(contract.id, False)
            contract.next_due_amount = next_amounts.get(contract.id, 0.0)
            if contract.state == "closed":
                contract.repayment_status = "repaid"
            elif contract.state != "active":
                contract.repayment_status = "none"
            elif oldest:
                contract.repayment_status = "overdue"
            elif residual > 0:
                contract.repayment_status = "due"
            else:
                contract.repayment_status = "current"

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Unsupported search on the overdue status."))
        domain = [("settlement_line_ids", "any", [("is_overdue", "=", True)])]
        return domain if (operator == "=") == value else ["!", *domain]

    def _get_credit_amounts(self):
        """``{contract id: Decimal credit}``: posted repayments not allocated to any settlement."""
        if not self.ids:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            SELECT c.id,
                   coalesce((SELECT sum(p.amount) FROM student_loan_payment p
                             WHERE p.contract_id = c.id AND p.state = 'posted'), 0)
                 - coalesce((SELECT sum(a.amount) FROM student_loan_payment_allocation a
                             WHERE a.contract_id = c.id), 0)
              FROM student_loan_contract c
             WHERE c.id = ANY(%s)
            """,
                self.ids,
            )
        )
        return {contract_id: to_decimal(credit) for contract_id, credit in self.env.cr.fetchall()}

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def write(self, vals):
        if {"repayment_method", "repayment_frequency"} & set(vals) and not self.env.context.get(
            "student_loan_plan_change"
        ):
            settled = self.filtered(lambda contract: contract.state in ("active", "closed"))
            if settled:
                raise UserError(
                    self.env._(
                        "%s is disbursed: change its repayment method or frequency with a repayment-plan "
                        "change request (还款计划变更).",
                        settled[0].name,
                    )
                )
        result = super().write(vals)
        if set(PLAN_FIELDS) & set(vals) and not self.env.context.get("student_loan_plan_change"):
            previews = self.filtered(
                lambda contract: contract.state not in ("active", "closed") and contract.plan_line_ids
            )
            previews._generate_plan()
        return result

    def _on_bank_confirmed(self):
        """The loan is paid out: its repayment plan starts from the disbursement date."""
        result = super()._on_bank_confirmed()
        for contract in self.sudo():
            try:
                with self.env.cr.savepoint():
                    contract._generate_plan()
            except UserError as error:
                # the bank's confirmation stands; the handler fixes the terms and computes the plan
                contract.message_post(body=str(error))
                contract.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Repayment plan missing"),
                    note=str(error),
                    user_id=contract.application_id.checked_by_id.id or self.env.uid,
                )
        return result

    # ------------------------------------------------------------------
    # Plan
    # ------------------------------------------------------------------

    def _get_plan_terms(self, **overrides):
        """Keyword arguments of ``repayment.build_plan``/``LoanTerms`` for this contract."""
        self.ensure_one()
        policy = self.policy_id
        if not policy:
            raise UserError(self.env._("No loan policy is configured for the year of %s.", self.name))
        start = self.disbursement_date or self.start_date or fields.Date.context_today(self)
        if not self.graduation_date or not self.maturity_date:
            raise UserError(self.env._("%s has no graduation or maturity date yet.", self.name))
        terms = {
            "principal": to_decimal(self.amount),
            "annual_rate": annual_rate(self.rate),
            "disbursement_date": start,
            "graduation_date": self.graduation_date,
            "maturity_date": self.maturity_date,
            "grace_years": policy.grace_years,
            "method": self.repayment_method,
            "frequency": self.repayment_frequency,
            "settlement_month": policy.settlement_month,
            "settlement_day": policy.settlement_day,
            # empty only on rows inserted by SQL (benchmarks) with build_plan's default calendar
            "convention": self.plan_convention or "legacy",
        }
        terms.update(overrides)
        return terms

    def _plan_error(self, error):
        return UserError(
            self.env._(
                "The repayment plan of %(contract)s cannot be computed: %(error)s",
                contract=self.name,
                error=lib_error_message(self.env, error),
            )
        )

    def _build_plan(self, **overrides):
        self.ensure_one()
        try:
            return repayment.build_plan(**self._get_plan_terms(**overrides))
        except ValueError as error:
            raise self._plan_error(error) from error

    def _get_engine_plan(self):
        """The stored plan as the engine's ``Plan`` (for early repayments and study changes)."""
        self.ensure_one()
        try:
            terms = repayment.LoanTerms(**self._get_plan_terms(), subsidy_end=self.subsidy_end or None)
        except ValueError as error:
            raise self._plan_error(error) from error
        lines = tuple(
            repayment.PlanLine(
                date=line.date,
                kind=line.kind,
                principal=to_decimal(line.principal),
                interest=to_decimal(line.interest),
                subsidised_interest=to_decimal(line.subsidised_interest),
                balance=to_decimal(line.balance),
                days=line.days,
                period_start=line.period_start,
            )
            for line in self.plan_line_ids.sorted(lambda line: (line.date, line.id))
        )
        return repayment.Plan(terms, lines)

    @api.model
    def _plan_line_vals(self, contract_id, plan_lines):
        return [
            {
                "contract_id": contract_id,
                "date": line.date,
                "kind": line.kind,
                "period_start": line.period_start,
                "days": line.days,
                "principal": float(line.principal),
                "interest": float(line.interest),
                "subsidised_interest": float(line.subsidised_interest),
                "balance": float(line.balance),
            }
            for line in plan_lines
        ]

    def _generate_plan(self):
        """(Re)build the whole plan of contracts that have no settlement yet."""
        vals_list = []
        for contract in self:
            if contract.settlement_line_ids:
                raise UserError(
                    self.env._(
                        "Interest of %s has been settled already: change its plan with a repayment-plan change "
                        "request.",
                        contract.name,
                    )
                )
            vals_list += self._plan_line_vals(contract.id, contract._build_plan().lines)
        self.plan_line_ids.sudo().unlink()
        self.mapped("currency_id")  # prefetched for the Monetary fields of the lines
        self.env["student.loan.plan.line"].sudo().create(vals_list)
        return True

    def _replace_plan_after(self, plan, day):
        """Keep the stored lines due on or before ``day``; store ``plan``'s later lines instead of the rest."""
        self.ensure_one()
        lines = self.plan_line_ids.sudo()
        later = lines.filtered(lambda line: line.date > day)
        if later.filtered("settlement_line_id"):
            raise UserError(self.env._("Periods after %s are settled already: the plan cannot change.", day))
        kept = len(lines) - len(later)
        later.unlink()
        return self.env["student.loan.plan.line"].sudo().create(self._plan_line_vals(self.id, plan.lines[kept:]))

    def _migrate_plan_convention(self, batch_size=500):
        """Move legacy plans to the bank calendar (``loanlib.repayment.change_convention``); idempotent.

        Settled lines stand; the unsettled ones are projected again from the last settled line. A plan is
        moved only when its unsettled lines are exactly what its legacy terms give (a plan changed by
        something the contract's terms do not record, e.g. a principal deferral, keeps its lines and the
        legacy convention), and when the bank calendar has a due date left. ``self``: the contracts to
        move (default: every legacy one). Returns ``{"moved": n, "kept": n}``.
        """
        contracts = self or self.sudo().search([("plan_convention", "!=", "bank")])
        counts = {"moved": 0, "kept": 0}
        for batch in split_every(batch_size, contracts.ids, self.sudo().browse):
            for contract in batch.filtered(lambda contract: contract.plan_convention != "bank"):
                counts["moved" if contract._move_plan_to_bank_convention() else "kept"] += 1
            self.env.flush_all()
            self.env.invalidate_all()
        _logger.info("Plan convention: %(moved)s plans moved to the bank calendar, %(kept)s kept", counts)
        return counts

    def _move_plan_to_bank_convention(self):
        self.ensure_one()
        bank = self.with_context(student_loan_plan_change=True)
        if not self.plan_line_ids:
            bank.write({"plan_convention": "bank"})
            return True
        try:
            plan = self._get_engine_plan()
        except UserError as error:
            _logger.warning("Plan of %s kept in the legacy convention: %s", self.name, error)
            return False
        settled = self.plan_line_ids.filtered("settlement_line_id")
        day = max(settled.mapped("date")) if settled else plan.terms.disbursement_date
        try:
            if repayment.change_convention(plan, day, "legacy") != plan:
                return False  # not the plan its terms give: keep it as it is
            moved = repayment.change_convention(plan, day, "bank")
        except ValueError as error:
            _logger.warning("Plan of %s kept in the legacy convention: %s", self.name, error)
            return False
        if moved.terms.convention != "bank":
            return False
        if moved.lines != plan.lines:
            self._replace_plan_after(moved, day)
        bank.write({"plan_convention": "bank"})
        return True

    def action_compute_plan(self):
        """Compute (or recompute) the plan of a contract not settled yet; a preview before disbursement."""
        if not self.env.user.has_group("student_loan.group_handler"):
            raise UserError(self.env._("Only handlers can compute repayment plans."))
        self.check_access("write")
        self.sudo()._generate_plan()
        return True

    def action_print_plan(self):
        return self.env.ref("student_loan_repayment.action_report_repayment_plan").report_action(self)

    def action_export_plan_csv(self):
        """Download the plan as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese)."""
        self.ensure_one()
        self.check_access("read")
        if not self.plan_line_ids:
            raise UserError(self.env._("%s has no repayment plan yet.", self.name))
        kinds = dict(self.env["student.loan.plan.line"]._fields["kind"]._description_selection(self.env))
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(
            [
                self.env._("Contract"),
                self.env._("Due Date"),
                self.env._("Kind"),
                self.env._("Interest Days"),
                self.env._("Principal"),
                self.env._("Interest (Student)"),
                self.env._("Subsidised Interest"),
                self.env._("Student Pays"),
                self.env._("Balance After"),
            ]
        )
        for line in self.plan_line_ids.sorted(lambda line: (line.date, line.id)):
            writer.writerow(
                [
                    self.name,
                    line.date.isoformat(),
                    kinds[line.kind],
                    line.days,
                    f"{line.principal:.2f}",
                    f"{line.interest:.2f}",
                    f"{line.subsidised_interest:.2f}",
                    f"{line.total:.2f}",
                    f"{line.balance:.2f}",
                ]
            )
        file_name = f"repayment-plan-{self.name}.csv"
        Attachment = self.env["ir.attachment"].sudo()
        Attachment.search([("res_model", "=", self._name), ("res_id", "=", self.id), ("name", "=", file_name)]).unlink()
        attachment = Attachment.create(
            {
                "name": file_name,
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "text/csv",
                "raw": ("\ufeff" + buffer.getvalue()).encode("utf-8"),
            }
        )
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "self"}

    def _get_report_lang(self):
        """Plans and statements are printed in Chinese when Chinese is installed."""
        return self.env["res.lang"]._get_code("zh_CN") or self.env.lang or "en_US"

    # ------------------------------------------------------------------
    # Repayments
    # ------------------------------------------------------------------

    def _allocate(self, amount, day, payment=None):
        """Apply ``amount`` (Decimal) to what the contract owes on ``day`` in ``loanlib.allocation``'s order
        (penalty interest, overdue interest, interest, principal; oldest first). Returns what is left."""
        self.ensure_one()
        result = allocation.allocate(Decimal(amount).quantize(allocation.FEN), self._get_allocation_claims(day))
        vals_list = [self._allocation_vals(claim, part, day, payment) for claim, part in result.parts]
        self.env["student.loan.payment.allocation"].sudo().create(vals_list)
        return result.left

    def _get_allocation_claims(self, day):
        """What the contract owes on ``day``, as ``loanlib.allocation.Claim`` objects whose ``ref`` is
        ``(record, allocation kind)``: the open settlements' interest and principal here. Extension hook:
        addons add their claims (penalty interest) and build their allocations in ``_allocation_vals``."""
        self.ensure_one()
        claims = []
        lines = (
            self.settlement_line_ids.sudo()
            .filtered(lambda line: line.state == "open")
            .sorted(lambda line: (line.due_date, line.id))
        )
        for line in lines:
            interest = "overdue_interest" if line.due_date < day else "interest"
            claims.append(
                allocation.Claim(interest, line.due_date, to_decimal(line.interest_residual), (line, "interest"))
            )
            claims.append(
                allocation.Claim("principal", line.due_date, to_decimal(line.principal_residual), (line, "principal"))
            )
        return claims

    @api.model
    def _allocation_vals(self, claim, amount, day, payment=None):
        """Values of the ``student.loan.payment.allocation`` paying ``amount`` of ``claim`` (extension hook)."""
        record, kind = claim.ref
        vals = {
            "payment_id": payment.id if payment else False,
            "source": "payment" if payment else "credit",
            "contract_id": record.contract_id.id,
            "date": day,
            "kind": kind,
            "overdue": claim.due_date < day,
            "amount": float(amount),
        }
        if record._name == "student.loan.settlement.line":
            vals["settlement_line_id"] = record.id
        return vals

    def _apply_credit(self, day):
        """Apply the credit of contracts that have some to their open settlements."""
        credit_by_contract = self._get_credit_amounts()
        for contract in self.filtered(lambda contract: credit_by_contract.get(contract.id, 0) > 0):
            contract._allocate(credit_by_contract[contract.id], day)

    def _repay_early(self, amount, day, payment):
        """Repay principal early (提前还款) with ``amount``; returns what is left after paying off the loan."""
        self.ensure_one()
        Settlement = self.env["student.loan.settlement.line"].sudo()
        if Settlement.search_count([("contract_id", "=", self.id), ("date", "=", day), ("kind", "=", "prepayment")]):
            raise UserError(
                self.env._(
                    "%(contract)s was repaid early on %(date)s already: one early repayment a day.",
                    contract=self.name,
                    date=day,
                )
            )
        plan = self._get_engine_plan()
        try:
            used = min(amount, repayment.payoff_amount(plan, day))
            new_plan = repayment.apply_prepayment(plan, day, used)
        except ValueError as error:
            raise UserError(
                self.env._(
                    "Early repayment of %(contract)s refused: %(error)s",
                    contract=self.name,
                    error=lib_error_message(self.env, error),
                )
            ) from error
        balance_before = plan.balance_on(day)
        created = self._replace_plan_after(new_plan, day)
        plan_line = created.filtered(lambda line: line.kind == "prepayment" and line.date == day)
        line = plan_line[:1]
        settlement = Settlement.create(
            {
                "contract_id": self.id,
                "plan_line_id": line.id,
                "date": day,
                "due_date": day,
                "kind": "prepayment",
                "period_start": line.period_start,
                "days": line.days,
                "balance": float(balance_before),
                "rate": self.rate,
                "subsidised_interest": line.subsidised_interest,
                "interest": line.interest,
                "principal_due": line.principal,
            }
        )
        Settlement._link_plan_lines(settlement)
        self._allocate(used, day, payment=payment)
        self.message_post(
            body=self.env._(
                "Early repayment on %(date)s: principal %(principal)s repaid, the plan is recomputed.",
                date=day,
                principal=line.principal,
            )
        )
        return amount - used

    def _close_if_repaid(self):
        """Close active contracts with no principal outstanding and nothing left to pay."""
        for contract in self.filtered(lambda contract: contract.state == "active"):
            contract.invalidate_recordset(["principal_outstanding", "amount_unpaid"])
            unsettled = contract.plan_line_ids.filtered(lambda line: not line.settlement_line_id and line.total > 0)
            currency = contract.currency_id
            if (
                currency.is_zero(contract.principal_outstanding)
                and currency.is_zero(contract.amount_unpaid)
                and not unsettled
            ):
                contract.sudo().write({"state": "closed"})
                contract.message_post(body=self.env._("Loan repaid in full: the contract is closed."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_view_change_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "student_loan_repayment.student_loan_change_request_action"
        )
        action["domain"] = [("contract_id", "=", self.id)]
        action["context"] = {"default_contract_id": self.id}
        return action

    def action_new_payment(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "student.loan.payment",
            "view_mode": "form",
            "context": {"default_contract_id": self.id},
        }
