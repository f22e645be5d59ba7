import werkzeug

from odoo import http
from odoo.http import request

from odoo.addons.auth_signup.controllers.main import AuthSignupHome


class StudentLoanAuthSignup(AuthSignupHome):
    """Odoo's open sign-up is closed: only the student registration creates portal accounts
    (``/my/loans/register``, proved by an SMS code). An invitation sent by an administrator (a
    sign-up token) still lets its user choose a password. Password reset goes by SMS code."""

    def get_auth_signup_config(self):
        config = super().get_auth_signup_config()
        config.update(signup_enabled=False, reset_password_enabled=False)
        return config

    @http.route()
    def web_auth_signup(self, *args, **kw):
        if not kw.get("token"):
            raise werkzeug.exceptions.NotFound()
        return super().web_auth_signup(*args, **kw)

    @http.route()
    def web_auth_reset_password(self, *args, **kw):
        if not kw.get("token"):
            return request.redirect("/my/loans/reset")
        return super().web_auth_reset_password(*args, **kw)
