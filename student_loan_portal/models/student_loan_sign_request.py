import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import consteq

DEFAULT_LINK_DAYS = 7


class StudentLoanSignRequest(models.Model):
    """The link a student sends to the co-borrower to sign the contract on their own phone.

    The link opens only the signing page of that contract. It needs a code sent by SMS to the
    co-borrower's mobile on record, accepts only a hand-drawn signature, and is good for one
    signature within ``student_loan_portal.sign_link_days`` days (7 by default): after the signing,
    the expiry, a new link, or any change of the contract or the co-borrower it refuses everything.
    """

    _name = "student.loan.sign.request"
    _description = "Co-borrower Signing Link"
    _order = "id desc"

    contract_id = fields.Many2one("student.loan.contract", required=True, ondelete="cascade", index=True)
    application_id = fields.Many2one(related="contract_id.application_id")
    coborrower_id = fields.Many2one("student.loan.coborrower", required=True, ondelete="cascade")
    mobile = fields.Char(required=True, help="The co-borrower's mobile on record when the link was made.")
    token = fields.Char(
        required=True, copy=False, default=lambda self: secrets.token_urlsafe(24), groups="base.group_system"
    )
    expires_at = fields.Datetime(required=True)
    state = fields.Selection(
        [("pending", "Waiting for the signature"), ("signed", "Signed"), ("cancelled", "Replaced or cancelled")],
        default="pending",
        required=True,
    )
    signed_at = fields.Datetime(readonly=True)

    @api.model
    def _link_days(self):
        value = self.env["ir.config_parameter"].sudo().get_param("student_loan_portal.sign_link_days")
        try:
            return max(1, int(value)) if value else DEFAULT_LINK_DAYS
        except ValueError:
            return DEFAULT_LINK_DAYS

    @api.model
    def _portal_create_for(self, application):
        """A new link for the co-borrower of ``application`` (call with sudo); older links stop working."""
        contract = application.contract_id
        self.search([("contract_id", "=", contract.id), ("state", "=", "pending")]).state = "cancelled"
        return self.create(
            {
                "contract_id": contract.id,
                "coborrower_id": application.coborrower_id.id,
                "mobile": application.coborrower_id.mobile,
                "expires_at": fields.Datetime.now() + timedelta(days=self._link_days()),
            }
        )

    @api.model
    def _portal_find(self, request_id, token):
        """The link (sudo) when ``token`` is its token, else an empty recordset."""
        link = self.sudo().browse(request_id).exists()
        if link and token and consteq(link.token, str(token)):
            return link
        return self.browse()

    def _portal_url(self):
        self.ensure_one()
        return f"/loan/cosign/{self.id}/{self.sudo().token}"

    def _portal_usable(self):
        """Whether the link may still sign: waiting, not expired, and the contract and co-borrower
        are still the ones it was made for."""
        self.ensure_one()
        contract = self.contract_id
        application = contract.application_id
        return (
            self.state == "pending"
            and self.expires_at > fields.Datetime.now()
            and contract.state == "draft"
            and not contract.coborrower_signature
            and bool(application)
            and application._portal_can_edit()
            and application.contract_id == contract
            and contract.coborrower_id == self.coborrower_id
            and application.coborrower_id == self.coborrower_id
            and self.coborrower_id.mobile == self.mobile
        )

    def _portal_masked_mobile(self):
        self.ensure_one()
        mobile = self.mobile or ""
        return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) >= 7 else "****"
