import dataclasses

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.student_loan.loanlib import policy as policy_math
from odoo.addons.student_loan.loanlib import repayment
from odoo.addons.student_loan.models.lib_errors import lib_error_message
from odoo.addons.student_loan.models.student_loan_student import EDUCATION_LEVELS

from .student_loan_contract import REPAYMENT_FREQUENCIES, REPAYMENT_METHODS

# The values before the change, taken from the contract when the request is entered: they depend on the
# contract only (which cannot change afterwards), so they stay as they were when the request was entered.
SNAPSHOT = {"compute": "_compute_old_values", "store": True, "readonly": True}
# What the request asks for, filled in with the current values when the contract is chosen.
REQUESTED = {"compute": "_compute_requested_values", "store": True, "readonly": False, "precompute": True}


class StudentLoanChangeRequest(models.Model):
    """A change to a disbursed contract, reviewed like an application: the handler enters it, a
    supervisor approves (同意) it, the bank confirms it. Only a confirmed request changes anything.

    Kinds: education-info change (就学信息变更), which creates the repayment-plan change (还款计划变更)
    it implies once confirmed; repayment-plan change; co-borrower change (R10); transfer of the student
    to another aid centre (R11). Any level returns (退回) to the one below with a reason; a returned
    request is corrected and submitted again, or deleted by the handler (R12), leaving a trace on the
    contract.

    The review runs on the review engine (``student.loan.review.mixin``): its levels are tier.definition
    records (shipped: supervisor approval, then the bank's confirmation).
    """

    _name = "student.loan.change.request"
    _description = "Change Request"
    _inherit = ["student.loan.review.mixin"]
    _order = "id desc"
    _rec_names_search = ["name", "contract_id.name", "student_id.name"]

    KINDS = [
        ("education", "Education-Info Change (就学信息变更)"),
        ("plan", "Repayment-Plan Change (还款计划变更)"),
        ("coborrower", "Co-borrower Change"),
        ("centre", "Aid-Centre Transfer"),
    ]
    STATES = [
        ("draft", "Draft"),
        ("to_approve", "To Approve"),
        ("to_confirm", "At the Bank"),
        ("done", "Confirmed"),
        ("returned", "Returned"),
    ]
    PENDING_STATES = ("draft", "to_approve", "to_confirm", "returned")
    EDITABLE_STATES = ("draft", "returned")
    # kinds that change the student, so they block every contract of the student while pending
    STUDENT_KINDS = ("education", "centre")
    REQUEST_FIELDS = (
        "kind",
        "contract_id",
        "new_school_id",
        "new_education_level",
        "new_study_years",
        "new_method",
        "new_frequency",
        "new_coborrower_id",
        "new_centre_id",
    )
    ACTIVITY_TYPE = "student_loan_repayment.mail_activity_type_change_review"

    # the review engine
    _state_from = ["draft", "returned"]
    _state_to = ["done"]
    _cancel_state = "cancelled"  # a request is deleted, never cancelled
    _review_role_states = {"approve": "to_approve", "bank": "to_confirm"}
    _review_hold_states = {}
    _review_done_state = "done"
    _review_editable_states = EDITABLE_STATES
    _review_activity_type = ACTIVITY_TYPE
    _review_workflow_fields = frozenset(
        {"approved_by_id", "approved_date", "confirmed_by_id", "confirmed_date", "change_date", "parent_id"}
    )
    # what the supervisor approves and the bank confirms: frozen once submitted
    _review_reviewed_fields = frozenset(
        {*REQUEST_FIELDS, "new_graduation_date", "new_maturity_date", "description", "plan_line_ids"}
    )

    name = fields.Char(string="Number", readonly=True, copy=False, default="/")
    kind = fields.Selection(KINDS, required=True, tracking=True, default="education")
    state = fields.Selection(
        STATES, default="draft", required=True, readonly=True, tracking=True, index=True, copy=False
    )
    contract_id = fields.Many2one(
        "student.loan.contract",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        domain="[('state', '=', 'active')]",
    )
    student_id = fields.Many2one(related="contract_id.student_id", store=True, index=True)
    centre_id = fields.Many2one(
        "student.loan.centre",
        string="Aid Centre",
        compute="_compute_centre_id",
        store=True,
        index=True,
        precompute=True,
        help="The centre that handles the request (the contract's centre when it was entered).",
    )
    currency_id = fields.Many2one(related="contract_id.currency_id")
    description = fields.Text(string="Grounds", help="Why the change is needed, and the documents seen.")
    parent_id = fields.Many2one(
        "student.loan.change.request",
        string="Caused By",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
        help="The education-info change that made this repayment-plan change necessary.",
    )
    child_ids = fields.One2many("student.loan.change.request", "parent_id", string="Resulting Changes")
    # education info (就学信息)
    old_school_id = fields.Many2one("student.loan.school", string="Current School", **SNAPSHOT)
    old_education_level = fields.Selection(EDUCATION_LEVELS, string="Current Level", **SNAPSHOT)
    old_study_years = fields.Integer(string="Current Length of Study", **SNAPSHOT)
    new_school_id = fields.Many2one("student.loan.school", tracking=True, **REQUESTED)
    new_education_level = fields.Selection(EDUCATION_LEVELS, string="New Level", tracking=True, **REQUESTED)
    new_study_years = fields.Integer(string="New Length of Study (学制)", tracking=True, **REQUESTED)
    # repayment plan (还款计划)
    old_graduation_date = fields.Date(string="Current Graduation Date", **SNAPSHOT)
    new_graduation_date = fields.Date(
        compute="_compute_new_graduation_date", store=True, readonly=False, precompute=True, tracking=True
    )
    old_maturity_date = fields.Date(string="Current Maturity Date", **SNAPSHOT)
    new_maturity_date = fields.Date(
        compute="_compute_new_maturity_date", store=True, readonly=False, precompute=True, tracking=True
    )
    old_method = fields.Selection(REPAYMENT_METHODS, string="Current Method", **SNAPSHOT)
    new_method = fields.Selection(REPAYMENT_METHODS, tracking=True, **REQUESTED)
    old_frequency = fields.Selection(REPAYMENT_FREQUENCIES, string="Current Frequency", **SNAPSHOT)
    new_frequency = fields.Selection(REPAYMENT_FREQUENCIES, tracking=True, **REQUESTED)
    change_date = fields.Date(readonly=True, help="The plan is recomputed from this date; earlier lines stand.")
    plan_line_ids = fields.One2many("student.loan.change.plan.line", "request_id", string="Plans")
    old_plan_line_ids = fields.One2many(
        "student.loan.change.plan.line", "request_id", string="Current Plan", domain=[("side", "=", "old")]
    )
    new_plan_line_ids = fields.One2many(
        "student.loan.change.plan.line", "request_id", string="New Plan", domain=[("side", "=", "new")]
    )
    old_total_interest = fields.Monetary(compute="_compute_plan_totals", string="Current Plan: Student Interest")
    new_total_interest = fields.Monetary(compute="_compute_plan_totals", string="New Plan: Student Interest")
    old_total_subsidised = fields.Monetary(compute="_compute_plan_totals", string="Current Plan: Subsidised")
    new_total_subsidised = fields.Monetary(compute="_compute_plan_totals", string="New Plan: Subsidised")
    # co-borrower (R10) and centre (R11)
    old_coborrower_id = fields.Many2one("student.loan.coborrower", string="Current Co-borrower", **SNAPSHOT)
    new_coborrower_id = fields.Many2one(
        "student.loan.coborrower",
        string="New Co-borrower",
        tracking=True,
        domain="[('student_id', '=', student_id)]",
        help="Add the new co-borrower to the student first (co-borrower management), then choose them here.",
    )
    old_centre_id = fields.Many2one("student.loan.centre", string="Current Centre", **SNAPSHOT)
    new_centre_id = fields.Many2one(
        "student.loan.centre",
        tracking=True,
        domain="[('division_kind', 'in', ('county', 'direct_county', 'province_admin'))]",
        help="The county-level centre of the student's household registration.",
    )
    # review (submitted_by_id, return_reason, returned_by, return_count: the review engine's)
    submitted_by_id = fields.Many2one("res.users", string="Entered By", readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_date = fields.Datetime(readonly=True, copy=False)
    confirmed_by_id = fields.Many2one("res.users", string="Confirmed By (Bank)", readonly=True, copy=False)
    confirmed_date = fields.Datetime(readonly=True, copy=False)

    def init(self):
        # one pending request per contract, whatever the path that created it
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS student_loan_change_request_pending_uniq
            ON student_loan_change_request (contract_id)
            WHERE state IN ('draft', 'to_approve', 'to_confirm', 'returned')
        """)

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("contract_id")
    def _compute_centre_id(self):
        for request in self:
            if not request.centre_id:
                request.centre_id = request.contract_id.centre_id

    @api.depends("contract_id")
    def _compute_old_values(self):
        for request in self:
            contract = request.contract_id.sudo()
            student = contract.student_id
            request.old_school_id = student.school_id
            request.old_education_level = student.education_level
            request.old_study_years = student.study_years
            request.old_graduation_date = contract.graduation_date
            request.old_maturity_date = contract.maturity_date
            request.old_method = contract.repayment_method
            request.old_frequency = contract.repayment_frequency
            request.old_coborrower_id = contract.coborrower_id
            request.old_centre_id = student.centre_id

    @api.depends("contract_id", "kind")
    def _compute_requested_values(self):
        for request in self:
            contract = request.contract_id.sudo()
            student = contract.student_id
            education = request.kind == "education"
            plan = request.kind == "plan"
            request.new_school_id = request.new_school_id or (education and student.school_id)
            request.new_education_level = request.new_education_level or (education and student.education_level)
            request.new_study_years = request.new_study_years or (education and student.study_years)
            request.new_method = request.new_method or (plan and contract.repayment_method)
            request.new_frequency = request.new_frequency or (plan and contract.repayment_frequency)

    @api.depends("kind", "new_study_years", "contract_id")
    def _compute_new_graduation_date(self):
        for request in self:
            student = request.contract_id.sudo().student_id
            enrolment = student.enrolment_year
            if request.kind == "education" and request.new_study_years and enrolment:
                request.new_graduation_date = policy_math.graduation_date(enrolment, request.new_study_years)
            elif request.kind == "plan":
                # R12: a plan change entered after an education change follows the student's education now
                # (the confirmed change), not the contract's old date
                current = (
                    policy_math.graduation_date(enrolment, student.study_years)
                    if enrolment and student.study_years
                    else False
                )
                request.new_graduation_date = (
                    request.new_graduation_date or current or request.contract_id.sudo().graduation_date
                )
            else:
                request.new_graduation_date = False

    @api.depends("kind", "contract_id", "new_graduation_date")
    def _compute_new_maturity_date(self):
        for request in self:
            contract = request.contract_id.sudo()
            if request.kind != "plan" or not contract:
                request.new_maturity_date = request.new_maturity_date if request.kind == "plan" else False
                continue
            graduation = request.new_graduation_date
            if graduation and graduation != contract.graduation_date and contract.policy_id:
                request.new_maturity_date = self._new_term(contract, graduation)[1]
            else:
                request.new_maturity_date = request.new_maturity_date or contract.maturity_date

    @api.depends("plan_line_ids.interest", "plan_line_ids.subsidised_interest", "plan_line_ids.side")
    def _compute_plan_totals(self):
        for request in self:
            old = request.plan_line_ids.filtered(lambda line: line.side == "old")
            new = request.plan_line_ids - old
            request.old_total_interest = sum(old.mapped("interest"))
            request.new_total_interest = sum(new.mapped("interest"))
            request.old_total_subsidised = sum(old.mapped("subsidised_interest"))
            request.new_total_subsidised = sum(new.mapped("subsidised_interest"))

    @api.depends("name", "kind")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for request in self:
            request.display_name = f"{request.name} {kinds.get(request.kind, '')}".strip()

    # ------------------------------------------------------------------
    # Validation
    # ------------------------------------------------------------------

    @api.constrains("kind", "new_study_years", "new_school_id", "new_education_level", "contract_id")
    def _check_education(self):
        today = fields.Date.context_today(self)
        for request in self.filtered(lambda request: request.kind == "education" and request.state != "done"):
            if request.new_study_years and not 1 <= request.new_study_years <= 9:
                raise ValidationError(self.env._("The length of study must be between 1 and 9 years."))
            graduation = request.new_graduation_date
            if graduation and graduation < today:
                raise ValidationError(
                    self.env._(
                        "With a length of study of %(years)s years, the studies of %(student)s would have ended on "
                        "%(date)s, before today: check the length of study (学制).",
                        years=request.new_study_years,
                        student=request.student_id.name,
                        date=graduation,
                    )
                )

    @api.constrains("kind", "new_coborrower_id", "contract_id")
    def _check_coborrower(self):
        for request in self.filtered(lambda request: request.kind == "coborrower" and request.new_coborrower_id):
            if request.new_coborrower_id.student_id != request.student_id:
                raise ValidationError(
                    self.env._("The new co-borrower must be one of %s's co-borrowers.", request.student_id.name)
                )

    def _check_contract_active(self):
        for request in self:
            contract = request.contract_id.sudo()
            if contract.state != "active":
                raise ValidationError(
                    self.env._("Contract %s is not a disbursed, running contract: nothing to change.", contract.name)
                )

    @api.model
    def _check_no_pending(self, vals_list):
        """Refuse a second request while one is pending on the same contract (or the same student, for the
        kinds that change the student)."""
        Contract = self.env["student.loan.contract"].sudo()
        seen = set()
        for vals in vals_list:
            contract = Contract.browse(vals.get("contract_id"))
            kind = vals.get("kind") or self.default_get(["kind"]).get("kind")
            if kind in self.STUDENT_KINDS:
                domain = [("student_id", "=", contract.student_id.id)]
            else:
                domain = [
                    "|",
                    ("contract_id", "=", contract.id),
                    "&",
                    ("student_id", "=", contract.student_id.id),
                    ("kind", "in", self.STUDENT_KINDS),
                ]
            pending = self.sudo().search(domain + [("state", "in", self.PENDING_STATES)], limit=1)
            if pending or contract.id in seen:
                pending_name = pending.display_name if pending else contract.name
                raise ValidationError(
                    self.env._(
                        "Change request %(pending)s is still pending for %(contract)s: finish it (or delete it) "
                        "before entering another one.",
                        pending=pending_name,
                        contract=contract.name,
                    )
                )
            seen.add(contract.id)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._check_no_pending(vals_list)
        sequence = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = sequence.next_by_code("student.loan.change.request") or "/"
        requests = super().create(vals_list)
        requests._check_contract_active()
        requests.filtered(lambda request: request.kind == "plan")._refresh_plan_comparison()
        return requests

    def write(self, vals):
        if ("contract_id" in vals or "kind" in vals) and not self.env.su:
            raise UserError(self.env._("Delete the request and enter a new one for another contract or kind."))
        result = super().write(vals)
        if {"new_method", "new_frequency", "new_graduation_date", "new_maturity_date"} & set(vals):
            self.filtered(
                lambda request: request.kind == "plan" and request.state in self.EDITABLE_STATES
            )._refresh_plan_comparison()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft_or_returned(self):
        for request in self:
            if request.state not in self.EDITABLE_STATES:
                raise UserError(
                    self.env._(
                        "%s is under review or confirmed: only a draft or returned request can be deleted.",
                        request.display_name,
                    )
                )

    def unlink(self):
        """Deleting leaves a trace on the contract's chatter: what was requested and why it was returned."""
        self._unlink_only_draft_or_returned()
        for request in self:
            reason = request.return_reason or "-"
            request.contract_id.sudo().message_post(
                body=self.env._(
                    "Change request %(name)s (%(summary)s) was deleted by %(user)s while %(state)s. "
                    "Last return reason: %(reason)s",
                    name=request.display_name,
                    summary=request._get_change_summary(),
                    user=self.env.user.name,
                    state=dict(self._fields["state"]._description_selection(self.env))[request.state],
                    reason=reason,
                )
            )
        return super().unlink()

    def _get_change_summary(self):
        """One line: what the request changes."""
        self.ensure_one()

        def arrow(old, new):
            return f"{old or '-'} → {new or '-'}"

        def labels(field_name):
            return dict(self._fields[field_name]._description_selection(self.env))

        if self.kind == "education":
            levels = labels("new_education_level")
            return self.env._(
                "school %(school)s, level %(level)s, length of study %(years)s",
                school=arrow(self.old_school_id.name, self.new_school_id.name),
                level=arrow(levels.get(self.old_education_level), levels.get(self.new_education_level)),
                years=arrow(self.old_study_years, self.new_study_years),
            )
        if self.kind == "plan":
            return self.env._(
                "graduation %(graduation)s, maturity %(maturity)s, method %(method)s, frequency %(frequency)s",
                graduation=arrow(self.old_graduation_date, self.new_graduation_date),
                maturity=arrow(self.old_maturity_date, self.new_maturity_date),
                method=arrow(labels("new_method").get(self.old_method), labels("new_method").get(self.new_method)),
                frequency=arrow(
                    labels("new_frequency").get(self.old_frequency), labels("new_frequency").get(self.new_frequency)
                ),
            )
        if self.kind == "coborrower":
            return self.env._("co-borrower %s", arrow(self.old_coborrower_id.name, self.new_coborrower_id.name))
        return self.env._("aid centre %s", arrow(self.old_centre_id.display_name, self.new_centre_id.display_name))

    # ------------------------------------------------------------------
    # Plans
    # ------------------------------------------------------------------

    def _get_new_engine_plan(self, change_date):
        """The contract's stored plan recomputed from ``change_date`` with the requested terms."""
        self.ensure_one()
        contract = self.contract_id.sudo()
        if contract.disbursement_date and change_date <= contract.disbursement_date:
            raise UserError(
                self.env._(
                    "%(contract)s was disbursed on %(date)s: a repayment-plan change takes effect from the day "
                    "after the disbursement at the earliest. Enter it again from tomorrow.",
                    contract=contract.name,
                    date=contract.disbursement_date,
                )
            )
        plan = contract._get_engine_plan()
        try:
            terms = dataclasses.replace(
                plan.terms,
                method=self.new_method or plan.terms.method,
                frequency=self.new_frequency or plan.terms.frequency,
            )
            return repayment.recompute_for_study_change(
                repayment.Plan(terms, plan.lines),
                change_date,
                self.new_graduation_date or terms.graduation_date,
                self.new_maturity_date or terms.maturity_date,
            )
        except ValueError as error:
            raise UserError(
                self.env._(
                    "The new plan of %(contract)s cannot be computed: %(error)s",
                    contract=contract.name,
                    error=lib_error_message(self.env, error),
                )
            ) from error

    def _refresh_plan_comparison(self, change_date=None):
        """Store the current and the new plan side by side."""
        Line = self.env["student.loan.change.plan.line"].sudo()
        for request in self:
            day = change_date or fields.Date.context_today(request)
            contract = request.contract_id.sudo()
            new_plan = request._get_new_engine_plan(day)
            request.plan_line_ids.sudo().unlink()
            vals_list = [
                dict(vals, request_id=request.id, side="old")
                for vals in contract._plan_line_vals(False, contract._get_engine_plan().lines)
            ] + [
                dict(vals, request_id=request.id, side="new")
                for vals in contract._plan_line_vals(False, new_plan.lines)
            ]
            for vals in vals_list:
                for key in ("contract_id", "period_start", "days"):
                    vals.pop(key)
            Line.create(vals_list)
            request.sudo().change_date = day
        return True

    def action_recompute_plan(self):
        self._check_group("student_loan.group_handler", self.env._("recompute plans"))
        self._check_state(self.EDITABLE_STATES, self.env._("recomputed"))
        self.filtered(lambda request: request.kind == "plan")._refresh_plan_comparison()
        return True

    @api.model
    def _new_term(self, contract, graduation_date):
        """Term and maturity of ``contract`` for a new graduation date (remaining study + extra years)."""
        policy = contract.policy_id
        remaining = max(graduation_date.year - contract.academic_year, 1)
        term = policy_math.term_years(remaining, policy.term_extra_years, policy.term_max_years)
        start = contract.start_date or contract.disbursement_date
        return term, policy_math.maturity_date(start, term)

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def _check_request_complete(self):
        for request in self:
            request._check_contract_active()
            problem = None
            if request.kind == "education":
                if not (request.new_school_id and request.new_education_level and request.new_study_years):
                    problem = self.env._("Enter the new school, level and length of study.")
                elif (request.new_school_id, request.new_education_level, request.new_study_years) == (
                    request.old_school_id,
                    request.old_education_level,
                    request.old_study_years,
                ):
                    problem = self.env._("The education info is unchanged.")
            elif request.kind == "plan":
                if not request.new_plan_line_ids:
                    request._refresh_plan_comparison()
                old = request.old_plan_line_ids.mapped(lambda line: (line.date, line.total, line.subsidised_interest))
                new = request.new_plan_line_ids.mapped(lambda line: (line.date, line.total, line.subsidised_interest))
                if old == new:
                    problem = self.env._("The new plan is the same as the current plan.")
            elif request.kind == "coborrower":
                if not request.new_coborrower_id or request.new_coborrower_id == request.contract_id.coborrower_id:
                    problem = self.env._("Choose the new co-borrower (add them to the student first).")
            elif request.kind == "centre":
                if not request.new_centre_id or request.new_centre_id == request.student_id.centre_id:
                    problem = self.env._("Choose the student's home centre (another centre).")
            if problem:
                raise UserError(
                    self.env._("%(name)s cannot go on: %(problem)s", name=request.display_name, problem=problem)
                )

    def action_submit(self):
        """The handler enters the request (录入): the supervisor reviews it next."""
        self._check_group("student_loan.group_handler", self.env._("enter change requests"))
        self._check_state(self.EDITABLE_STATES, self.env._("submitted"))
        self._check_request_complete()
        self._review_submit()
        return True

    def action_approve(self):
        """The supervisor's approval (同意): the bank confirms next."""
        return self._review_step("approve", self.env._("approve"), self.env._("approved"), self._check_request_complete)

    def action_confirm(self):
        """The bank confirms: only now the change is applied to the contract."""
        return self._review_step(
            "bank", self.env._("confirm for the bank"), self.env._("confirmed"), self._check_contract_active
        )

    def action_check(self):
        return self.action_approve()

    def action_bank_confirm(self):
        return self.action_confirm()

    def _review_on_approved(self, role, reviews):
        now = fields.Datetime.now()
        if role == "approve":
            self._write_workflow({"approved_by_id": self.env.uid, "approved_date": now})
        elif role == "bank":
            self._write_workflow({"confirmed_by_id": self.env.uid, "confirmed_date": now})

    def _review_on_done(self):
        self.ensure_one()
        self.env.flush_all()
        getattr(self, f"_apply_{self.kind}")()
        self.contract_id.sudo().message_post(
            body=self.env._(
                "Change request %(name)s confirmed by the bank: %(summary)s",
                name=self.display_name,
                summary=self._get_change_summary(),
            )
        )

    # ------------------------------------------------------------------
    # Applying a confirmed request
    # ------------------------------------------------------------------

    def _apply_education(self):
        """Change the student's education info; plan changes follow for every running contract."""
        student = self.student_id.sudo()
        student.write(
            {
                "school_id": self.new_school_id.id,
                "education_level": self.new_education_level,
                "study_years": self.new_study_years,
            }
        )
        student.message_post(
            body=self.env._(
                "Education info changed by %(name)s: %(summary)s",
                name=self.display_name,
                summary=self._get_change_summary(),
            )
        )
        graduation = self.new_graduation_date
        plan_changes = self.browse()
        for contract in student.contract_ids.filtered(lambda contract: contract.state == "active"):
            maturity = self._new_term(contract, graduation)[1]
            if (contract.graduation_date, contract.maturity_date) == (graduation, maturity):
                continue
            plan_changes |= self.sudo().create(
                {
                    "kind": "plan",
                    "contract_id": contract.id,
                    "parent_id": self.id,
                    "new_graduation_date": graduation,
                    "new_maturity_date": maturity,
                    "new_method": contract.repayment_method,
                    "new_frequency": contract.repayment_frequency,
                    "description": self.env._("Follows the education-info change %s.", self.display_name),
                }
            )
        for plan_change in plan_changes:
            plan_change.message_post(
                body=self.env._(
                    "Created from the confirmed education-info change %s: check the new plan and submit it.",
                    self.display_name,
                )
            )
        for plan_change in plan_changes:
            user = self.submitted_by_id if self.submitted_by_id.active else plan_change._review_return_user()
            plan_change._review_schedule(user, lambda doc: doc.env._("Check and submit the repayment-plan change"))
        return plan_changes

    def _apply_plan(self):
        contract = self.contract_id.sudo()
        today = fields.Date.context_today(self)
        self._refresh_plan_comparison(today)
        new_plan = self._get_new_engine_plan(today)
        term = contract.term_years
        if self.new_maturity_date and self.new_maturity_date != contract.maturity_date:
            term, _maturity = self._new_term(contract, self.new_graduation_date or contract.graduation_date)
        contract.with_context(student_loan_plan_change=True).write(
            {
                "graduation_date": new_plan.terms.graduation_date,
                "maturity_date": new_plan.terms.maturity_date,
                "term_years": term,
                "repayment_method": new_plan.terms.method,
                "repayment_frequency": new_plan.terms.frequency,
            }
        )
        contract._replace_plan_after(new_plan, today)

    def _apply_coborrower(self):
        # the application keeps the co-borrower it was reviewed with; the running contract changes
        self.contract_id.sudo().write({"coborrower_id": self.new_coborrower_id.id})

    def _apply_centre(self):
        student = self.student_id.sudo()
        student._transfer_to_centre(self.new_centre_id, self.description or self.display_name)
        student.contract_ids.filtered(lambda contract: contract.state in ("active", "closed")).write(
            {"centre_id": self.new_centre_id.id}
        )

    def action_view_contract(self):
        self.ensure_one()
        return self.contract_id._get_form_action()
