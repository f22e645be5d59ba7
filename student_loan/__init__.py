from . import models, report, service, wizard

# Server-wide and idempotent: RPC calls without a language answer in the user's language, in the
# databases where this addon is installed (service/rpc_context.py). Done on import rather than in a
# post_load hook, which Odoo skips when the package was imported before (e.g. by a test runner).
service.rpc_context.patch()
