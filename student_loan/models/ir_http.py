import threading

from odoo import api, models, tools
from odoo.http import request
from odoo.tools import config

CURSOR_HEADER = "X-Odoo-Cursor-Mode"


class IrHttp(models.AbstractModel):
    """Says which database connection served a request, for the read-replica set-up.

    Odoo 18 opens read-only routes (``readonly=True``, and ``call_kw`` of reading methods) on the
    replica given by ``db_replica_host``/``db_replica_port``; a read-only route that writes is
    retried on the primary. With ``student_loan_cursor_header = True`` in the server's
    configuration (and always under tests), each answer carries ``X-Odoo-Cursor-Mode``: ``ro``
    (served by the replica), ``ro->rw`` (tried on the replica, wrote, served by the primary) or
    ``rw`` (primary), so a deployment can check its routing from the proxy's logs.
    """

    _inherit = "ir.http"

    @classmethod
    def _post_dispatch(cls, response):
        super()._post_dispatch(response)
        if config.get("student_loan_cursor_header") or (request and request.registry.in_test_mode()):
            mode = getattr(threading.current_thread(), "cursor_mode", None)
            if mode:
                response.headers[CURSOR_HEADER] = mode

    @classmethod
    def _get_translation_frontend_modules_name(cls):
        """The portal pages (frontend) load the JS translations of these modules only ("web" by
        default): the chatter's ("The conversation is empty.") and the portal's come too."""
        return super()._get_translation_frontend_modules_name() + ["mail", "portal"]

    @classmethod
    def _get_default_lang(cls):
        """http_routing's default language of frontend pages, with the partners' default language read
        once per registry instead of two queries on every portal page (any change to ``ir.default`` clears
        the registry's caches)."""
        lang_code = request.env["ir.http"]._sl_default_partner_lang()
        if lang_code:
            return request.env["res.lang"]._get_data(code=lang_code)
        return super()._get_default_lang()

    @api.model
    @tools.ormcache()
    def _sl_default_partner_lang(self):
        return self.env["ir.default"].sudo()._get("res.partner", "lang")

    @api.model
    def get_translation_frontend_modules(self):
        """... and those of every installed project addon (the portal's "Choose…" placeholders)."""
        return super().get_translation_frontend_modules() + list(self._sl_frontend_modules())

    @api.model
    @tools.ormcache()
    def _sl_frontend_modules(self):
        """The installed project addons: read once per registry (every portal page asks; installing or
        removing an addon resets the registry and its caches)."""
        modules = (
            self.env["ir.module.module"]
            .sudo()
            .search_fetch([("state", "=", "installed"), ("name", "=like", "student\\_loan%")], ["name"], order="name")
        )
        return tuple(modules.mapped("name"))
