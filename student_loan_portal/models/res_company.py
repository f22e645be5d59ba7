import base64

from odoo import api, models
from odoo.tools.misc import file_open

PLATFORM_LOGO = "student_loan_portal/static/src/img/platform_logo.png"


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model
    def _sl_portal_default_logo(self):
        """The platform's logo for the companies still showing Odoo's "Your logo" placeholder (the
        login page, the portal and the documents show it); a logo chosen by the centre is kept."""
        placeholder = self._get_logo()
        with file_open(PLATFORM_LOGO, "rb") as logo_file:
            logo = base64.b64encode(logo_file.read())
        companies = self.sudo().search([("active", "in", (True, False))])
        companies.filtered(lambda company: not company.logo or company.logo == placeholder).logo = logo
