from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression

from ..loanlib import identity
from ..loanlib import policy as policy_math
from .lib_errors import lib_error_message


def normalize_mobile_vals(model, vals, field_names):
    """Mainland mobile numbers of ``vals`` (the ``field_names`` given) in their normal form, in place; a
    number that is not one raises a ``ValidationError`` naming the field, in the user's language."""
    for field_name in field_names:
        if vals.get(field_name):
            try:
                vals[field_name] = identity.normalize_cn_mobile(vals[field_name])
            except ValueError as error:
                label = model._fields[field_name].get_description(model.env)["string"]
                raise ValidationError(
                    model.env._("%(field)s: %(error)s", field=label, error=lib_error_message(model.env, error))
                ) from error


EDUCATION_LEVELS = [
    ("vocational", "Vocational College"),
    ("undergraduate", "Undergraduate"),
    ("master", "Master"),
    ("doctor", "Doctor"),
]


class StudentLoanStudent(models.Model):
    """A student (borrower) registered with an aid centre."""

    _name = "student.loan.student"
    _description = "Student"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "name, id"
    _rec_names_search = ["name", "id_number", "mobile"]  # id_number only for who may read it

    name = fields.Char(required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        readonly=True,
        ondelete="restrict",
        copy=False,
        help="The contact used for messages, SMS and the portal account.",
    )
    user_id = fields.Many2one("res.users", string="Portal Account", readonly=True, copy=False)
    id_number = fields.Char(
        string="ID Number",
        required=True,
        copy=False,
        tracking=True,
        groups="student_loan.group_handler,student_loan.group_bank",
    )
    id_number_masked = fields.Char(string="ID Number (masked)", compute="_compute_id_derived", store=True)
    birth_date = fields.Date(compute="_compute_id_derived", store=True)
    gender = fields.Selection([("male", "Male"), ("female", "Female")], compute="_compute_id_derived", store=True)
    mobile = fields.Char(required=True, tracking=True)
    email = fields.Char(tracking=True)
    household_address = fields.Char(string="Household-Registration Address", tracking=True)
    home_address = fields.Char(tracking=True)
    third_party_name = fields.Char(string="Third-Party Contact", tracking=True)
    third_party_phone = fields.Char(string="Third-Party Phone", tracking=True)
    third_party_relation = fields.Char(string="Relation to Student")
    is_poverty_registered = fields.Boolean(string="Registered Poor Household (建档立卡)", tracking=True, index=True)
    school_id = fields.Many2one("student.loan.school", tracking=True, index=True)
    education_level = fields.Selection(EDUCATION_LEVELS, string="Level", tracking=True)
    study_years = fields.Integer(string="Length of Study (学制)", tracking=True)
    enrolment_year = fields.Integer(tracking=True)
    expected_graduation = fields.Date(compute="_compute_expected_graduation", store=True)
    centre_id = fields.Many2one(
        "student.loan.centre",
        string="Aid Centre",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user.loan_centre_id,
    )
    coborrower_ids = fields.One2many("student.loan.coborrower", "student_id", string="Co-borrowers")
    application_ids = fields.One2many("student.loan.application", "student_id", string="Applications")
    contract_ids = fields.One2many("student.loan.contract", "student_id", string="Contracts")
    application_count = fields.Integer(compute="_compute_counts")
    contract_count = fields.Integer(compute="_compute_counts")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("id_number_unique", "unique(id_number)", "This ID number is already registered."),
        (
            "study_years_range",
            "check(study_years is null or (study_years >= 0 and study_years <= 9))",
            "The length of study must be between 1 and 9 years.",
        ),
    ]

    @api.depends("id_number")
    def _compute_id_derived(self):
        for student in self.sudo():
            try:
                parsed = identity.parse_resident_id(student.id_number)
            except ValueError:
                parsed = None
            student.id_number_masked = identity.mask_id_number(student.id_number)
            student.birth_date = parsed.birth_date if parsed else False
            student.gender = parsed.gender if parsed else False

    @api.depends("enrolment_year", "study_years")
    def _compute_expected_graduation(self):
        for student in self:
            graduation = False
            if student.enrolment_year and student.study_years:
                try:
                    graduation = policy_math.graduation_date(student.enrolment_year, student.study_years)
                except ValueError:
                    graduation = False  # an impossible year: refused by _check_education
            student.expected_graduation = graduation

    def _compute_counts(self):
        applications = dict(
            self.env["student.loan.application"]._read_group(
                [("student_id", "in", self.ids)], ["student_id"], ["__count"]
            )
        )
        contracts = dict(
            self.env["student.loan.contract"]._read_group([("student_id", "in", self.ids)], ["student_id"], ["__count"])
        )
        for student in self:
            student.application_count = applications.get(student, 0)
            student.contract_count = contracts.get(student, 0)

    def _search_display_name(self, operator, value):
        """Search the ID number only for those who may read it: the others (volunteers, viewers) would get
        an access error; they find students by name, mobile or masked ID number."""
        if (
            self.env.su
            or self.env.user.has_groups("student_loan.group_handler,student_loan.group_bank")
            or (operator.endswith("like") and not value and "=" not in operator)
        ):
            return super()._search_display_name(operator, value)
        aggregator = expression.AND if operator in expression.NEGATIVE_TERM_OPERATORS else expression.OR
        return aggregator([[(field_name, operator, value)] for field_name in ("name", "mobile", "id_number_masked")])

    # ------------------------------------------------------------------
    # Validation
    # ------------------------------------------------------------------

    @api.model
    def _normalize_vals(self, vals):
        """Validate and normalise the ID number and phone numbers in ``vals`` (clear errors)."""
        vals = dict(vals)
        for field_name in ("id_number", "mobile"):  # required: an empty string is no value
            if field_name in vals and not (vals[field_name] or "").strip():
                label = self._fields[field_name].get_description(self.env)["string"]
                raise ValidationError(self.env._("%s is required.", label))
        if vals.get("id_number"):
            try:
                vals["id_number"] = identity.parse_resident_id(vals["id_number"]).number
            except ValueError as error:
                raise ValidationError(lib_error_message(self.env, error)) from error
        normalize_mobile_vals(self, vals, ("mobile", "third_party_phone"))
        if vals.get("email"):
            vals["email"] = vals["email"].strip()
            if "@" not in vals["email"] or " " in vals["email"]:
                raise ValidationError(self.env._("%s is not a valid e-mail address.", vals["email"]))
        return vals

    def _check_id_number_free(self, numbers):
        """Refuse ID numbers registered already, naming the centre that holds them."""
        if not numbers:
            return
        if len(set(numbers)) != len(numbers):
            raise ValidationError(self.env._("The same ID number appears twice in what you entered."))
        existing = (
            self.sudo()
            .with_context(active_test=False)
            .search([("id_number", "in", numbers), ("id", "not in", self.ids)], limit=1)
        )
        if existing:
            raise ValidationError(
                self.env._(
                    "The ID number %(number)s is already registered with %(centre)s (student %(name)s). "
                    "Contact that aid centre: it can transfer the student or delete a wrong registration.",
                    number=existing.id_number_masked,
                    centre=existing.centre_id.display_name,
                    name=existing.name,
                )
            )

    @api.constrains("study_years", "enrolment_year")
    def _check_education(self):
        for student in self:
            if student.study_years and not 1 <= student.study_years <= 9:
                raise ValidationError(self.env._("The length of study must be between 1 and 9 years."))
            if student.enrolment_year and not 1990 <= student.enrolment_year <= 2100:
                raise ValidationError(self.env._("The enrolment year %s is not plausible.", student.enrolment_year))

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._normalize_vals(vals) for vals in vals_list]
        self._check_id_number_free([vals["id_number"] for vals in vals_list if vals.get("id_number")])
        missing_partner = [vals for vals in vals_list if not vals.get("partner_id")]
        if missing_partner:
            partners = self.env["res.partner"].sudo().create([self._partner_vals(vals) for vals in missing_partner])
            for vals, partner in zip(missing_partner, partners, strict=True):
                vals["partner_id"] = partner.id
        return super().create(vals_list)

    def write(self, vals):
        vals = self._normalize_vals(vals)
        if vals.get("id_number"):
            if len(self) > 1:
                raise ValidationError(self.env._("An ID number belongs to one student only."))
            self._check_id_number_free([vals["id_number"]])
        result = super().write(vals)
        partner_vals = {key: vals[key] for key in ("name", "mobile", "email") if key in vals}
        if partner_vals:
            self.partner_id.sudo().write(self._partner_vals(partner_vals))
        return result

    @api.model
    def _partner_vals(self, vals):
        partner_vals = {}
        if "name" in vals:
            partner_vals["name"] = vals["name"]
        if "mobile" in vals:
            partner_vals["mobile"] = vals["mobile"] and f"+86 {vals['mobile']}"
        if "email" in vals:
            partner_vals["email"] = vals["email"]
        return partner_vals

    @api.ondelete(at_uninstall=False)
    def _unlink_except_contract(self):
        contracts = self.env["student.loan.contract"].sudo().search([("student_id", "in", self.ids)])
        if contracts:
            student = contracts[0].student_id
            raise UserError(
                self.env._(
                    "%(name)s cannot be deleted: contract %(contract)s exists. "
                    "Ask the student's home aid centre (by household registration) to take the "
                    "student over with 'Transfer to Home Centre'.",
                    name=student.name,
                    contract=contracts[0].name,
                )
            )

    # ------------------------------------------------------------------
    # Actions (R11)
    # ------------------------------------------------------------------

    def action_reset_portal_password(self):
        """Send the student a link to choose a new portal password."""
        self.ensure_one()
        if not self.user_id:
            raise UserError(self.env._("%s has no portal account yet.", self.name))
        if not self.email:
            raise UserError(self.env._("%s has no e-mail address: enter one before resetting the password.", self.name))
        self.user_id.sudo().action_reset_password()
        self.message_post(body=self.env._("Portal password reset requested by %s.", self.env.user.name))
        return True

    def action_open_transfer_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Transfer %s to another centre", self.name),
            "res_model": "student.loan.transfer.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_student_id": self.id},
        }

    def _transfer_to_centre(self, centre, reason):
        """Move the student and their open applications to ``centre`` (R11), with history."""
        self.ensure_one()
        if centre == self.centre_id:
            raise UserError(
                self.env._("%(name)s already belongs to %(centre)s.", name=self.name, centre=centre.display_name)
            )
        old_centre = self.centre_id
        open_applications = self.application_ids.filtered(lambda app: not app.contract_id)
        self.sudo().write({"centre_id": centre.id})
        open_applications.sudo().write({"centre_id": centre.id})
        self.message_post(
            body=self.env._(
                "Transferred from %(old)s to %(new)s by %(user)s. Reason: %(reason)s",
                old=old_centre.display_name,
                new=centre.display_name,
                user=self.env.user.name,
                reason=reason,
            )
        )
        return True

    def action_view_applications(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("student_loan.student_loan_application_action")
        action["domain"] = [("student_id", "=", self.id)]
        action["context"] = {"default_student_id": self.id}
        return action

    def action_view_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("student_loan.student_loan_contract_action")
        action["domain"] = [("student_id", "=", self.id)]
        return action
