"""The project's library errors (``student_loan/loanlib/errors.py``): one definition, imported here.

Plain tests put ``student_loan/`` on ``sys.path`` (``loanlib`` is then a top-level package); inside
Odoo the same module is ``odoo.addons.student_loan.loanlib.errors``. Nothing here imports Odoo itself.
"""

try:
    from loanlib.errors import LibError, LibMessage, _lt
except ImportError:
    from odoo.addons.student_loan.loanlib.errors import LibError, LibMessage, _lt

__all__ = ["LibError", "LibMessage", "_lt"]
