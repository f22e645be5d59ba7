import io
import json
import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..smslib import providers
from ..smslib import text as sms_text

_logger = logging.getLogger(__name__)


def _copy_text(value):
    """A value in PostgreSQL's COPY text format (None → NULL)."""
    if value is None:
        return "\\N"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class StudentLoanSmsRecipient(models.Model):
    """One message to one number: a campaign's recipient line, or the log of a single SMS routed
    through a gateway. The status follows the provider's answers and delivery receipts."""

    _name = "student.loan.sms.recipient"
    _description = "SMS Recipient"
    _order = "id desc"
    _rec_name = "number"

    STATES = [
        ("queued", "Queued"),
        ("sent", "Sent"),
        ("delivered", "Delivered"),
        ("failed", "Failed"),
        ("skipped", "Skipped"),
        ("cancelled", "Cancelled"),
    ]
    SKIP_REASONS = [
        ("opt_out", "Opted out"),
        ("duplicate", "Duplicate number"),
    ]

    campaign_id = fields.Many2one("student.loan.sms.campaign", index=True, ondelete="cascade")
    gateway_id = fields.Many2one("student.loan.sms.gateway", index=True, ondelete="restrict")
    centre_id = fields.Many2one("student.loan.centre", string="Aid Centre", index=True, required=True)
    student_id = fields.Many2one("student.loan.student", index=True, ondelete="cascade")
    coborrower_id = fields.Many2one("student.loan.coborrower", string="Co-borrower", ondelete="set null")
    partner_id = fields.Many2one("res.partner", string="Contact", ondelete="set null")
    name = fields.Char(string="Recipient")
    number = fields.Char(index=True)
    body = fields.Text(string="Message")
    char_count = fields.Integer(string="Characters", help="Characters billed, the sign name included.")
    segments = fields.Integer(string="Parts", help="Billed SMS: one up to 70 characters, else parts of 67.")
    template_code = fields.Char(string="Provider Template Code")
    template_params = fields.Text(string="Template Parameters", help="JSON list of [variable, value] pairs.")
    state = fields.Selection(STATES, default="queued", required=True, index=True)
    skip_reason = fields.Selection(SKIP_REASONS)
    failure_reason = fields.Char(string="Reason")
    error_code = fields.Char()
    attempts = fields.Integer()
    next_try = fields.Datetime(string="Next Attempt")
    provider_ref = fields.Char(string="Provider Reference", index=True, help="BizId, SerialNo or message ID.")
    sms_uuid = fields.Char(string="SMS UUID", index=True, copy=False)
    dispatch_started = fields.Datetime(
        string="Handed to Provider",
        copy=False,
        index="btree_not_null",
        help="Set (and committed) before the request to the provider; cleared when its answer is recorded. Still "
        "set on a queued line: the dispatch was interrupted, the message is not sent again.",
    )
    mail_message_id = fields.Many2one("mail.message", string="Chatter Message", ondelete="set null")
    sent_date = fields.Datetime(string="Sent On")
    delivered_date = fields.Datetime(string="Delivered On")
    dry_run = fields.Boolean()

    def init(self):
        # One live message per number and campaign: the database itself refuses to send twice.
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS student_loan_sms_recipient_campaign_number_uniq
                ON student_loan_sms_recipient (campaign_id, number)
             WHERE campaign_id IS NOT NULL AND state IN ('queued', 'sent', 'delivered')
        """)
        # The campaign lines still to send (_dispatch_due), found without scanning the sent ones.
        self.env.cr.execute("DROP INDEX IF EXISTS student_loan_sms_recipient_to_prepare_idx")
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS student_loan_sms_recipient_to_send_idx
                ON student_loan_sms_recipient (campaign_id, id)
             WHERE state = 'queued' AND dispatch_started IS NULL
        """)

    @api.depends("name", "number")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.name} ({line.number})" if line.name else (line.number or "")

    # ------------------------------------------------------------------
    # Bulk helpers
    # ------------------------------------------------------------------

    # the columns a campaign's lines are inserted with (see _insert_lines)
    INSERT_COLUMNS = (
        "campaign_id",
        "gateway_id",
        "centre_id",
        "student_id",
        "coborrower_id",
        "partner_id",
        "name",
        "number",
        "body",
        "char_count",
        "segments",
        "template_code",
        "template_params",
        "state",
        "skip_reason",
        "error_code",
        "failure_reason",
    )

    @api.model
    def _insert_lines(self, vals_list):
        """Insert a campaign's recipient lines in one statement per 1,000 (province-sized campaigns).

        The lines have no computed or related stored field; the values are the ones ``create`` would
        write (ids of many2one, plain text), the selection values are checked here.
        """
        if not vals_list:
            return
        states = {state for state, _label in self.STATES}
        reasons = {reason for reason, _label in self.SKIP_REASONS}
        for vals in vals_list:
            if vals["state"] not in states or (vals.get("skip_reason") or None) not in reasons | {None}:
                raise ValueError(f"Wrong state or skip reason in {vals!r}")
        self.env.flush_all()
        now = self.env.cr.now().isoformat(sep=" ")
        uid = str(self.env.uid)
        columns = ", ".join(f'"{column}"' for column in self.INSERT_COLUMNS)
        buffer = io.StringIO()
        for vals in vals_list:
            row = [_copy_text(vals.get(column) or None) for column in self.INSERT_COLUMNS[:9]]
            row.append(str(vals.get("char_count") or 0))
            row.append(str(vals.get("segments") or 0))
            row.extend(_copy_text(vals.get(column) or None) for column in self.INSERT_COLUMNS[11:])
            row.extend((uid, now, uid, now))
            buffer.write("\t".join(row))
            buffer.write("\n")
        buffer.seek(0)
        # COPY: one round trip and no per-row SQL text to build (a campaign inserts 100,000 lines)
        self.env.cr._obj.copy_expert(
            f'COPY "{self._table}" ({columns}, create_uid, create_date, write_uid, write_date) FROM STDIN',
            buffer,
        )
        self.invalidate_model()
        self.env["student.loan.sms.campaign"].invalidate_model(["recipient_ids"])

    @api.model
    def _mark_sent(self, values_by_id, sent_date, dry_run=False):
        """Lines accepted by the provider: ``{line id: (provider reference, attempts)}``.

        One UPDATE per batch: a province-wide campaign marks 100,000 lines this way.
        """
        if not values_by_id:
            return
        fnames = [
            "state",
            "sent_date",
            "failure_reason",
            "error_code",
            "next_try",
            "dry_run",
            "provider_ref",
            "attempts",
            "dispatch_started",
            "write_date",
            "write_uid",
        ]
        lines = self.browse(list(values_by_id))
        lines.flush_recordset(fnames)
        ids, refs, attempts = [], [], []
        for line_id, (ref, attempt) in values_by_id.items():
            ids.append(line_id)
            refs.append(ref or None)
            attempts.append(attempt)
        # arrays rather than a VALUES list: psycopg2 adapts them in C, not row by row in Python
        self.env.cr.execute(
            f"""
            UPDATE "{self._table}" AS line
               SET state = 'sent', sent_date = %(now)s, failure_reason = NULL, error_code = NULL,
                   next_try = NULL, dry_run = %(dry_run)s, provider_ref = data.ref, attempts = data.attempts,
                   dispatch_started = NULL, write_date = %(now)s, write_uid = %(uid)s
              FROM unnest(%(ids)s::int[], %(refs)s::varchar[], %(attempts)s::int[]) AS data(id, ref, attempts)
             WHERE line.id = data.id
            """,
            {
                "now": sent_date,
                "dry_run": bool(dry_run),
                "uid": self.env.uid,
                "ids": ids,
                "refs": refs,
                "attempts": attempts,
            },
        )
        lines.invalidate_recordset(fnames)
        self.env["student.loan.sms.campaign"].invalidate_model()  # their totals

    # ------------------------------------------------------------------
    # Dispatch of campaigns
    # ------------------------------------------------------------------

    @api.model
    def _dispatch_due(self, campaign_ids=None, limit=1000, auto_commit=False):
        """Send up to ``limit`` due lines of campaigns (all of them, or ``campaign_ids``); answer how many.

        The campaign path of the dispatch, at the provider's speed and with no record per message: the
        batch is chosen, locked (``SKIP LOCKED``: parallel jobs never share a line) and marked handed to
        the provider (``dispatch_started``) in one statement, which also reads what the requests need.
        That mark is committed before the HTTP calls when commits are allowed: a batch whose answer is
        lost (process killed) is never sent again; receipts settle it, or it fails visibly after
        ``student_loan_sms.dispatch_unknown_timeout`` (:meth:`_expire_interrupted`). The accepted lines
        are then updated with one statement; refusals and retries (few) line by line.
        """
        gateways = self.env["student.loan.sms.gateway"].sudo().search([("blocked", "=", False)])
        now = fields.Datetime.now()
        open_gateways = gateways.filtered(lambda gateway: not gateway._is_quiet(now))
        if not open_gateways:
            return 0
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            WITH due AS (
                SELECT line.id FROM student_loan_sms_recipient line
                  JOIN student_loan_sms_campaign campaign ON campaign.id = line.campaign_id
                 WHERE line.state = 'queued' AND line.dispatch_started IS NULL
                   AND campaign.state IN ('queued', 'sending')
                   AND (%(all)s OR line.campaign_id = ANY(%(campaigns)s))
                   AND line.gateway_id = ANY(%(gateways)s)
                   AND (line.next_try IS NULL OR line.next_try <= %(now)s)
                   AND (campaign.scheduled_date IS NULL OR campaign.scheduled_date <= %(now)s)
                 ORDER BY line.id
                 LIMIT %(limit)s
                   FOR NO KEY UPDATE OF line SKIP LOCKED
            )
            UPDATE student_loan_sms_recipient line SET dispatch_started = %(now)s
              FROM due WHERE line.id = due.id
            RETURNING line.id, line.gateway_id, line.number, line.body, coalesce(line.attempts, 0),
                      line.template_code, line.template_params
            """,
                gateways=open_gateways.ids,
                all=campaign_ids is None,
                campaigns=list(campaign_ids or []),
                now=now,
                limit=limit,
            )
        )
        by_gateway = defaultdict(dict)
        for line_id, gateway_id, *row in self.env.cr.fetchall():
            by_gateway[gateway_id][line_id] = row
        if not by_gateway:
            return 0
        self.invalidate_model(["dispatch_started"])
        if auto_commit and self.env["student.loan.sms.campaign"]._can_commit():
            # a dispatch killed while the provider answers must not resend them
            self.env.cr.commit()  # pylint: disable=invalid-commit
        count = 0
        for gateway_id, rows in by_gateway.items():
            gateway = self.env["student.loan.sms.gateway"].sudo().browse(gateway_id)
            messages, results = self._dispatch_messages(gateway, rows)
            results += gateway._send_messages(messages)
            self._record_results(gateway, results, rows)
            count += len(rows)
        return count

    @api.model
    def _dispatch_messages(self, gateway, rows):
        """Provider messages for the lines ``{id: (number, body, attempts, code, params)}``, and the
        results decided before sending (bad number, no template)."""
        entries = (
            (f"line-{line_id}", number, body, code, [tuple(pair) for pair in json.loads(params or "[]")])
            for line_id, (number, body, _attempts, code, params) in rows.items()
        )
        return gateway._provider_messages(
            entries,
            lambda: self.env._("%s only sends registered templates: choose a template with a code.", gateway.name),
        )

    @api.model
    def _record_results(self, gateway, results, rows):
        """The provider's answers: accepted lines in one statement, the others one by one."""
        now = fields.Datetime.now()
        line_of = {f"line-{line_id}": line_id for line_id in rows}
        sent, retry, failed, gateway_errors = {}, [], [], []
        for result in results:
            line_id = line_of.get(result.uuid)
            if not line_id:
                continue
            attempts = rows[line_id][2] + 1
            if result.status == providers.SENT:
                sent[line_id] = (result.ref, attempts)
            elif result.status == providers.RETRY and attempts < gateway.max_attempts:
                retry.append((line_id, result, attempts))
            elif result.status == providers.RETRY:
                error = f"{result.code} {result.message}".strip()
                message = self.env._("Gave up after %(count)s attempts: %(error)s", count=attempts, error=error)
                failed.append(
                    (line_id, providers.SendResult(result.uuid, providers.FAILED, result.code, message), attempts)
                )
            elif result.status == providers.GATEWAY:
                gateway_errors.append((line_id, result))
            else:
                failed.append((line_id, result, attempts))
        self._mark_sent(sent, now, gateway.dry_run)
        for line_id, result, attempts in retry:
            error = f"{result.code} {result.message}".strip()
            self.browse(line_id).write(
                {
                    "attempts": attempts,
                    "next_try": now
                    + timedelta(seconds=sms_text.backoff_seconds(attempts, base=gateway.retry_delay or 60)),
                    "error_code": result.code,
                    "failure_reason": self.env._("Retry %(count)s: %(error)s", count=attempts, error=error),
                    "dispatch_started": False,
                }
            )
        for line_id, result, attempts in failed:
            self.browse(line_id).write(
                {
                    "state": "failed",
                    "error_code": result.code,
                    "failure_reason": f"{result.code}: {result.message}" if result.message else result.code,
                    "attempts": attempts,
                    "next_try": False,
                    "dispatch_started": False,
                }
            )
        if gateway_errors:
            # the account is refused: nothing went out, the lines stay queued for when it is unblocked
            self.browse([line_id for line_id, _result in gateway_errors]).write({"dispatch_started": False})
            gateway._block(gateway_errors[0][1].code, gateway_errors[0][1].message)

    @api.model
    def _expire_interrupted(self, now=None):
        """Fail the lines of an interrupted dispatch still without receipt after the timeout (never resent)."""
        now = now or fields.Datetime.now()
        timeout = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("student_loan_sms.dispatch_unknown_timeout", self.env["sms.sms"].INTERRUPTED_TIMEOUT)
        )
        stale = self.sudo().search(
            [
                ("state", "=", "queued"),
                ("dispatch_started", "!=", False),
                ("dispatch_started", "<=", now - timedelta(seconds=timeout)),
            ]
        )
        if stale:
            stale.write(
                {
                    "state": "failed",
                    "error_code": self.env["sms.sms"].INTERRUPTED_CODE,
                    "failure_reason": "%s: %s"
                    % (
                        self.env["sms.sms"].INTERRUPTED_CODE,
                        self.env._("outcome unknown after an interrupted dispatch: not resent to avoid a duplicate"),
                    ),
                    "attempts": 1,
                    "dispatch_started": False,
                }
            )
            stale.campaign_id._update_progress_state()
        return len(stale)

    # ------------------------------------------------------------------
    # Delivery receipts
    # ------------------------------------------------------------------

    @api.model
    def _apply_receipts(self, gateway, receipts):
        """Mark lines delivered or failed from the provider's receipts; answer the number matched.

        Receipts match on the provider reference and the number (Alibaba Cloud gives one BizId to
        every number of a request). Receipts of unknown messages are logged and ignored; a repeated
        receipt changes nothing.
        """
        refs = list({receipt.ref for receipt in receipts if receipt.ref})
        if not refs:
            return 0
        lines = self.search([("gateway_id", "=", gateway.id), ("provider_ref", "in", refs)])
        index = {}
        for line in lines:
            index.setdefault((line.provider_ref, line.number), line)
            index.setdefault((line.provider_ref, None), line)
        delivered = self.browse()
        failed = {}
        for receipt in receipts:
            try:
                number = sms_text.normalize_cn_mobile(receipt.number)
            except ValueError:
                number = None
            line = index.get((receipt.ref, number))
            if line is None and (number is None or "*" in receipt.number):
                # masked or missing number: accept a reference that names a single line
                candidates = lines.filtered(lambda rec, ref=receipt.ref: rec.provider_ref == ref)
                line = candidates if len(candidates) == 1 else None
            if line is None and number and receipt.ref:
                line = self._interrupted_line(gateway, number)  # its answer was lost: adopt the receipt's ref
                if line:
                    line.provider_ref = receipt.ref
            if line is None:
                _logger.info("SMS receipt for unknown message %s / %s ignored", receipt.ref, receipt.number)
                continue
            if line.state not in ("sent", "queued"):
                continue  # already final: receipts may come twice
            if receipt.delivered:
                delivered |= line
            else:
                reason = " ".join(part for part in (receipt.code, receipt.message) if part) or "not delivered"
                failed.setdefault((receipt.code, reason), self.browse())
                failed[(receipt.code, reason)] |= line
        now = fields.Datetime.now()
        if delivered:
            delivered.write({"state": "delivered", "delivered_date": now, "failure_reason": False})
            self._update_trackers(delivered, "sent")
        for (code, reason), group in failed.items():
            group.write({"state": "failed", "error_code": code, "failure_reason": reason})
            self._update_trackers(group, "exception", failure_type="sms_not_delivered", failure_reason=reason)
        touched = delivered | self.browse([line.id for group in failed.values() for line in group])
        touched.campaign_id._update_progress_state()
        return len(touched)

    @api.model
    def _interrupted_line(self, gateway, number):
        """The single line to ``number`` whose SMS was handed to the provider by an interrupted dispatch."""
        lines = self.search(
            [
                ("gateway_id", "=", gateway.id),
                ("state", "=", "queued"),
                ("dispatch_started", "!=", False),
                ("provider_ref", "=", False),
                ("number", "=", number),
            ]
        )
        return lines if len(lines) == 1 else None

    @api.model
    def _update_trackers(self, lines, notification_status, failure_type=False, failure_reason=False):
        """Reflect a status on the chatter notifications (through Odoo's sms.tracker)."""
        uuids = [uuid for uuid in lines.mapped("sms_uuid") if uuid]
        if not uuids:
            return
        trackers = self.env["sms.tracker"].sudo().search([("sms_uuid", "in", uuids)])
        trackers.with_context(sms_skip_msg_notification=True)._update_sms_notifications(
            notification_status, failure_type=failure_type, failure_reason=failure_reason
        )
        self.env["sms.sms"].sudo().search([("uuid", "in", uuids), ("to_delete", "=", False)]).to_delete = True

    # ------------------------------------------------------------------
    # Replies: opt-out and log
    # ------------------------------------------------------------------

    @api.model
    def _students_by_number(self, number):
        national = sms_text.national_number(number)
        return self.env["student.loan.student"].sudo().search([("mobile", "in", [national, number])])

    @api.model
    def _opt_out_number(self, number, reply_text):
        """A reply such as 'TD' or '退订': blacklist the number, flag the students using it, and cancel
        what is still queued for it."""
        self.env["phone.blacklist"].sudo()._add([number], message=self.env._("SMS reply '%s'", reply_text))
        students = self._students_by_number(number)
        students.filtered(lambda student: not student.sms_opt_out).with_context(sl_sms_from_reply=True).write(
            {"sms_opt_out": True}
        )
        for student in students:
            student.message_post(
                body=self.env._(
                    "Unsubscribed from SMS by replying '%(reply)s' from %(number)s.",
                    reply=reply_text,
                    number=number,
                )
            )
        queued = self.search([("number", "=", number), ("state", "=", "queued")])
        queued._cancel_queued(skip_reason="opt_out", reason=self.env._("Opted out by SMS reply"))
        return True

    @api.model
    def _log_reply(self, number, reply_text):
        for student in self._students_by_number(number):
            student.message_post(body=self.env._("SMS reply from %(number)s: %(text)s", number=number, text=reply_text))
        return True

    def _cancel_queued(self, skip_reason=False, reason=False):
        """Withdraw queued lines and their outgoing SMS (nothing of them is sent afterwards)."""
        lines = self.filtered(lambda line: line.state == "queued")
        if not lines:
            return
        uuids = [uuid for uuid in lines.mapped("sms_uuid") if uuid]
        if uuids:
            sms = self.env["sms.sms"].sudo().search([("uuid", "in", uuids), ("state", "=", "outgoing")])
            sms.action_set_canceled()
            sms.to_delete = True
        lines.write(
            {
                "state": "skipped" if skip_reason else "cancelled",
                "skip_reason": skip_reason,
                "failure_reason": reason,
                "next_try": False,
            }
        )
        lines.campaign_id._update_progress_state()
