import base64
import datetime
import io

import xlsxwriter

from odoo import api, fields, models

from odoo.addons.student_loan.models.student_loan_application import current_academic_year


class StudentLoanPovertyReconciliation(models.Model):
    """The weekly check against the poverty office's register (一周一核对): who is new, changed or no
    longer listed since the last reconciliation, and the 建档立卡 students who have not applied yet."""

    _name = "student.loan.poverty.reconciliation"
    _description = "Poverty Register Weekly Reconciliation"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_to desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    centre_id = fields.Many2one(
        "student.loan.centre",
        string="Aid Centre",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.user.loan_centre_id,
    )
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: fields.Date.context_today(self) - datetime.timedelta(days=6),
    )
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    academic_year = fields.Integer(
        required=True,
        default=lambda self: current_academic_year(fields.Date.context_today(self)),
        help="Students without an application of this academic year are listed as not yet applied.",
    )
    import_ids = fields.Many2many(
        "student.loan.poverty.import",
        "student_loan_poverty_reconciliation_import_rel",
        "reconciliation_id",
        "import_id",
        string="Imports in the Period",
        readonly=True,
    )
    line_ids = fields.One2many(
        "student.loan.poverty.reconciliation.line", "reconciliation_id", string="Lines", readonly=True
    )
    count_new = fields.Integer(string="New", compute="_compute_counts", store=True)
    count_changed = fields.Integer(string="Changed", compute="_compute_counts", store=True)
    count_removed = fields.Integer(string="No Longer Listed", compute="_compute_counts", store=True)
    count_not_applied = fields.Integer(string="Not Yet Applied", compute="_compute_counts", store=True)
    computed_on = fields.Datetime(readonly=True)
    xlsx_attachment_id = fields.Many2one("ir.attachment", string="Spreadsheet", readonly=True, copy=False)

    _sql_constraints = [("dates_ordered", "check(date_from <= date_to)", "The period must end after it starts.")]

    @api.depends("centre_id", "date_from", "date_to")
    def _compute_name(self):
        for record in self:
            record.name = f"{record.centre_id.name or ''} {record.date_from or ''} – {record.date_to or ''}".strip()

    @api.depends("line_ids.kind")
    def _compute_counts(self):
        for record in self:
            kinds = record.line_ids.mapped("kind")
            record.count_new = kinds.count("new")
            record.count_changed = kinds.count("changed")
            record.count_removed = kinds.count("removed")
            record.count_not_applied = kinds.count("not_applied")

    def action_refresh(self):
        for record in self:
            record._compute_lines()
        return True

    def _compute_lines(self):
        self.ensure_one()
        start = datetime.datetime.combine(self.date_from, datetime.time.min)
        end = datetime.datetime.combine(self.date_to + datetime.timedelta(days=1), datetime.time.min)
        imports = self.env["student.loan.poverty.import"].search(
            [
                ("centre_id", "=", self.centre_id.id),
                ("state", "=", "done"),
                ("date_done", ">=", start),
                ("date_done", "<", end),
            ]
        )
        changes = self.env["student.loan.poverty.change"].search(
            [("import_id", "in", imports.ids)], order="kind, household_no, name, id"
        )
        lines = [
            fields.Command.create(
                {
                    "kind": change.kind,
                    "person_id": change.person_id.id,
                    "student_id": change.person_id.student_id.id,
                    "name": change.name,
                    "household_no": change.household_no,
                    "details": change.details,
                }
            )
            for change in changes
        ]
        for student in self._students_not_applied():
            lines.append(
                fields.Command.create(
                    {
                        "kind": "not_applied",
                        "student_id": student.id,
                        "name": student.name,
                        "phone": student.mobile,
                        "household_no": student.poverty_person_ids[:1].household_no,
                    }
                )
            )
        self.line_ids.unlink()
        self.write(
            {"import_ids": [fields.Command.set(imports.ids)], "line_ids": lines, "computed_on": fields.Datetime.now()}
        )

    def _students_not_applied(self):
        self.ensure_one()
        Student = self.env["student.loan.student"]
        students = Student.search([("centre_id", "child_of", self.centre_id.id), ("is_poverty_registered", "=", True)])
        applied = {
            student.id
            for (student,) in self.env["student.loan.application"]._read_group(
                [
                    ("student_id", "in", students.ids),
                    ("academic_year", "=", self.academic_year),
                    ("state", "!=", "cancelled"),
                ],
                ["student_id"],
            )
        }
        return students.filtered(lambda student: student.id not in applied)

    # ------------------------------------------------------------------
    # spreadsheet
    # ------------------------------------------------------------------

    def _xlsx_content(self):
        self.ensure_one()
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        summary = workbook.add_worksheet(self.env._("Summary"))
        summary.set_column(0, 0, 28)
        summary.set_column(1, 1, 40)
        rows = [
            (self.env._("Aid Centre"), self.centre_id.display_name),
            (self.env._("Period"), f"{self.date_from} – {self.date_to}"),
            (self.env._("Imports"), ", ".join(self.import_ids.mapped("name")) or self.env._("No import in the period")),
            (self.env._("New"), self.count_new),
            (self.env._("Changed"), self.count_changed),
            (self.env._("No Longer Listed"), self.count_removed),
            (self.env._("Not Yet Applied (%s)", self.academic_year), self.count_not_applied),
        ]
        for row, (label, value) in enumerate(rows):
            summary.write(row, 0, label, bold)
            summary.write(row, 1, value)
        kinds = dict(
            self.env["student.loan.poverty.reconciliation.line"]._fields["kind"]._description_selection(self.env)
        )
        for kind, title in kinds.items():
            sheet = workbook.add_worksheet(title[:31])
            headers = [
                self.env._("Name"),
                self.env._("Household Number"),
                self.env._("Student"),
                self.env._("Mobile"),
                self.env._("Details"),
            ]
            for column, header in enumerate(headers):
                sheet.write(0, column, header, bold)
            sheet.set_column(0, 3, 18)
            sheet.set_column(4, 4, 60)
            for row, line in enumerate(self.line_ids.filtered(lambda line, kind=kind: line.kind == kind), start=1):
                sheet.write_row(
                    row,
                    0,
                    [
                        line.name or "",
                        line.household_no or "",
                        line.student_id.name or "",
                        line.phone or line.student_id.mobile or "",
                    ],
                )
                sheet.write(row, 4, line.details or "", wrap)
            sheet.freeze_panes(1, 0)
        workbook.close()
        return buffer.getvalue()

    def _attach_xlsx(self):
        self.ensure_one()
        name = self.env._(
            "Poverty reconciliation %(centre)s %(date)s.xlsx", centre=self.centre_id.name, date=self.date_to
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": name,
                "datas": base64.b64encode(self._xlsx_content()),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
        self.xlsx_attachment_id = attachment
        return attachment

    def action_export_xlsx(self):
        self.ensure_one()
        attachment = self._attach_xlsx()
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "self"}

    # ------------------------------------------------------------------
    # weekly cron
    # ------------------------------------------------------------------

    @api.model
    def _cron_weekly(self):
        """一周一核对: each centre with a register gets this week's reconciliation, spreadsheet attached,
        and its handlers a to-do."""
        today = self.env["student.loan.intake.ticket"]._intake_today()
        centres = self.env["student.loan.poverty.person"]._read_group([], ["centre_id"])
        Import = self.env["student.loan.poverty.import"]
        for (centre,) in centres:
            Import._rematch(centre)
            last = self.search([("centre_id", "=", centre.id)], order="date_to desc", limit=1)
            date_from = last.date_to + datetime.timedelta(days=1) if last else today - datetime.timedelta(days=6)
            if last and last.date_to >= today:
                continue
            record = self.create({"centre_id": centre.id, "date_from": min(date_from, today), "date_to": today})
            record._compute_lines()
            attachment = record._attach_xlsx()
            record.message_post(
                body=self.env._(
                    "Weekly reconciliation: %(new)s new, %(changed)s changed, %(removed)s no longer listed, "
                    "%(not_applied)s 建档立卡 students have not applied yet.",
                    new=record.count_new,
                    changed=record.count_changed,
                    removed=record.count_removed,
                    not_applied=record.count_not_applied,
                ),
                attachment_ids=attachment.ids,
            )
            for user in centre._get_staff("student_loan.group_handler")[:1]:
                record.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=self.env._("Weekly poverty-register reconciliation (一周一核对)"),
                    note=self.env._(
                        "Import the poverty office's latest list if it changed, follow up the new "
                        "households and the students who have not applied."
                    ),
                )
        return True
