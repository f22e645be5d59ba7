from odoo import models
from odoo.osv import expression


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _get_translation_frontend_modules_name(cls):
        """The portal pages (frontend) load the JS translations of these modules only ("web" by
        default): the chatter's ("The conversation is empty.") and the portal's come too."""
        return super()._get_translation_frontend_modules_name() + ["mail", "portal"]

    @classmethod
    def _get_translation_frontend_modules_domain(cls):
        """... and those of every project addon (the portal's "Choose…" placeholders)."""
        return expression.OR([super()._get_translation_frontend_modules_domain(), [("name", "=like", "student_loan%")]])
