import logging

from odoo import models
from odoo.exceptions import UserError

from odoo.addons.student_loan_sms.smslib import providers

_logger = logging.getLogger(__name__)


class StudentLoanPortalOtp(models.Model):
    """The portal's one-time codes go out at once through the aid centre's SMS gateway (the one of
    the centre, else of the nearest centre above it, else the first gateway), not through the
    campaign queue: no quiet hours, no retries; the student waits for it. The code is in the
    message only: never logged, never stored."""

    _inherit = "student.loan.portal.otp"

    def _sms_gateway(self):
        self.ensure_one()
        Gateway = self.env["student.loan.sms.gateway"].sudo()
        gateway = Gateway._get_for_centres(self.centre_id).get(self.centre_id.id) if self.centre_id else None
        return gateway or Gateway.search([("blocked", "=", False)], limit=1)

    def _send_code(self, code):
        self.ensure_one()
        gateway = self._sms_gateway()
        if not gateway:
            return super()._send_code(code)
        body = self._sms_text(code)
        template_code = gateway.otp_template_code or gateway.fallback_template_code or ""
        if gateway.otp_template_code:
            params = [(gateway.otp_param_name or "code", code)]
        elif template_code:
            params = [(gateway.fallback_param_name or "content", body)]
        else:
            params = []
        message = {
            "uuid": f"otp-{self.id}",
            "number": self.mobile,
            "body": body,
            "template_code": template_code,
            "params": params,
        }
        results = gateway._send_messages([message])
        if not results or results[0].status != providers.SENT:
            result = results[0] if results else None
            _logger.warning(
                "One-time code %s not sent by gateway %s: %s",
                self.id,
                gateway.name,
                result and result.code,
            )
            if result and result.status == providers.GATEWAY:
                gateway._block(result.code, result.message)
            raise UserError(self.env._("The text message could not be sent. Try again in a few minutes."))
        return True
