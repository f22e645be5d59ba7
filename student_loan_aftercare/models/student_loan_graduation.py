from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression

from odoo.addons.student_loan.models.student_loan_student import normalize_mobile_vals

#: the student's fields a confirmation updates (they take effect when the handler confirms)
CONTACT_FIELDS = ("mobile", "home_address", "employer", "employer_address", "third_party_name", "third_party_phone")


class StudentLoanGraduation(models.Model):
    """Graduation confirmation (毕业确认): in the graduation year the student updates mobile, address, employer
    and contacts and applies (in the portal, or a handler records it); the integrity quiz (an Odoo ``survey``
    certification) must be passed first.

    Reviewed on the review engine (``student.loan.review.mixin``; shipped tier: a handler of the student's
    county centre checks and confirms; an administrator may add a supervisor's tier). Any level returns it
    with a reason the student reads in the portal. Only when confirmed are the new details written to the
    student."""

    _name = "student.loan.graduation"
    _description = "Graduation Confirmation"
    _inherit = ["student.loan.review.mixin"]
    _order = "id desc"

    STATES = [
        ("draft", "Draft"),
        ("submitted", "Submitted"),
        ("checked", "Checked"),
        ("confirmed", "Confirmed"),
        ("returned", "Returned"),
        ("cancelled", "Cancelled"),
    ]
    EDITABLE_STATES = ("draft", "returned")

    # the review engine
    _state_from = ["draft", "returned"]
    _state_to = ["confirmed"]
    _cancel_state = "cancelled"
    _review_role_states = {"check": "submitted", "approve": "checked"}
    _review_hold_states = {}
    _review_done_state = "confirmed"
    _review_editable_states = EDITABLE_STATES
    _review_activity_type = "student_loan_aftercare.mail_activity_type_aftercare_review"
    _review_workflow_fields = frozenset({"quiz_input_id", "confirmed_by_id"})
    _review_reviewed_fields = frozenset({"student_id", "graduation_year", *CONTACT_FIELDS})

    name = fields.Char(related="student_id.name", store=True)
    student_id = fields.Many2one("student.loan.student", required=True, index=True, ondelete="cascade")
    centre_id = fields.Many2one(related="student_id.centre_id", store=True, index=True, string="Aid Centre")
    graduation_year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year)
    mobile = fields.Char(required=True, tracking=True)
    home_address = fields.Char(string="Address", required=True, tracking=True)
    employer = fields.Char(tracking=True)
    employer_address = fields.Char()
    third_party_name = fields.Char(string="Contact Person", tracking=True)
    third_party_phone = fields.Char(string="Contact Phone", tracking=True)
    state = fields.Selection(
        STATES, default="draft", required=True, readonly=True, tracking=True, index=True, copy=False
    )
    quiz_input_id = fields.Many2one("survey.user_input", string="Integrity Quiz", readonly=True, copy=False)
    quiz_score = fields.Float(related="quiz_input_id.scoring_percentage", string="Quiz Score (%)")
    confirmed_by_id = fields.Many2one("res.users", readonly=True, tracking=True, copy=False)

    def init(self):
        # one confirmation per student and graduation year, whatever the path that created it
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS student_loan_graduation_student_year_uniq "
            "ON student_loan_graduation (student_id, graduation_year) WHERE state != 'cancelled'"
        )

    @api.model
    def _integrity_survey(self):
        return self.env.ref("student_loan_aftercare.survey_integrity_quiz", raise_if_not_found=False)

    @api.model
    def _passed_quiz(self, student):
        """The student's passed attempt at the integrity quiz (a certification), or an empty record."""
        survey = self._integrity_survey()
        if not survey or not student.partner_id:
            return self.env["survey.user_input"]
        return (
            self.env["survey.user_input"]
            .sudo()
            .search(
                [
                    ("survey_id", "=", survey.id),
                    ("partner_id", "=", student.partner_id.id),
                    ("state", "=", "done"),
                    ("scoring_success", "=", True),
                ],
                order="id desc",
                limit=1,
            )
        )

    def _check_quiz(self, student):
        """The passed attempt, or a clear refusal."""
        quiz = self._passed_quiz(student)
        if not quiz:
            survey = self._integrity_survey()
            raise UserError(
                self.env._(
                    "%(student)s has not passed the integrity quiz (%(score)s %% needed): "
                    "the graduation confirmation can be applied for only after it.",
                    student=student.name,
                    score=survey.scoring_success_min if survey else 80,
                )
            )
        return quiz

    def _normalize_vals(self, vals):
        vals = dict(vals)
        normalize_mobile_vals(self, vals, ("mobile", "third_party_phone"))
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and not self.env.user.has_group("student_loan.group_handler"):
            raise AccessError(self.env._("Only handlers record graduation confirmations."))
        vals_list = [self._normalize_vals(vals) for vals in vals_list]
        for vals in vals_list:
            student = self.env["student.loan.student"].browse(vals.get("student_id"))
            student.check_access("read")
            self._check_quiz(student.sudo())
            existing = self.sudo().search_count(
                [
                    ("student_id", "=", student.id),
                    ("graduation_year", "=", vals.get("graduation_year") or fields.Date.context_today(self).year),
                    ("state", "!=", "cancelled"),
                ],
                limit=1,
            )
            if existing:
                raise UserError(
                    self.env._(
                        "%s already has a graduation confirmation for this year: correct that one.",
                        student.sudo().name,
                    )
                )
        return super().create(vals_list)

    def write(self, vals):
        return super().write(self._normalize_vals(vals))

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if not self.env.su and self.filtered(lambda record: record.state not in ("draft", "cancelled")):
            raise UserError(self.env._("Only a draft graduation confirmation can be deleted: cancel it instead."))

    # ------------------------------------------------------------------
    # The review (tiers: Configuration → Review Tiers)
    # ------------------------------------------------------------------

    def action_submit(self):
        """Apply for the confirmation (the student in the portal, or a handler): the quiz must be passed."""
        if not self.env.su:
            self._check_group("student_loan.group_handler", self.env._("submit graduation confirmations"))
        self._check_state(self.EDITABLE_STATES, self.env._("submitted"))
        for record in self:
            quiz = record._check_quiz(record.student_id.sudo())
            record._review_submit({"quiz_input_id": quiz.id})
        return True

    def action_confirm(self):
        """The county handler checks the new details and confirms (经办人确认)."""
        return self._review_step("check", self.env._("confirm"), self.env._("confirmed"))

    def action_check(self):
        return self.action_confirm()

    def action_approve(self):
        """A supervisor's tier, when the administrator adds one."""
        return self._review_step("approve", self.env._("approve"), self.env._("approved"))

    def action_cancel(self):
        self._check_group("student_loan.group_handler", self.env._("cancel graduation confirmations"))
        self._check_state(self.EDITABLE_STATES, self.env._("cancelled"))
        self._review_cancel()
        return True

    def _review_on_done(self):
        """Confirmed: the new details are written to the student now."""
        self.ensure_one()
        self.student_id.sudo().write({field: self[field] for field in CONTACT_FIELDS if self[field]})
        self._write_workflow({"confirmed_by_id": self.env.uid})

    def _review_return_partner_ids(self):
        """The student follows the application in the portal: tell them about a return."""
        return self.student_id.sudo().partner_id.ids

    @api.model
    def _unconfirmed_graduates_domain(self, year, to_apply_only=False):
        """Students graduating in ``year`` with a loan in repayment and no confirmed graduation (the worklist).

        ``to_apply_only``: only those who still have to apply (the SMS audience): nothing submitted, or their
        application was returned. One search, set-based (``not any`` is a sub-query)."""
        excluded = ["confirmed", "submitted", "checked"] if to_apply_only else ["confirmed"]
        return [
            ("expected_graduation", ">=", f"{year}-01-01"),
            ("expected_graduation", "<=", f"{year}-12-31"),
            ("contract_ids.state", "=", "active"),
            ("graduation_ids", "not any", [("state", "in", excluded), ("graduation_year", "=", year)]),
        ]

    @api.model
    def action_open_unconfirmed(self):
        """The worklist: this year's graduates and last year's still unconfirmed (they graduated in July and
        were not confirmed by the end of the year)."""
        year = fields.Date.context_today(self).year
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Unconfirmed Graduates %(first)s–%(last)s", first=year - 1, last=year),
            "res_model": "student.loan.student",
            "view_mode": "list,form",
            "domain": expression.OR(
                [self._unconfirmed_graduates_domain(year - 1), self._unconfirmed_graduates_domain(year)]
            ),
        }
