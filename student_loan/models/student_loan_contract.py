import base64
import datetime
import json
import secrets

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..loanlib import handwriting
from ..loanlib import policy as policy_math
from .student_loan_application import LOAN_KINDS

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class StudentLoanContract(models.Model):
    """The loan contract of one academic year (first-loan contract or renewal contract)."""

    _name = "student.loan.contract"
    _description = "Loan Contract"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "academic_year desc, name desc"

    STATES = [
        ("draft", "Printed"),
        ("signed", "Signed"),
        ("approved", "Approved"),
        ("active", "Disbursed"),
        ("closed", "Closed"),
        ("cancelled", "Cancelled"),
    ]

    # Set only by the workflow (signing, approval, disbursement) and from the application: a direct write,
    # e.g. by JSON-RPC, would change what was approved or paid.
    WORKFLOW_FIELDS = frozenset({"state", "signing_date", "receipt_code", "disbursement_date"})
    TERM_FIELDS = frozenset(
        {
            "application_id",
            "student_id",
            "coborrower_id",
            "centre_id",
            "academic_year",
            "loan_kind",
            "amount",
            "rate",
            "term_years",
            "start_date",
            "graduation_date",
            "maturity_date",
        }
    )
    SIGNATURE_FIELDS = frozenset(
        {"signature", "coborrower_signature", "signed_by_proxy", "signature_strokes", "coborrower_signature_strokes"}
    )
    # signature image field -> the strokes it is drawn from (hand-drawn only, see _prepare_signature_vals)
    DRAWN_SIGNATURES = {"signature": "signature_strokes", "coborrower_signature": "coborrower_signature_strokes"}

    name = fields.Char(string="Contract Number", readonly=True, copy=False, index=True)
    state = fields.Selection(STATES, default="draft", required=True, tracking=True, index=True, copy=False)
    application_id = fields.Many2one("student.loan.application", readonly=True, index=True, ondelete="restrict")
    review_next_step = fields.Char(
        related="application_id.review_next_step", string="Next Step", help="What must happen next, and who does it."
    )
    student_id = fields.Many2one("student.loan.student", required=True, readonly=True, index=True, ondelete="restrict")
    coborrower_id = fields.Many2one("student.loan.coborrower", string="Co-borrower", tracking=True)
    centre_id = fields.Many2one("student.loan.centre", string="Aid Centre", required=True, index=True)
    academic_year = fields.Integer(required=True, index=True)
    loan_kind = fields.Selection(LOAN_KINDS, string="Kind", required=True, index=True)
    policy_id = fields.Many2one("student.loan.policy", compute="_compute_policy_id", store=True)
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.ref("base.CNY"), required=True)
    amount = fields.Monetary(required=True, tracking=True)
    rate = fields.Float(string="Rate (%)", digits=(6, 4), readonly=True, tracking=True)
    term_years = fields.Integer(string="Term (years)", readonly=True, tracking=True)
    start_date = fields.Date(string="Contract Date", readonly=True, tracking=True)
    graduation_date = fields.Date(readonly=True, tracking=True)
    maturity_date = fields.Date(readonly=True, tracking=True)
    signature = fields.Binary(string="Student Signature", copy=False, attachment=True)
    coborrower_signature = fields.Binary(string="Co-borrower Signature", copy=False, attachment=True)
    signature_strokes = fields.Text(
        string="Student Signature Strokes",
        copy=False,
        help="Evidence of the hand-drawn signature: the pen strokes with their timing, and where it was signed.",
    )
    coborrower_signature_strokes = fields.Text(string="Co-borrower Signature Strokes", copy=False)
    signed_by_proxy = fields.Boolean(
        string="Signed by Proxy",
        tracking=True,
        help="Someone signed for the student with the proxy-signature format (代签).",
    )
    signing_date = fields.Date(readonly=True, copy=False, tracking=True)
    receipt_code = fields.Char(
        readonly=True,
        copy=False,
        index=True,
        help="回执校验码: the university confirms the enrolment with it, then the bank pays.",
    )
    disbursement_date = fields.Date(readonly=True, copy=False, tracking=True)

    _sql_constraints = [
        ("name_unique", "unique(name)", "The contract number must be unique."),
        ("amount_positive", "check(amount > 0)", "The contract amount must be positive."),
    ]

    @api.depends("academic_year")
    def _compute_policy_id(self):
        by_year = self.env["student.loan.policy"]._get_by_year(self.mapped("academic_year"))
        for contract in self:
            contract.policy_id = by_year.get(contract.academic_year, False)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._prepare_signature_vals(vals)
            forced = [name for name in self.WORKFLOW_FIELDS & set(vals) if vals[name] and vals[name] != "draft"]
            if forced and not self.env.su:
                raise AccessError(
                    self.env._("A new contract starts unsigned (%s set by the workflow).", ", ".join(forced))
                )
            if not vals.get("name"):
                centre = self.env["student.loan.centre"].browse(vals["centre_id"])
                vals["name"] = self._next_number(centre, vals["academic_year"])
        contracts = super().create(vals_list)
        contracts._compute_terms()
        return contracts

    def write(self, vals):
        if not self.env.su:
            self.check_access("write")  # who may not write at all gets the access error first
            protected = sorted((self.WORKFLOW_FIELDS | self.TERM_FIELDS) & set(vals))
            if protected:
                raise AccessError(
                    self.env._(
                        "%s of a contract come from the application and the workflow: they cannot be edited.",
                        ", ".join(protected),
                    )
                )
            signed = self.filtered(lambda contract: contract.state != "draft")
            if signed and self.SIGNATURE_FIELDS & set(vals):
                raise UserError(self.env._("%s is already signed: its signatures cannot change.", signed[0].name))
        self._prepare_signature_vals(vals)
        return super().write(vals)

    @api.model
    def _prepare_signature_vals(self, vals):
        """Signatures are hand-drawn: the image is drawn on the server from the pad's strokes
        (``<field>_strokes``: ``{"width", "height", "strokes"}``); a typed ("自动"), automatic or imported
        image without strokes is refused. Only the system itself (superuser: demo data, workflow
        clean-ups) writes an image directly."""
        for image_field, strokes_field in self.DRAWN_SIGNATURES.items():
            strokes = vals.get(strokes_field)
            if strokes:
                image, evidence = self._signature_from_strokes(strokes)
                vals.update({image_field: image, strokes_field: evidence})
            elif vals.get(image_field) and not self.env.su:
                raise ValidationError(
                    self.env._(
                        "A signature must be written by hand in the signature box: typed, automatic or "
                        "imported signatures are refused."
                    )
                )
            elif image_field in vals and not vals[image_field]:
                vals[strokes_field] = False

    @api.model
    def _signature_from_strokes(self, data):
        """(base64 PNG, evidence JSON) of a drawing sent by a signature pad.

        ``data``: ``{"mode", "width", "height", "strokes"}`` or its JSON text, optionally with
        ``"evidence"``: a dict of facts kept with the strokes (signer, IP address, signing link).
        :raise ValidationError: when it is not a hand drawing of a name
        """
        try:
            if isinstance(data, str):
                data = json.loads(data)
            if not isinstance(data, dict):
                raise handwriting.SignatureRefused("invalid")
            extra = data.get("evidence") if isinstance(data.get("evidence"), dict) else {}
            if data.get("mode", "draw") != "draw":
                raise handwriting.SignatureRefused("not_drawn")
            width, height = data.get("width"), data.get("height")
            strokes = handwriting.parse_strokes(data.get("strokes"), width, height)
        except handwriting.SignatureRefused as refusal:
            raise ValidationError(
                {
                    "empty": self.env._("Sign in the box first: write the full name by hand."),
                    "too_short": self.env._(
                        "The signature is too short: write the full name by hand, as in the sample."
                    ),
                    "not_drawn": self.env._(
                        "Only a signature written by hand in the box is accepted: no typed, automatic or imported "
                        "signature."
                    ),
                }.get(refusal.code, self.env._("The signature could not be read: sign again."))
            ) from refusal
        except ValueError as error:
            raise ValidationError(self.env._("The signature could not be read: sign again.")) from error
        image = handwriting.render_png(strokes, width, height)
        signed_at = fields.Datetime.to_string(fields.Datetime.now())
        extra = {str(key): value for key, value in extra.items() if key not in ("width", "height", "strokes")}
        extra.update(signed_at=signed_at, uid=self.env.uid)
        evidence = handwriting.evidence(strokes, width, height, **extra)
        return base64.b64encode(image), evidence

    def _write_workflow(self, vals):
        """Write the workflow and term fields for the workflow methods, with the user's access."""
        self.check_access("write")
        return self.sudo().write(vals)

    @api.model
    def _next_number(self, centre, academic_year):
        """Contract number per centre and academic year: ``<region code>-<year>-<000001>``."""
        code = f"student.loan.contract.{centre.code}"
        sequence = self.env["ir.sequence"].sudo().search([("code", "=", code)], limit=1)
        if not sequence:
            sequence = (
                self.env["ir.sequence"]
                .sudo()
                .create(
                    {
                        "name": f"Loan contracts {centre.name}",
                        "code": code,
                        "prefix": f"{centre.code}-%(range_year)s-",
                        "padding": 6,
                        "use_date_range": True,
                    }
                )
            )
        return sequence.next_by_id(sequence_date=datetime.date(academic_year, 9, 1))

    def _compute_terms(self):
        """Rate, term and maturity from the contract year's policy and the student's studies."""
        for contract in self:
            policy = contract.policy_id
            application = contract.application_id
            if not policy or not application:
                continue
            remaining = policy_math.remaining_study_years(
                application.enrolment_year, application.study_years, contract.academic_year
            )
            term = policy_math.term_years(remaining, policy.term_extra_years, policy.term_max_years)
            start = contract.start_date or fields.Date.context_today(contract)
            contract._write_workflow(
                {
                    "rate": policy.contract_rate,
                    "term_years": term,
                    "start_date": start,
                    "graduation_date": policy_math.graduation_date(application.enrolment_year, application.study_years),
                    "maturity_date": policy_math.maturity_date(start, term),
                }
            )

    def _update_from_application(self):
        for contract in self:
            if contract.state not in ("draft", "signed"):
                continue
            application = contract.application_id
            vals = {"amount": application.approved_amount, "coborrower_id": application.coborrower_id.id}
            if contract.amount != application.approved_amount or contract.coborrower_id != application.coborrower_id:
                vals.update(state="draft", signature=False, coborrower_signature=False, signing_date=False)
                contract._write_workflow(vals)
                contract.message_post(
                    body=self.env._("Contract updated from the application: it must be signed again.")
                )
            contract._compute_terms()

    def _get_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
        }

    def action_sign(self):
        """Record the signing (合同签订): both signatures are needed."""
        for contract in self:
            if contract.state != "draft":
                raise UserError(self.env._("%s is not waiting for signatures.", contract.name))
            if not contract.signature or not contract.coborrower_signature:
                raise UserError(
                    self.env._("%s needs the signatures of the student and of the co-borrower.", contract.name)
                )
        self._write_workflow({"state": "signed", "signing_date": fields.Date.context_today(self)})
        return True

    def _on_application_approved(self):
        """Approval (同意): the student gets the acceptance certificate and the receipt code."""
        for contract in self:
            code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(8))
            contract._write_workflow({"state": "approved", "receipt_code": code})

    def _on_bank_confirmed(self):
        self._write_workflow({"state": "active", "disbursement_date": fields.Date.context_today(self)})

    def _on_application_returned(self, level):
        """A return by the supervisor sends the contract back to signing; the bank's keeps it."""
        if level in ("supervisor", "handler"):
            self.filtered(lambda contract: contract.state == "approved")._write_workflow(
                {"state": "signed", "receipt_code": False}
            )

    def action_cancel(self):
        for contract in self:
            if contract.state in ("active", "closed"):
                raise UserError(self.env._("%s is disbursed: it cannot be cancelled.", contract.name))
        self._write_workflow({"state": "cancelled"})
        return True
