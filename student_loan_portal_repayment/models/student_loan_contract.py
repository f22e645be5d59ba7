from odoo import fields, models


class StudentLoanContract(models.Model):
    _inherit = "student.loan.contract"

    def _portal_next_settlement_date(self):
        """The next interest settlement date (结息日) of the contract's policy, today included."""
        self.ensure_one()
        policy = self.sudo().policy_id
        if not policy:
            return False
        today = fields.Date.context_today(self)
        day = policy.settlement_date(today.year)
        return day if day >= today else policy.settlement_date(today.year + 1)

    def _portal_amount_due_by(self, day):
        """What the student pays by ``day``: amounts settled and still unpaid, and plan lines due by then."""
        self.ensure_one()
        contract = self.sudo()
        lines = contract.plan_line_ids.filtered(lambda line: not line.settlement_line_id and line.date <= day)
        interest = sum(lines.mapped("interest"))
        principal = sum(lines.mapped("principal"))
        return {
            "day": day,
            "interest": interest,
            "principal": principal,
            "unpaid": contract.amount_unpaid,
            "credit": contract.credit_amount,
            "total": max(0.0, interest + principal + contract.amount_unpaid - contract.credit_amount),
        }

    def _portal_pending_change_request(self):
        """The change request still under way for the contract or, for the kinds that change the student,
        any of the student's."""
        self.ensure_one()
        Request = self.env["student.loan.change.request"].sudo()
        return Request.search(
            [
                ("state", "in", Request.PENDING_STATES),
                "|",
                ("contract_id", "=", self.id),
                "&",
                ("student_id", "=", self.student_id.id),
                ("kind", "in", Request.STUDENT_KINDS),
            ],
            limit=1,
        )

    def _portal_can_request_change(self):
        self.ensure_one()
        return self.state == "active" and not self._portal_pending_change_request()
