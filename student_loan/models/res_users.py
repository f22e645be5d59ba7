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
        for vals in vals_list:
            if not vals.get("tz") and not vals.get("partner_id"):
                vals["tz"] = CHINA_TZ
        users = super().create(vals_list)
        home = self.env.ref("student_loan.student_loan_application_action_to_review", raise_if_not_found=False)
        if home:
            staff = users.filtered(
                lambda user: not user.action_id and not user.share and user.has_group("student_loan.group_viewer")
            )
            if staff:
                staff.sudo().write({"action_id": home.id})
        return users
