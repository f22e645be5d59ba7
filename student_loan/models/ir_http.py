import threading

from odoo import models
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
