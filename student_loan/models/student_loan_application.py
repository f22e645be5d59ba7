import base64
import datetime

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_is_zero
from odoo.tools.mimetypes import guess_mimetype

from ..loanlib import doctype, identity
from ..loanlib import policy as policy_math
from .lib_errors import lib_error_message
from .student_loan_student import EDUCATION_LEVELS

LOAN_KINDS = [("first", "First Loan"), ("renewal", "Renewal")]


def current_academic_year(today=None):
    """Loans are applied for in summer for the academic year starting in September."""
    today = today or datetime.date.today()
    return today.year if today.month >= 6 else today.year - 1


class StudentLoanApplication(models.Model):
    """A loan application of one student for one academic year, and its two-level review.

    draft → submitted → (handler's document check, contract printed and signed) → checked
    → approved by a supervisor (复核/同意) → sent to the bank → confirmed by the bank.
    Any reviewer can return it (退回) with a reason; the handler corrects and submits again.

    The levels are tier.definition records (the review engine, ``student.loan.review.mixin``): the shipped
    ones reproduce this ladder; an administrator adds more (e.g. the city above 16,000 CNY).
    """

    _name = "student.loan.application"
    _description = "Loan Application"
    _inherit = ["student.loan.review.mixin"]
    _order = "academic_year desc, id desc"
    _rec_names_search = ["name", "student_id.name"]

    STATES = [
        ("draft", "Draft"),
        ("submitted", "Submitted"),
        ("checked", "Checked"),
        ("approved", "Approved"),
        ("bank", "At the Bank"),
        ("confirmed", "Confirmed"),
        ("returned", "Returned"),
        ("cancelled", "Cancelled"),
    ]
    EDITABLE_STATES = ("draft", "submitted", "returned")
    REVIEW_STATES = ("draft", "submitted", "checked", "returned")
    _review_editable_states = EDITABLE_STATES
    # Set only by the workflow methods (through ``_write_workflow``): a direct write, e.g. by JSON-RPC,
    # would skip the two-level review (a handler approving their own work).
    _review_workflow_fields = frozenset(
        {
            "checked_by_id",
            "checked_date",
            "approved_by_id",
            "approved_date",
            "bank_user_id",
            "bank_date",
            "contract_id",
        }
    )
    # What the handler checked and the supervisor approves: frozen outside the editable states.
    _review_reviewed_fields = frozenset(
        {
            "student_id",
            "academic_year",
            "school_id",
            "education_level",
            "study_years",
            "enrolment_year",
            "tuition",
            "accommodation",
            "approved_amount",
            "eligibility_unit",
            "eligibility_stamped",
        }
    )

    name = fields.Char(string="Number", readonly=True, copy=False, default="/")
    state = fields.Selection(STATES, default="draft", required=True, tracking=True, index=True, copy=False)
    student_id = fields.Many2one("student.loan.student", required=True, index=True, tracking=True, ondelete="cascade")
    student_partner_id = fields.Many2one(
        related="student_id.partner_id", string="Student Contact", help="Who messages (mail, SMS) about it go to."
    )
    centre_id = fields.Many2one(
        "student.loan.centre",
        string="Aid Centre",
        required=True,
        index=True,
        tracking=True,
        compute="_compute_centre_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    academic_year = fields.Integer(
        required=True,
        tracking=True,
        index=True,
        default=lambda self: current_academic_year(fields.Date.context_today(self)),
    )
    policy_id = fields.Many2one("student.loan.policy", compute="_compute_policy_id", store=True, precompute=True)
    loan_kind = fields.Selection(
        LOAN_KINDS,
        string="Kind",
        compute="_compute_loan_kind",
        store=True,
        index=True,
        tracking=True,
        precompute=True,
    )
    is_poverty_registered = fields.Boolean(related="student_id.is_poverty_registered", store=True, string="建档立卡")
    # education, copied from the student when the application is created (R6: checked against
    # the admission notice or student card)
    school_id = fields.Many2one(
        "student.loan.school",
        tracking=True,
        compute="_compute_education",
        store=True,
        readonly=False,
        precompute=True,
    )
    education_level = fields.Selection(
        EDUCATION_LEVELS,
        string="Level",
        tracking=True,
        index=True,
        compute="_compute_education",
        store=True,
        readonly=False,
        precompute=True,
    )
    study_years = fields.Integer(
        string="Length of Study (学制)",
        tracking=True,
        compute="_compute_education",
        store=True,
        readonly=False,
        precompute=True,
    )
    enrolment_year = fields.Integer(
        tracking=True, compute="_compute_education", store=True, readonly=False, precompute=True
    )
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.ref("base.CNY"), required=True)
    tuition = fields.Monetary(tracking=True)
    accommodation = fields.Monetary(tracking=True)
    need_amount = fields.Monetary(string="Actual Need", compute="_compute_amounts", store=True, precompute=True)
    cap_amount = fields.Monetary(string="Year's Cap", compute="_compute_amounts", store=True, precompute=True)
    requested_amount = fields.Monetary(
        compute="_compute_amounts",
        store=True,
        precompute=True,
        help="Tuition + accommodation (the actual need), limited by the year's cap.",
    )
    approved_amount = fields.Monetary(
        string="Loan Amount",
        tracking=True,
        compute="_compute_approved_amount",
        store=True,
        readonly=False,
        precompute=True,
    )
    eligibility_unit = fields.Char(string="Eligibility Review Unit", tracking=True)
    eligibility_stamped = fields.Boolean(
        string="Application Form Stamped",
        tracking=True,
        help="The eligibility review unit stamped the application form.",
    )
    coborrower_id = fields.Many2one(
        "student.loan.coborrower",
        string="Co-borrower",
        tracking=True,
        domain="[('student_id', '=', student_id)]",
        compute="_compute_coborrower_id",
        store=True,
        readonly=False,
        precompute=True,
        help="Filled in with the student's co-borrower (of the last application for a renewal).",
    )
    university_reviewed = fields.Boolean(tracking=True, help="The university reviewed the renewal (续贷高校审核).")
    hold_reason = fields.Char(compute="_compute_hold_reason")
    attachment_ids = fields.One2many("student.loan.attachment", "application_id", string="Attachments")
    upload_ids = fields.Many2many(
        "ir.attachment",
        string="Drop Files",
        compute="_compute_upload_ids",
        inverse="_inverse_upload_ids",
        readonly=False,
        help="Drop or choose several files at once: each becomes an attachment line, its type guessed from the "
        "file name and shape (change it on the line if the guess is wrong).",
    )
    attachment_missing = fields.Char(string="Missing Attachments", compute="_compute_attachment_missing")
    check_line_ids = fields.One2many("student.loan.check.line", "application_id", string="Document Check")
    check_progress = fields.Char(compute="_compute_check_progress")
    contract_id = fields.Many2one("student.loan.contract", readonly=True, copy=False)
    contract_state = fields.Selection(related="contract_id.state", string="Contract Status")
    checked_by_id = fields.Many2one("res.users", string="Prepared By", readonly=True, copy=False)
    checked_date = fields.Datetime(readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_date = fields.Datetime(readonly=True, copy=False)
    bank_user_id = fields.Many2one("res.users", string="Bank Liaison", readonly=True, copy=False)
    bank_date = fields.Datetime(string="Bank Decision Date", readonly=True, copy=False)

    _sql_constraints = [
        (
            "amounts_positive",
            "check(coalesce(tuition, 0) >= 0 and coalesce(accommodation, 0) >= 0)",
            "Tuition and accommodation cannot be negative.",
        ),
    ]

    def init(self):
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS student_loan_application_student_year_uniq
            ON student_loan_application (student_id, academic_year) WHERE state != 'cancelled'
        """)

    def _mail_get_partner_fields(self, introspect_fields=False):
        # messages about an application (automation rules' mail and SMS templates) go to the student
        return ["student_partner_id"]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("student_id")
    def _compute_centre_id(self):
        for application in self:
            if application.student_id and not application.centre_id:
                application.centre_id = application.student_id.centre_id

    @api.depends("academic_year")
    def _compute_policy_id(self):
        by_year = self.env["student.loan.policy"]._get_by_year(self.mapped("academic_year"))
        for application in self:
            application.policy_id = by_year.get(application.academic_year, False)

    @api.depends("student_id", "academic_year")
    def _compute_loan_kind(self):
        contracts = (
            self.env["student.loan.contract"]
            .sudo()
            .search(
                [
                    ("student_id", "in", self.student_id.ids),
                    ("state", "!=", "cancelled"),
                ]
            )
        )
        first_year = {}
        for contract in contracts:
            year = first_year.get(contract.student_id.id)
            first_year[contract.student_id.id] = min(year, contract.academic_year) if year else contract.academic_year
        for application in self:
            earliest = first_year.get(application.student_id.id)
            application.loan_kind = "renewal" if earliest and earliest < application.academic_year else "first"

    @api.depends("student_id")
    def _compute_coborrower_id(self):
        """The student's co-borrower: the one of their latest application (a renewal keeps it), else their
        only or most recent active co-borrower."""
        students = self.student_id.filtered("id")
        previous = {}
        if students:
            for application in (
                self.sudo()
                .search(
                    [
                        ("student_id", "in", students.ids),
                        ("state", "!=", "cancelled"),
                        ("coborrower_id.active", "=", True),
                    ],
                    order="academic_year desc, id desc",
                )
                .filtered(lambda app: app.id not in self.ids)
            ):
                previous.setdefault(application.student_id.id, application.coborrower_id)
        for application in self:
            student = application.student_id
            if not student or application.coborrower_id.student_id == student:
                continue
            coborrower = previous.get(student.id) or student.coborrower_ids[:1]
            application.coborrower_id = coborrower.with_env(application.env) if coborrower else False

    @api.depends("student_id")
    def _compute_education(self):
        for application in self:
            student = application.student_id
            if not student:
                continue
            application.school_id = application.school_id or student.school_id
            application.education_level = application.education_level or student.education_level
            application.study_years = application.study_years or student.study_years
            application.enrolment_year = application.enrolment_year or student.enrolment_year

    @api.depends("tuition", "accommodation", "education_level", "policy_id")
    def _compute_amounts(self):
        for application in self:
            policy = application.policy_id
            try:
                need = policy_math.requested_amount(application.tuition, application.accommodation, 10**9)
            except ValueError:
                need = 0  # refused with its reason by _check_tuition
            application.need_amount = float(need)
            if policy and application.education_level:
                cap = policy._get_cap(application.education_level)
                application.cap_amount = float(cap)
                application.requested_amount = float(min(need, cap))
            else:
                application.cap_amount = 0.0
                application.requested_amount = float(need)

    @api.depends("requested_amount")
    def _compute_approved_amount(self):
        for application in self:
            if application.state in self.EDITABLE_STATES or not application.approved_amount:
                application.approved_amount = application.requested_amount

    @api.depends("loan_kind", "university_reviewed")
    def _compute_hold_reason(self):
        for application in self:
            if application.loan_kind == "renewal" and not application.university_reviewed:
                application.hold_reason = self.env._(
                    "Renewal held: the university has not yet reviewed it (续贷高校未审核). "
                    "Advise the student to contact the university's aid office to complete the "
                    "information in the system."
                )
            else:
                application.hold_reason = False

    @api.depends("attachment_ids.type_id", "attachment_ids.legible", "loan_kind", "policy_id")
    def _compute_attachment_missing(self):
        for application in self:
            application.attachment_missing = "; ".join(application._get_missing_attachments()) or False

    def _compute_upload_ids(self):
        # files dropped on the form only pass through: they become attachment lines (see the onchange)
        self.upload_ids = False

    def _inverse_upload_ids(self):
        """On saving: the dropped files not yet turned into lines become lines; the dropped copies are removed."""
        for application in self:
            uploads = application.upload_ids
            if not uploads:
                continue
            vals_list = application._attachment_vals_from_uploads(uploads)
            if vals_list:
                self.env["student.loan.attachment"].create(
                    [dict(vals, application_id=application.id) for vals in vals_list]
                )
            application._unlink_uploads(uploads)

    @api.onchange("upload_ids")
    def _onchange_upload_ids(self):
        """Files dropped on the form become attachment lines at once, their type guessed and editable."""
        uploads = self.upload_ids._origin
        if uploads:
            self.attachment_ids = [fields.Command.create(vals) for vals in self._attachment_vals_from_uploads(uploads)]

    def _own_uploads(self, uploads):
        """The dropped files the current user uploaded to an application (never another file by its id)."""
        return uploads.sudo().filtered(
            lambda att: att.res_model == self._name and not att.res_field and att.create_uid == self.env.user
        )

    def _unlink_uploads(self, uploads):
        """The temporary ``ir.attachment`` records of the drop zone (the files live on the lines now)."""
        self._own_uploads(uploads).unlink()

    def _attachment_vals_from_uploads(self, uploads):
        """Values of ``student.loan.attachment`` lines for dropped files (``ir.attachment``), types guessed."""
        self.ensure_one()
        types = self.env["student.loan.attachment.type"].search([("active", "=", True)])
        hints = [(t.code, doctype.parse_keywords(t.keywords), t.document_shape) for t in types]
        by_code = {t.code: t for t in types}
        taken = list(self.attachment_ids.type_id.mapped("code"))
        converted = {(line.file_name, line.file_size) for line in self.attachment_ids}
        vals_list = []
        for upload in self._own_uploads(uploads).sudo():
            raw = upload.raw or b""
            if (upload.name, len(raw)) in converted:
                continue  # already a line (the form turned it into one before saving)
            mimetype = guess_mimetype(raw)
            code = doctype.guess_type_code(upload.name, raw, mimetype, hints, taken)
            attachment_type = by_code.get(code) or types[:1]
            taken.append(attachment_type.code)
            vals_list.append(
                {
                    "type_id": attachment_type.id,
                    "file": base64.b64encode(raw),
                    "file_name": upload.name,
                    # shown on the new line at once; recomputed from the bytes when it is saved
                    "mimetype": mimetype,
                    "file_size": len(raw),
                    **self.env["student.loan.attachment"]._check_legibility(raw, mimetype),
                }
            )
        return vals_list

    @api.depends("check_line_ids.result")
    def _compute_check_progress(self):
        for application in self:
            lines = application.check_line_ids
            passed = len(lines.filtered(lambda line: line.result == "passed"))
            application.check_progress = f"{passed}/{len(lines)}" if lines else False

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("tuition", "accommodation")
    def _check_tuition(self):
        """Tuition and accommodation are amounts (a client can send NaN, Infinity or 1e300)."""
        for application in self:
            try:
                policy_math.requested_amount(application.tuition, application.accommodation, 10**9)
            except ValueError as error:
                raise ValidationError(lib_error_message(self.env, error)) from error

    @api.constrains("student_id", "academic_year", "state")
    def _check_one_per_year(self):
        for application in self:
            if application.state == "cancelled":
                continue
            duplicate = self.sudo().search_count(
                [
                    ("student_id", "=", application.student_id.id),
                    ("academic_year", "=", application.academic_year),
                    ("state", "!=", "cancelled"),
                    ("id", "!=", application.id),
                ]
            )
            if duplicate:
                raise ValidationError(
                    self.env._(
                        "%(student)s already has an application for %(year)s-%(next)s.",
                        student=application.student_id.name,
                        year=application.academic_year,
                        next=application.academic_year + 1,
                    )
                )

    @api.model
    def _check_no_duplicate_year(self, vals_list):
        """Refuse a second application of a student for one academic year, before inserting."""
        default_year = current_academic_year(fields.Date.context_today(self))
        pairs = [(vals.get("student_id"), vals.get("academic_year") or default_year) for vals in vals_list]
        existing = self.sudo().search(
            [
                ("student_id", "in", [student_id for student_id, _year in pairs if student_id]),
                ("state", "!=", "cancelled"),
            ]
        )
        taken = {(app.student_id.id, app.academic_year) for app in existing}
        for pair in pairs:
            if pair in taken:
                student = self.env["student.loan.student"].browse(pair[0]).sudo()
                raise ValidationError(
                    self.env._(
                        "%(student)s already has an application for %(year)s-%(next)s.",
                        student=student.name,
                        year=pair[1],
                        next=pair[1] + 1,
                    )
                )
            taken.add(pair)

    @api.constrains("coborrower_id", "student_id")
    def _check_coborrower(self):
        for application in self:
            if application.coborrower_id and application.coborrower_id.student_id != application.student_id:
                raise ValidationError(
                    self.env._("The co-borrower %s is not recorded for this student.", application.coborrower_id.name)
                )

    @api.constrains("approved_amount", "cap_amount", "need_amount", "policy_id")
    def _check_amount(self):
        for application in self:
            if not application.policy_id or float_is_zero(application.approved_amount, precision_digits=2):
                continue
            reasons = application._get_amount_problems()
            if reasons:
                raise ValidationError("\n".join(reasons))

    def _get_amount_problems(self):
        self.ensure_one()
        if not self.policy_id:
            return [self.env._("No loan policy is configured for the academic year %s.", self.academic_year)]
        if not self.education_level:
            return [self.env._("The study level is missing.")]
        reasons = policy_math.check_amount(
            round(self.approved_amount, 2), self.policy_id.min_amount, self.cap_amount, self.need_amount
        )
        return [lib_error_message(self.env, reason) for reason in reasons]

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model
    def _check_money_vals(self, vals):
        """Refuse NaN, Infinity and absurd amounts before the ORM rounds them (JSON-RPC accepts NaN)."""
        for field_name in ("tuition", "accommodation", "approved_amount"):
            if vals.get(field_name) not in (None, False):
                label = self._fields[field_name].get_description(self.env)["string"]
                try:
                    policy_math.parse_money(vals[field_name], label)
                except ValueError as error:
                    raise ValidationError(lib_error_message(self.env, error)) from error

    @api.model_create_multi
    def create(self, vals_list):
        # who may not create applications learns it before anything about other students (portal users)
        self.check_access("create")
        for vals in vals_list:
            self._check_money_vals(vals)
        self._check_no_duplicate_year(vals_list)
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("student.loan.application") or "/"
        return super().create(vals_list)

    def write(self, vals):
        self._check_money_vals(vals)
        if "coborrower_id" in vals:
            locked = self.filtered(lambda app: app.state not in self.REVIEW_STATES)
            if locked:
                raise UserError(
                    self.env._(
                        "The co-borrower of %s can only be changed while the application is under "
                        "review; after approval use a co-borrower change request.",
                        locked[0].name,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_reviewed(self):
        for application in self:
            if application.state not in ("draft", "cancelled") or application.contract_id:
                raise UserError(
                    self.env._(
                        "%s is under review or has a contract: cancel it instead of deleting it.", application.name
                    )
                )

    # ------------------------------------------------------------------
    # Checks (R6, R7, R8)
    # ------------------------------------------------------------------

    def _get_missing_attachments(self):
        """Human-readable list of the attachment rules not met (first loan 2+2, renewal 1+1)."""
        self.ensure_one()
        missing = []
        rules = self.policy_id.attachment_rule_ids.filtered(lambda rule: rule.loan_kind == self.loan_kind)
        legible = self.attachment_ids.filtered("legible")
        for rule in rules:
            count = len(legible.filtered(lambda att, rule=rule: att.type_id in rule.type_ids))
            if count < rule.min_count:
                missing.append(
                    self.env._("%(rule)s: %(count)s of %(needed)s", rule=rule.name, count=count, needed=rule.min_count)
                )
        illegible = self.attachment_ids - legible
        if illegible:
            missing.append(self.env._("illegible: %s", ", ".join(illegible.mapped("display_name"))))
        return missing

    def _get_blocking_problems(self, stage):
        """Everything that stops ``stage`` ('submit', 'contract', 'check', 'approve'), as sentences."""
        self.ensure_one()
        problems = []
        if not self.policy_id:
            problems.append(self.env._("No loan policy is configured for the academic year %s.", self.academic_year))
            return problems
        if self.hold_reason:
            problems.append(self.hold_reason)
        for field_name in ("school_id", "education_level", "study_years", "enrolment_year", "coborrower_id"):
            if not self[field_name]:
                label = self._fields[field_name].get_description(self.env)["string"]
                problems.append(self.env._("%s is missing.", label))
        if not self.approved_amount:
            problems.append(self.env._("Enter the tuition and accommodation to compute the amount."))
        else:
            problems.extend(self._get_amount_problems())
        if self.enrolment_year and self.study_years:
            try:
                policy_math.remaining_study_years(self.enrolment_year, self.study_years, self.academic_year)
            except ValueError as error:
                problems.append(lib_error_message(self.env, error))
        if stage in ("check", "approve"):
            missing = self._get_missing_attachments()
            if missing:
                problems.append(self.env._("Attachments incomplete: %s", "; ".join(missing)))
            auto = self._auto_check_results()
            for line in self.check_line_ids:
                proposed = auto.get(line.item_id.code) if line.item_id.auto_check else None
                if proposed and not proposed[0]:
                    problems.append(f"{line.item_id.name}: {proposed[1]}")
                elif line.result != "passed":
                    reason = f" ({line.reason})" if line.reason else ""
                    problems.append(
                        self.env._("Check not passed: %(item)s%(reason)s", item=line.item_id.name, reason=reason)
                    )
            if not self.check_line_ids:
                problems.append(self.env._("The document check has not been done."))
            if not self.contract_id or self.contract_id.state not in ("signed", "active"):
                problems.append(self.env._("The contract is not signed yet."))
        return list(dict.fromkeys(problems))

    def _raise_if_blocked(self, stage):
        for application in self:
            problems = application._get_blocking_problems(stage)
            if problems:
                raise UserError(
                    self.env._(
                        "%(name)s cannot go on:\n- %(problems)s", name=application.name, problems="\n- ".join(problems)
                    )
                )

    def _auto_check_results(self):
        """Proposed result per check-item code: ``{code: (passed, reason)}`` from the data."""
        self.ensure_one()
        student = self.student_id.sudo()
        coborrower = self.coborrower_id.sudo()
        att_codes = set(self.attachment_ids.filtered("legible").type_id.mapped("code"))
        results = {}

        def result(code, ok, reason):
            results[code] = (bool(ok), "" if ok else reason)

        result(
            "address",
            student.household_address and student.home_address,
            self.env._("The household-registration address or the home address is missing."),
        )
        result("eligibility_unit", self.eligibility_unit, self.env._("The eligibility review unit is missing."))
        mobile_ok = True
        try:
            identity.normalize_cn_mobile(student.mobile)
        except ValueError:
            mobile_ok = False
        contact_item = self.env["student.loan.check.item"].sudo().search([("code", "=", "contact")], limit=1)
        if contact_item.email_required:
            result(
                "contact", mobile_ok and student.email, self.env._("The mobile number or e-mail is missing or invalid.")
            )
        else:
            result("contact", mobile_ok, self.env._("The mobile number is missing or invalid."))
        result(
            "third_party",
            student.third_party_name and student.third_party_phone,
            self.env._("The third-party contact or their phone is missing."),
        )
        result(
            "review_stamp",
            self.eligibility_stamped,
            self.env._("The application form has no stamp of the eligibility review unit."),
        )
        result(
            "id_copies",
            {"student_id_card", "coborrower_id_card"} <= att_codes,
            self.env._("The ID-card copies of the student and the co-borrower are not both attached."),
        )
        result(
            "admission_doc",
            att_codes & {"admission_notice", "student_card"},
            self.env._("Neither the admission notice nor the student card is attached."),
        )
        result(
            "coborrower_address",
            coborrower and coborrower.address_complete,
            coborrower.with_env(self.env)._address_problem(coborrower.address)
            if coborrower
            else self.env._("No co-borrower is chosen."),
        )
        amount_problems = self._get_amount_problems() if self.approved_amount else [self.env._("No amount.")]
        result("actual_amount", not amount_problems, " ".join(amount_problems))
        missing = self._get_missing_attachments()
        result("attachments", not missing, self.env._("Attachments: %s", "; ".join(missing)))
        return results

    def _run_auto_checks(self):
        """Store the automatic checks' proposed results on the check lines."""
        self.ensure_one()
        results = self._auto_check_results()
        for line in self.check_line_ids.filtered(lambda line: line.item_id.auto_check):
            if line.item_id.code in results:
                passed, reason = results[line.item_id.code]
                line.write({"result": "passed" if passed else "failed", "reason": reason or False})

    def _create_check_lines(self):
        items = self.env["student.loan.check.item"].search([("active", "=", True)])
        vals = []
        for application in self:
            existing = application.check_line_ids.item_id
            for item in items - existing:
                if item.loan_kind in ("all", application.loan_kind):
                    vals.append({"application_id": application.id, "item_id": item.id})
        self.env["student.loan.check.line"].create(vals)

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def _review_preparers(self):
        return self.checked_by_id | self.submitted_by_id

    def _review_return_partner_ids(self):
        return self.student_id.partner_id.ids

    def _review_on_approved(self, role, reviews):
        now = fields.Datetime.now()
        if role == "check":
            self._write_workflow({"checked_by_id": self.env.uid, "checked_date": now})
        elif role == "approve":
            self._write_workflow({"approved_by_id": self.env.uid, "approved_date": now})
        elif role == "bank":
            self._write_workflow({"bank_user_id": self.env.uid, "bank_date": now})

    def _review_on_done(self):
        self.contract_id._on_bank_confirmed()

    def _review_return_vals(self, role, new_state):
        if new_state == "returned":
            return {"checked_by_id": False, "checked_date": False, "approved_by_id": False, "approved_date": False}
        return {}

    def _review_on_returned(self, level):
        self.contract_id._on_application_returned(level)

    def _review_next_step(self):
        """Within the handler's check: print the contract, have it signed, then finish the check."""
        step, users = super()._review_next_step()
        if self.state != "submitted":
            return step, users
        contract = self.contract_id
        if not contract or contract.state == "cancelled":
            return self.env._("Print the contract"), users
        if contract.state == "draft":
            return self.env._("The student and the co-borrower sign the contract (then mark it Signed)"), users
        return step, users

    def _review_return_default_reason(self):
        """The failed points of the document check, with their reasons (the same words the check shows)."""
        self.ensure_one()
        failed = self.check_line_ids.filtered(lambda line: line.result == "failed")
        return "\n".join(
            self.env._("%(check)s: %(reason)s", check=line.item_id.name, reason=line.reason)
            if line.reason
            else line.item_id.name
            for line in failed
        )

    def action_submit(self):
        """Submit for review (受理): the handler then checks the documents."""
        self._check_state(("draft", "returned"), self.env._("submitted"))
        self._raise_if_blocked("submit")
        self._review_submit({"state": "submitted"})
        self._create_check_lines()
        for application in self:
            application._run_auto_checks()
        return True

    def action_run_auto_checks(self):
        self._check_group("student_loan.group_handler", self.env._("run the document check"))
        self._check_state(("submitted",), self.env._("checked"))
        for application in self:
            application._create_check_lines()
            application._run_auto_checks()
        return True

    def action_prepare_contract(self):
        """Print the contract (合同打印): create it with its number, ready for signing."""
        self._check_group("student_loan.group_handler", self.env._("prepare contracts"))
        self._check_state(("submitted",), self.env._("given a contract"))
        self._raise_if_blocked("contract")
        for application in self:
            if application.contract_id and application.contract_id.state != "cancelled":
                application.contract_id._update_from_application()
                continue
            contract = self.env["student.loan.contract"].create(application._prepare_contract_vals())
            application._write_workflow({"contract_id": contract.id})
        for application in self:
            application._notify_contract_printed()
        if len(self) != 1:
            return True
        # 打印合同 prints: the contract's PDF at once (the form then says what happens next)
        return self.env.ref("student_loan.action_report_loan_contract").report_action(self.contract_id)

    def _notify_contract_printed(self):
        """Tell the handler (and the chatter) what happens after printing: the signatures, then the check."""
        self.ensure_one()
        self.invalidate_recordset(["review_next_step"])
        message = self.env._(
            "Contract %(contract)s printed. %(next)s",
            contract=self.contract_id.name,
            next=self.review_next_step or "",
        )
        self.message_post(body=message)
        self.env.user._bus_send(
            "simple_notification",
            {"type": "info", "title": self.env._("Contract printed"), "message": message, "sticky": False},
        )

    def _prepare_contract_vals(self):
        self.ensure_one()
        return {
            "application_id": self.id,
            "student_id": self.student_id.id,
            "coborrower_id": self.coborrower_id.id,
            "centre_id": self.centre_id.id,
            "academic_year": self.academic_year,
            "loan_kind": self.loan_kind,
            "amount": self.approved_amount,
        }

    def _check_documents(self):
        """The check step's own conditions: the automatic checks run again, nothing blocking is left."""
        for application in self:
            application._run_auto_checks()
        self._raise_if_blocked("check")

    def action_check(self):
        """The handler finished the document check (申请验收): hand over to the supervisor."""
        return self._review_step("check", self.env._("check"), self.env._("checked"), self._check_documents)

    def action_approve(self):
        """The supervisor's re-review (复核) and approval (同意), or a further approval tier (e.g. the city)."""
        self._review_step(
            "approve", self.env._("approve"), self.env._("approved"), lambda: self._raise_if_blocked("approve")
        )
        self.filtered(lambda application: application.state == "approved").contract_id._on_application_approved()
        return True

    def action_send_to_bank(self):
        return self._review_send_on("bank", self.env._("send to the bank"))

    def action_bank_confirm(self):
        return self._review_step("bank", self.env._("confirm for the bank"), self.env._("confirmed"))

    def action_bulk_send_to_bank(self):
        """Send the selected applications to the bank (list action, all or nothing)."""
        return self._review_bulk("action_send_to_bank")

    def action_bulk_bank_confirm(self):
        """Confirm the selected applications for the bank (list action, all or nothing)."""
        return self._review_bulk("action_bank_confirm")

    def action_cancel(self):
        self._check_group("student_loan.group_handler", self.env._("cancel applications"))
        self._check_state(("draft", "submitted", "returned"), self.env._("cancelled"))
        self.contract_id.filtered(lambda contract: contract.state != "cancelled")._write_workflow(
            {"state": "cancelled"}
        )
        self._review_cancel()
        return True

    def action_mark_university_reviewed(self):
        self._check_group("student_loan.group_handler", self.env._("record university reviews"))
        self.write({"university_reviewed": True})
        return True

    def action_view_contract(self):
        self.ensure_one()
        return self.contract_id._get_form_action()

    def action_draft(self):
        self._check_state(("cancelled",), self.env._("reset to draft"))
        self._write_workflow({"state": "draft"})
        return True
