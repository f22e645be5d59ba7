from odoo import api, fields, models

from odoo.addons.student_loan.loanlib import allocation
from odoo.addons.student_loan_repayment.models.student_loan_settlement_line import to_decimal


class StudentLoanContract(models.Model):
    _inherit = "student.loan.contract"

    lender_id = fields.Many2one(
        "student.loan.lender",
        index=True,
        tracking=True,
        default=lambda self: self.env["student.loan.lender"]._get_default(),
        help="The bank that lends this contract (国家开发银行 unless another bank lends in the centre since 2021).",
    )
    contact_attempt_ids = fields.One2many("student.loan.contact.attempt", "contract_id", string="Contact Attempts")
    default_case_ids = fields.One2many("student.loan.default.case", "contract_id", string="Default Cases")
    penalty_line_ids = fields.One2many("student.loan.penalty.line", "contract_id", string="Penalty Interest")
    penalty_total = fields.Monetary(compute="_compute_penalty_total", string="Penalty Interest Accrued")
    penalty_paid = fields.Monetary(compute="_compute_penalty_total", string="Penalty Interest Paid")
    penalty_residual = fields.Monetary(
        compute="_compute_penalty_total",
        string="Penalty Interest Unpaid",
        help="Accrued and not paid yet; included in the amounts due and overdue. Waived penalty interest is not.",
    )
    last_contact_date = fields.Date(compute="_compute_last_contact_date")
    relief_ids = fields.One2many("student.loan.relief", "contract_id", string="Relief Applications")
    # repayment's extension point of the settlement (see student_loan_repayment): the latest end of an
    # approved interest-subsidy extension moves the split between subsidised and student interest
    subsidy_end = fields.Date(compute="_compute_subsidy_end", store=True)

    @api.depends("penalty_line_ids.amount", "penalty_line_ids.amount_residual")
    def _compute_penalty_total(self):
        totals = {
            contract: (amount, paid, residual)
            for contract, amount, paid, residual in self.env["student.loan.penalty.line"]
            .sudo()
            ._read_group(
                [("contract_id", "in", self.ids)],
                ["contract_id"],
                ["amount:sum", "amount_paid:sum", "amount_residual:sum"],
            )
        }
        for contract in self:
            contract.penalty_total, contract.penalty_paid, contract.penalty_residual = totals.get(
                contract, (0.0, 0.0, 0.0)
            )

    @api.depends_context("date")
    def _compute_repayment_summary(self):
        """Unpaid penalty interest is due (and overdue): a contract owing some is not repaid."""
        result = super()._compute_repayment_summary()
        residuals = dict(
            self.env["student.loan.penalty.line"]
            .sudo()
            ._read_group(
                [("contract_id", "in", self.ids), ("state", "=", "open")], ["contract_id"], ["amount_residual:sum"]
            )
        )
        for contract in self:
            residual = residuals.get(contract, 0.0)
            if residual:
                contract.amount_unpaid += residual
                contract.amount_overdue += residual
                if contract.repayment_status in ("current", "due"):
                    contract.repayment_status = "overdue"
        return result

    # ------------------------------------------------------------------
    # Repayments: penalty interest first (先罚息、后利息、再本金)
    # ------------------------------------------------------------------

    def _allocate(self, amount, day, payment=None):
        """A repayment first pays the penalty interest accrued up to its date: accrue it now."""
        if payment:
            self.env["student.loan.penalty.run"]._accrue_for_payment(self, day)
        return super()._allocate(amount, day, payment=payment)

    def _get_allocation_claims(self, day):
        claims = super()._get_allocation_claims(day)
        lines = (
            self.env["student.loan.penalty.line"]
            .sudo()
            .search([("contract_id", "=", self.id), ("state", "=", "open"), ("date_from", "<", day)])
        )
        for line in lines.sorted(lambda line: (line.date_to, line.id)):
            claims.append(
                allocation.Claim("penalty", line.date_to, to_decimal(line.amount_residual), (line, "penalty"))
            )
        return claims

    @api.model
    def _allocation_vals(self, claim, amount, day, payment=None):
        vals = super()._allocation_vals(claim, amount, day, payment)
        record, _kind = claim.ref
        if record._name == "student.loan.penalty.line":
            vals.update(penalty_line_id=record.id, overdue=True)
        return vals

    @api.depends("relief_ids.state", "relief_ids.kind", "relief_ids.subsidy_end", "relief_ids.date_approved")
    def _compute_subsidy_end(self):
        # an extension counts once applied: approved, and its plan changed (``_apply`` writes date_approved
        # after the plan; the engine's plan of the contract must not know the extension before that)
        ends = dict(
            self.env["student.loan.relief"]
            .sudo()
            ._read_group(
                [
                    ("contract_id", "in", self.ids),
                    ("kind", "=", "subsidy_extension"),
                    ("state", "=", "approved"),
                    ("date_approved", "!=", False),
                ],
                ["contract_id"],
                ["subsidy_end:max"],
            )
        )
        for contract in self:
            contract.subsidy_end = ends.get(contract, False)

    @api.depends("contact_attempt_ids.date", "contact_attempt_ids.result")
    def _compute_last_contact_date(self):
        dates = self.env["student.loan.contact.attempt"]._last_reached_dates(self.ids)
        for contract in self:
            contract.last_contact_date = dates.get(contract.id, False)

    def action_open_contact_attempts(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Contact Attempts"),
            "res_model": "student.loan.contact.attempt",
            "view_mode": "list,form",
            "domain": [("contract_id", "=", self.id)],
            "context": {"default_contract_id": self.id},
        }
