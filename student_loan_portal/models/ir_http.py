from werkzeug.exceptions import NotFound

from odoo import models
from odoo.exceptions import UserError
from odoo.http import SessionExpiredException, request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _handle_error(cls, exception):
        """JSON-RPC errors for portal users and anonymous visitors: the kind of error and, for the
        errors meant for users (``UserError`` and its subclasses), their message; never the server's
        traceback, file paths or the arguments of other exceptions. Internal users keep Odoo's
        answer (the web client shows the details to them)."""
        response = super()._handle_error(exception)
        dispatcher = getattr(request, "dispatcher", None)
        if getattr(dispatcher, "routing_type", None) != "json" or cls._sl_is_internal_request():
            return response
        return dispatcher._response(error=cls._sl_public_error(exception))

    @classmethod
    def _sl_is_internal_request(cls):
        """Whether the request comes from a logged-in internal user (any doubt: no)."""
        try:
            uid = request.session.uid
            return bool(uid) and request.env(user=uid)["res.users"].browse(uid)._is_internal()
        except Exception:  # noqa: BLE001 (a broken environment must not reveal more)
            return False

    @classmethod
    def _sl_public_error(cls, exception):
        name = f"{type(exception).__module__}.{type(exception).__name__}"
        if isinstance(exception, UserError):
            message = exception.args[0] if exception.args else ""
        else:
            name = "odoo.exceptions.ServerError"
            message = request.env._("The server could not complete the request. Try again later.")
        error = {"code": 200, "message": "Odoo Server Error"}
        if isinstance(exception, NotFound):
            error.update(code=404, message="404: Not Found")
        elif isinstance(exception, SessionExpiredException):
            error.update(code=100, message="Odoo Session Expired")
            name = f"{type(exception).__module__}.{type(exception).__name__}"
        error["data"] = {"name": name, "message": message, "arguments": [message], "context": {}, "debug": ""}
        return error
