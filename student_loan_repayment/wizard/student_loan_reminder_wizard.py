from odoo import api, fields, models


class StudentLoanReminderWizard(models.TransientModel):
    """Lists the students with an amount due soon, to remind them before the settlement date (R4)."""

    _name = "student.loan.reminder.wizard"
    _description = "Students with an Amount Due"

    date = fields.Date(string="From", required=True, default=fields.Date.context_today)
    days = fields.Integer(
        string="Days Ahead",
        required=True,
        default=lambda self: self._default_days(),
        help="Students owing something from the date up to this many days later (overdue amounts included).",
    )

    @api.model
    def _default_days(self):
        return self.env["student.loan.student"]._get_default_reminder_days()

    def action_show(self):
        self.ensure_one()
        students = self.env["student.loan.student"]._get_students_with_amount_due(self.days, today=self.date)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Students with an Amount Due within %s Days", self.days),
            "res_model": "student.loan.student",
            "view_mode": "list,form",
            "views": [
                (self.env.ref("student_loan_repayment.student_loan_student_view_list_amount_due").id, "list"),
                (False, "form"),
            ],
            "domain": [("id", "in", students.ids)],
            "context": {"reminder_days": self.days, "date": fields.Date.to_string(self.date)},
        }
