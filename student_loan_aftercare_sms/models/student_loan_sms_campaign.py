from odoo import api, fields, models

from odoo.addons.student_loan_aftercare.models.student_loan_overdue import BUCKETS


class StudentLoanSmsCampaign(models.Model):
    _inherit = "student.loan.sms.campaign"

    audience_kind = fields.Selection(
        selection_add=[
            ("overdue", "Overdue borrowers (by days past due)"),
            ("unconfirmed_graduates", "Graduates without graduation confirmation"),
        ],
        ondelete={"overdue": "set default", "unconfirmed_graduates": "set default"},
    )
    overdue_bucket = fields.Selection(BUCKETS, default="1_30")

    @api.depends("overdue_bucket")
    def _compute_audience_count(self):
        return super()._compute_audience_count()

    def _get_audience_domain(self):
        domain, extra = super()._get_audience_domain()
        if self.audience_kind == "overdue":
            rows = self.env["student.loan.overdue"].search(
                [("centre_id", "child_of", self.centre_id.id), ("bucket", "=", self.overdue_bucket)]
            )
            domain = [*domain, ("id", "in", rows.student_id.ids)]
            extra = {}
            for row in rows:
                values = extra.setdefault(row.student_id.id, {"金额": 0.0, "日期": row.oldest_due_date})
                values["金额"] += row.amount_overdue
                values["日期"] = min(values["日期"], row.oldest_due_date)
            extra = {
                student_id: {"金额": self._format_amount(values["金额"]), "日期": self._format_date(values["日期"])}
                for student_id, values in extra.items()
            }
        if self.audience_kind == "unconfirmed_graduates":
            year = fields.Date.context_today(self).year
            # those who still have to apply: not who already did and wait for the centre
            domain = [
                *domain,
                *self.env["student.loan.graduation"]._unconfirmed_graduates_domain(year, to_apply_only=True),
            ]
        return domain, extra
