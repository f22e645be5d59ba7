import datetime
from decimal import Decimal

from odoo import api, fields, models
from odoo.tools import SQL

from .student_loan_settlement_line import to_decimal


class StudentLoanStudent(models.Model):
    _inherit = "student.loan.student"

    settlement_line_ids = fields.One2many("student.loan.settlement.line", "student_id", string="Settlements")
    payment_ids = fields.One2many("student.loan.payment", "student_id", string="Repayments")
    amount_due_soon = fields.Monetary(
        compute="_compute_amount_due_soon",
        currency_field="loan_currency_id",
        help="Unpaid settlements and the plan's amounts falling due in the reminder window, less the credit.",
    )
    next_due_date = fields.Date(compute="_compute_amount_due_soon")
    loan_currency_id = fields.Many2one("res.currency", compute="_compute_loan_currency_id")

    def _compute_loan_currency_id(self):
        self.loan_currency_id = self.env.ref("base.CNY")

    @api.depends_context("reminder_days", "date")
    def _compute_amount_due_soon(self):
        days = self.env.context.get("reminder_days", self._get_default_reminder_days())
        amounts = self._get_amounts_due(days, student_ids=self.ids)
        for student in self:
            amount, next_date = amounts.get(student.id, (Decimal(0), None))
            student.amount_due_soon = float(amount)
            student.next_due_date = next_date or False

    @api.model
    def _get_default_reminder_days(self):
        policy = self.env["student.loan.policy"].sudo().search([], limit=1, order="academic_year desc")
        return policy.reminder_days or 30

    @api.model
    def _get_amounts_due(self, days, today=None, student_ids=None):
        """``{student id: (amount, first due date)}`` owed on active contracts within ``days`` days.

        The amount is what is due and unpaid (overdue included) plus what the plan makes due up to
        ``today + days`` (interest and principal of periods not settled yet), less the credit each
        contract has. Students with nothing left to pay are left out.
        """
        today = today or fields.Date.context_today(self)
        until = today + datetime.timedelta(days=days)
        self.env.flush_all()
        student_filter = SQL("AND c.student_id = ANY(%s)", list(student_ids)) if student_ids is not None else SQL()
        self.env.cr.execute(
            SQL(
                """
            SELECT c.id, c.student_id, sum(d.due), min(d.due_date)
              FROM (
                    SELECT pl.contract_id, pl.total AS due, pl.date AS due_date
                      FROM student_loan_plan_line pl
                     WHERE pl.settlement_line_id IS NULL AND pl.date <= %(until)s
                       AND pl.total > 0
                    UNION ALL
                    SELECT s.contract_id, s.amount_residual, s.due_date
                      FROM student_loan_settlement_line s
                     WHERE s.state = 'open' AND s.due_date <= %(until)s
                   ) d
              JOIN student_loan_contract c ON c.id = d.contract_id AND c.state = 'active'
             WHERE TRUE %(student_filter)s
             GROUP BY c.id, c.student_id
            """,
                until=until,
                student_filter=student_filter,
            )
        )
        rows = self.env.cr.fetchall()
        credit_by_contract = self.env["student.loan.contract"].browse([row[0] for row in rows])._get_credit_amounts()
        amounts = {}
        for contract_id, student_id, due, first_date in rows:
            owed = to_decimal(due) - credit_by_contract.get(contract_id, Decimal(0))
            if owed <= 0:
                continue
            amount, next_date = amounts.get(student_id, (Decimal(0), None))
            amounts[student_id] = (amount + owed, min(next_date, first_date) if next_date else first_date)
        return amounts

    @api.model
    def _get_students_with_amount_due(self, days, today=None):
        """Students owing something within ``days`` days from ``today`` (the repayment reminders, R4).

        Called by the SMS reminders: returns the students the current user may read.
        """
        students = self.browse(sorted(self._get_amounts_due(days, today=today)))
        return students if self.env.su else students._filtered_access("read")

    def action_print_statement(self):
        return self.env.ref("student_loan_repayment.action_report_repayment_statement").report_action(self)

    def _get_statement_lines(self):
        """Rows of the statement: settlements and repayments of the student, by date."""
        self.ensure_one()
        rows = []
        for line in self.settlement_line_ids.sorted(lambda line: (line.date, line.id)):
            rows.append({"date": line.date, "settlement": line, "payment": None})
        for payment in self.payment_ids.filtered(lambda payment: payment.state == "posted"):
            rows.append({"date": payment.date, "settlement": None, "payment": payment})
        return sorted(rows, key=lambda row: (row["date"], 0 if row["settlement"] else 1))

    def _get_report_lang(self):
        return self.env["student.loan.contract"]._get_report_lang()
