from collections import defaultdict

from odoo import api, fields, models, tools

from odoo.addons.student_loan.models.student_loan_application import LOAN_KINDS, current_academic_year
from odoo.addons.student_loan.models.student_loan_student import EDUCATION_LEVELS

from ..reportlib import r1_table, r1_xlsx

COUNTED_STATES = ("signed", "approved", "active", "closed")
UNIT_KINDS = ("city", "province_admin", "direct_county")


class StudentLoanStatistics(models.Model):
    """R1: the contracts signed, as of any date, by statistics unit, county, kind of division, kind
    of loan, level and 建档立卡 (one row per counted contract; a SQL view over the core tables).

    A contract counts from its signing date while it is signed, approved, disbursed or closed.
    "As of D for the academic year Y" is the domain ``signing_date <= D and academic_year = Y``;
    the view is read through ``_read_group`` (pivot, graph, dashboard, CSV and XLSX).
    """

    _name = "student.loan.statistics"
    _description = "Loan Statistics (R1)"
    _auto = False
    _order = "signing_date desc, id desc"
    _rec_name = "contract_id"

    contract_id = fields.Many2one("student.loan.contract", readonly=True)
    academic_year = fields.Integer(readonly=True)
    signing_date = fields.Date(readonly=True)
    state = fields.Selection(
        [("signed", "Signed"), ("approved", "Approved"), ("active", "Disbursed"), ("closed", "Closed")],
        string="Contract Status",
        readonly=True,
    )
    centre_id = fields.Many2one("student.loan.centre", string="Aid Centre", readonly=True)
    reporting_city_id = fields.Many2one(
        "student.loan.centre",
        string="Statistics Unit",
        readonly=True,
        help="The city for a county under a city; 济源 and each directly-managed county stand alone.",
    )
    division_kind = fields.Selection(
        [
            ("city", "City"),
            ("province_admin", "Province-administered division"),
            ("direct_county", "Directly-managed county"),
        ],
        string="Kind of Division",
        readonly=True,
    )
    loan_kind = fields.Selection(LOAN_KINDS, string="Kind", readonly=True)
    education_level = fields.Selection(EDUCATION_LEVELS, string="Level", readonly=True)
    is_poverty_registered = fields.Boolean(string="建档立卡", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount = fields.Monetary(readonly=True, aggregator="sum")
    contract_count = fields.Integer(string="Contracts", readonly=True, aggregator="sum")
    first_count = fields.Integer(string="First Loans", readonly=True, aggregator="sum")
    renewal_count = fields.Integer(string="Renewals", readonly=True, aggregator="sum")
    poverty_count = fields.Integer(string="建档立卡 Contracts", readonly=True, aggregator="sum")

    def init(self):
        cr = self.env.cr
        # "as of a date" in a season: early in the season only a few contracts match
        cr.execute("""
            CREATE INDEX IF NOT EXISTS student_loan_contract_statistics_idx
                ON student_loan_contract (academic_year, signing_date)
        """)
        tools.drop_view_if_exists(cr, self._table)
        # LEFT JOINs on primary keys: PostgreSQL skips the joins a query does not use, so the R1
        # table (units and counties) reads only the contracts and the centres.
        cr.execute(f"""
            CREATE VIEW {self._table} AS (
                SELECT c.id AS id,
                       c.id AS contract_id,
                       c.academic_year,
                       c.signing_date,
                       c.state,
                       c.centre_id,
                       ce.reporting_city_id,
                       unit.division_kind,
                       c.loan_kind,
                       COALESCE(a.education_level, s.education_level) AS education_level,
                       COALESCE(s.is_poverty_registered, FALSE) AS is_poverty_registered,
                       c.currency_id,
                       c.amount,
                       1 AS contract_count,
                       CASE WHEN c.loan_kind = 'first' THEN 1 ELSE 0 END AS first_count,
                       CASE WHEN c.loan_kind = 'renewal' THEN 1 ELSE 0 END AS renewal_count,
                       CASE WHEN s.is_poverty_registered THEN 1 ELSE 0 END AS poverty_count
                  FROM student_loan_contract c
                  JOIN student_loan_centre ce ON ce.id = c.centre_id
             LEFT JOIN student_loan_centre unit ON unit.id = ce.reporting_city_id
             LEFT JOIN student_loan_application a ON a.id = c.application_id
             LEFT JOIN student_loan_student s ON s.id = c.student_id
                 WHERE c.state IN ('signed', 'approved', 'active', 'closed')
                   AND c.signing_date IS NOT NULL
            )
        """)

    # ------------------------------------------------------------------
    # As of a date
    # ------------------------------------------------------------------

    @api.model
    def _as_of_domain(self, as_of, academic_year=None):
        """Contracts of the academic year (default: the one ``as_of`` falls in) signed on or before ``as_of``."""
        as_of = fields.Date.to_date(as_of)
        year = academic_year or current_academic_year(as_of)
        return [("academic_year", "=", year), ("signing_date", "<=", as_of)]

    @api.model
    def _latest_signing_date(self):
        """The last signing date in the statistics (the command line's default "as of")."""
        self.env.cr.execute(f"SELECT MAX(signing_date) FROM {self._table}")
        return self.env.cr.fetchone()[0]

    @api.model
    def _r1_data(self, as_of, academic_year=None, breakdowns=True):
        """The R1 figures as of a date, for what the current user may see.

        Returns an ``r1_table.R1Data``: the statistics units (all of them, in bulletin order),
        the figures per aid centre where contracts were signed, and the breakdowns by kind of
        division, level and 建档立卡.
        """
        as_of = fields.Date.to_date(as_of)
        year = academic_year or current_academic_year(as_of)
        domain = self._as_of_domain(as_of, year)
        measures = ["contract_count:sum", "amount:sum", "first_count:sum", "renewal_count:sum"]
        # the R1 measures per centre from their daily sums (student.loan.statistics.daily, same record
        # rules): a few thousand rows as of any date, whatever the number of contracts
        rows = self.env["student.loan.statistics.daily"]._read_group(
            domain, ["centre_id"], measures, having=[("contract_count:sum", ">", 0)]
        )
        centre_rows = [
            r1_table.Figures(
                code=centre.code,
                name=centre.name,
                kind=centre.division_kind,
                unit_code=centre.reporting_city_id.code or centre.code,
                contracts=contracts or 0,
                amount=amount or 0.0,
                first_loans=first or 0,
                renewals=renewals or 0,
            )
            for centre, contracts, amount, first, renewals in rows
        ]
        visible = self._visible_centres()
        units = visible.filtered(lambda centre: centre.division_kind in UNIT_KINDS) | (
            visible.filtered(lambda centre: centre.division_kind == "county").reporting_city_id
        )
        # the counties of each unit, in one pass (a nested loop was units × counties: 410,000 reads nationally)
        counties_of = defaultdict(list)
        for county in visible.filtered(lambda centre: centre.division_kind == "county").sorted("code"):
            counties_of[county.reporting_city_id.id].append((county.code, county.name, county.division_kind))
        unit_list = [
            r1_table.Unit(unit.code, unit.name, unit.division_kind, counties_of[unit.id])
            for unit in units.sorted("code")
        ]
        return r1_table.R1Data(
            as_of=as_of,
            academic_year=year,
            province_name=self._scope_name(),
            units=unit_list,
            centres=centre_rows,
            breakdowns=self._r1_breakdowns(domain, measures) if breakdowns else {},
        )

    @api.model
    def _r1_breakdowns(self, domain, measures):
        """The figures by kind of division, by level and by 建档立卡 (one grouped query)."""
        groupbys = ("division_kind", "education_level", "is_poverty_registered")
        labels = {
            groupby: dict(self._fields[groupby]._description_selection(self.env))
            for groupby in groupbys
            if groupby != "is_poverty_registered"
        }
        labels["is_poverty_registered"] = {True: self.env._("Yes"), False: self.env._("No")}
        breakdowns = {groupby: {} for groupby in groupbys}
        for *keys, contracts, amount, first, renewals in self._read_group(domain, list(groupbys), measures):
            for groupby, key in zip(groupbys, keys, strict=True):
                figures = breakdowns[groupby].setdefault(
                    key,
                    r1_table.Figures(
                        code=str(key),
                        name=labels[groupby].get(key, str(key or "")),
                        kind=groupby,
                    ),
                )
                figures.add(
                    r1_table.Figures(
                        "",
                        "",
                        contracts=contracts or 0,
                        amount=amount or 0.0,
                        first_loans=first or 0,
                        renewals=renewals or 0,
                    )
                )
        return {groupby: list(values.values()) for groupby, values in breakdowns.items()}

    @api.model
    def _province_name(self):
        province = (
            self.env["student.loan.centre"].sudo().search([("division_kind", "=", "province")], order="id", limit=1)
        )
        return province.name or ""

    @api.model
    def _scope_name(self):
        """The division the figures cover, for titles and totals: the province for the province
        staff, administrators, the bank and the command line; otherwise the user's own centre (a
        county's sheet says 商水县, a city's 周口市)."""
        user = self.env.user
        centre = user.loan_centre_id.sudo()
        if (
            self.env.su
            or user.has_group("student_loan.group_admin")
            or not centre
            or centre.division_kind == "province"
        ):
            return self._province_name()
        return centre.name

    @api.model
    def _visible_centres(self):
        """The aid centres whose figures the user sees (as the record rules): the province sees all,
        a city its counties, a county itself."""
        Centre = self.env["student.loan.centre"].sudo()
        user = self.env.user
        centre = user.loan_centre_id
        if self.env.su or user.has_group("student_loan.group_admin") or centre.division_kind == "province":
            return Centre.search([("division_kind", "!=", "province")])
        if not centre:
            return Centre
        return Centre.search([("id", "child_of", centre.id), ("division_kind", "!=", "province")])

    @api.model
    def _r1_csv(self, as_of=None, academic_year=None):
        """The R1 table as CSV text: one line per statistics unit, then TOTAL."""
        as_of = as_of or self._latest_signing_date() or fields.Date.context_today(self)
        return r1_table.to_csv(self._r1_data(as_of, academic_year, breakdowns=False))

    @api.model
    def _r1_xlsx(self, as_of, academic_year=None):
        """The R1 table as an XLSX file (bytes), laid out as a government statistics sheet."""
        return r1_xlsx.build_workbook(self._r1_data(as_of, academic_year), generated=fields.Date.context_today(self))
