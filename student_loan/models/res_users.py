from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    loan_centre_id = fields.Many2one(
        "student.loan.centre",
        string="Aid Centre",
        index=True,
        help="The aid centre this user works for: they see its records and those of the centres below it.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["loan_centre_id"]
