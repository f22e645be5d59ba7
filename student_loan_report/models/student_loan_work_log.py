import datetime
from collections import defaultdict

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import is_html_empty

DEFAULT_TZ = "Asia/Shanghai"


class StudentLoanWorkLog(models.Model):
    """R5: the daily work log of an aid centre (巩义市): the system fills in the day's counts, the
    staff write what was done and the special cases. One log per centre and day; a nightly job
    creates and refreshes them; the city and the province read weekly and monthly summaries."""

    _name = "student.loan.work.log"
    _description = "Daily Work Log"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, centre_id"

    # (count field, model, date field, is the date field a Date)
    COUNTS = (
        ("students_registered", "student.loan.student", "create_date", False),
        ("applications_submitted", "student.loan.application", "submitted_date", False),
        ("applications_checked", "student.loan.application", "checked_date", False),
        ("applications_approved", "student.loan.application", "approved_date", False),
        ("applications_returned", "student.loan.application", "returned_date", False),
        ("contracts_signed", "student.loan.contract", "signing_date", True),
    )

    date = fields.Date(required=True, index=True, default=fields.Date.context_today, tracking=True)
    centre_id = fields.Many2one(
        "student.loan.centre",
        string="Aid Centre",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user.loan_centre_id,
    )
    reporting_city_id = fields.Many2one(
        related="centre_id.reporting_city_id", store=True, index=True, string="Statistics Unit"
    )
    division_kind = fields.Selection(related="centre_id.division_kind", store=True, string="Kind of Division")
    user_id = fields.Many2one("res.users", string="Written By", tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Submitted")],
        default="draft",
        required=True,
        tracking=True,
    )
    students_registered = fields.Integer(readonly=True, aggregator="sum")
    applications_submitted = fields.Integer(string="Applications Received", readonly=True, aggregator="sum")
    applications_checked = fields.Integer(readonly=True, aggregator="sum")
    applications_approved = fields.Integer(readonly=True, aggregator="sum")
    applications_returned = fields.Integer(readonly=True, aggregator="sum")
    contracts_signed = fields.Integer(readonly=True, aggregator="sum")
    messages_sent = fields.Integer(
        string="SMS Sent",
        readonly=True,
        aggregator="sum",
        help="Text messages created that day for the centre's students (counted when SMS is installed).",
    )
    counts_updated = fields.Datetime(string="Counts Updated On", readonly=True)
    narrative = fields.Html(string="Work Done", sanitize=True, tracking=False)
    special_cases = fields.Text()

    _sql_constraints = [
        ("centre_date_unique", "unique(centre_id, date)", "This aid centre already has a work log for that day."),
    ]

    @api.depends("centre_id", "date")
    def _compute_display_name(self):
        for log in self:
            log.display_name = f"{log.centre_id.name or ''} {log.date or ''}".strip()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.setdefault("user_id", self.env.uid if not self.env.su else False)
        logs = super().create(vals_list)
        if not self.env.context.get("work_log_skip_refresh"):
            logs._refresh_counts()
        return logs

    def write(self, vals):
        if {"date", "centre_id"} & set(vals) and any(log.state == "done" for log in self):
            raise UserError(self.env._("A submitted work log keeps its day and centre."))
        result = super().write(vals)
        if {"date", "centre_id"} & set(vals):
            self._refresh_counts()
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_refresh_counts(self):
        self._refresh_counts()
        return True

    def action_done(self):
        for log in self:
            if is_html_empty(log.narrative):
                raise UserError(self.env._("Write what was done on %s before submitting the log.", log.date))
        self._refresh_counts()
        self.write({"state": "done", "user_id": self.env.uid})
        return True

    def action_draft(self):
        self.write({"state": "draft"})
        return True

    # ------------------------------------------------------------------
    # Counts
    # ------------------------------------------------------------------

    @api.model
    def _day_bounds(self, day):
        """The UTC datetimes where the local day (China time unless the context gives a zone) starts and ends."""
        tz = pytz.timezone(self.env.context.get("tz") or DEFAULT_TZ)
        start = tz.localize(datetime.datetime.combine(day, datetime.time.min))
        end = tz.localize(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))
        return (start.astimezone(pytz.utc).replace(tzinfo=None), end.astimezone(pytz.utc).replace(tzinfo=None))

    @api.model
    def _count_day(self, day, centre_ids=None):
        """``{centre_id: {count field: value}}`` for one day: one grouped query per kind of record,
        never one per centre."""
        start, end = self._day_bounds(day)
        counts = defaultdict(lambda: defaultdict(int))
        centre_domain = [("centre_id", "in", list(centre_ids))] if centre_ids is not None else []
        for field_name, model_name, date_field, is_date in self.COUNTS:
            Model = self.env[model_name].sudo().with_context(active_test=False)
            if is_date:
                domain = [(date_field, "=", day)]
            else:
                domain = [(date_field, ">=", start), (date_field, "<", end)]
            if model_name == "student.loan.contract":
                domain.append(("state", "!=", "cancelled"))
            for centre, count in Model._read_group(domain + centre_domain, ["centre_id"], ["__count"]):
                counts[centre.id][field_name] = count
        for centre_id, count in self._count_sms(start, end).items():
            if centre_ids is None or centre_id in centre_ids:
                counts[centre_id]["messages_sent"] = count
        return counts

    @api.model
    def _count_sms(self, start, end):
        """Text messages sent in the period per aid centre: ``{centre_id: count}``; the SMS bridge
        (``student_loan_report_sms``, installed with the SMS addon) counts them."""
        return {}

    def _refresh_counts(self):
        names = [field_name for field_name, *_rest in self.COUNTS] + ["messages_sent"]
        now = fields.Datetime.now()
        by_day = defaultdict(lambda: self.browse())
        for log in self:
            by_day[log.date] |= log
        for day, logs in by_day.items():
            counts = self._count_day(day, set(logs.centre_id.ids))
            for log in logs:
                values = counts.get(log.centre_id.id, {})
                log.sudo().write({**{name: values.get(name, 0) for name in names}, "counts_updated": now})

    @api.model
    def _cron_daily_logs(self, day=None):
        """Create the day's log of every centre with staff or with activity that day, and refresh the counts."""
        day = day or datetime.datetime.now(pytz.timezone(DEFAULT_TZ)).date()
        counts = self._count_day(day)
        staffed = (
            self.env["res.users"]
            .sudo()
            ._read_group([("loan_centre_id", "!=", False), ("share", "=", False)], ["loan_centre_id"], ["__count"])
        )
        centre_ids = set(counts) | {centre.id for centre, _count in staffed}
        centres = self.env["student.loan.centre"].sudo().browse(centre_ids).filtered("active")
        existing = self.sudo().search([("date", "=", day), ("centre_id", "in", centres.ids)])
        names = [field_name for field_name, *_rest in self.COUNTS] + ["messages_sent"]
        now = fields.Datetime.now()
        for log in existing:
            values = counts.get(log.centre_id.id, {})
            log.write({**{name: values.get(name, 0) for name in names}, "counts_updated": now})
        missing = centres - existing.centre_id
        vals_list = [
            {
                "date": day,
                "centre_id": centre.id,
                **{name: counts.get(centre.id, {}).get(name, 0) for name in names},
                "counts_updated": now,
            }
            for centre in missing
        ]
        # counts are filled in already: create without refreshing them a second time
        created = self.sudo().with_context(work_log_skip_refresh=True).create(vals_list)
        return existing | created
