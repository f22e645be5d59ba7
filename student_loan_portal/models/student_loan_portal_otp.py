import hashlib
import hmac
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

# (parameter, default): code lifetime and throttles; every number is an ir.config_parameter
OTP_PARAMS = {
    "validity_minutes": 10,
    "max_attempts": 5,
    "resend_seconds": 60,
    "per_mobile_per_hour": 5,
    "per_subject_per_hour": 5,
    "per_ip_per_hour": 20,
}


class StudentLoanPortalOtp(models.Model):
    """A one-time code sent by SMS: registration, password reset, co-borrower signing.

    Only a keyed hash of the code is stored (HMAC with the database secret and a salt); the code
    itself exists in the text message and nowhere else. Codes expire, allow a few attempts, and
    their issue is throttled per mobile, per subject (the ID number or login typed) and per IP,
    counting every request whether the number or login is known or not.

    The code travels by :meth:`_send_code`, which the SMS bridge addon (student_loan_portal_sms)
    implements with the project's SMS gateways.
    """

    _name = "student.loan.portal.otp"
    _description = "SMS One-Time Code"
    _order = "id desc"

    PURPOSES = [("register", "Registration"), ("reset", "Password reset"), ("cosign", "Co-borrower signing")]

    purpose = fields.Selection(PURPOSES, required=True, index=True)
    mobile = fields.Char(index=True, help="Where the code was sent; empty when nothing was sent (unknown login).")
    subject = fields.Char(index=True, help="ID number or login the code was asked for (throttle per subject).")
    ip = fields.Char(string="IP Address", index=True)
    salt = fields.Char(required=True, default=lambda self: secrets.token_hex(16))
    code_hash = fields.Char()
    expires_at = fields.Datetime(required=True)
    attempts = fields.Integer()
    state = fields.Selection(
        [("pending", "Pending"), ("verified", "Verified"), ("used", "Used"), ("void", "Void")],
        default="pending",
        required=True,
    )
    user_id = fields.Many2one("res.users", ondelete="cascade", help="The account whose password is reset.")
    centre_id = fields.Many2one("student.loan.centre", ondelete="set null", help="Whose SMS gateway sends the code.")
    res_model = fields.Char(string="Related Model")
    res_id = fields.Integer(string="Related Record")

    # ------------------------------------------------------------------
    # Parameters, hashing
    # ------------------------------------------------------------------

    @api.model
    def _param(self, key):
        value = self.env["ir.config_parameter"].sudo().get_param(f"student_loan_portal.otp_{key}")
        try:
            return int(value) if value not in (None, False, "") else OTP_PARAMS[key]
        except ValueError:
            return OTP_PARAMS[key]

    def _hash(self, code, salt):
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret") or ""
        return hmac.new(secret.encode(), f"{salt}:{code}".encode(), hashlib.sha256).hexdigest()

    # ------------------------------------------------------------------
    # Issue
    # ------------------------------------------------------------------

    @api.model
    def _check_throttle(self, purpose, mobile=None, subject=None, ip=None):
        """Raise when too many codes were asked for this mobile, subject or IP (same answer for
        known and unknown numbers: it counts requests, not accounts)."""
        now = fields.Datetime.now()
        base = [("purpose", "=", purpose), ("create_date", ">", now - timedelta(hours=1))]
        too_many = self.env._("Too many codes were requested. Try again in an hour.")
        wait = self._param("resend_seconds")
        for field_name, value, limit in (
            ("subject", subject, self._param("per_subject_per_hour")),
            ("mobile", mobile, self._param("per_mobile_per_hour")),
        ):
            if not value:
                continue
            recent = self.search(base + [(field_name, "=", value)], order="create_date desc")
            if wait and recent and recent[0].create_date > now - timedelta(seconds=wait):
                raise UserError(self.env._("A code was sent less than %s seconds ago: wait before asking again.", wait))
            if len(recent) >= limit:
                raise UserError(too_many)
        if ip and self.search_count(base + [("ip", "=", ip)]) >= self._param("per_ip_per_hour"):
            raise UserError(too_many)

    @api.model
    def _issue(self, purpose, mobile, subject=None, ip=None, centre=None, user=None, record=None, throttle_mobile=True):
        """Create a code and send it to ``mobile`` (call with sudo). With no ``mobile`` (unknown login)
        nothing is sent, but the request counts for the throttles all the same. ``throttle_mobile``:
        False when the mobile comes from the database (password reset), so that the answer for a
        known login is the same as for an unknown one.

        :return: the code record
        :raise UserError: throttled, or the code could not be sent
        """
        self._check_throttle(purpose, mobile=mobile if throttle_mobile else None, subject=subject, ip=ip)
        if mobile:
            # a new code replaces the ones sent before to the same number for the same purpose
            self.search([("purpose", "=", purpose), ("mobile", "=", mobile), ("state", "=", "pending")]).state = "void"
        code = f"{secrets.randbelow(1_000_000):06d}"
        otp = self.create(
            {
                "purpose": purpose,
                "mobile": mobile or False,
                "subject": subject or False,
                "ip": ip or False,
                "expires_at": fields.Datetime.now() + timedelta(minutes=self._param("validity_minutes")),
                "user_id": user.id if user else False,
                "centre_id": centre.id if centre else False,
                "res_model": record._name if record else False,
                "res_id": record.id if record else False,
            }
        )
        if mobile:
            otp.code_hash = self._hash(code, otp.salt)
            otp._send_code(code)
        else:
            otp.state = "void"
        return otp

    def _send_code(self, code):
        """Send ``code`` by SMS to ``self.mobile``. Implemented by the SMS bridge addon."""
        raise UserError(self.env._("Text messages cannot be sent: no SMS gateway is set up. Contact your aid centre."))

    def _sms_text(self, code):
        """The text of the message, in Chinese (the recipient is a student or a parent in China)."""
        self.ensure_one()
        lang = "zh_CN" if self.env["res.lang"]._get_data(code="zh_CN") else self.env.lang
        env = self.with_context(lang=lang).env
        minutes = self._param("validity_minutes")
        if self.purpose == "reset":
            return env._(
                "Your password-reset code is %(code)s, valid %(minutes)s minutes. Never tell it to anyone.",
                code=code,
                minutes=minutes,
            )
        if self.purpose == "cosign":
            return env._(
                "Your code to sign the student-loan contract as co-borrower is %(code)s, valid %(minutes)s minutes. "
                "Never tell it to anyone.",
                code=code,
                minutes=minutes,
            )
        return env._(
            "Your student-loan registration code is %(code)s, valid %(minutes)s minutes. Never tell it to anyone.",
            code=code,
            minutes=minutes,
        )

    # ------------------------------------------------------------------
    # Verify
    # ------------------------------------------------------------------

    @api.model
    def _verify(self, purpose, code, mobile=None, subject=None, record=None):
        """The pending code of ``purpose`` for ``mobile`` (or ``subject``, or ``record``) if ``code``
        matches it; counts the attempt. Call with sudo.

        :raise UserError: wrong, expired or used up (one message for all: nothing to probe)
        """
        domain = [("purpose", "=", purpose), ("state", "=", "pending"), ("code_hash", "!=", False)]
        if mobile:
            domain.append(("mobile", "=", mobile))
        if subject:
            domain.append(("subject", "=", subject))
        if record:
            domain += [("res_model", "=", record._name), ("res_id", "=", record.id)]
        otp = self.search(domain, limit=1)
        wrong = self.env._("The code is wrong or has expired. Ask for a new code.")
        code = "".join(str(code or "").split())
        if not otp or otp.expires_at < fields.Datetime.now():
            raise UserError(wrong)
        otp.attempts += 1
        if otp.attempts > self._param("max_attempts"):
            otp.state = "void"
            raise UserError(wrong)
        if not (code.isdigit() and hmac.compare_digest(otp.code_hash, self._hash(code, otp.salt))):
            raise UserError(wrong)
        otp.state = "verified"
        return otp

    def _consume(self):
        self.write({"state": "used"})

    @api.autovacuum
    def _gc_old_codes(self):
        self.search([("create_date", "<", fields.Datetime.now() - timedelta(days=2))]).unlink()
