import json

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from .portal import _error_message

REGISTER_FIELDS = ("name", "id_number", "mobile", "email", "household_address")
REGISTER_SESSION = "sl_register"
RESET_SESSION = "sl_reset"


def _mask(mobile):
    mobile = mobile or ""
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) >= 7 else "****"


class StudentLoanRegister(http.Controller):
    """Self-registration of a student, proved by an SMS code to the mobile, and password reset by SMS.

    Nothing to probe: before the code is verified, the answers are the same whether the ID number,
    the mobile or the login are known or not (a code is "sent" in every case, the throttles count
    every request). Only after the code is verified does the student learn that the ID number is
    registered already, and with which centre (R11).
    """

    # ------------------------------------------------------------------
    # Registration, step 1: who and where; a code to the mobile
    # ------------------------------------------------------------------

    @http.route(
        ["/my/loans/register"], type="http", auth="public", website=True, methods=["GET", "POST"], sitemap=False
    )
    def portal_loan_register(self, **post):
        if not request.env.user._is_public():
            return request.redirect("/my/loans")
        errors, error_list = {}, []
        if request.httprequest.method == "POST":
            vals, errors = self._register_parse(post)
            if errors:
                error_list.append(request.env._("Some fields are missing or wrong: see below."))
            else:
                try:
                    otp = (
                        request.env["student.loan.portal.otp"]
                        .sudo()
                        ._issue(
                            "register",
                            vals["mobile"],
                            subject=vals["id_number"],
                            ip=request.httprequest.remote_addr,
                            centre=request.env["student.loan.centre"].sudo().browse(vals["centre_id"]),
                        )
                    )
                except UserError as error:
                    error_list.append(_error_message(error))
                else:
                    request.session[REGISTER_SESSION] = {"vals": vals, "otp": otp.id, "verified": False}
                    return request.redirect("/my/loans/register/verify")
        elif post.get("restart"):
            request.session.pop(REGISTER_SESSION, None)
        Centre = request.env["student.loan.centre"].sudo()
        values = {
            "form": dict(post),
            "errors": errors,
            "error_list": error_list,
            "centre_tree": json.dumps(Centre._portal_picker_data(), ensure_ascii=False),
            "page_name": "loan_register",
        }
        return request.render("student_loan_portal.portal_loan_register", values)

    def _register_parse(self, post):
        """The student's values, validated (formats only: nothing that depends on who is registered)."""
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
        if not post.get("consent"):
            errors["consent"] = env._("You must accept the terms to register.")
        Student = env["student.loan.student"].sudo()
        for key in ("id_number", "mobile", "email"):
            if vals.get(key) and key not in errors:
                try:
                    vals[key] = Student._normalize_vals({key: vals[key]})[key]
                except ValidationError as error:
                    errors[key] = _error_message(error)
        return vals, errors

    # ------------------------------------------------------------------
    # Registration, step 2: the code, the login and the password
    # ------------------------------------------------------------------

    @http.route(
        ["/my/loans/register/verify"],
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
        sitemap=False,
    )
    def portal_loan_register_verify(self, **post):
        if not request.env.user._is_public():
            return request.redirect("/my/loans")
        pending = request.session.get(REGISTER_SESSION)
        if not pending:
            return request.redirect("/my/loans/register")
        vals = pending["vals"]
        errors, error_list, registered_centre = {}, [], None
        if request.httprequest.method == "POST":
            login_with = post.get("login_with") or "mobile"
            password = post.get("password") or ""
            if login_with not in ("mobile", "id_number"):
                errors["login_with"] = request.env._("Choose how you log in.")
            if not password:
                errors["password"] = request.env._("Required.")
            elif password != (post.get("password_confirm") or ""):
                errors["password_confirm"] = request.env._("The two passwords are not the same.")
            Otp = request.env["student.loan.portal.otp"].sudo()
            if not pending.get("verified"):
                try:
                    # no savepoint: a wrong code counts as an attempt
                    otp = Otp._verify("register", post.get("code"), mobile=vals["mobile"], subject=vals["id_number"])
                except UserError as error:
                    errors["code"] = _error_message(error)
                else:
                    otp._consume()
                    pending = dict(pending, verified=True)
                    request.session[REGISTER_SESSION] = pending
            if pending.get("verified"):
                registered_centre = self._registered_centre(vals["id_number"])
                if registered_centre:
                    request.session.pop(REGISTER_SESSION, None)
                elif not errors:
                    response = self._register_create(vals, login_with, password, error_list)
                    if response:
                        return response
            if errors:
                error_list.insert(0, request.env._("Some fields are missing or wrong: see below."))
        values = {
            "form": {key: value for key, value in post.items() if not key.startswith("password") and key != "code"},
            "errors": errors,
            "error_list": error_list,
            "masked_mobile": _mask(vals["mobile"]),
            "verified": pending.get("verified"),
            "registered_centre": registered_centre,
            "page_name": "loan_register",
        }
        return request.render("student_loan_portal.portal_loan_register_verify", values)

    def _registered_centre(self, id_number):
        """The centre holding ``id_number`` (told only once the mobile code is verified, R11)."""
        existing = (
            request.env["student.loan.student"]
            .sudo()
            .with_context(active_test=False)
            .search([("id_number", "=", id_number)], limit=1)
        )
        return existing.centre_id.display_name if existing else None

    def _register_create(self, vals, login_with, password, error_list):
        try:
            with request.env.cr.savepoint():
                student = (
                    request.env["student.loan.student"]
                    .sudo()
                    ._portal_register(vals, login_with, password, lang=request.lang.code)
                )
        except (ValidationError, UserError) as error:
            error_list.append(_error_message(error))
            return None
        request.session.pop(REGISTER_SESSION, None)
        login = student.user_id.login
        # authenticate() uses its own cursor: the new account must be committed first
        request.env.cr.commit()
        request.session.authenticate(request.db, {"login": login, "password": password, "type": "password"})
        return request.redirect("/my/loans/new?registered=1")

    # ------------------------------------------------------------------
    # Password reset by SMS code
    # ------------------------------------------------------------------

    @http.route(["/my/loans/reset"], type="http", auth="public", website=True, methods=["GET", "POST"], sitemap=False)
    def portal_loan_reset(self, login=None, **post):
        if not request.env.user._is_public():
            return request.redirect("/my")
        error = None
        if request.httprequest.method == "POST":
            login = "".join(str(login or "").split())[:40]
            if not login:
                error = request.env._("Enter your mobile number or ID number.")
            else:
                subject = login.upper()
                user = request.env["res.users"].sudo()._portal_find_student_user(login)
                student = user and request.env["student.loan.student"].sudo().search(
                    [("user_id", "=", user.id)], limit=1
                )
                try:
                    request.env["student.loan.portal.otp"].sudo()._issue(
                        "reset",
                        student.mobile if student else None,
                        subject=subject,
                        ip=request.httprequest.remote_addr,
                        centre=student.centre_id if student else None,
                        user=user if student else None,
                        throttle_mobile=False,
                    )
                except UserError as error_raised:
                    error = _error_message(error_raised)
                else:
                    request.session[RESET_SESSION] = {"subject": subject}
                    return request.redirect("/my/loans/reset/verify")
        return request.render(
            "student_loan_portal.portal_loan_reset", {"login": login or "", "error": error, "page_name": "loan_reset"}
        )

    @http.route(
        ["/my/loans/reset/verify"], type="http", auth="public", website=True, methods=["GET", "POST"], sitemap=False
    )
    def portal_loan_reset_verify(self, code=None, password=None, password_confirm=None, **post):
        pending = request.session.get(RESET_SESSION)
        if not pending or not request.env.user._is_public():
            return request.redirect("/my/loans/reset")
        errors, done = {}, False
        if request.httprequest.method == "POST":
            Otp = request.env["student.loan.portal.otp"].sudo()
            minimum = request.env["student.loan.student"]._portal_min_password_length()
            if not password or len(password) < minimum:
                errors["password"] = request.env._("The password must have at least %s characters.", minimum)
            elif password != password_confirm:
                errors["password_confirm"] = request.env._("The two passwords are not the same.")
            else:
                try:
                    otp = Otp._verify("reset", code, subject=pending["subject"])
                except UserError as error:
                    errors["code"] = _error_message(error)
                else:
                    otp.user_id.sudo().write({"password": password})
                    otp._consume()
                    request.session.pop(RESET_SESSION, None)
                    done = True
        return request.render(
            "student_loan_portal.portal_loan_reset_verify",
            {"errors": errors, "done": done, "page_name": "loan_reset"},
        )
