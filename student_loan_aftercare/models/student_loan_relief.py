from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.student_loan.loanlib import deferral

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

    The handler records it with its evidence and submits it; a supervisor who did not prepare it approves
    (the plan is recomputed with ``loanlib.deferral``, or the state's repayment is booked against the plan)
    or refuses it with a reason. A simple state machine, to be moved onto the review engine
    (``student.loan.review.mixin``) once that is merged."""

    _name = "student.loan.relief"
    _description = "Relief Application"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    STATES = [("draft", "Draft"), ("submitted", "Submitted"), ("approved", "Approved"), ("refused", "Refused")]
    WORKFLOW_FIELDS = frozenset({"state", "submitted_by_id", "approved_by_id", "date_approved", "payment_id"})

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
    state = fields.Selection(STATES, default="draft", required=True, readonly=True, tracking=True, index=True)
    years = fields.Integer(default=1, tracking=True, help="Principal deferral: years without principal due.")
    subsidy_end = fields.Date(string="Subsidy Until", tracking=True, help="Interest-subsidy extension: the new end.")
    amount = fields.Monetary(tracking=True, help="代偿: the amount the state repays.")
    evidence_ids = fields.Many2many("ir.attachment", help="Admission letter, medical certificate, enlistment notice…")
    note = fields.Text()
    refusal_reason = fields.Text(readonly=True, tracking=True)
    submitted_by_id = fields.Many2one("res.users", readonly=True)
    approved_by_id = fields.Many2one("res.users", readonly=True, tracking=True)
    date_approved = fields.Date(readonly=True)
    payment_id = fields.Many2one("student.loan.payment", readonly=True, string="State's Repayment")
    run_id = fields.Many2one("student.loan.deferral.run", readonly=True, index=True, ondelete="set null")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and not self.env.user.has_group("student_loan.group_handler"):
            raise UserError(self.env._("Only handlers record relief applications."))
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("student.loan.relief") or "/"
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            if self.WORKFLOW_FIELDS & set(vals):
                raise UserError(self.env._("The status of a relief application changes through its buttons only."))
            if self.filtered(lambda relief: relief.state != "draft"):
                raise UserError(self.env._("A submitted relief application cannot be changed."))
        return super().write(vals)

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

    def _lock(self):
        self.env.cr.execute(SQL("SELECT id FROM student_loan_relief WHERE id = ANY(%s) FOR UPDATE NOWAIT", self.ids))

    def action_submit(self):
        for relief in self:
            relief.check_access("write")
            if not self.env.user.has_group("student_loan.group_handler"):
                raise UserError(self.env._("Only handlers submit relief applications."))
            if relief.state != "draft":
                raise UserError(self.env._("%s is not a draft.", relief.name))
            if not relief.evidence_ids:
                raise UserError(self.env._("Attach the evidence of %s before submitting it.", relief.name))
        self._lock()
        self.sudo().write({"state": "submitted", "submitted_by_id": self.env.uid})
        for relief in self:
            supervisors = relief.centre_id._get_staff("student_loan.group_supervisor") - self.env.user
            if supervisors:
                relief.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Review the relief application %s", relief.name),
                    user_id=supervisors[0].id,
                )
        return True

    def action_approve(self):
        self.ensure_one()
        self.check_access("write")
        if not self.env.user.has_group("student_loan.group_supervisor"):
            raise UserError(self.env._("Only supervisors approve relief applications."))
        if self.state != "submitted":
            raise UserError(self.env._("%s is not waiting for approval.", self.name))
        if self.submitted_by_id == self.env.user:
            raise UserError(self.env._("You submitted %s: another supervisor must approve it.", self.name))
        self._lock()
        self._apply(fields.Date.context_today(self))
        self.activity_ids.action_feedback(feedback=self.env._("Approved."))
        return True

    def action_refuse(self, reason=None):
        self.ensure_one()
        self.check_access("write")
        if not self.env.user.has_group("student_loan.group_supervisor"):
            raise UserError(self.env._("Only supervisors refuse relief applications."))
        if self.state != "submitted":
            raise UserError(self.env._("%s is not waiting for approval.", self.name))
        reason = reason or self.env.context.get("refusal_reason")
        if not reason:
            raise UserError(self.env._("Give the reason of the refusal."))
        self._lock()
        self.sudo().write({"state": "refused", "refusal_reason": reason})
        self.activity_ids.action_feedback(feedback=reason)
        return True

    def _apply(self, day):
        """Change the plan (deferral, subsidy) or book the state's repayment; mark the application approved."""
        self.ensure_one()
        contract = self.contract_id.sudo()
        vals = {"state": "approved", "approved_by_id": self.env.uid, "date_approved": day}
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
                    self.env._("%(relief)s cannot be applied: %(error)s", relief=self.name, error=str(error))
                ) from error
            contract._replace_plan_after(new_plan, day)
        self.sudo().write(vals)
        contract.message_post(
            body=self.env._(
                "%(kind)s approved (%(relief)s).",
                kind=dict(self._fields["kind"]._description_selection(self.env))[self.kind],
                relief=self.name,
            )
        )
