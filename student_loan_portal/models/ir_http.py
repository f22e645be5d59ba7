import logging

from werkzeug.exceptions import NotFound

from odoo import models
from odoo.exceptions import MissingError, UserError
from odoo.http import JsonRPCDispatcher, SessionExpiredException, request
from odoo.tools.translate import code_translations

_logger = logging.getLogger(__name__)

SESSION_INTERNAL = "sl_internal_user"
SERVER_ERROR = "The server could not complete the request. Try again later."
SESSION_EXPIRED = "Your session expired: log in again."


def _public_error(exception, translate):
    """The JSON-RPC ``error`` member without server details: the kind of error and, for errors meant
    for users (``UserError`` and subclasses), their message; nothing else."""
    name = f"{type(exception).__module__}.{type(exception).__name__}"
    if isinstance(exception, UserError):
        message = exception.args[0] if exception.args else ""
    elif isinstance(exception, SessionExpiredException):
        message = translate(SESSION_EXPIRED)
    else:
        name = "odoo.exceptions.ServerError"
        message = translate(SERVER_ERROR)
    error = {"code": 200, "message": "Odoo Server Error"}
    if isinstance(exception, NotFound):
        error.update(code=404, message="404: Not Found")
    elif isinstance(exception, SessionExpiredException):
        error.update(code=100, message="Odoo Session Expired")
    error["data"] = {"name": name, "message": str(message), "arguments": [str(message)], "context": {}, "debug": ""}
    return error


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _sl_internal_session(cls):
        """Whether the session is an internal user's (routes with ``auth="none"`` have no env user)."""
        uid = request.session.uid
        if not uid:
            return False
        user = request.env.user if request.env.uid == uid else request.env["res.users"].sudo().browse(uid)
        try:
            return not user.sudo().share  # read with the user's other fields (the request loads them anyway)
        except MissingError:
            return False

    @classmethod
    def _pre_dispatch(cls, rule, args):
        super()._pre_dispatch(rule, args)
        # remembered for the errors raised before a transaction (see _handle_error_without_details)
        internal = cls._sl_internal_session()
        if request.session.get(SESSION_INTERNAL, False) != internal:
            request.session[SESSION_INTERNAL] = internal

    @classmethod
    def _handle_error(cls, exception):
        """JSON-RPC errors for portal users and anonymous visitors carry no traceback, file path or
        arguments of unexpected exceptions; internal users keep Odoo's answer (the web client shows
        the details to them)."""
        response = super()._handle_error(exception)
        dispatcher = request.dispatcher
        if getattr(dispatcher, "routing_type", None) != "json":
            return response
        if cls._sl_internal_session():
            return response
        return dispatcher._response(error=_public_error(exception, request.env._))


# Errors raised before a database transaction (an unknown model, a malformed request...) reach the
# JSON-RPC dispatcher directly, not ir.http: the same rule applies to them, in the databases where
# this addon is installed.
_json_handle_error = JsonRPCDispatcher.handle_error


def _handle_error_without_details(self, exc):
    try:
        registry = getattr(self.request, "registry", None)
        installed = registry is not None and "student.loan.portal.otp" in registry
        session = self.request.session
        if installed and not session.get(SESSION_INTERNAL):
            lang = (session.context or {}).get("lang") or "en_US"
            translations = code_translations.get_python_translations("student_loan_portal", lang)
            return self._response(error=_public_error(exc, lambda text: translations.get(text) or text))
    except Exception:  # noqa: BLE001 (whatever fails here, the caller still gets an error answer)
        _logger.exception("Could not build the public JSON-RPC error answer")
    return _json_handle_error(self, exc)


if not getattr(JsonRPCDispatcher.handle_error, "_sl_public", False):
    _handle_error_without_details._sl_public = True
    JsonRPCDispatcher.handle_error = _handle_error_without_details
