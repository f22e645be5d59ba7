import json
import logging

from odoo.http import Controller, request, route

from ..smslib import providers

_logger = logging.getLogger(__name__)


class StudentLoanSmsWebhook(Controller):
    """Delivery receipts and replies pushed by the providers.

    The URL carries the gateway's secret token (providers do not sign their pushes); the body is
    the provider's own JSON (a list of reports for Alibaba Cloud and Tencent Cloud), and the answer
    is the acknowledgement each provider expects.
    """

    def _gateway(self, gateway_id, token):
        gateway = request.env["student.loan.sms.gateway"].sudo().browse(gateway_id).exists()
        if not gateway or not gateway.active or not gateway._check_token(token):
            return None
        return gateway

    def _payload(self):
        raw = request.httprequest.get_data(as_text=True) or ""
        if not raw.strip():
            return None
        try:
            return json.loads(raw)
        except ValueError:
            return None

    def _answer(self, gateway, status=200, error=None):
        body = providers.ACKNOWLEDGEMENTS[gateway.provider] if gateway and not error else {"error": error}
        return request.make_json_response(body, status=status)

    @route(
        "/student_loan_sms/<int:gateway_id>/<string:token>/receipt",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def receipt(self, gateway_id, token, **_kwargs):
        def process(gateway, payload):
            count = gateway._process_receipts(payload)
            _logger.info("SMS gateway %s: %s delivery receipt(s) applied", gateway.name, count)

        return self._process_webhook(gateway_id, token, process)

    @route(
        "/student_loan_sms/<int:gateway_id>/<string:token>/inbound",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def inbound(self, gateway_id, token, **_kwargs):
        return self._process_webhook(gateway_id, token, lambda gateway, payload: gateway._process_inbound(payload))

    def _process_webhook(self, gateway_id, token, process):
        """Authenticate a provider's webhook by its token, parse the JSON body, ``process(gateway, payload)``."""
        gateway = self._gateway(gateway_id, token)
        if not gateway:
            return self._answer(None, 404, "unknown gateway")
        payload = self._payload()
        if payload is None:
            return self._answer(gateway, 400, "the body must be JSON")
        process(gateway, payload)
        return self._answer(gateway)
