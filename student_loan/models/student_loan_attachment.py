import base64
import binascii

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.mimetypes import guess_mimetype

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

    @api.depends("type_id", "file_name")
    def _compute_display_name(self):
        for attachment in self:
            attachment.display_name = " - ".join(filter(None, [attachment.type_id.name, attachment.file_name]))

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
        return {"mimetype": mimetype, "file_size": len(raw)}

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("file"):
                vals.update(self._check_file(vals["file"]))
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("file"):
            vals = dict(vals, **self._check_file(vals["file"]))
        return super().write(vals)
