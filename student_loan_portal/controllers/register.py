import json

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from .portal import _error_message

REGISTER_FIELDS = ("name", "id_number", "mobile", "email", "household_address")


class StudentLoanRegister(http.Controller):
    """Self-registration of a student: home aid centre, identity, portal account (login and password)."""

    @http.route(
        ["/my/loans/register"], type="http", auth="public", website=True, methods=["GET", "POST"], sitemap=False
    )
    def portal_loan_register(self, **post):
        if not request.env.user._is_public():
            return request.redirect("/my/loans")
        errors, error_list = {}, []
        if request.httprequest.method == "POST":
            vals, login_with, password, errors = self._register_parse(post)
            if errors:
                error_list.append(request.env._("Some fields are missing or wrong: see below."))
            else:
                try:
                    with request.env.cr.savepoint():
                        student = (
                            request.env["student.loan.student"]
                            .sudo()
                            ._portal_register(vals, login_with, password, lang=request.lang.code)
                        )
                except (ValidationError, UserError) as error:
                    error_list.append(_error_message(error))
                else:
                    login = student.user_id.login
                    # authenticate() uses its own cursor: the new account must be committed first
                    request.env.cr.commit()
                    request.session.authenticate(request.db, {"login": login, "password": password, "type": "password"})
                    return request.redirect("/my/loans/new?registered=1")
        Centre = request.env["student.loan.centre"].sudo()
        values = {
            "form": {key: value for key, value in post.items() if not key.startswith("password")},
            "errors": errors,
            "error_list": error_list,
            "centre_tree": json.dumps(Centre._portal_picker_data(), ensure_ascii=False),
            "page_name": "loan_register",
        }
        return request.render("student_loan_portal.portal_loan_register", values)

    def _register_parse(self, post):
        env = request.env
        errors = {}
        vals = {}
        for key in REGISTER_FIELDS:
            value = " ".join(str(post.get(key) or "").split())[:200]
            if not value and key != "email":
                errors[key] = env._("Required.")
            vals[key] = value
        if not vals["email"]:
            vals.pop("email")
        try:
            centre_id = int(post.get("centre_id") or 0)
        except ValueError:
            centre_id = 0
        centre = env["student.loan.centre"].sudo().browse(centre_id).exists()
        if not centre or not centre._portal_is_home_centre():
            errors["centre_id"] = env._("Choose your home aid centre: province, city and county.")
        vals["centre_id"] = centre.id
        login_with = post.get("login_with") or "mobile"
        if login_with not in ("mobile", "id_number"):
            errors["login_with"] = env._("Choose how you log in.")
        password = post.get("password") or ""
        if not password:
            errors["password"] = env._("Required.")
        elif password != (post.get("password_confirm") or ""):
            errors["password_confirm"] = env._("The two passwords are not the same.")
        if not post.get("consent"):
            errors["consent"] = env._("You must accept the terms to register.")
        return vals, login_with, password, errors
