from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

CHANNELS = [
    ("call", "Phone Call"),
    ("sms", "SMS"),
    ("visit", "Home Visit"),
    ("letter", "Letter"),
]
PERSONS = [
    ("student", "Borrower"),
    ("coborrower", "Co-borrower"),
    ("third_party", "Third-Party Contact"),
]
RESULTS = [
    ("reached", "Reached"),
    ("promised", "Promised to Pay"),
    ("refused", "Refused to Pay"),
    ("no_answer", "No Answer"),
    ("wrong_number", "Wrong Number / Moved"),
]
#: results in which somebody was reached (they keep a loan out of default)
REACHED = ("reached", "promised", "refused")


class StudentLoanContactAttempt(models.Model):
    """One attempt to reach an overdue borrower (催收记录): call, SMS, visit, co-borrower contacted, result, next
    step. The log is append-only: attempts are not edited nor deleted once recorded."""

    _name = "student.loan.contact.attempt"
    _description = "Contact Attempt"
    _order = "date desc, id desc"

    contract_id = fields.Many2one("student.loan.contract", required=True, index=True, ondelete="cascade")
    student_id = fields.Many2one(related="contract_id.student_id", store=True, index=True)
    centre_id = fields.Many2one(related="contract_id.centre_id", store=True, index=True, string="Aid Centre")
    date = fields.Date(required=True, default=fields.Date.context_today)
    channel = fields.Selection(CHANNELS, required=True, default="call")
    person = fields.Selection(PERSONS, string="Person Contacted", required=True, default="student")
    result = fields.Selection(RESULTS, required=True)
    next_step = fields.Char()
    next_date = fields.Date(string="Next Step On")
    note = fields.Text()
    user_id = fields.Many2one("res.users", string="Recorded By", default=lambda self: self.env.user, readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals["user_id"] = self.env.uid
        attempts = super().create(vals_list)
        today = fields.Date.context_today(self)
        for attempt in attempts:
            if attempt.date > today:
                raise UserError(self.env._("A contact attempt cannot be dated in the future (%s).", attempt.date))
            if attempt.next_date and attempt.next_date < attempt.date:
                raise UserError(self.env._("The next step cannot come before the contact attempt."))
            contract = attempt.contract_id.sudo()
            contract.message_post(
                body=self.env._(
                    "Contact attempt: %(channel)s, %(person)s, %(result)s. Next step: %(next)s",
                    channel=dict(CHANNELS)[attempt.channel],
                    person=dict(PERSONS)[attempt.person],
                    result=dict(RESULTS)[attempt.result],
                    next=attempt.next_step or "-",
                )
            )
            if attempt.next_date:
                contract.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=attempt.next_date,
                    summary=attempt.next_step or self.env._("Contact the overdue borrower again"),
                    user_id=self.env.uid,
                )
        return attempts

    def write(self, vals):
        if set(vals) - {"note"}:
            raise UserError(self.env._("A contact attempt is a record of what happened: it cannot be changed."))
        return super().write(vals)

    @api.model
    def _last_reached_dates(self, contract_ids, as_of=None):
        """``{contract id: last date somebody was reached}`` (one query)."""
        if not contract_ids:
            return {}
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT contract_id, max(date) FROM student_loan_contact_attempt
                 WHERE contract_id = ANY(%s) AND result IN %s AND (%s::date IS NULL OR date <= %s::date)
                 GROUP BY contract_id
                """,
                list(contract_ids),
                REACHED,
                as_of,
                as_of,
            )
        )
        return dict(self.env.cr.fetchall())
