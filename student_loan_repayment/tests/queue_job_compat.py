"""queue_job's test helpers (``trap_jobs``) on this Odoo 18.0 tree.

queue_job 18.0.4.x registers its method patcher in ``odoo.tests.common.SETATTR_SOURCES``, a table of
later 18.0 trees (it only silences a warning about patched methods); this tree has none, so the
import of ``odoo.addons.queue_job.tests.common`` fails. An empty table lets it load unchanged.
"""

from odoo.tests import common as odoo_test_common

if not hasattr(odoo_test_common, "SETATTR_SOURCES"):
    odoo_test_common.SETATTR_SOURCES = {}

from odoo.addons.queue_job.tests.common import trap_jobs  # noqa: E402

__all__ = ["trap_jobs"]
