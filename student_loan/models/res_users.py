from odoo import api, fields, models

CHINA_TZ = "Asia/Shanghai"


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

    @api.model_create_multi
    def create(self, vals_list):
        """Users of the platform live in China: a new user's day (deadlines, "today", the work log)
        starts in Asia/Shanghai unless a time zone is given; centre staff land on their to-do list."""
        users = super().create(vals_list)
        without_tz = users.filtered(lambda user: not user.tz)
        if without_tz:
            without_tz.sudo().write({"tz": CHINA_TZ})
        home = self.env.ref("student_loan.student_loan_application_action_to_review", raise_if_not_found=False)
        if home:
            staff = users.filtered(
                lambda user: not user.action_id and not user.share and user.has_group("student_loan.group_viewer")
            )
            if staff:
                staff.sudo().write({"action_id": home.id})
        return users
