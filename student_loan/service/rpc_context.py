"""XML-RPC and JSON-RPC (``/xmlrpc/2/object``, ``/jsonrpc``) answer in the user's language.

The web client always sends the user's ``lang`` and ``tz`` in the context; an external client
(a bank's batch job, a county's script) often sends none, and Odoo then runs the call with an empty
context: every message, error included, comes back in English. Here a call whose context names no
language gets the user's own ``lang``/``tz`` (``res.users.context_get()``, cached), in databases
where ``student_loan`` is installed. A context that names a language is left as it is.

Installed when ``odoo.addons.student_loan`` is imported, once per server process.
"""

import functools

from odoo import api
from odoo.service import model as model_service

MODULE = "student_loan"


def _with_user_context(cr, uid, kw):
    env = api.Environment(cr, uid, {})
    if MODULE not in env.registry._init_modules:
        return kw
    context = kw.get("context") or {}
    if not isinstance(context, dict) or context.get("lang"):
        return kw
    user_context = env["res.users"].context_get()
    extra = {key: user_context[key] for key in ("lang", "tz") if user_context.get(key) and key not in context}
    if not extra:
        return kw
    return {**kw, "context": {**context, **extra}}


def patch():
    """Wrap ``odoo.service.model.execute_cr`` (idempotent)."""
    original = model_service.execute_cr
    if getattr(original, "_student_loan_user_context", False):
        return

    @functools.wraps(original)
    def execute_cr(cr, uid, obj, method, *args, **kw):
        return original(cr, uid, obj, method, *args, **_with_user_context(cr, uid, kw))

    execute_cr._student_loan_user_context = True
    model_service.execute_cr = execute_cr
