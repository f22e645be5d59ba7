from odoo import api, models
from odoo.osv import expression


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _portal_find_student_user(self, login):
        """The portal account of the student whose login, mobile or ID number is ``login`` (one
        student only: siblings sharing a mobile log in with their ID number), else an empty recordset."""
        login = "".join(str(login or "").split())
        if not login:
            return self.browse()
        Users = self.sudo().with_context(active_test=False)
        user = Users.search([("login", "in", list({login, login.upper()})), ("share", "=", True)], limit=1)
        if user:
            return user
        students = (
            self.env["student.loan.student"]
            .sudo()
            .search(["|", ("mobile", "=", login), ("id_number", "=", login.upper()), ("user_id", "!=", False)], limit=2)
        )
        return students.user_id if len(students) == 1 else self.browse()

    @api.model
    def _get_login_domain(self, login):
        """Students log in with their mobile number or their ID number, whichever their login is."""
        domain = super()._get_login_domain(login)
        user = self._portal_find_student_user(login)
        if user and user.login != login:
            domain = expression.OR([domain, [("id", "=", user.id)]])
        return domain
