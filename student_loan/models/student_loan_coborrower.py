from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.i18n import format_list
from odoo.tools.translate import LazyTranslate

from ..loanlib import identity
from .lib_errors import lib_error_message

_lt = LazyTranslate(__name__)

# The words of a detailed address, shared by the document check and the return reasons (村、组、门牌号).
ADDRESS_PART_LABELS = {
    "county": _lt("county or district (县/区)"),
    "village": _lt("village (村)"),
    "group": _lt("group (组)"),
    "house_number": _lt("house number (门牌号)"),
}


class StudentLoanCoborrower(models.Model):
    """A co-borrower (共同借款人), usually a parent or legal guardian."""

    _name = "student.loan.coborrower"
    _description = "Co-borrower"
    _inherit = ["mail.thread"]
    _order = "student_id, id desc"

    RELATIONS = [
        ("father", "Father"),
        ("mother", "Mother"),
        ("guardian", "Legal Guardian"),
        ("other", "Other Relative"),
    ]

    name = fields.Char(required=True, tracking=True)
    student_id = fields.Many2one("student.loan.student", required=True, ondelete="cascade", index=True, tracking=True)
    centre_id = fields.Many2one(related="student_id.centre_id", store=True, index=True)
    relation = fields.Selection(RELATIONS, required=True, default="father", tracking=True)
    id_number = fields.Char(
        string="ID Number",
        required=True,
        tracking=True,
        groups="student_loan.group_handler,student_loan.group_bank",
    )
    id_number_masked = fields.Char(string="ID Number (masked)", compute="_compute_id_number_masked", store=True)
    mobile = fields.Char(required=True, tracking=True)
    address = fields.Char(required=True, tracking=True)
    address_complete = fields.Boolean(
        compute="_compute_address_complete",
        store=True,
        help="The address names a county or district and a township, street, village or house number.",
    )
    address_problem = fields.Char(
        compute="_compute_address_problem",
        help="What the address lacks, in the words of the document check and of the return reasons.",
    )
    work_unit = fields.Char(tracking=True)
    active = fields.Boolean(default=True, tracking=True)

    _sql_constraints = [
        (
            "student_id_number_unique",
            "unique(student_id, id_number)",
            "This co-borrower is already recorded for the student.",
        ),
    ]

    @api.depends("id_number")
    def _compute_id_number_masked(self):
        for coborrower in self.sudo():
            coborrower.id_number_masked = identity.mask_id_number(coborrower.id_number)

    @api.depends("address")
    def _compute_address_complete(self):
        for coborrower in self:
            coborrower.address_complete = identity.is_address_complete(coborrower.address)

    @api.depends("address")
    @api.depends_context("lang")
    def _compute_address_problem(self):
        for coborrower in self:
            coborrower.address_problem = self._address_problem(coborrower.address)

    @api.model
    def _address_problem(self, address):
        """The sentence saying what a co-borrower's address lacks (False when it is complete): the document
        check's reason, which the return wizard proposes as the reason for returning."""
        missing = identity.address_missing_parts(address)
        if not missing:
            return False
        return self.env._(
            "The co-borrower's address must give the village, the group and the house number (村、组、门牌号), "
            "or in a town the street and the house number; it lacks: %(missing)s.",
            missing=format_list(self.env, [self.env._(ADDRESS_PART_LABELS[part]) for part in missing]),
        )

    @api.model
    def _normalize_vals(self, vals):
        vals = dict(vals)
        for field_name in ("id_number", "mobile", "address"):  # required: an empty string is no value
            if field_name in vals and not (vals[field_name] or "").strip():
                label = self._fields[field_name].get_description(self.env)["string"]
                raise ValidationError(self.env._("Co-borrower: %s is required.", label))
        if vals.get("id_number"):
            try:
                vals["id_number"] = identity.parse_resident_id(vals["id_number"]).number
            except ValueError as error:
                raise ValidationError(self.env._("Co-borrower: %s", lib_error_message(self.env, error))) from error
        if vals.get("mobile"):
            try:
                vals["mobile"] = identity.normalize_cn_mobile(vals["mobile"])
            except ValueError as error:
                raise ValidationError(self.env._("Co-borrower: %s", lib_error_message(self.env, error))) from error
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._normalize_vals(vals) for vals in vals_list])

    def write(self, vals):
        return super().write(self._normalize_vals(vals))

    @api.constrains("student_id")
    def _check_not_student(self):
        for coborrower in self.sudo():
            if coborrower.id_number and coborrower.id_number == coborrower.student_id.id_number:
                raise ValidationError(self.env._("A student cannot be their own co-borrower."))
