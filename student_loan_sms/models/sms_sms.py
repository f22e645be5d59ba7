import json
import logging
from datetime import timedelta

from odoo import fields, models, tools

from ..smslib import providers
from ..smslib import text as sms_text

_logger = logging.getLogger(__name__)


class SmsSms(models.Model):
    """Route SMS about students through their aid centre's gateway.

    Odoo 18 sends with ``sms.sms._send()`` → ``SmsApi(env)._send_sms_batch()`` (Odoo IAP) and has no
    provider hook, so the override sits at ``send``/``_send``: an SMS that belongs to a campaign, or
    whose recipient is a student of a centre with a gateway, goes to that gateway; anything else
    follows Odoo's own path. ``send`` also holds back what must wait (quiet hours, retry back-off,
    blocked gateway) and locks the rows it sends, so two workers never send the same SMS.

    Delivery is at most once: before a request goes to the provider its messages get
    ``sl_dispatch_started`` (committed when the caller allows commits). Should the process die before
    the answer is recorded, a restarted dispatch never sends them again: a delivery receipt settles
    them, or after ``student_loan_sms.dispatch_unknown_timeout`` seconds they fail with a visible
    reason (see :meth:`_sl_expire_interrupted`).
    """

    INTERRUPTED_CODE = "DispatchInterrupted"
    INTERRUPTED_TIMEOUT = 6 * 3600  # seconds without receipt before an interrupted SMS is marked failed

    _inherit = "sms.sms"

    # provider error codes that mean a wrong number / no credit (the rest: 'unknown' with the reason)
    NUMBER_ERRORS = {
        "isv.MOBILE_NUMBER_ILLEGAL",
        "isv.MOBILE_COUNT_OVER_LIMIT",
        "InvalidParameterValue.IncorrectPhoneNumber",
        "InvalidNumber",
        "invalid_number",
    }
    CREDIT_ERRORS = {"isv.AMOUNT_NOT_ENOUGH", "FailedOperation.InsufficientBalanceInSmsPackage"}

    sl_gateway_id = fields.Many2one(
        "student.loan.sms.gateway",
        string="Student-Loan Gateway",
        index="btree_not_null",
        ondelete="set null",
    )
    sl_recipient_id = fields.Many2one(
        "student.loan.sms.recipient",
        string="Recipient Line",
        index="btree_not_null",
        ondelete="set null",
    )
    sl_next_try = fields.Datetime(string="Not Before")
    sl_attempts = fields.Integer(string="Attempts")
    sl_dispatch_started = fields.Datetime(
        string="Handed to Provider",
        copy=False,
        index="btree_not_null",
        help="Set (and committed) before the request to the provider; cleared when its answer is recorded. "
        "Still set on an outgoing SMS: the dispatch was interrupted, the SMS is not sent again.",
    )

    # ------------------------------------------------------------------
    # Routing
    # ------------------------------------------------------------------

    def _sl_route(self):
        """Give a gateway to outgoing SMS about students that have none yet (chatter, composer)."""
        todo = self.filtered(lambda sms: not sms.sl_gateway_id and sms.state == "outgoing")
        if not todo:
            return
        Student = self.env["student.loan.student"].sudo()
        students_by_partner = (
            {student.partner_id.id: student for student in Student.search([("partner_id", "in", todo.partner_id.ids)])}
            if todo.partner_id
            else {}
        )
        message_students = Student.browse(
            [
                sms.mail_message_id.res_id
                for sms in todo
                if sms.mail_message_id.model == "student.loan.student" and sms.mail_message_id.res_id
            ]
        ).exists()
        centres = Student.browse([s.id for s in students_by_partner.values()] + message_students.ids).centre_id
        gateway_by_centre = self.env["student.loan.sms.gateway"]._get_for_centres(centres)
        if not gateway_by_centre:
            return
        by_gateway = {}
        for sms in todo:
            student = students_by_partner.get(sms.partner_id.id)
            if not student and sms.mail_message_id.model == "student.loan.student":
                student = Student.browse(sms.mail_message_id.res_id)
            gateway = student and gateway_by_centre.get(student.centre_id.id)
            if gateway:
                by_gateway.setdefault(gateway, self.browse())
                by_gateway[gateway] |= sms
        for gateway, sms_records in by_gateway.items():
            sms_records.sl_gateway_id = gateway

    def _sl_held(self, now=None):
        """Routed SMS that must wait: not due yet, quiet hours, blocked gateway, or being sent elsewhere."""
        now = now or fields.Datetime.now()
        routed = self.filtered("sl_gateway_id")
        closed = routed.sl_gateway_id.filtered(lambda gateway: gateway.blocked or gateway._is_quiet(now))
        held = routed.filtered(lambda sms: sms.sl_gateway_id in closed or (sms.sl_next_try and sms.sl_next_try > now))
        candidates = routed - held
        if candidates:
            self.env.cr.execute(
                "SELECT id FROM sms_sms WHERE id IN %s AND state = 'outgoing' AND sl_dispatch_started IS NULL "
                "FOR UPDATE SKIP LOCKED",
                [tuple(candidates.ids)],
            )
            locked = {row[0] for row in self.env.cr.fetchall()}
            held |= candidates.filtered(lambda sms: sms.id not in locked)
        return held

    def send(self, unlink_failed=False, unlink_sent=True, auto_commit=False, raise_exception=False):
        outgoing = self.filtered(lambda sms: sms.state == "outgoing" and not sms.to_delete)
        interrupted = outgoing.filtered("sl_dispatch_started")  # handed to the provider already: never resent
        outgoing -= interrupted
        outgoing._sl_route()
        held = outgoing._sl_held() | interrupted
        return super(SmsSms, (self - held).with_context(sl_sms_auto_commit=auto_commit)).send(
            unlink_failed=unlink_failed,
            unlink_sent=unlink_sent,
            auto_commit=auto_commit,
            raise_exception=raise_exception,
        )

    def _split_batch(self):
        """SMS through a student-loan gateway go in batches of ``student_loan_sms.send_batch`` (2,000): the
        gateway splits them into provider requests of its own batch size (Odoo's IAP batches stay 500)."""
        if self and all(sms.sl_gateway_id for sms in self):
            size = int(self.env["ir.config_parameter"].sudo().get_param("student_loan_sms.send_batch", 2000))
            yield from tools.split_every(size, self.ids)
            return
        yield from super()._split_batch()

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        routed = self.filtered("sl_gateway_id")
        others = self - routed
        if others:
            super(SmsSms, others)._send(
                unlink_failed=unlink_failed, unlink_sent=unlink_sent, raise_exception=raise_exception
            )
        for gateway, sms_records in routed.grouped("sl_gateway_id").items():
            sms_records._sl_send_through(gateway, unlink_failed=unlink_failed, unlink_sent=unlink_sent)

    # ------------------------------------------------------------------
    # Sending through a student-loan gateway
    # ------------------------------------------------------------------

    def _sl_rows(self):
        """``{sms id: (uuid, number, body, attempts, recipient line id, campaign id, template code, params)}``,
        read in one query (a dispatch batch holds thousands of SMS)."""
        if not self.ids:
            return {}
        self.flush_recordset(["uuid", "number", "body", "sl_attempts", "sl_recipient_id"])
        self.env["student.loan.sms.recipient"].flush_model(["campaign_id", "template_code", "template_params"])
        self.env.cr.execute(
            """
            SELECT sms.id, sms.uuid, sms.number, sms.body, coalesce(sms.sl_attempts, 0), line.id, line.campaign_id,
                   line.template_code, line.template_params
              FROM sms_sms sms
              LEFT JOIN student_loan_sms_recipient line ON line.id = sms.sl_recipient_id
             WHERE sms.id = ANY(%s)
            """,
            [self.ids],
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    def _sl_messages(self, gateway, rows=None):
        """Provider messages for these SMS, and the results decided before sending (bad number...)."""
        rows = rows if rows is not None else self._sl_rows()
        fallback_code = gateway.fallback_template_code or ""
        fallback_param = gateway.fallback_param_name or "content"

        def entries():
            for sms_id in self.ids:
                uuid, raw_number, body, _attempts, _line_id, campaign_id, line_code, line_params = rows[sms_id]
                if campaign_id:
                    template_code = line_code or ""
                    params = [tuple(pair) for pair in json.loads(line_params or "[]")]
                else:
                    template_code = fallback_code
                    params = [(fallback_param, body or "")] if template_code else []
                yield uuid, raw_number, body, template_code, params

        return gateway._provider_messages(
            entries(),
            lambda: self.env._("%s only sends registered templates: set its free-text template code.", gateway.name),
        )

    def _sl_send_through(self, gateway, unlink_failed=False, unlink_sent=True):
        rows = self._sl_rows()
        messages, results = self._sl_messages(gateway, rows)
        if messages:
            uuids = {message["uuid"] for message in messages}
            self.browse([sms_id for sms_id, row in rows.items() if row[0] in uuids]).write(
                {"sl_dispatch_started": fields.Datetime.now()}
            )
            if self.env.context.get("sl_sms_auto_commit") and self.env["student.loan.sms.campaign"]._can_commit():
                # a dispatch killed while the provider answers must not resend them
                self.env.cr.commit()  # pylint: disable=invalid-commit
            results += gateway._send_messages(messages)
        self._sl_apply_results(gateway, results, unlink_failed=unlink_failed, unlink_sent=unlink_sent, rows=rows)

    def _sl_failure_type(self, code):
        if code in self.NUMBER_ERRORS:
            return "sms_number_format"
        if code in self.CREDIT_ERRORS:
            return "sms_credit"
        return "unknown"

    def _sl_apply_results(self, gateway, results, unlink_failed=False, unlink_sent=True, rows=None):
        """Record the provider's answers on the SMS, their chatter notifications and recipient lines."""
        rows = rows if rows is not None else self._sl_rows()
        records = {sms.id: sms for sms in self}
        by_uuid = {row[0]: records[sms_id] for sms_id, row in rows.items()}
        row_by_uuid = {row[0]: row for row in rows.values()}
        now = fields.Datetime.now()
        Recipient = self.env["student.loan.sms.recipient"].sudo()
        sent, retry, failed, gateway_errors = [], [], [], []
        answered = self.browse([by_uuid[result.uuid].id for result in results if result.uuid in by_uuid])
        answered.filtered("sl_dispatch_started").write({"sl_dispatch_started": False})  # the answer is recorded
        # only SMS outside campaigns have a chatter message with its tracker (a campaign's status is on its lines)
        tracked = self.browse([sms_id for sms_id, row in rows.items() if not row[5]])
        for result in results:
            sms = by_uuid.get(result.uuid)
            if not sms:
                continue
            if result.status == providers.RETRY:
                attempts = sms.sl_attempts + 1
                if attempts >= gateway.max_attempts:
                    error = f"{result.code} {result.message}".strip()
                    result = providers.SendResult(
                        result.uuid,
                        providers.FAILED,
                        result.code,
                        self.env._("Gave up after %(count)s attempts: %(error)s", count=attempts, error=error),
                    )
                    failed.append((sms, result, attempts))
                else:
                    retry.append((sms, result, attempts))
            elif result.status == providers.SENT:
                sent.append((sms, result))
            elif result.status == providers.GATEWAY:
                gateway_errors.append(result)
            else:
                failed.append((sms, result, sms.sl_attempts + 1))

        if sent:
            sms_sent = self.browse([sms.id for sms, _result in sent])
            (sms_sent & tracked).sms_tracker_id.with_context(
                sms_skip_msg_notification=True
            )._action_update_from_sms_state("pending")
            sms_sent.write(
                {
                    "state": "pending",
                    "failure_type": False,
                    "sl_next_try": False,
                    **({"to_delete": True} if unlink_sent else {}),
                }
            )
            Recipient._mark_sent(
                {
                    row_by_uuid[result.uuid][4]: (result.ref, row_by_uuid[result.uuid][3] + 1)
                    for _sms, result in sent
                    if row_by_uuid[result.uuid][4]
                },
                now,
                gateway.dry_run,
            )
            self._sl_log_single(
                [(sms, result) for sms, result in sent if not row_by_uuid[result.uuid][4]], gateway, now
            )

        for sms, result, attempts in retry:
            error = f"{result.code} {result.message}".strip()
            delay = sms_text.backoff_seconds(attempts, base=gateway.retry_delay or 60)
            next_try = now + timedelta(seconds=delay)
            sms.write({"sl_attempts": attempts, "sl_next_try": next_try})
            sms.sl_recipient_id.write(
                {
                    "attempts": attempts,
                    "next_try": next_try,
                    "error_code": result.code,
                    "failure_reason": self.env._("Retry %(count)s: %(error)s", count=attempts, error=error),
                }
            )

        groups = {}
        for sms, result, attempts in failed:
            reason = f"{result.code}: {result.message}" if result.message else result.code
            groups.setdefault((result.code, reason, attempts), self.browse())
            groups[(result.code, reason, attempts)] |= sms
        for (code, reason, attempts), sms_failed in groups.items():
            failure_type = self._sl_failure_type(code)
            (sms_failed & tracked).sms_tracker_id.with_context(
                sms_skip_msg_notification=True
            )._action_update_from_sms_state("error", failure_type=failure_type, failure_reason=reason)
            sms_failed.write(
                {
                    "state": "error",
                    "failure_type": failure_type,
                    "sl_attempts": attempts,
                    **({"to_delete": True} if unlink_failed else {}),
                }
            )
            sms_failed.sl_recipient_id.write(
                {
                    "state": "failed",
                    "error_code": code,
                    "failure_reason": reason,
                    "attempts": attempts,
                    "next_try": False,
                }
            )
            self._sl_log_single(
                [(sms, None) for sms in sms_failed if not sms.sl_recipient_id],
                gateway,
                now,
                state="failed",
                reason=reason,
                code=code,
            )

        if gateway_errors:
            gateway._block(gateway_errors[0].code, gateway_errors[0].message)

        campaigns = self.sl_recipient_id.campaign_id
        if campaigns and not self.env.context.get("sl_sms_defer_progress"):
            campaigns._update_progress_state()  # the dispatch cron does it once per run instead
        if tracked:
            tracked.mail_message_id._notify_message_notification_update()

    def _sl_expire_interrupted(self, now=None):
        """Fail the SMS of an interrupted dispatch still without receipt after the timeout.

        Their request reached the provider but its answer was lost: sending them again could give
        the student the message twice, so they are not resent (at most once) but marked failed.
        """
        now = now or fields.Datetime.now()
        timeout = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("student_loan_sms.dispatch_unknown_timeout", self.INTERRUPTED_TIMEOUT)
        )
        stale = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("state", "=", "outgoing"),
                    ("to_delete", "=", False),
                    ("sl_dispatch_started", "!=", False),
                    ("sl_dispatch_started", "<=", now - timedelta(seconds=timeout)),
                ]
            )
        )
        reason = self.env._("outcome unknown after an interrupted dispatch: not resent to avoid a duplicate")
        for gateway, sms_records in stale.grouped("sl_gateway_id").items():
            results = [
                providers.SendResult(sms.uuid, providers.FAILED, self.INTERRUPTED_CODE, reason) for sms in sms_records
            ]
            sms_records._sl_apply_results(gateway, results, unlink_failed=False, unlink_sent=True)
        # campaigns hand their lines to the provider themselves (student.loan.sms.recipient._dispatch_due)
        return len(stale) + self.env["student.loan.sms.recipient"].sudo()._expire_interrupted(now=now)

    def _sl_log_single(self, pairs, gateway, now, state="sent", reason=False, code=False):
        """Keep a recipient line for SMS outside campaigns, so receipts and the log find them."""
        if not pairs:
            return
        Recipient = self.env["student.loan.sms.recipient"].sudo()
        Student = self.env["student.loan.student"].sudo()
        partner_ids = [sms.partner_id.id for sms, _result in pairs if sms.partner_id]
        students = {student.partner_id.id: student for student in Student.search([("partner_id", "in", partner_ids)])}
        vals_list = []
        for sms, result in pairs:
            student = students.get(sms.partner_id.id)
            if not student and sms.mail_message_id.model == "student.loan.student":
                student = Student.browse(sms.mail_message_id.res_id)
            if not student:
                continue
            vals_list.append(
                {
                    "gateway_id": gateway.id,
                    "centre_id": student.centre_id.id,
                    "student_id": student.id,
                    "partner_id": sms.partner_id.id,
                    "name": sms.partner_id.name or student.name,
                    "number": sms.number,
                    "body": sms.body,
                    "sms_uuid": sms.uuid,
                    "char_count": sms_text.message_length(sms.body, gateway.sign_name or ""),
                    "segments": sms_text.segment_count(sms.body, gateway.sign_name or ""),
                    "mail_message_id": sms.mail_message_id.id,
                    "state": state,
                    "attempts": sms.sl_attempts if state == "failed" else sms.sl_attempts + 1,
                    "sent_date": now if state == "sent" else False,
                    "provider_ref": result.ref if result else False,
                    "failure_reason": reason,
                    "error_code": code,
                    "dry_run": gateway.dry_run,
                }
            )
        records = Recipient.create(vals_list)
        for record in records:
            self.filtered(lambda sms, uuid=record.sms_uuid: sms.uuid == uuid).sl_recipient_id = record
