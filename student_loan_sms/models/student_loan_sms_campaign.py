import ast
import json
import logging
import threading
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, split_every

from odoo.addons.student_loan.models.lib_errors import lib_error_message

from ..smslib import text as sms_text

_logger = logging.getLogger(__name__)


def _current_academic_year(today):
    """Loans are applied for in summer for the academic year starting in September."""
    return today.year if today.month >= 6 else today.year - 1


class StudentLoanSmsCampaign(models.Model):
    """A mass SMS to students (and their families) of an aid centre (R4).

    A handler prepares it (audience, text, preview); a supervisor sends it. Sending queues one
    ``sms.sms`` per recipient (logged on the student's chatter); a cron hands them to the centre's
    gateway in batches, within the gateway's rate limit and outside quiet hours, retrying temporary
    errors with back-off. Delivery receipts and opt-out replies come back through webhooks.
    """

    _name = "student.loan.sms.campaign"
    _description = "SMS Campaign"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    STATES = [
        ("draft", "Draft"),
        ("queued", "Queued"),
        ("sending", "Sending"),
        ("done", "Done"),
        ("cancelled", "Cancelled"),
    ]
    AUDIENCE_KINDS = [
        ("first_loan", "First-loan applicants of a year"),
        ("amount_due", "Students with an amount due before the settlement date"),
        ("poverty", "Registered poor households (建档立卡)"),
        ("custom", "Custom filter (e.g. an event invitation)"),
    ]
    # Placeholders a text may use, e.g. "{姓名}同学，请于{日期}携带{材料}到{中心}办理首次贷款。"
    PLACEHOLDERS = ("姓名", "收件人", "学校", "中心", "中心电话", "年度", "金额", "日期", "材料", "地点")
    # Lines handed to Odoo's SMS queue (sms.sms) in the sending request; the cron does the rest.
    PREPARE_NOW = 2000
    # Students rendered and inserted as recipient lines per batch when a campaign is queued.
    QUEUE_BATCH = 5000

    name = fields.Char(required=True, tracking=True)
    state = fields.Selection(STATES, default="draft", required=True, tracking=True, index=True, copy=False)
    centre_id = fields.Many2one(
        "student.loan.centre",
        string="Aid Centre",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user.loan_centre_id,
    )
    gateway_id = fields.Many2one(
        "student.loan.sms.gateway",
        compute="_compute_gateway_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="The centre's gateway (or the one of the centre above it) unless chosen here.",
    )
    provider = fields.Selection(related="gateway_id.provider")
    dry_run = fields.Boolean(related="gateway_id.dry_run")
    gateway_blocked = fields.Boolean(related="gateway_id.blocked")
    gateway_error = fields.Text(related="gateway_id.last_error")

    # audience
    audience_kind = fields.Selection(AUDIENCE_KINDS, string="Audience", required=True, default="first_loan")
    academic_year = fields.Integer(
        default=lambda self: _current_academic_year(fields.Date.context_today(self)),
        help="First-loan applicants of this academic year (2024 = 2024-2025).",
    )
    due_days = fields.Integer(
        string="Due Within (days)", default=30, help="Students with an amount due within this many days."
    )
    filter_id = fields.Many2one(
        "ir.filters",
        string="Saved Filter",
        domain=[("model_id", "=", "student.loan.student")],
        help="Copies a saved filter of the student list into the filter below.",
    )
    audience_domain = fields.Char(
        string="Filter", default="[]", help="Students must also match this filter (all of them for a custom audience)."
    )
    include_coborrowers = fields.Boolean(string="Also Families (Co-borrowers)")
    audience_count = fields.Integer(string="Audience Size", compute="_compute_audience_count")

    # message
    template_id = fields.Many2one(
        "sms.template",
        domain=[("model", "=", "student.loan.student")],
    )
    body = fields.Text(
        string="Text",
        compute="_compute_body",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        help="Placeholders: {姓名} student, {收件人} recipient, {学校} school, {中心} centre, {中心电话} centre phone, "
        "{年度} academic year, {金额} amount, {日期} date, {材料} what to bring, {地点} place. "
        "Odoo expressions such as {{ object.school_id.name }} also work.",
    )
    template_code_id = fields.Many2one(
        "student.loan.sms.template.code",
        string="Provider Template",
        compute="_compute_template_code_id",
    )
    bring_items = fields.Text(string="What to Bring", help="Fills {材料}.")
    message_date = fields.Date(string="Date", help="Fills {日期}.")
    amount = fields.Float(help="Fills {金额} when the audience gives no amount of its own.")
    location = fields.Char(string="Place", help="Fills {地点}.")
    preview = fields.Text(compute="_compute_preview", help="The text as the first recipient gets it.")
    preview_length = fields.Integer(string="Characters", compute="_compute_preview")
    preview_segments = fields.Integer(string="SMS Parts", compute="_compute_preview")
    preview_error = fields.Char(compute="_compute_preview")

    # sending
    scheduled_date = fields.Datetime(string="Send After", copy=False)
    sent_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    queued_date = fields.Datetime(string="Queued On", readonly=True, copy=False)
    done_date = fields.Datetime(string="Finished On", readonly=True, copy=False)
    recipient_ids = fields.One2many("student.loan.sms.recipient", "campaign_id", string="Recipients")

    # totals
    recipient_count = fields.Integer(compute="_compute_totals")
    queued_count = fields.Integer(string="Queued", compute="_compute_totals")
    sent_count = fields.Integer(
        string="Sent", compute="_compute_totals", help="Accepted by the provider (delivered ones included)."
    )
    delivered_count = fields.Integer(string="Delivered", compute="_compute_totals")
    failed_count = fields.Integer(string="Failed", compute="_compute_totals")
    skipped_count = fields.Integer(
        string="Skipped", compute="_compute_totals", help="Opted out or duplicate numbers: not sent."
    )
    cancelled_count = fields.Integer(string="Cancelled", compute="_compute_totals")
    segment_total = fields.Integer(string="Billed Parts", compute="_compute_totals")
    delivered_rate = fields.Float(string="Delivered (%)", compute="_compute_totals")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("centre_id")
    def _compute_gateway_id(self):
        gateways = self.env["student.loan.sms.gateway"]._get_for_centres(self.centre_id)
        for campaign in self:
            if campaign.state == "draft" or not campaign.gateway_id:
                campaign.gateway_id = gateways.get(campaign.centre_id.id, False)
            else:
                campaign.gateway_id = campaign.gateway_id  # a sent campaign keeps its gateway

    @api.depends("template_id")
    def _compute_body(self):
        for campaign in self:
            # a template gives its text; without one, the text written stays
            campaign.body = campaign.template_id.body if campaign.template_id else campaign.body

    @api.depends("template_id", "gateway_id")
    def _compute_template_code_id(self):
        mappings = self.env["student.loan.sms.template.code"].search(
            [
                ("template_id", "in", self.template_id.ids),
                ("gateway_id", "in", self.gateway_id.ids),
            ]
        )
        index = {(m.template_id.id, m.gateway_id.id): m for m in mappings}
        for campaign in self:
            campaign.template_code_id = index.get((campaign.template_id.id, campaign.gateway_id.id), False)

    @api.depends("audience_kind", "academic_year", "due_days", "audience_domain", "centre_id", "include_coborrowers")
    def _compute_audience_count(self):
        for campaign in self:
            try:
                domain, _extra = campaign._get_audience_domain()
            except (UserError, ValidationError, ValueError, SyntaxError):
                campaign.audience_count = 0
                continue
            count = self.env["student.loan.student"].search_count(domain)
            if campaign.include_coborrowers:
                count += self.env["student.loan.coborrower"].search_count([("student_id", "any", domain)])
            campaign.audience_count = count

    @api.depends(
        "body",
        "audience_kind",
        "academic_year",
        "audience_domain",
        "centre_id",
        "bring_items",
        "message_date",
        "amount",
        "location",
        "gateway_id",
    )
    def _compute_preview(self):
        for campaign in self:
            campaign.preview = campaign.preview_error = False
            campaign.preview_length = campaign.preview_segments = 0
            if not campaign.body:
                continue
            sign = campaign.gateway_id.sign_name or ""
            try:
                students, extra = campaign._get_audience(limit=1)
                student = students[:1]
                if student:
                    text = campaign._render_bodies(student)[student.id]
                    text = sms_text.render(text, campaign._placeholder_values(student, False, extra))
                else:
                    text = campaign.body
            except sms_text.MissingPlaceholderError as error:
                campaign.preview_error = self.env._("No value for %s", error)
                text = campaign.body
            except (UserError, AccessError, ValidationError, ValueError, SyntaxError) as error:
                campaign.preview_error = lib_error_message(self.env, error)
                text = campaign.body
            campaign.preview = text
            campaign.preview_length = sms_text.message_length(text, sign)
            campaign.preview_segments = sms_text.segment_count(text, sign)

    @api.depends("recipient_ids.state", "recipient_ids.segments")
    def _compute_totals(self):
        Recipient = self.env["student.loan.sms.recipient"]
        counts = defaultdict(int)
        segments = defaultdict(int)
        campaigns = self.filtered("id")
        if campaigns:
            for campaign, state, count, parts in Recipient._read_group(
                [("campaign_id", "in", campaigns.ids)], ["campaign_id", "state"], ["__count", "segments:sum"]
            ):
                counts[(campaign.id, state)] = count
                if state in ("sent", "delivered"):
                    segments[campaign.id] += parts or 0
        for campaign in self:
            by_state = {state: counts[(campaign.id, state)] for state, _label in Recipient.STATES}
            campaign.queued_count = by_state["queued"]
            campaign.delivered_count = by_state["delivered"]
            campaign.sent_count = by_state["sent"] + by_state["delivered"]
            campaign.failed_count = by_state["failed"]
            campaign.skipped_count = by_state["skipped"]
            campaign.cancelled_count = by_state["cancelled"]
            campaign.recipient_count = sum(by_state.values())
            campaign.segment_total = segments[campaign.id]
            campaign.delivered_rate = (
                100.0 * campaign.delivered_count / campaign.sent_count if campaign.sent_count else 0.0
            )

    # ------------------------------------------------------------------
    # Constraints and onchanges
    # ------------------------------------------------------------------

    @api.constrains("audience_domain")
    def _check_audience_domain(self):
        for campaign in self:
            try:
                domain = campaign._audience_domain_list()
                self.env["student.loan.student"].search_count(domain, limit=1)
            except Exception as error:
                raise ValidationError(self.env._("The filter is not valid: %s", error)) from error

    @api.constrains("academic_year", "due_days")
    def _check_numbers(self):
        for campaign in self:
            if campaign.audience_kind == "first_loan" and not 2000 <= campaign.academic_year <= 2100:
                raise ValidationError(self.env._("Enter the academic year of the first loans, e.g. 2024."))
            if campaign.due_days < 0:
                raise ValidationError(self.env._("The number of days cannot be negative."))

    @api.onchange("filter_id")
    def _onchange_filter_id(self):
        if self.filter_id:
            self.audience_domain = self.filter_id.domain

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(campaign.state not in ("draft", "cancelled") for campaign in self):
            raise UserError(self.env._("Only draft or cancelled campaigns can be deleted; cancel it first."))

    # ------------------------------------------------------------------
    # Audience
    # ------------------------------------------------------------------

    def _audience_domain_list(self):
        self.ensure_one()
        raw = (self.audience_domain or "").strip() or "[]"
        domain = ast.literal_eval(raw)
        if not isinstance(domain, list | tuple):
            raise ValueError(self.env._("a filter is a list of conditions"))
        return list(domain)

    def _get_audience(self, limit=None):
        """The students to write to, and per-student extra values ({student id: {placeholder: value}}).

        Always restricted to the campaign's centre and the centres below it, and to what the user
        may read (record rules).
        """
        self.ensure_one()
        domain, extra = self._get_audience_domain()
        return self.env["student.loan.student"].search(domain, limit=limit, order="id"), extra

    def _get_audience_domain(self):
        """(domain on students, extra placeholder values) of the audience; see ``_get_audience``."""
        self.ensure_one()
        if not self.centre_id:
            return expression.FALSE_DOMAIN, {}
        domain = [("centre_id", "child_of", self.centre_id.id)] + self._audience_domain_list()
        extra = {}
        if self.audience_kind == "first_loan":
            domain.append(
                (
                    "application_ids",
                    "any",
                    [
                        ("academic_year", "=", self.academic_year),
                        ("loan_kind", "=", "first"),
                        ("state", "!=", "cancelled"),
                    ],
                )
            )
        elif self.audience_kind == "poverty":
            domain.append(("is_poverty_registered", "=", True))
        elif self.audience_kind == "amount_due":
            due_ids, extra = self._get_amount_due()
            domain.append(("id", "in", due_ids))
        return domain, extra

    def _get_amount_due(self):
        """(student ids, {student id: {"金额": amount, "日期": date}}) of the students with an amount due
        within ``due_days`` days. The repayment addon knows the amounts: the bridge addon
        ``student_loan_repayment_sms`` (installed automatically with both) answers; without it the
        audience cannot be built."""
        raise UserError(
            self.env._(
                "The audience 'amount due' needs the repayment module (student_loan_repayment), which is not "
                "installed. Ask the administrator to install it, or choose another audience."
            )
        )

    # ------------------------------------------------------------------
    # Text
    # ------------------------------------------------------------------

    @staticmethod
    def _format_amount(amount):
        amount = float(amount)
        return f"{amount:.0f}" if amount == int(amount) else f"{amount:.2f}"

    @staticmethod
    def _format_date(date):
        return f"{date.year}年{date.month}月{date.day}日" if date else ""

    def _placeholder_values(self, student, coborrower, extra):
        """Values of the Chinese placeholders for one recipient."""
        self.ensure_one()
        values = {
            "姓名": student.name,
            "收件人": coborrower.name if coborrower else student.name,
            "学校": student.school_id.name or "",
            "中心": self.centre_id.name or "",
            "中心电话": self.centre_id.phone or "",
            "年度": f"{self.academic_year}-{self.academic_year + 1}" if self.academic_year else "",
            "金额": self._format_amount(self.amount) if self.amount else "",
            "日期": self._format_date(self.message_date),
            "材料": self.bring_items or "",
            "地点": self.location or "",
        }
        values.update({key: value for key, value in extra.get(student.id, {}).items() if value})
        return values

    def _render_bodies(self, students):
        """The text per student after Odoo expressions ({{ object.… }}) are rendered.

        An unchanged template text renders as the template (templates are written by template
        editors); an edited text renders with Odoo's restrictions for non-editors, as the SMS composer.
        """
        self.ensure_one()
        body = self.body or ""
        if "{{" not in body and "{%" not in body:
            return dict.fromkeys(students.ids, body)
        if self.template_id and body == self.template_id.body:
            return self.template_id._render_field("body", students.ids)
        return self.env["mail.render.mixin"]._render_template(
            body,
            "student.loan.student",
            students.ids,
            engine="inline_template",
        )

    def _check_text(self):
        """Refuse unknown placeholders and, on template-only providers, texts without a registered code."""
        self.ensure_one()
        if not (self.body or "").strip():
            raise UserError(self.env._("Write the text of the message."))
        unknown = [name for name in sms_text.placeholders(self.body) if name not in self.PLACEHOLDERS]
        if unknown:
            raise UserError(
                self.env._(
                    "Unknown placeholder %(names)s. Use: %(known)s.",
                    names=", ".join("{%s}" % name for name in unknown),
                    known=" ".join("{%s}" % name for name in self.PLACEHOLDERS),
                )
            )
        if self.gateway_id.provider in self.gateway_id.TEMPLATE_PROVIDERS:
            if not self.template_id or not self.template_code_id:
                raise UserError(
                    self.env._(
                        "%(gateway)s only sends templates registered with the provider: choose a template that has a "
                        "provider template code for this gateway (Configuration > SMS Template Codes).",
                        gateway=self.gateway_id.name,
                    )
                )
            if (self.body or "").strip() != (self.template_id.body or "").strip():
                raise UserError(
                    self.env._(
                        "%(gateway)s only sends the registered text of template %(code)s: undo the changes to the text "
                        "or send through a generic HTTP gateway.",
                        gateway=self.gateway_id.name,
                        code=self.template_code_id.template_code,
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_preview_audience(self):
        self.ensure_one()
        students, _extra = self._get_audience()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Audience of %s", self.name),
            "res_model": "student.loan.student",
            "view_mode": "list,form",
            "domain": [("id", "in", students.ids)],
            "target": "current",
        }

    def action_view_recipients(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("student_loan_sms.student_loan_sms_recipient_action")
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"search_default_group_state": 1}
        return action

    def action_send(self):
        """Queue the campaign (supervisors): one message per recipient, checked before anything is queued."""
        if not self.env.user.has_group("student_loan.group_supervisor"):
            raise AccessError(self.env._("Only a supervisor (负责人) can send an SMS campaign."))
        for campaign in self:
            campaign._queue()
        self._trigger_dispatch(at=min(self.mapped("scheduled_date") or [False]) or None)
        return True

    def action_cancel(self):
        for campaign in self:
            if campaign.state == "done":
                raise UserError(self.env._("%s is finished: it cannot be cancelled.", campaign.name))
            campaign.recipient_ids.sudo()._cancel_queued(reason=self.env._("Campaign cancelled"))
        self.write({"state": "cancelled"})
        return True

    def action_draft(self):
        for campaign in self:
            if campaign.state != "cancelled" or campaign.recipient_ids.filtered(lambda r: r.state != "cancelled"):
                raise UserError(self.env._("Only a cancelled campaign that sent nothing can go back to draft."))
        self.recipient_ids.sudo().unlink()
        self.write({"state": "draft"})
        return True

    def action_retry_failed(self):
        """Queue again the lines the provider refused (never the ones it accepted: nothing is sent twice)."""
        if not self.env.user.has_group("student_loan.group_supervisor"):
            raise AccessError(self.env._("Only a supervisor (负责人) can send an SMS campaign."))
        for campaign in self:
            lines = campaign.recipient_ids.filtered(
                lambda line: line.state == "failed" and not line.provider_ref and line.error_code != "InvalidNumber"
            )
            if not lines:
                raise UserError(self.env._("No failed message of %s can be sent again.", campaign.name))
            campaign.gateway_id._check_ready()
            lines.sudo().write(
                {
                    "state": "queued",
                    "sms_uuid": False,
                    "attempts": 0,
                    "next_try": False,
                    "failure_reason": False,
                    "error_code": False,
                }
            )
            campaign.state = "sending"
            campaign._prepare_outgoing(limit=self.PREPARE_NOW)
            campaign.message_post(body=self.env._("%s failed message(s) queued again.", len(lines)))
        self._trigger_dispatch()
        return True

    # ------------------------------------------------------------------
    # Queueing
    # ------------------------------------------------------------------

    def _queue(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("%s has been sent already.", self.name))
        if not self.gateway_id:
            raise UserError(
                self.env._(
                    "No SMS gateway is configured for %s or the centres above it. Ask the province administrator.",
                    self.centre_id.display_name,
                )
            )
        self.gateway_id._check_ready()
        students, extra = self._get_audience()
        self._check_text()
        if not students:
            raise UserError(
                self.env._(
                    "The audience is empty: no student of %s matches. Check the audience and the filter.",
                    self.centre_id.display_name,
                )
            )
        # in batches of students: rendered, checked and inserted batch by batch, so a province-wide campaign
        # never holds 100,000 rendered messages at once; a number already seen in an earlier batch is a duplicate
        Recipient = self.env["student.loan.sms.recipient"].sudo()
        summary = defaultdict(int)
        seen = set()
        for batch in split_every(self.QUEUE_BATCH, students.ids, students.browse):
            vals_list = self._recipient_vals(batch, extra, seen=seen)
            for vals in vals_list:
                summary[vals.get("skip_reason") or vals["state"]] += 1
            Recipient._insert_lines(vals_list)
            self.env.flush_all()
            self.env.invalidate_all()
        if not summary["queued"]:
            raise UserError(
                self.env._("Nobody can receive this campaign: every recipient opted out or has no valid mobile number.")
            )
        self.write({"state": "queued", "sent_by_id": self.env.user.id, "queued_date": fields.Datetime.now()})
        self.message_post(
            body=self.env._(
                "Queued by %(user)s: %(queued)s message(s) to send; not sent: %(optout)s opted out, %(duplicate)s "
                "duplicate number(s), %(invalid)s invalid number(s).",
                user=self.env.user.name,
                queued=summary["queued"],
                optout=summary["opt_out"],
                duplicate=summary["duplicate"],
                invalid=summary["failed"],
            )
        )
        self._prepare_outgoing(limit=self.PREPARE_NOW)

    def _recipient_vals(self, students, extra, seen=None):
        """Render every message and decide who gets one; raise if any placeholder has no value.

        ``seen``: the numbers that already get the campaign (from earlier batches); updated.
        """
        self.ensure_one()
        gateway = self.gateway_id
        sign = gateway.sign_name or ""
        variables = self.template_code_id._variables(self.body) if self.template_code_id else []
        template_code = self.template_code_id.template_code or False
        bodies = self._render_bodies(students)
        targets = []
        for student in students:
            targets.append((student, self.env["student.loan.coborrower"], student.mobile))
            if self.include_coborrowers:
                targets.extend((student, coborrower, coborrower.mobile) for coborrower in student.coborrower_ids)
        numbers = {}
        for _student, _coborrower, raw in targets:
            try:
                numbers[raw] = sms_text.normalize_cn_mobile(raw)
            except ValueError:
                numbers[raw] = None
        # numbers are E.164 already, as the blacklist stores them: plain SQL spares 100,000 re-formattings
        self.env["phone.blacklist"].flush_model(["number", "active"])
        self.env.cr.execute(
            "SELECT number FROM phone_blacklist WHERE active AND number = ANY(%s)",
            [[n for n in numbers.values() if n]],
        )
        blacklisted = {row[0] for row in self.env.cr.fetchall()}
        missing = defaultdict(list)
        seen = set() if seen is None else seen
        vals_list = []
        for student, coborrower, raw in targets:
            values = self._placeholder_values(student, coborrower, extra)
            try:
                text = sms_text.render(bodies[student.id], values)
            except sms_text.MissingPlaceholderError as error:
                for name in error.names:
                    missing[name].append(coborrower.name if coborrower else student.name)
                continue
            number = numbers[raw]
            vals = {
                "campaign_id": self.id,
                "gateway_id": gateway.id,
                "centre_id": student.centre_id.id,
                "student_id": student.id,
                "coborrower_id": coborrower.id,
                "partner_id": False if coborrower else student.partner_id.id,
                "name": coborrower.name if coborrower else student.name,
                "number": number or raw or "",
                "body": text,
                "char_count": sms_text.message_length(text, sign),
                "segments": sms_text.segment_count(text, sign),
                "template_code": template_code,
                "template_params": json.dumps(
                    [[variable, values.get(placeholder, "")] for variable, placeholder in variables],
                    ensure_ascii=False,
                ),
                "state": "queued",
            }
            if not number:
                vals.update(
                    state="failed",
                    error_code="InvalidNumber",
                    failure_reason=self.env._("Invalid mobile number: %s", raw)
                    if raw
                    else self.env._("No mobile number"),
                )
            elif (not coborrower and student.sms_opt_out) or number in blacklisted:
                vals.update(state="skipped", skip_reason="opt_out", failure_reason=self.env._("Opted out of SMS"))
            elif number in seen:
                vals.update(
                    state="skipped",
                    skip_reason="duplicate",
                    failure_reason=self.env._("The number already gets this campaign"),
                )
            else:
                seen.add(number)
            vals_list.append(vals)
        if missing:
            raise UserError(
                "\n".join(
                    self.env._(
                        "The text needs {%(name)s} but it has no value for %(who)s%(more)s. Fill it in on the campaign "
                        "or remove the placeholder.",
                        name=name,
                        who=", ".join(who[:3]),
                        more=self.env._(" and %s more", len(who) - 3) if len(who) > 3 else "",
                    )
                    for name, who in missing.items()
                )
            )
        return vals_list

    def _prepare_outgoing(self, limit=None):
        """Put queued lines into Odoo's SMS queue (one outgoing ``sms.sms`` each); answer how many.

        One ``INSERT … SELECT`` per call: the ``sms.sms`` rows of a province-wide campaign are plain queue
        rows (no chatter message, notification or tracker: a campaign keeps the per-recipient status on
        its recipient lines and one summary in its own chatter), created at the speed of the database
        instead of the ORM's half millisecond per record. They are sent by ``sms.sms.send()`` as any other.
        The lines are locked (``SKIP LOCKED``) and get their SMS's UUID in the same transaction, so two
        workers never queue the same line twice.
        """
        if not self:
            return 0
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            WITH todo AS (
                SELECT line.id, line.body, line.number, line.partner_id, line.gateway_id, campaign.scheduled_date
                  FROM student_loan_sms_recipient line
                  JOIN student_loan_sms_campaign campaign ON campaign.id = line.campaign_id
                 WHERE line.campaign_id = ANY(%(campaigns)s) AND line.state = 'queued' AND line.sms_uuid IS NULL
                 ORDER BY line.id
                 LIMIT %(limit)s
                   FOR NO KEY UPDATE OF line SKIP LOCKED
            ),
            created AS (
                INSERT INTO sms_sms (uuid, body, number, partner_id, state, to_delete, sl_gateway_id, sl_recipient_id,
                                     sl_next_try, sl_attempts, create_uid, create_date, write_uid, write_date)
                SELECT replace(gen_random_uuid()::text, '-', ''), body, number, partner_id, 'outgoing', false,
                       gateway_id, id, scheduled_date, 0, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM todo
                RETURNING sl_recipient_id, uuid
            )
            SELECT sl_recipient_id, uuid FROM created
            """,
                campaigns=self.ids,
                limit=limit,
                uid=self.env.uid,
                now=self.env.cr.now(),
            )
        )
        uuids = dict(self.env.cr.fetchall())
        # by id (the lines' primary key), the batch's lines only
        self.env["student.loan.sms.recipient"].sudo()._bulk_set("sms_uuid", uuids)
        self.env["sms.sms"].invalidate_model()
        return len(uuids)

    # ------------------------------------------------------------------
    # Dispatch (cron)
    # ------------------------------------------------------------------

    @api.model
    def _can_commit(self):
        return not (getattr(threading.current_thread(), "testing", False) or self.env.context.get("sl_sms_no_commit"))

    @api.model
    def _trigger_dispatch(self, at=None):
        cron = self.env.ref("student_loan_sms.ir_cron_student_loan_sms_dispatch", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger(at=at)

    @api.model
    def _due_sms_domain(self, now=None):
        now = now or fields.Datetime.now()
        gateways = self.env["student.loan.sms.gateway"].sudo().search([("blocked", "=", False)])
        open_gateways = gateways.filtered(lambda gateway: not gateway._is_quiet(now))
        return [
            ("sl_gateway_id", "in", open_gateways.ids),
            ("state", "=", "outgoing"),
            ("to_delete", "=", False),
            ("sl_dispatch_started", "=", False),
            "|",
            ("sl_next_try", "=", False),
            ("sl_next_try", "<=", now),
        ]

    @api.model
    def _cron_dispatch(self, limit=None):
        """Prepare queued lines, then hand one batch of due messages to the gateways.

        Reports progress so that the cron runner calls again while work remains; schedules itself
        for the next retry or the end of quiet hours otherwise.
        """
        limit = limit or int(self.env["ir.config_parameter"].sudo().get_param("student_loan_sms.dispatch_batch", 1000))
        campaigns = self.sudo().search([("state", "in", ("queued", "sending"))])
        prepared = campaigns._prepare_outgoing(limit=limit)
        SmsSms = self.env["sms.sms"].sudo()
        SmsSms.with_context(sl_sms_defer_progress=True)._sl_expire_interrupted()
        due = SmsSms.search(self._due_sms_domain(), limit=limit, order="id")
        if due:
            due.with_context(sl_sms_defer_progress=True).send(
                unlink_failed=False, unlink_sent=True, auto_commit=self._can_commit(), raise_exception=False
            )
        campaigns._update_progress_state()
        remaining = SmsSms.search_count(self._due_sms_domain()) + self.env[
            "student.loan.sms.recipient"
        ].sudo().search_count(
            [("campaign_id", "in", campaigns.ids), ("state", "=", "queued"), ("sms_uuid", "=", False)]
        )
        self.env["ir.cron"]._notify_progress(done=prepared + len(due), remaining=remaining)
        if not remaining:
            self._schedule_next_dispatch()
        return prepared + len(due)

    @api.model
    def _schedule_next_dispatch(self):
        """Wake the cron for the earliest waiting message: its next retry or the end of quiet hours."""
        now = fields.Datetime.now()
        moments = []
        for gateway, next_try in (
            self.env["sms.sms"]
            .sudo()
            ._read_group(
                [
                    ("sl_gateway_id.blocked", "=", False),
                    ("state", "=", "outgoing"),
                    ("to_delete", "=", False),
                    ("sl_dispatch_started", "=", False),
                ],
                ["sl_gateway_id"],
                ["sl_next_try:min"],
            )
        ):
            moment = next_try if next_try and next_try > now else now
            if gateway._is_quiet(moment):
                moment = gateway._quiet_end_at(moment)
            if moment > now:
                moments.append(moment)
        interrupted = (
            self.env["sms.sms"]
            .sudo()
            .search(
                [("state", "=", "outgoing"), ("to_delete", "=", False), ("sl_dispatch_started", "!=", False)],
                order="sl_dispatch_started",
                limit=1,
            )
        )
        if interrupted:  # wake up to fail it once its receipt is overdue
            timeout = int(
                self.env["ir.config_parameter"]
                .sudo()
                .get_param("student_loan_sms.dispatch_unknown_timeout", interrupted.INTERRUPTED_TIMEOUT)
            )
            moments.append(max(interrupted.sl_dispatch_started + timedelta(seconds=timeout), now))
        if moments:
            self._trigger_dispatch(at=min(moments) + timedelta(seconds=1))

    def _update_progress_state(self):
        """queued → sending once something went out; → done when nothing is left queued."""
        campaigns = self.sudo().filtered(lambda campaign: campaign.state in ("queued", "sending"))
        if not campaigns:
            return
        counts = defaultdict(int)
        for campaign, state, count in (
            self.env["student.loan.sms.recipient"]
            .sudo()
            ._read_group([("campaign_id", "in", campaigns.ids)], ["campaign_id", "state"], ["__count"])
        ):
            counts[(campaign.id, state)] = count
        for campaign in campaigns:
            queued = counts[(campaign.id, "queued")]
            handled = sum(counts[(campaign.id, state)] for state in ("sent", "delivered", "failed"))
            if not queued:
                campaign.write({"state": "done", "done_date": fields.Datetime.now()})
                campaign.message_post(
                    body=self.env._(
                        "Finished: %(sent)s sent (%(delivered)s delivered so far), %(failed)s failed, %(skipped)s "
                        "skipped.",
                        sent=counts[(campaign.id, "sent")] + counts[(campaign.id, "delivered")],
                        delivered=counts[(campaign.id, "delivered")],
                        failed=counts[(campaign.id, "failed")],
                        skipped=counts[(campaign.id, "skipped")],
                    )
                )
            elif handled and campaign.state == "queued":
                campaign.state = "sending"
