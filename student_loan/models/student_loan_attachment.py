import base64
import binascii

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.mimetypes import guess_mimetype

from ..loanlib import filecheck, legibility
from .lib_errors import lib_error_message

ALLOWED_MIMETYPES = ("image/jpeg", "image/png", "application/pdf")
MAX_SIZE = 10 * 1024 * 1024


class StudentLoanAttachment(models.Model):
    """A typed attachment of an application: ID-card copies, admission notice, contract pages."""

    _name = "student.loan.attachment"
    _description = "Application Attachment"
    _order = "application_id, type_id, id"

    application_id = fields.Many2one("student.loan.application", required=True, ondelete="cascade", index=True)
    centre_id = fields.Many2one(related="application_id.centre_id", store=True, index=True)
    type_id = fields.Many2one("student.loan.attachment.type", required=True)
    file = fields.Binary(required=True, attachment=True)
    file_name = fields.Char()
    mimetype = fields.Char(readonly=True)
    file_size = fields.Integer(readonly=True)
    legible = fields.Boolean(
        default=True, help="Cleared by the handler when the image is unreadable or belongs to another case."
    )
    note = fields.Char()
    legibility = fields.Selection(
        [
            ("ok", "Legible"),
            ("too_small", "Too Small"),
            ("blurred", "Blurred"),
            ("unreadable", "Unreadable"),
            ("too_large", "Too Large"),
            ("page", "PDF"),
        ],
        string="Legibility Check",
        readonly=True,
        help="The automatic check of a photo when it was uploaded: large enough and not blurred (PDF files are "
        "not checked). The handler still confirms with 'Legible'.",
    )
    legibility_note = fields.Char(string="Legibility", compute="_compute_legibility_note")
    image_width = fields.Integer(readonly=True)
    image_height = fields.Integer(readonly=True)
    image_sharpness = fields.Float(readonly=True)

    @api.depends("type_id", "file_name")
    def _compute_display_name(self):
        for attachment in self:
            attachment.display_name = " - ".join(filter(None, [attachment.type_id.name, attachment.file_name]))

    @api.depends("legibility", "legible")
    @api.depends_context("lang")
    def _compute_legibility_note(self):
        for attachment in self:
            attachment.legibility_note = attachment._legibility_message()

    def _legibility_message(self):
        self.ensure_one()
        code = self.legibility
        if code == "ok":
            return self.env._("Legible (%(width)s×%(height)s)", width=self.image_width, height=self.image_height)
        if code == "too_small":
            return self.env._(
                "Too small to read (%(width)s×%(height)s pixels; at least %(min_w)s×%(min_h)s): scan it again.",
                width=self.image_width,
                height=self.image_height,
                min_w=legibility.MIN_WIDTH,
                min_h=legibility.MIN_HEIGHT,
            )
        if code == "blurred":
            return self.env._(
                "Blurred (sharpness %(value)s, at least %(min)s): scan it again.",
                value=round(self.image_sharpness),
                min=round(legibility.MIN_SHARPNESS),
            )
        if code in ("unreadable", "too_large"):
            return self.env._("The image cannot be read: scan it again.")
        if code == "page":
            return self.env._("PDF: look at it in the preview.")
        return False

    @api.model
    def _check_legibility(self, raw, mimetype):
        """The automatic legibility check of a photo (``loanlib.legibility``), as stored values."""
        if mimetype == "application/pdf":
            return {"legibility": "page", "image_width": 0, "image_height": 0, "image_sharpness": 0.0}
        result = legibility.check_image(raw)
        return {
            "legibility": result.code,
            "image_width": result.width,
            "image_height": result.height,
            "image_sharpness": result.sharpness,
        }

    @api.model
    def _check_file(self, data):
        """Validate base64 file content: type by its bytes (not its name) and size."""
        try:
            raw = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError) as error:
            raise ValidationError(self.env._("The file could not be read.")) from error
        if not raw:
            raise ValidationError(self.env._("The file is empty."))
        if len(raw) > MAX_SIZE:
            raise ValidationError(
                self.env._(
                    "The file is %(size)s MB; at most %(max)s MB is accepted.",
                    size=round(len(raw) / 1024 / 1024, 1),
                    max=MAX_SIZE // 1024 // 1024,
                )
            )
        mimetype = guess_mimetype(raw)
        if mimetype not in ALLOWED_MIMETYPES:
            raise ValidationError(self.env._("Only JPEG, PNG or PDF files are accepted (this file is %s).", mimetype))
        try:
            if mimetype == "application/pdf":
                filecheck.check_pdf(raw)
            else:
                filecheck.check_image(raw)
        except ValueError as error:
            raise ValidationError(lib_error_message(self.env, error)) from error
        return {"mimetype": mimetype, "file_size": len(raw), **self._check_legibility(raw, mimetype)}

    def _check_application_editable(self, applications):
        """Attachments are evidence of what was checked: frozen once the application left the editable states."""
        if self.env.su:
            return
        locked = applications.filtered(lambda app: app.state not in app.EDITABLE_STATES)
        if locked:
            raise UserError(
                self.env._("The attachments of %s cannot change now: it is under review or decided.", locked[0].name)
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_application_editable(
            self.env["student.loan.application"].browse(
                {vals.get("application_id") for vals in vals_list} - {None, False}
            )
        )
        vals_list = [self._without_derived(vals) for vals in vals_list]
        for vals in vals_list:
            # an attachment without a file would count towards the 2+2 / 1+1 rule
            vals.update(self._check_file(vals.get("file") or b""))
        return super().create(vals_list)

    def write(self, vals):
        applications = self.application_id
        if vals.get("application_id"):
            applications |= self.env["student.loan.application"].browse(vals["application_id"])
        self._check_application_editable(applications)
        vals = self._without_derived(vals)
        if "file" in vals:
            vals = dict(vals, **self._check_file(vals["file"] or b""))
        return super().write(vals)

    @api.model
    def _without_derived(self, vals):
        """The type and size always come from the file's bytes, never from what a client sends."""
        derived = ("mimetype", "file_size", "legibility", "image_width", "image_height", "image_sharpness")
        return {key: value for key, value in vals.items() if key not in derived}

    @api.ondelete(at_uninstall=False)
    def _unlink_except_reviewed(self):
        self._check_application_editable(self.application_id)
