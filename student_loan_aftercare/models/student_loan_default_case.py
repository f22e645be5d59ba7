from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.student_loan.loanlib import overdue
from odoo.addons.student_loan.models.student_loan_review_mixin import APPROVAL_STATES

WRITE_OFF_REASONS = [("death", "Death"), ("disability", "Disability (loss of working capacity)")]


class StudentLoanDefaultCase(models.Model):
    """A default case (违约): a loan in arrears beyond the policy threshold with nobody reached.

    Opened by the detection run (idempotent: one open case per contract); closed when the arrears are
    paid; written off for death or disability with evidence. The write-off is reviewed on the review engine
    (``student.loan.review.approval.mixin`` on ``write_off_state``): a handler requests it with the
    certificate; the tiers (shipped: the county's supervisor, then the city above, or the province for a
    county reporting to the province) approve it, never the one who requested it; any level returns it with a
    reason. Every step is in the chatter."""

    _name = "student.loan.default.case"
    _description = "Default Case"
    _inherit = ["student.loan.review.approval.mixin"]
    _order = "date_opened desc, id desc"

    STATES = [
        ("open", "Open"),
        ("recovered", "Recovered"),
        ("written_off", "Written Off"),
    ]

    # the review engine, on the write-off request
    _state_field = "write_off_state"
    _review_activity_type = "student_loan_aftercare.mail_activity_type_aftercare_review"
    _review_workflow_fields = frozenset({"state", "write_off_approved_by_id", "date_closed"})
    _review_reviewed_fields = frozenset({"write_off_reason", "write_off_note", "evidence_ids"})

    name = fields.Char(readonly=True, default="/", copy=False)
    contract_id = fields.Many2one(
        "student.loan.contract", required=True, index=True, ondelete="restrict", readonly=True, tracking=True
    )
    student_id = fields.Many2one(related="contract_id.student_id", store=True, index=True)
    centre_id = fields.Many2one(related="contract_id.centre_id", store=True, index=True, string="Aid Centre")
    lender_id = fields.Many2one(related="contract_id.lender_id", store=True, index=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    state = fields.Selection(STATES, default="open", required=True, readonly=True, tracking=True, index=True)
    write_off_state = fields.Selection(
        APPROVAL_STATES,
        string="Write-off Review",
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
    )
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
    submitted_by_id = fields.Many2one("res.users", string="Write-off Requested By", readonly=True, copy=False)
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

    # ------------------------------------------------------------------
    # The write-off (tiers: Configuration → Review Tiers)
    # ------------------------------------------------------------------

    def action_request_write_off(self):
        """The handler requests the write-off with the reason and the certificate."""
        self._check_group("student_loan.group_handler", self.env._("request a write-off"))
        self._check_state(self._review_editable_states, self.env._("submitted for write-off"))
        for case in self:
            if case.state != "open":
                raise UserError(self.env._("%s is not open: no write-off can be requested.", case.name))
            if not case.write_off_reason:
                raise UserError(self.env._("Choose the reason of the write-off (death or disability)."))
            if not case.evidence_ids:
                raise UserError(
                    self.env._(
                        "Attach the evidence of the %s (a certificate) before requesting the write-off.",
                        dict(self._fields["write_off_reason"]._description_selection(self.env))[case.write_off_reason],
                    )
                )
        self._review_submit({"write_off_state": "to_approve"})
        return True

    def action_approve_write_off(self):
        """A tier's reviewer approves the write-off (负责人同意, then the city or the province)."""
        return self._review_step("approve", self.env._("approve the write-off of"), self.env._("approved"))

    def action_approve(self):
        return self.action_approve_write_off()

    def action_cancel_write_off(self):
        """The handler withdraws a returned write-off request: the case stays open."""
        self._check_group("student_loan.group_handler", self.env._("withdraw a write-off request"))
        self._check_state(("returned",), self.env._("withdrawn"))
        self._review_close_activities()
        self._write_workflow({"write_off_state": "draft", "review_waiting_since": False})
        self.message_post(body=self.env._("Write-off request withdrawn by %s.", self.env.user.name))
        return True

    def _review_on_done(self):
        """Every tier approved: the case is written off."""
        self.ensure_one()
        self._write_workflow(
            {
                "state": "written_off",
                "write_off_approved_by_id": self.env.uid,
                "date_closed": fields.Date.context_today(self),
            }
        )
        reason = dict(self._fields["write_off_reason"]._description_selection(self.env))[self.write_off_reason]
        self.contract_id.sudo().message_post(
            body=self.env._("Written off (%(reason)s), default case %(case)s.", reason=reason, case=self.name)
        )

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
                                WHERE d.contract_id = c.id AND d.state = 'open')
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
        # a write-off under review ends with the recovery
        recovered.filtered(lambda case: case.write_off_state in ("to_approve", "returned"))._review_cancel()
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
