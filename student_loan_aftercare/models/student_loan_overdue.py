from odoo import api, fields, models, tools
from odoo.osv import expression

from odoo.addons.student_loan.loanlib import overdue

BUCKETS = [
    ("1_30", "1-30 days"),
    ("31_90", "31-90 days"),
    ("91_180", "91-180 days"),
    ("181_365", "181-365 days"),
    ("365_plus", "Over 365 days"),
]


class StudentLoanOverdue(models.Model):
    """The overdue worklist (逾期清单): one row per contract with an unpaid settlement (a SQL view).

    Days past due and the bucket depend on today (the user's date, ``context_today``): they are computed
    from the oldest unpaid due date and searchable, so the list filters by bucket."""

    _name = "student.loan.overdue"
    _description = "Overdue Worklist"
    _auto = False
    _order = "oldest_due_date, id"
    _rec_name = "contract_id"

    contract_id = fields.Many2one("student.loan.contract", readonly=True)
    student_id = fields.Many2one("student.loan.student", readonly=True)
    centre_id = fields.Many2one("student.loan.centre", string="Aid Centre", readonly=True)
    lender_id = fields.Many2one("student.loan.lender", readonly=True)
    mobile = fields.Char(related="student_id.mobile")
    currency_id = fields.Many2one("res.currency", readonly=True)
    oldest_due_date = fields.Date(string="Oldest Unpaid Due Date", readonly=True)
    amount_overdue = fields.Monetary(string="Unpaid", readonly=True)
    principal_overdue = fields.Monetary(string="Principal Unpaid", readonly=True)
    interest_overdue = fields.Monetary(string="Interest Unpaid", readonly=True)
    penalty_accrued = fields.Monetary(
        string="Penalty Interest",
        readonly=True,
        help="Penalty interest accrued and not paid yet (waived days excluded).",
    )
    last_contact_date = fields.Date(readonly=True, help="Last time the borrower or a contact was reached.")
    attempt_count = fields.Integer(string="Contact Attempts", readonly=True)
    has_open_default = fields.Boolean(string="Default Case", readonly=True)
    days_past_due = fields.Integer(compute="_compute_bucket")
    bucket = fields.Selection(BUCKETS, string="Overdue Bucket", compute="_compute_bucket", search="_search_bucket")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"""
            CREATE VIEW {self._table} AS (
                SELECT c.id AS id,
                       c.id AS contract_id,
                       c.student_id,
                       c.centre_id,
                       c.lender_id,
                       c.currency_id,
                       s.oldest_due_date,
                       s.amount_overdue,
                       s.principal_overdue,
                       s.interest_overdue,
                       COALESCE(p.penalty, 0) AS penalty_accrued,
                       a.last_contact_date,
                       COALESCE(a.attempt_count, 0) AS attempt_count,
                       EXISTS (SELECT 1 FROM student_loan_default_case d
                                WHERE d.contract_id = c.id AND d.state IN ('open', 'write_off_requested'))
                           AS has_open_default
                  FROM (SELECT contract_id,
                               min(due_date) AS oldest_due_date,
                               sum(amount_residual) AS amount_overdue,
                               sum(principal_residual) AS principal_overdue,
                               sum(interest_residual) AS interest_overdue
                          FROM student_loan_settlement_line
                         WHERE state = 'open'
                         GROUP BY contract_id) s
                  JOIN student_loan_contract c ON c.id = s.contract_id AND c.state = 'active'
             LEFT JOIN (SELECT contract_id, sum(amount_residual) AS penalty
                          FROM student_loan_penalty_line WHERE state = 'open'
                         GROUP BY contract_id) p ON p.contract_id = c.id
             LEFT JOIN (SELECT contract_id,
                               max(date) FILTER (WHERE result IN ('reached', 'promised', 'refused'))
                                   AS last_contact_date,
                               count(*) AS attempt_count
                          FROM student_loan_contact_attempt GROUP BY contract_id) a ON a.contract_id = c.id
            )
        """)

    @api.depends_context("date")
    def _compute_bucket(self):
        today = fields.Date.context_today(self)
        for row in self:
            row.days_past_due = overdue.days_past_due(row.oldest_due_date or None, today)
            row.bucket = overdue.bucket_for(row.days_past_due)

    def _search_bucket(self, operator, value):
        """A bucket is a range of oldest unpaid due dates, as of today."""
        if operator == "!=" and not value:
            operator, value = "in", [key for key, _ in BUCKETS]
        if operator == "=":
            value = [value]
        if operator not in ("=", "in") or not isinstance(value, list | tuple):
            raise NotImplementedError(self.env._("Unsupported search on the days past due."))
        today = fields.Date.context_today(self)
        parts = []
        for key, low, high in overdue.BUCKETS:
            if key not in value:
                continue
            part = [("oldest_due_date", "<=", fields.Date.subtract(today, days=low))]
            if high is not None:
                part.append(("oldest_due_date", ">=", fields.Date.subtract(today, days=high)))
            parts.append(part)
        return expression.OR(parts) if parts else expression.FALSE_DOMAIN

    def action_open_contract(self):
        self.ensure_one()
        return self.contract_id._get_form_action()

    def action_log_contact(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log a Contact Attempt"),
            "res_model": "student.loan.contact.attempt",
            "view_mode": "form",
            "target": "new",
            "context": {"default_contract_id": self.contract_id.id},
        }
