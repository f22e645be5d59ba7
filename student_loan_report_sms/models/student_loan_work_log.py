from collections import defaultdict

from odoo import api, models


class StudentLoanWorkLog(models.Model):
    _inherit = "student.loan.work.log"

    @api.model
    def _count_sms(self, start, end):
        """Text messages created in the period, per aid centre of the student they were sent to."""
        per_partner = (
            self.env["sms.sms"]
            .sudo()
            ._read_group(
                [("create_date", ">=", start), ("create_date", "<", end), ("partner_id", "!=", False)],
                ["partner_id"],
                ["__count"],
            )
        )
        if not per_partner:
            return {}
        students = (
            self.env["student.loan.student"]
            .sudo()
            .with_context(active_test=False)
            .search_read(
                [("partner_id", "in", [partner.id for partner, _count in per_partner])], ["partner_id", "centre_id"]
            )
        )
        centre_of = {student["partner_id"][0]: student["centre_id"][0] for student in students}
        result = defaultdict(int)
        for partner, count in per_partner:
            if partner.id in centre_of:
                result[centre_of[partner.id]] += count
        return result
