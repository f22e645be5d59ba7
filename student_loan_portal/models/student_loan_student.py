from odoo import api, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command

from odoo.addons.auth_signup.models.res_partner import SignupError

MIN_PASSWORD_LENGTH = 8


class StudentLoanStudent(models.Model):
    _inherit = "student.loan.student"

    @api.model
    def _portal_min_password_length(self):
        return MIN_PASSWORD_LENGTH

    @api.model
    def _portal_check_id_number_free(self, number):
        """R11 for anonymous visitors: name the centre holding the ID number, but not the student
        (the core's message, meant for staff, also gives the name)."""
        if not number:
            return
        existing = self.sudo().with_context(active_test=False).search([("id_number", "=", number)], limit=1)
        if existing:
            raise ValidationError(
                self.env._(
                    "This ID number is already registered with %(centre)s. If you registered before, log in "
                    "or reset your password. If the registration is wrong (not your home centre), contact "
                    "that aid centre: it can transfer you to your home centre or delete the registration.",
                    centre=existing.centre_id.display_name,
                )
            )

    @api.model
    def _portal_register(self, vals, login_with, password, lang=None):
        """Register a student from the portal and create their portal account.

        ``vals`` are the student's values (validated by the core's ``create``: ID number, mobile,
        a clear message naming the centre when the ID number is registered already).
        ``login_with`` is ``'mobile'`` or ``'id_number'``. Call it with sudo, inside a savepoint.
        """
        if login_with not in ("mobile", "id_number"):
            raise ValidationError(self.env._("Choose whether you log in with your mobile number or your ID number."))
        if not password or len(password) < MIN_PASSWORD_LENGTH:
            raise ValidationError(self.env._("The password must have at least %s characters.", MIN_PASSWORD_LENGTH))
        centre = self.env["student.loan.centre"].browse(vals.get("centre_id")).exists()
        if not centre or not centre._portal_is_home_centre():
            raise ValidationError(self.env._("Choose your home aid centre: province, city and county."))
        vals = self._normalize_vals(vals)
        self._portal_check_id_number_free(vals.get("id_number"))
        student = self.create(vals)
        login = student[login_with]
        Users = self.env["res.users"].with_context(active_test=False)
        if Users.search_count([("login", "=ilike", login)], limit=1):
            if login_with == "mobile":
                raise ValidationError(
                    self.env._(
                        "The mobile number %s is already used to log in by another account (a brother or "
                        "sister?). Choose to log in with your ID number instead.",
                        login,
                    )
                )
            raise ValidationError(
                self.env._("An account with this ID number exists already: log in, or reset the password.")
            )
        try:
            user = Users.with_context(no_reset_password=True)._create_user_from_template(
                {
                    "login": login,
                    "password": password,
                    "partner_id": student.partner_id.id,
                    "name": student.name,
                    "lang": lang or self.env.lang or "zh_CN",
                    "groups_id": [Command.set([self.env.ref("base.group_portal").id])],
                }
            )
        except SignupError as error:
            raise UserError(self.env._("The account could not be created: %s", error)) from error
        student.user_id = user
        student.message_post(
            body=self.env._("Registered in the student portal (login: %s) and accepted the terms of use.", login)
        )
        return student
