from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.student_loan.loanlib import deferral
from odoo.addons.student_loan.models.lib_errors import lib_error_message

KINDS = [
    ("principal_deferral", "Principal Deferral (本金延期)"),
    ("subsidy_extension", "Interest-Subsidy Extension (贴息延期)"),
    ("compensation", "State Repayment (代偿)"),
]
REASONS = [
    ("further_study", "Further Study"),
    ("illness", "Illness"),
    ("military", "Military Service"),
    ("grassroots", "Grassroots Employment in an Eligible Region"),
    ("policy", "Policy Deferral for All Graduates"),
    ("other", "Other"),
]
REASONS_BY_KIND = {
    "principal_deferral": ("further_study", "illness", "policy", "other"),
    "subsidy_extension": ("further_study", "illness"),
    "compensation": ("military", "grassroots"),
}


class StudentLoanRelief(models.Model):
    """A relief application on a disbursed contract: principal deferral, interest-subsidy extension, or the
    state's repayment (代偿) for military service or grassroots employment.

    Reviewed on the review engine (``student.loan.review.mixin``): the handler records it with its evidence and
    submits it; the tiers (shipped: a handler of the centre checks the evidence, then the centre's supervisor,
    never the one who prepared it, approves) run as ``tier.definition`` data; any level returns it with a
    reason. Approved, the plan is recomputed with ``loanlib.deferral`` or the state's repayment is booked."""

    _name = "student.loan.relief"
    _description = "Relief Application"
    _inherit = ["student.loan.review.mixin"]
    _order = "id desc"

    STATES = [
        ("draft", "Draft"),
        ("submitted", "Submitted"),
        ("checked", "Checked"),
        ("approved", "Approved"),
        ("returned", "Returned"),
        ("cancelled", "Cancelled"),
    ]
    EDITABLE_STATES = ("draft", "returned")

    # the review engine
    _state_from = ["draft", "returned"]
    _state_to = ["approved"]
    _cancel_state = "cancelled"
    _review_role_states = {"check": "submitted", "approve": "checked"}
    _review_hold_states = {}
    _review_done_state = "approved"
    _review_editable_states = EDITABLE_STATES
    _review_activity_type = "student_loan_aftercare.mail_activity_type_aftercare_review"
    _review_workflow_fields = frozenset({"approved_by_id", "date_approved", "payment_id", "run_id"})
    _review_reviewed_fields = frozenset(
        {"kind", "reason", "contract_id", "years", "subsidy_end", "amount", "evidence_ids", "note"}
    )

    name = fields.Char(readonly=True, default="/", copy=False)
    kind = fields.Selection(KINDS, required=True, tracking=True, default="principal_deferral")
    reason = fields.Selection(REASONS, required=True, tracking=True)
    contract_id = fields.Many2one(
        "student.loan.contract",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        domain="[('state', '=', 'active')]",
    )
    student_id = fields.Many2one(related="contract_id.student_id", store=True, index=True)
    centre_id = fields.Many2one(related="contract_id.centre_id", store=True, index=True, string="Aid Centre")
    currency_id = fields.Many2one(related="contract_id.currency_id")
    state = fields.Selection(
        STATES, default="draft", required=True, readonly=True, tracking=True, index=True, copy=False
    )
    years = fields.Integer(default=1, tracking=True, help="Principal deferral: years without principal due.")
    subsidy_end = fields.Date(string="Subsidy Until", tracking=True, help="Interest-subsidy extension: the new end.")
    amount = fields.Monetary(tracking=True, help="代偿: the amount the state repays.")
    evidence_ids = fields.Many2many("ir.attachment", help="Admission letter, medical certificate, enlistment notice…")
    note = fields.Text()
    approved_by_id = fields.Many2one("res.users", readonly=True, tracking=True, copy=False)
    date_approved = fields.Date(readonly=True, copy=False)
    payment_id = fields.Many2one("student.loan.payment", readonly=True, string="State's Repayment", copy=False)
    run_id = fields.Many2one("student.loan.deferral.run", readonly=True, index=True, ondelete="set null")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and not self.env.user.has_group("student_loan.group_handler"):
            raise AccessError(self.env._("Only handlers record relief applications."))
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("student.loan.relief") or "/"
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if not self.env.su and self.filtered(lambda relief: relief.state not in ("draft", "cancelled")):
            raise UserError(self.env._("Only a draft relief application can be deleted: cancel it instead."))

    @api.constrains("kind", "reason", "years", "amount", "subsidy_end")
    def _check_terms(self):
        for relief in self:
            if relief.reason not in REASONS_BY_KIND[relief.kind]:
                raise UserError(
                    self.env._(
                        "The reason %(reason)s does not apply to a %(kind)s.",
                        reason=dict(self._fields["reason"]._description_selection(self.env))[relief.reason],
                        kind=dict(self._fields["kind"]._description_selection(self.env))[relief.kind],
                    )
                )
            if relief.kind == "principal_deferral" and not 1 <= relief.years <= 5:
                raise UserError(self.env._("A principal deferral lasts 1 to 5 years."))
            if relief.kind == "compensation" and relief.amount <= 0:
                raise UserError(self.env._("Enter the amount the state repays."))
            if relief.kind == "subsidy_extension" and not relief.subsidy_end:
                raise UserError(self.env._("Enter the date the interest subsidy is extended to."))

    # ------------------------------------------------------------------
    # The review (tiers: Configuration → Review Tiers)
    # ------------------------------------------------------------------

    def action_submit(self):
        """The handler submits the application with its evidence: the tiers' reviewers are asked."""
        self._check_group("student_loan.group_handler", self.env._("submit relief applications"))
        self._check_state(self.EDITABLE_STATES, self.env._("submitted"))
        for relief in self:
            if not relief.evidence_ids:
                raise UserError(self.env._("Attach the evidence of %s before submitting it.", relief.name))
            if relief.contract_id.state != "active":
                raise UserError(self.env._("The contract of %s is not in repayment.", relief.name))
        self._review_submit()
        return True

    def action_check(self):
        """A handler of the centre checks the evidence (经办人审核)."""
        return self._review_step("check", self.env._("check"), self.env._("checked"))

    def action_approve(self):
        """The supervisor approves (同意): the plan changes or the state's repayment is booked."""
        return self._review_step("approve", self.env._("approve"), self.env._("approved"))

    def action_cancel(self):
        """The handler withdraws a draft or returned application."""
        self._check_group("student_loan.group_handler", self.env._("cancel relief applications"))
        self._check_state(self.EDITABLE_STATES, self.env._("cancelled"))
        self._review_cancel()
        return True

    def _review_on_done(self):
        self.ensure_one()
        self.env.flush_all()
        self._apply(fields.Date.context_today(self))

    def _apply(self, day):
        """Change the plan (deferral, subsidy) or book the state's repayment of an approved application."""
        self.ensure_one()
        contract = self.contract_id.sudo()
        vals = {"approved_by_id": self.env.uid, "date_approved": day}
        if self.kind == "compensation":
            payment = (
                self.env["student.loan.payment"]
                .sudo()
                .create(
                    {
                        "contract_id": contract.id,
                        "date": day,
                        "amount": self.amount,
                        "channel": "other",
                        "reference": self.name,
                        "early_repayment": True,
                        "note": self.env._("State repayment (代偿) %s", self.name),
                    }
                )
            )
            payment.with_user(self.env.user).sudo().action_post()
            vals["payment_id"] = payment.id
        else:
            plan = contract._get_engine_plan()
            try:
                if self.kind == "principal_deferral":
                    new_plan = deferral.defer_principal(plan, day, self.years)
                else:
                    new_plan = deferral.extend_subsidy(plan, day, self.subsidy_end)
            except ValueError as error:
                raise UserError(
                    self.env._(
                        "%(relief)s cannot be applied: %(error)s",
                        relief=self.name,
                        error=lib_error_message(self.env, error),
                    )
                ) from error
            contract._replace_plan_after(new_plan, day)
        self.sudo().with_context(skip_validation_check=True).write(vals)
        contract.message_post(
            body=self.env._(
                "%(kind)s approved (%(relief)s).",
                kind=dict(self._fields["kind"]._description_selection(self.env))[self.kind],
                relief=self.name,
            )
        )
