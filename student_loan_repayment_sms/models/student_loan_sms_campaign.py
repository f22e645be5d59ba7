from odoo import models


class StudentLoanSmsCampaign(models.Model):
    _inherit = "student.loan.sms.campaign"

    def _get_amount_due(self):
        """The students the user may read who owe something within ``due_days`` days (the repayment
        addon's reminders, R4), with the amount and the first due date for ``{金额}`` and ``{日期}``."""
        Student = self.env["student.loan.student"]
        students = Student._get_students_with_amount_due(self.due_days)
        amounts = Student._get_amounts_due(self.due_days, student_ids=students.ids)
        extra = {}
        for student_id in students.ids:
            amount, date = amounts.get(student_id, (None, None))
            values = {}
            if amount is not None:
                values["金额"] = self._format_amount(amount)
            if date:
                values["日期"] = self._format_date(date)
            extra[student_id] = values
        return students.ids, extra
