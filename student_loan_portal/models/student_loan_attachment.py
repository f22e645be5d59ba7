import base64

from odoo import api, models
from odoo.exceptions import ValidationError
from odoo.tools.mimetypes import guess_mimetype

from odoo.addons.student_loan.loanlib import legibility
from odoo.addons.student_loan.models.student_loan_attachment import ALLOWED_MIMETYPES, MAX_SIZE

IMAGE_MIMETYPES = ("image/jpeg", "image/png")


def human_size(size):
    """``2.5 MB`` or ``300 KB``."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


class StudentLoanAttachment(models.Model):
    _inherit = "student.loan.attachment"

    @api.model
    def _portal_limits(self):
        """Upload limits, adjustable with system parameters ``student_loan_portal.*``."""
        params = self.env["ir.config_parameter"].sudo()

        def number(key, default, kind=int):
            try:
                return kind(params.get_param(f"student_loan_portal.{key}", default))
            except (TypeError, ValueError):
                return default

        max_mb = number("max_upload_mb", MAX_SIZE / 1024 / 1024, float)
        return {
            "max_bytes": min(int(max_mb * 1024 * 1024), MAX_SIZE),
            "min_width": number("min_image_width", legibility.MIN_WIDTH),
            "min_height": number("min_image_height", legibility.MIN_HEIGHT),
            "min_sharpness": number("min_image_sharpness", legibility.MIN_SHARPNESS, float),
        }

    @api.model
    def _portal_check_upload(self, raw):
        """Check an uploaded file (bytes) before it is stored; raise ValidationError with the reason.

        Type by content (JPEG, PNG, PDF), size, and for photos a legibility check: large enough
        and not blurred. Returns the mimetype.
        """
        limits = self._portal_limits()
        if not raw:
            raise ValidationError(self.env._("Choose a file to upload."))
        if len(raw) > limits["max_bytes"]:
            raise ValidationError(
                self.env._(
                    "The file is too large: at most %s is accepted. Take the photo again at a lower "
                    "resolution or compress it.",
                    human_size(limits["max_bytes"]),
                )
            )
        mimetype = guess_mimetype(raw)
        if mimetype not in ALLOWED_MIMETYPES:
            raise ValidationError(
                self.env._(
                    "Only photos (JPEG, PNG) or PDF files are accepted, and this file is neither. Take a photo of "
                    "the document, or save it as PDF."
                )
            )
        if mimetype in IMAGE_MIMETYPES:
            result = legibility.check_image(raw, limits["min_width"], limits["min_height"], limits["min_sharpness"])
            if not result.ok:
                raise ValidationError(self._portal_legibility_message(result, limits))
        return mimetype

    @api.model
    def _portal_legibility_message(self, result, limits):
        if result.code == "too_small":
            return self.env._(
                "The photo is too small to read (%(width)s×%(height)s pixels; at least %(min_w)s×%(min_h)s "
                "are needed). Take the photo again closer, in full resolution, not a screenshot or thumbnail.",
                width=result.width,
                height=result.height,
                min_w=limits["min_width"],
                min_h=limits["min_height"],
            )
        if result.code == "blurred":
            return self.env._(
                "The photo is too blurred to read (sharpness %(value)s, at least %(min)s needed). Hold the "
                "phone still, in good light, focus on the document and take it again.",
                value=round(result.sharpness),
                min=round(limits["min_sharpness"]),
            )
        if result.code == "too_large":
            return self.env._("The image has too many pixels to be processed: take it at a lower resolution.")
        return self.env._("The image could not be read: it may be damaged. Take the photo again.")

    @api.model
    def _portal_create(self, application, type_id, raw, file_name):
        """Store an upload of the student on ``application`` (sudo), after the checks."""
        attachment_type = self.env["student.loan.attachment.type"].browse(type_id).exists()
        if not attachment_type or not attachment_type.active:
            raise ValidationError(self.env._("Choose what the file is (the type of document)."))
        self._portal_check_upload(raw)
        return self.create(
            {
                "application_id": application.id,
                "type_id": attachment_type.id,
                "file": base64.b64encode(raw),
                "file_name": (file_name or "").rsplit("/", 1)[-1][:120] or attachment_type.name,
            }
        )
