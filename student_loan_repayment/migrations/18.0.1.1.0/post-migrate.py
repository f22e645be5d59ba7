"""18.0.1.1.0: the legacy plans' unsettled lines are projected again on the bank's settlement calendar
(``student.loan.contract._migrate_plan_convention``, idempotent: running it again moves nothing)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["student.loan.contract"]._migrate_plan_convention()
