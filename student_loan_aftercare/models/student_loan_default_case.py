from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.student_loan.loanlib import overdue

WRITE_OFF_REASONS = [("death", "Death"), ("disability", "Disability (loss of working capacity)")]


class StudentLoanDefaultCase(models.Model):
    """A default case (违约): a loan in arrears beyond the policy threshold with nobody reached.

    Opened by the detection run (idempotent: one open case per contract); closed when the arrears are
    paid; written off for death or disability with evidence, requested by a handler and approved by a
    supervisor who is not the requester. Every step is tracked in the chatter."""

    _name = "student.loan.default.case"
    _description = "Default Case"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_opened desc, id desc"

    STATES = [
        ("open", "Open"),
        ("write_off_requested", "Write-off Requested"),
        ("recovered", "Recovered"),
        ("written_off", "Written Off"),
    ]
    WORKFLOW_FIELDS = frozenset({"state", "write_off_requested_by_id", "write_off_approved_by_id", "date_closed"})

    name = fields.Char(readonly=True, default="/", copy=False)
    contract_id = fields.Many2one(
        "student.loan.contract", required=True, index=True, ondelete="restrict", readonly=True, tracking=True
    )
    student_id = fields.Many2one(related="contract_id.student_id", store=True, index=True)
    centre_id = fields.Many2one(related="contract_id.centre_id", store=True, index=True, string="Aid Centre")
    lender_id = fields.Many2one(related="contract_id.lender_id", store=True, index=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    state = fields.Selection(STATES, default="open", required=True, readonly=True, tracking=True, index=True)
    date_opened = fields.Date(required=True, readonly=True, index=True)
    date_closed = fields.Date(readonly=True, tracking=True)
    days_past_due = fields.Integer(string="Days Past Due at Opening", readonly=True)
    principal_outstanding = fields.Monetary(
        string="Principal Outstanding at Opening",
        readonly=True,
        help="The loss the risk fund covers if it is not repaid.",
    )
    amount_overdue = fields.Monetary(string="Unpaid at Opening", readonly=True)
    last_contact_date = fields.Date(readonly=True)
    write_off_reason = fields.Selection(WRITE_OFF_REASONS, tracking=True)
    write_off_note = fields.Text(string="Write-off Details")
    evidence_ids = fields.Many2many("ir.attachment", help="Death certificate, disability certificate…")
    write_off_requested_by_id = fields.Many2one("res.users", readonly=True, tracking=True)
    write_off_approved_by_id = fields.Many2one("res.users", readonly=True, tracking=True)

    _sql_constraints = [
        (
            "write_off_reason_when_written_off",
            "check(state != 'written_off' or write_off_reason is not null)",
            "A write-off needs its reason.",
        ),
    ]

    def init(self):
        # one open case per contract: the detection run can run again without duplicates
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS student_loan_default_case_open_uniq "
            "ON student_loan_default_case (contract_id) WHERE state IN ('open', 'write_off_requested')"
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(self.env._("Default cases are opened by the detection run only."))
        sequence = self.env["ir.sequence"]
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = sequence.next_by_code("student.loan.default.case") or "/"
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and self.WORKFLOW_FIELDS & set(vals):
            raise UserError(self.env._("The status of a default case changes through its buttons only."))
        return super().write(vals)

    def _lock(self):
        self.env.cr.execute(
            SQL("SELECT id FROM student_loan_default_case WHERE id = ANY(%s) FOR UPDATE NOWAIT", self.ids)
        )

    def action_request_write_off(self):
        self.ensure_one()
        self.check_access("write")
        if not self.env.user.has_group("student_loan.group_handler"):
            raise UserError(self.env._("Only handlers request a write-off."))
        if self.state != "open":
            raise UserError(self.env._("%s is not open: no write-off can be requested.", self.name))
        if not self.write_off_reason:
            raise UserError(self.env._("Choose the reason of the write-off (death or disability)."))
        if not self.evidence_ids:
            raise UserError(
                self.env._(
                    "Attach the evidence of the %s (a certificate) before requesting the write-off.",
                    dict(self._fields["write_off_reason"]._description_selection(self.env))[self.write_off_reason],
                )
            )
        self._lock()
        self.sudo().write({"state": "write_off_requested", "write_off_requested_by_id": self.env.uid})
        supervisors = self.centre_id._get_staff("student_loan.group_supervisor") - self.env.user
        if supervisors:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Approve the write-off of %s", self.name),
                user_id=supervisors[0].id,
            )
        return True

    def action_approve_write_off(self):
        self.ensure_one()
        self.check_access("write")
        if not self.env.user.has_group("student_loan.group_supervisor"):
            raise UserError(self.env._("Only supervisors approve a write-off."))
        if self.state != "write_off_requested":
            raise UserError(self.env._("%s has no write-off request to approve.", self.name))
        if self.write_off_requested_by_id == self.env.user:
            raise UserError(self.env._("You requested this write-off: another supervisor must approve it."))
        self._lock()
        self.sudo().write(
            {
                "state": "written_off",
                "write_off_approved_by_id": self.env.uid,
                "date_closed": fields.Date.context_today(self),
            }
        )
        self.activity_ids.action_feedback(feedback=self.env._("Write-off approved."))
        self.contract_id.sudo().message_post(
            body=self.env._(
                "Written off (%(reason)s), default case %(case)s.", reason=self.write_off_reason, case=self.name
            )
        )
        return True

    def action_refuse_write_off(self):
        self.ensure_one()
        self.check_access("write")
        if not self.env.user.has_group("student_loan.group_supervisor"):
            raise UserError(self.env._("Only supervisors refuse a write-off."))
        if self.state != "write_off_requested":
            raise UserError(self.env._("%s has no write-off request to refuse.", self.name))
        self._lock()
        self.sudo().write({"state": "open", "write_off_requested_by_id": False})
        self.activity_ids.action_feedback(feedback=self.env._("Write-off refused."))
        return True

    # ------------------------------------------------------------------
    # Detection and recovery (whole book)
    # ------------------------------------------------------------------

    @api.model
    def _cron_detect(self):
        self.sudo()._detect_defaults(fields.Date.context_today(self))

    @api.model
    def _detect_defaults(self, as_of, centre=None):
        """Open a case for every loan past the policy threshold with nobody reached in the contact window;
        close the open cases whose arrears are paid. Returns ``(opened, recovered)`` counts."""
        self.env.flush_all()
        cr = self.env.cr
        centre_ids = (
            self.env["student.loan.centre"].sudo().search([("id", "child_of", centre.id)]).ids if centre else None
        )
        cr.execute(
            SQL(
                """
            SELECT s.contract_id, min(s.due_date), sum(s.amount_residual),
                   c.amount - COALESCE((SELECT sum(x.principal_paid) FROM student_loan_settlement_line x
                                         WHERE x.contract_id = c.id), 0),
                   pol.default_threshold_days, pol.default_contact_window_days
              FROM student_loan_settlement_line s
              JOIN student_loan_contract c ON c.id = s.contract_id AND c.state = 'active'
              JOIN student_loan_policy pol ON pol.academic_year = c.academic_year
             WHERE s.state = 'open' AND s.due_date < %(as_of)s
               AND (%(centres)s::int[] IS NULL OR s.centre_id = ANY(%(centres)s::int[]))
               AND NOT EXISTS (SELECT 1 FROM student_loan_default_case d
                                WHERE d.contract_id = c.id AND d.state IN ('open', 'write_off_requested'))
             GROUP BY s.contract_id, c.id, pol.default_threshold_days, pol.default_contact_window_days
            HAVING %(as_of)s - min(s.due_date) > pol.default_threshold_days
            """,
                as_of=as_of,
                centres=centre_ids,
            )
        )
        rows = cr.fetchall()
        contacts = self.env["student.loan.contact.attempt"]._last_reached_dates([row[0] for row in rows], as_of)
        vals_list = []
        for contract_id, oldest, unpaid, principal, threshold, window in rows:
            days = overdue.days_past_due(oldest, as_of)
            last = contacts.get(contract_id)
            if overdue.is_default(days, threshold, last, as_of, window):
                vals_list.append(
                    {
                        "contract_id": contract_id,
                        "date_opened": as_of,
                        "days_past_due": days,
                        "amount_overdue": unpaid,
                        "principal_outstanding": max(principal, 0.0),
                        "last_contact_date": last,
                    }
                )
        opened = self.sudo().create(vals_list)
        for case in opened:
            case.message_post(
                body=self.env._(
                    "Default case opened: %(days)s days past due, nobody reached since %(last)s.",
                    days=case.days_past_due,
                    last=case.last_contact_date or "-",
                )
            )
        # recovered: the arrears of an open case are paid
        cr.execute(
            SQL(
                """
            SELECT d.id FROM student_loan_default_case d
             WHERE d.state = 'open'
               AND (%(centres)s::int[] IS NULL OR d.centre_id = ANY(%(centres)s::int[]))
               AND NOT EXISTS (SELECT 1 FROM student_loan_settlement_line s
                                WHERE s.contract_id = d.contract_id AND s.state = 'open'
                                  AND s.due_date < %(as_of)s)
            """,
                as_of=as_of,
                centres=centre_ids,
            )
        )
        recovered = self.sudo().browse([row[0] for row in cr.fetchall()])
        recovered.write({"state": "recovered", "date_closed": as_of})
        for case in recovered:
            case.message_post(body=self.env._("The arrears are paid: the case is closed as recovered."))
        return len(opened), len(recovered)

    def action_detect(self):
        """Button of the list: run the detection for the user's centre."""
        if not self.env.user.has_group("student_loan.group_supervisor"):
            raise UserError(self.env._("Only supervisors and the province administrator run the default detection."))
        opened, recovered = self._detect_defaults(fields.Date.context_today(self), self.env.user.loan_centre_id)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": self.env._(
                    "%(opened)s default cases opened, %(recovered)s recovered.", opened=opened, recovered=recovered
                ),
                "type": "info",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
