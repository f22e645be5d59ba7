import logging
import secrets
import time
from datetime import timedelta

import pytz
import requests

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import consteq

from ..smslib import providers
from ..smslib import text as sms_text

_logger = logging.getLogger(__name__)

# Next free slot of each gateway's throttle, per database and gateway (monotonic clock).
_THROTTLE_CLOCK = {}
# Indirections the tests patch to check the throttle without waiting.
_monotonic = time.monotonic
_sleep = time.sleep


class StudentLoanSmsGateway(models.Model):
    """An SMS provider account used by one or more aid centres.

    Credentials are readable by province administrators only (field groups); sending reads them
    with sudo. ``endpoint_url`` defaults to the provider's public endpoint and can be changed
    (tests point it to a local server).
    """

    _name = "student.loan.sms.gateway"
    _description = "SMS Gateway"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    PROVIDERS = [
        ("aliyun", "Alibaba Cloud SMS (阿里云短信)"),
        ("tencent", "Tencent Cloud SMS (腾讯云短信)"),
        ("http", "Generic HTTP gateway"),
    ]
    DEFAULT_ENDPOINTS = {
        "aliyun": "https://dysmsapi.aliyuncs.com/",
        "tencent": "https://sms.tencentcloudapi.com/",
        "http": "",
    }
    DEFAULT_REGIONS = {"aliyun": "cn-hangzhou", "tencent": "ap-guangzhou", "http": ""}
    # Providers that only send pre-registered templates (a template code and its parameters).
    TEMPLATE_PROVIDERS = ("aliyun", "tencent")

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    provider = fields.Selection(PROVIDERS, required=True, default="aliyun", tracking=True)
    endpoint_url = fields.Char(
        string="Endpoint URL",
        compute="_compute_provider_defaults",
        store=True,
        readonly=False,
        tracking=True,
        help="The provider's API address. Change it only for a private deployment or for tests.",
    )
    region = fields.Char(compute="_compute_provider_defaults", store=True, readonly=False)
    access_key_id = fields.Char(
        string="Access Key ID / Secret ID",
        groups="student_loan.group_admin",
        copy=False,
        help="Alibaba Cloud AccessKeyId or Tencent Cloud SecretId.",
    )
    access_key_secret = fields.Char(
        string="Access Key Secret / Secret Key",
        groups="student_loan.group_admin",
        copy=False,
        help="Alibaba Cloud AccessKeySecret or Tencent Cloud SecretKey.",
    )
    api_token = fields.Char(
        string="Bearer Token",
        groups="student_loan.group_admin",
        copy=False,
        help="Token sent as 'Authorization: Bearer …' to a generic HTTP gateway.",
    )
    sdk_app_id = fields.Char(string="SMS SdkAppId", help="Tencent Cloud SMS application ID (SmsSdkAppId).")
    sign_name = fields.Char(
        string="Sign Name (签名)",
        tracking=True,
        help="The approved signature the operator puts in front of every message, e.g. 商水县学生资助中心.",
    )
    centre_ids = fields.Many2many(
        "student.loan.centre",
        "student_loan_sms_gateway_centre_rel",
        "gateway_id",
        "centre_id",
        string="Aid Centres",
        help="Centres sending through this gateway. A centre without a gateway uses the one of the centre "
        "it reports to.",
    )
    rate_limit = fields.Integer(
        string="Rate Limit (messages/second)",
        default=50,
        help="At most this many messages per second are handed to the provider; 0 means no limit.",
    )
    batch_size = fields.Integer(
        default=100,
        help="Numbers per provider request (Alibaba Cloud: at most 100, Tencent Cloud: 200).",
    )
    max_attempts = fields.Integer(
        string="Attempts",
        default=4,
        help="Attempts per message on temporary errors before it is marked failed.",
    )
    retry_delay = fields.Integer(
        string="First Retry After (seconds)",
        default=60,
        help="Delay before the first retry; it doubles at every further attempt (at most one hour).",
    )
    timeout = fields.Integer(string="Timeout (seconds)", default=15)
    quiet_start = fields.Float(string="Quiet Hours From", default=22.0)
    quiet_end = fields.Float(string="Quiet Hours Until", default=8.0)
    tz = fields.Selection("_tz_get", string="Time Zone", default="Asia/Shanghai", required=True)
    dry_run = fields.Boolean(
        tracking=True,
        help="Record every message as if sent, without contacting the provider.",
    )
    fallback_template_code = fields.Char(
        string="Free-Text Template Code",
        help="Template used for messages that are not part of a campaign (e.g. written in the chatter) on "
        "providers that only send registered templates. Its only parameter receives the text.",
    )
    fallback_param_name = fields.Char(string="Free-Text Parameter", default="content")
    optout_keywords = fields.Char(
        string="Opt-out Keywords",
        default="TD, T, N, 退订, 取消",
        help="A reply consisting of one of these words unsubscribes the number.",
    )
    webhook_token = fields.Char(
        groups="student_loan.group_admin",
        copy=False,
        default=lambda self: secrets.token_urlsafe(24),
        help="Secret part of the receipt and reply URLs given to the provider.",
    )
    receipt_url = fields.Char(
        string="Delivery Receipt URL", compute="_compute_webhook_urls", groups="student_loan.group_admin"
    )
    inbound_url = fields.Char(string="Reply URL", compute="_compute_webhook_urls", groups="student_loan.group_admin")
    blocked = fields.Boolean(
        readonly=True,
        tracking=True,
        copy=False,
        help="Set when the provider refused the account itself (credentials, sign name, template, balance): "
        "nothing is sent until an administrator fixes it and unblocks the gateway.",
    )
    last_error = fields.Text(readonly=True, copy=False)
    last_error_date = fields.Datetime(readonly=True, copy=False)

    _sql_constraints = [
        ("rate_limit_positive", "check(rate_limit >= 0)", "The rate limit cannot be negative."),
        ("batch_size_positive", "check(batch_size > 0)", "The batch size must be positive."),
        ("max_attempts_positive", "check(max_attempts > 0)", "A message needs at least one attempt."),
    ]

    @api.model
    def _tz_get(self):
        return [(tz, tz) for tz in pytz.common_timezones]

    @api.depends("provider")
    def _compute_provider_defaults(self):
        for gateway in self:
            # follow the provider unless a custom value was entered
            if not gateway.endpoint_url or gateway.endpoint_url in self.DEFAULT_ENDPOINTS.values():
                gateway.endpoint_url = self.DEFAULT_ENDPOINTS.get(gateway.provider, "")
            if not gateway.region or gateway.region in self.DEFAULT_REGIONS.values():
                gateway.region = self.DEFAULT_REGIONS.get(gateway.provider, "")

    @api.depends("webhook_token")
    def _compute_webhook_urls(self):
        base = self.get_base_url()
        for gateway in self:
            if gateway.id and gateway.webhook_token:
                prefix = f"{base}/student_loan_sms/{gateway.id}/{gateway.webhook_token}"
                gateway.receipt_url = f"{prefix}/receipt"
                gateway.inbound_url = f"{prefix}/inbound"
            else:
                gateway.receipt_url = gateway.inbound_url = False

    @api.constrains("batch_size", "provider")
    def _check_batch_size(self):
        for gateway in self:
            limit = providers.CLIENTS[gateway.provider].max_batch
            if gateway.batch_size > limit:
                raise ValidationError(
                    self.env._(
                        "%(provider)s accepts at most %(limit)s numbers per request.",
                        provider=dict(self._fields["provider"]._description_selection(self.env))[gateway.provider],
                        limit=limit,
                    )
                )

    @api.constrains("quiet_start", "quiet_end")
    def _check_quiet_hours(self):
        for gateway in self:
            if not (0 <= gateway.quiet_start < 24 and 0 <= gateway.quiet_end < 24):
                raise ValidationError(self.env._("Quiet hours must be times of day between 00:00 and 23:59."))

    @api.constrains("centre_ids", "active")
    def _check_one_gateway_per_centre(self):
        for gateway in self.filtered("active"):
            others = self.search([("id", "!=", gateway.id), ("centre_ids", "in", gateway.centre_ids.ids)], limit=1)
            if others:
                shared = gateway.centre_ids & others.centre_ids
                raise ValidationError(
                    self.env._(
                        "%(centre)s already sends through the gateway %(gateway)s: a centre uses one gateway.",
                        centre=shared[:1].display_name,
                        gateway=others.name,
                    )
                )

    def write(self, vals):
        # new credentials or settings: give the gateway another chance
        if {"access_key_id", "access_key_secret", "api_token", "sign_name", "sdk_app_id", "endpoint_url"} & set(vals):
            vals = dict(vals, blocked=False)
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_unblock(self):
        self.write({"blocked": False})
        for gateway in self:
            gateway.message_post(body=self.env._("Unblocked by %s.", self.env.user.name))
        Campaign = self.env["student.loan.sms.campaign"]
        Campaign.sudo().search(
            [("gateway_id", "in", self.ids), ("state", "in", ("queued", "sending"))]
        )._enqueue_dispatch()
        Campaign._trigger_dispatch()
        return True

    def action_regenerate_token(self):
        for gateway in self:
            gateway.webhook_token = secrets.token_urlsafe(24)
        return True

    # ------------------------------------------------------------------
    # Routing
    # ------------------------------------------------------------------

    @api.model
    def _get_for_centres(self, centres):
        """{centre id: gateway} for each centre: its own gateway, else the nearest one above it."""
        gateways = self.sudo().search([("centre_ids", "!=", False)])
        by_centre = {centre.id: gateway for gateway in gateways for centre in gateway.centre_ids}
        result = {}
        for centre in centres.sudo():
            for ancestor_id in reversed([int(part) for part in (centre.parent_path or "").split("/") if part]):
                if ancestor_id in by_centre:
                    result[centre.id] = by_centre[ancestor_id]
                    break
        return result

    def _check_ready(self):
        """Raise a clear error when the gateway cannot send (used before a campaign is queued)."""
        for gateway in self.sudo():
            missing = []
            if not gateway.endpoint_url and not gateway.dry_run:
                missing.append(self.env._("endpoint URL"))
            if not gateway.dry_run:
                if gateway.provider in ("aliyun", "tencent"):
                    if not gateway.access_key_id:
                        missing.append(self.env._("access key ID"))
                    if not gateway.access_key_secret:
                        missing.append(self.env._("access key secret"))
                if gateway.provider == "tencent" and not gateway.sdk_app_id:
                    missing.append(self.env._("SdkAppId"))
                if gateway.provider == "http" and not gateway.api_token:
                    missing.append(self.env._("bearer token"))
            if gateway.provider in self.TEMPLATE_PROVIDERS and not gateway.sign_name:
                missing.append(self.env._("sign name"))
            if missing:
                raise UserError(
                    self.env._(
                        "The SMS gateway %(gateway)s is not configured: missing %(missing)s. "
                        "Ask the province administrator to complete it.",
                        gateway=gateway.name,
                        missing=", ".join(missing),
                    )
                )
            if gateway.blocked:
                raise UserError(
                    self.env._(
                        "The SMS gateway %(gateway)s is blocked after a provider error: %(error)s",
                        gateway=gateway.name,
                        error=gateway.last_error or "",
                    )
                )

    # ------------------------------------------------------------------
    # Quiet hours and throttle
    # ------------------------------------------------------------------

    def _local_hour(self, now=None):
        self.ensure_one()
        now = now or fields.Datetime.now()
        local = pytz.utc.localize(now).astimezone(pytz.timezone(self.tz or "Asia/Shanghai"))
        return local.hour + local.minute / 60 + local.second / 3600

    def _is_quiet(self, now=None):
        self.ensure_one()
        return sms_text.in_quiet_hours(self._local_hour(now), self.quiet_start, self.quiet_end)

    def _quiet_end_at(self, now=None):
        """When the current quiet period ends (UTC, naive), or ``now`` when not in quiet hours."""
        self.ensure_one()
        now = now or fields.Datetime.now()
        if not self._is_quiet(now):
            return now
        hours = sms_text.hours_until(self._local_hour(now), self.quiet_end)
        return (now + timedelta(hours=hours)).replace(microsecond=0) + timedelta(seconds=1)

    def _throttle(self, count):
        """Wait so that at most ``rate_limit`` messages per second leave this gateway."""
        rate = self.rate_limit
        if not rate or rate <= 0:
            return
        key = (self.env.cr.dbname, self.id)
        now = _monotonic()
        start = max(now, _THROTTLE_CLOCK.get(key, now))
        if start > now:
            _sleep(start - now)
        _THROTTLE_CLOCK[key] = start + count / rate

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    def _client_config(self):
        gateway = self.sudo()
        return providers.GatewayConfig(
            provider=gateway.provider,
            endpoint=gateway.endpoint_url or "",
            access_key_id=gateway.access_key_id or "",
            access_key_secret=gateway.access_key_secret or "",
            api_token=gateway.api_token or "",
            sdk_app_id=gateway.sdk_app_id or "",
            region=gateway.region or "",
            sign_name=gateway.sign_name or "",
            batch_size=gateway.batch_size,
            timeout=gateway.timeout or 15,
        )

    def _provider_messages(self, entries, no_template_error):
        """The provider client's messages for ``entries`` (``(uuid, number as typed, body, template code,
        params)``), and the results decided before sending: a number that is not a mainland mobile, no
        template where the provider only sends registered ones (``no_template_error()`` says what to do).

        :return: (messages, early results)
        """
        self.ensure_one()
        messages, early = [], []
        template_only = self.provider in self.TEMPLATE_PROVIDERS and not self.dry_run
        for uuid, raw_number, body, template_code, params in entries:
            try:
                number = sms_text.normalize_cn_mobile(raw_number)
            except ValueError:
                early.append(
                    providers.SendResult(
                        uuid,
                        providers.FAILED,
                        "InvalidNumber",
                        self.env._("Invalid mobile number: %s", raw_number or ""),
                    )
                )
                continue
            if template_only and not template_code:
                early.append(providers.SendResult(uuid, providers.FAILED, "NoTemplate", no_template_error()))
                continue
            messages.append(
                {
                    "uuid": uuid,
                    "number": number,
                    "body": body or "",
                    "template_code": template_code or "",
                    "params": params,
                }
            )
        return messages, early

    def _send_messages(self, messages):
        """Hand ``messages`` to the provider; one :class:`providers.SendResult` per message.

        In dry-run mode nothing leaves the server: every message is recorded as sent.
        """
        self.ensure_one()
        if not messages:
            return []
        if self.dry_run:
            return [
                providers.SendResult(m["uuid"], providers.SENT, "DRYRUN", "dry run: not sent", f"dryrun-{m['uuid']}")
                for m in messages
            ]
        try:
            self._check_ready()
        except UserError as error:
            return [providers.SendResult(m["uuid"], providers.GATEWAY, "NotConfigured", str(error)) for m in messages]
        with requests.Session() as session:
            client = providers.make_client(self._client_config(), session, throttle=self._throttle)
            results = client.send(messages)
        _logger.info(
            "SMS gateway %s (%s): %d message(s): %s",
            self.name,
            self.provider,
            len(messages),
            {status: sum(1 for r in results if r.status == status) for status in {r.status for r in results}},
        )
        return results

    def _block(self, code, message):
        """Stop using the gateway after an account-level refusal, and say why."""
        self.ensure_one()
        error = f"{code}: {message}"
        if self.blocked and self.last_error == error:
            return
        self.sudo().write({"blocked": True, "last_error": error, "last_error_date": fields.Datetime.now()})
        self.sudo().message_post(
            body=self.env._(
                "Sending stopped: the provider refused the account (%(error)s). Fix the settings, then unblock the "
                "gateway; queued messages are sent then.",
                error=error,
            )
        )

    # ------------------------------------------------------------------
    # Receipts and replies (called by the webhook controllers)
    # ------------------------------------------------------------------

    def _check_token(self, token):
        self.ensure_one()
        return bool(token) and consteq(self.sudo().webhook_token or "", token)

    def _process_receipts(self, payload):
        """Apply a delivery-receipt push of this gateway's provider; answer how many matched."""
        self.ensure_one()
        receipts = providers.parse_receipts(self.provider, payload)
        return self.env["student.loan.sms.recipient"].sudo()._apply_receipts(self, receipts)

    def _process_inbound(self, payload):
        """Apply replies: opt-out keywords unsubscribe the number; other replies are logged."""
        self.ensure_one()
        keywords = sms_text.parse_keywords(self.optout_keywords) or sms_text.DEFAULT_OPTOUT_KEYWORDS
        count = 0
        for reply in providers.parse_replies(self.provider, payload):
            try:
                number = sms_text.normalize_cn_mobile(reply.number)
            except ValueError:
                _logger.warning("SMS reply from an unreadable number %r ignored", reply.number)
                continue
            if sms_text.is_optout_reply(reply.text, keywords):
                self.env["student.loan.sms.recipient"].sudo()._opt_out_number(number, reply.text)
            else:
                self.env["student.loan.sms.recipient"].sudo()._log_reply(number, reply.text)
            count += 1
        return count
