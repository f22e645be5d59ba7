"""queue_job's test helpers (``trap_jobs``) for the project's tests.

The pinned queue_job (18.0.4.x) registers its method patcher in ``odoo.tests.common.SETATTR_SOURCES``,
which Odoo 18.0 source trees older than that registry (e.g. the 2025-08 tree of these machines) do not
have: importing queue_job's helpers then fails. An empty registry is all the helpers need."""

from odoo.tests import common as odoo_test_common

if not hasattr(odoo_test_common, "SETATTR_SOURCES"):
    odoo_test_common.SETATTR_SOURCES = {}

from odoo.addons.queue_job.tests.common import JobsTrap, trap_jobs  # noqa: E402

__all__ = ["JobsTrap", "trap_jobs"]
