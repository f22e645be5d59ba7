import base64

from odoo import api, fields, models

from odoo.addons.student_loan.models.student_loan_application import current_academic_year

from ..reportlib import r1_table, r1_xlsx


class StudentLoanStatisticsWizard(models.TransientModel):
    """The R1 dashboard and export: the province table as of a date, the pivot and graph with the
    same filter, and the XLSX statistics sheet to download."""

    _name = "student.loan.statistics.wizard"
    _description = "Loan Statistics as of a Date"

    as_of = fields.Date(string="As of", required=True, default=fields.Date.context_today)
    academic_year = fields.Integer(
        compute="_compute_academic_year",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        help="The season counted (2017 = 2017-2018); by default the one the date falls in.",
    )
    table_html = fields.Html(string="Table", compute="_compute_table_html", sanitize=False)
    xlsx_file = fields.Binary(string="XLSX File", readonly=True, attachment=False)
    xlsx_name = fields.Char(string="File Name", readonly=True)

    @api.depends("as_of")
    def _compute_display_name(self):
        # the breadcrumb of the saved dashboard: "贷款统计 2026-12-03", not the technical "model,id"
        for wizard in self:
            wizard.display_name = self.env._("Loan Statistics %s", wizard.as_of or "")

    @api.depends("as_of")
    def _compute_academic_year(self):
        for wizard in self:
            wizard.academic_year = current_academic_year(wizard.as_of or fields.Date.context_today(wizard))

    @api.depends("as_of", "academic_year")
    def _compute_table_html(self):
        Statistics = self.env["student.loan.statistics"]
        for wizard in self:
            if not wizard.as_of or not wizard.academic_year:
                wizard.table_html = False
                continue
            data = Statistics._r1_data(wizard.as_of, wizard.academic_year)
            wizard.table_html = self.env["ir.qweb"]._render(
                "student_loan_report.r1_dashboard_table", wizard._table_values(data)
            )

    def _table_values(self, data):
        """Values of the dashboard template: the units (or, for one unit, its counties) and the breakdowns."""
        units = r1_table.unit_figures(data)
        if len(units) == 1:  # a city or a county sees its own counties
            block = r1_table.blocks(data)[0]
            rows, level = block.rows, "centre"
        else:
            rows, level = units, "unit"
        kinds = dict(self.env["student.loan.centre"]._fields["division_kind"]._description_selection(self.env))
        breakdown_titles = {
            "division_kind": self.env._("By kind of division"),
            "education_level": self.env._("By level"),
            "is_poverty_registered": self.env._("建档立卡"),
        }
        return {
            "data": data,
            "rows": rows,
            "level": level,
            "total": r1_table.total_figures(data),
            "kinds": kinds,
            "breakdowns": [(title, data.breakdowns.get(key, [])) for key, title in breakdown_titles.items()],
            "count": lambda value: f"{value:,}",
            "money": lambda value: f"{value:,.2f}",
            "season": f"{data.academic_year}-{data.academic_year + 1}",
        }

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    @api.model
    def action_open_dashboard(self):
        """The dashboard's menu: a saved dashboard as of today, so it opens on the table (no unsaved
        form to discard) and the browser's reload keeps it."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "student_loan_report.student_loan_statistics_dashboard_action"
        )
        action["res_id"] = self.create({}).id
        return action

    def _statistics_action(self, view_mode):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("student_loan_report.student_loan_statistics_action")
        action["domain"] = self.env["student.loan.statistics"]._as_of_domain(self.as_of, self.academic_year)
        season = f"{self.academic_year}-{self.academic_year + 1}"
        action["name"] = self.env._("Loan Statistics as of %(date)s (%(season)s)", date=self.as_of, season=season)
        action["view_mode"] = view_mode
        action["views"] = [(False, mode) for mode in view_mode.split(",")]
        action["context"] = {"search_default_group_unit": 1}
        return action

    def action_open_pivot(self):
        return self._statistics_action("pivot,graph,list")

    def action_open_graph(self):
        return self._statistics_action("graph,pivot,list")

    def action_refresh(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": self.env.context.get("dialog") and "new" or "current",
        }

    def action_download_xlsx(self):
        """Build the XLSX statistics sheet (as the user sees the figures) and download it."""
        self.ensure_one()
        content = self._build_xlsx()
        self.write(
            {
                "xlsx_file": base64.b64encode(content),
                "xlsx_name": f"R1_{self.as_of:%Y%m%d}_{self.academic_year}.xlsx",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/?model={self._name}&id={self.id}&field=xlsx_file"
            f"&filename_field=xlsx_name&download=true",
            "target": "self",
        }

    def _build_xlsx(self):
        data = self.env["student.loan.statistics"]._r1_data(self.as_of, self.academic_year)
        return r1_xlsx.build_workbook(data, generated=fields.Date.context_today(self), preparer=self.env.user.name)
