"""18.0.1.1.0: a detailed address names the village, the group and the house number (村、组、门牌号), or the
street and the house number: recompute the stored completeness of the co-borrowers' addresses."""

from odoo import SUPERUSER_ID, api
from odoo.tools import split_every


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    Coborrower = env["student.loan.coborrower"].with_context(active_test=False)
    field = Coborrower._fields["address_complete"]
    for ids in split_every(5000, Coborrower.search([]).ids):
        records = Coborrower.browse(ids)
        env.add_to_compute(field, records)
        records.flush_recordset(["address_complete"])
        env.invalidate_all()
