from odoo import api, fields, models


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
    last_contact_date = fields.Date(compute="_compute_last_contact_date")
    relief_ids = fields.One2many("student.loan.relief", "contract_id", string="Relief Applications")
    # repayment's extension point of the settlement (see student_loan_repayment): the latest end of an
    # approved interest-subsidy extension moves the split between subsidised and student interest
    subsidy_end = fields.Date(compute="_compute_subsidy_end", store=True)

    @api.depends("penalty_line_ids.amount")
    def _compute_penalty_total(self):
        totals = dict(
            self.env["student.loan.penalty.line"]
            .sudo()
            ._read_group([("contract_id", "in", self.ids)], ["contract_id"], ["amount:sum"])
        )
        for contract in self:
            contract.penalty_total = totals.get(contract, 0.0)

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
