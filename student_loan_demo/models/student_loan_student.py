from odoo import api, models
from odoo.fields import Command


class StudentLoanStudent(models.Model):
    _inherit = "student.loan.student"

    @api.model
    def _portal_demo_accounts(self):
        """Demo data: portal logins for two demo students (password = login)."""
        self = self.env["student.loan.demo"]._chinese(self, "student_loan_portal")  # pylint: disable=self-cls-assignment
        portal = self.env.ref("base.group_portal")
        Users = self.env["res.users"].with_context(no_reset_password=True)
        for login, name in (("student_wxm", "王小明"), ("student_yf", "杨帆")):
            student = self.search([("name", "=", name), ("user_id", "=", False)], limit=1)
            if not student or Users.search_count([("login", "=", login)]):
                continue
            student.user_id = Users.create(
                {
                    "login": login,
                    "password": login,
                    "name": student.name,
                    "partner_id": student.partner_id.id,
                    "groups_id": [Command.set([portal.id])],
                }
            )
