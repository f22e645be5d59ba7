from decimal import Decimal

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.student_loan.loanlib import overdue, riskfund
from odoo.addons.student_loan.models.student_loan_application import current_academic_year

from ..aftercarelib import risk_table

FEN = Decimal("0.01")


def _money(value):
    return Decimal(str(value or 0)).quantize(FEN)


class StudentLoanRiskLine(models.Model):
    """The risk figures of one aid centre and lender as of a date (贷后风险统计).

    Defined by one SQL query over contracts, settlements, repayments and default cases (``_risk_query``),
    read from its pre-aggregated form (``student.loan.risk.summary``, the same figures) and stored per
    "as of" date by the wizard, for the pivot and graph views; ``make province-risk`` and the XLSX read
    the figures directly."""

    _name = "student.loan.risk.line"
    _description = "Risk Statistics"
    _order = "as_of desc, centre_code, lender_id"

    as_of = fields.Date(required=True, index=True, readonly=True)
    centre_id = fields.Many2one("student.loan.centre", string="Aid Centre", required=True, index=True, readonly=True)
    centre_code = fields.Char(related="centre_id.code", store=True)
    reporting_city_id = fields.Many2one("student.loan.centre", string="Statistics Unit", readonly=True, index=True)
    lender_id = fields.Many2one("student.loan.lender", readonly=True)
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.ref("base.CNY"))
    contracts_in_repayment = fields.Integer(string="Contracts in Repayment", readonly=True)
    principal_in_repayment = fields.Monetary(string="Principal in Repayment", readonly=True)
    overdue_contracts = fields.Integer(readonly=True)
    overdue_principal = fields.Monetary(readonly=True)
    contracts_1_30 = fields.Integer(string="Overdue 1-30 Days", readonly=True)
    contracts_31_90 = fields.Integer(string="Overdue 31-90 Days", readonly=True)
    contracts_91_180 = fields.Integer(string="Overdue 91-180 Days", readonly=True)
    contracts_181_365 = fields.Integer(string="Overdue 181-365 Days", readonly=True)
    contracts_365_plus = fields.Integer(string="Overdue over 365 Days", readonly=True)
    principal_1_30 = fields.Monetary(string="Principal 1-30 Days", readonly=True)
    principal_31_90 = fields.Monetary(string="Principal 31-90 Days", readonly=True)
    principal_91_180 = fields.Monetary(string="Principal 91-180 Days", readonly=True)
    principal_181_365 = fields.Monetary(string="Principal 181-365 Days", readonly=True)
    principal_365_plus = fields.Monetary(string="Principal over 365 Days", readonly=True)
    amount_due = fields.Monetary(string="Due to Date", readonly=True)
    amount_recovered = fields.Monetary(string="Recovered", readonly=True)
    recovery_rate = fields.Float(digits=(6, 4), readonly=True, aggregator=None)
    default_contracts = fields.Integer(readonly=True)
    default_principal = fields.Monetary(readonly=True)
    default_rate = fields.Float(digits=(6, 4), readonly=True, aggregator=None)
    new_loans = fields.Monetary(string="New Loans of the Year", readonly=True)
    risk_fund_due = fields.Monetary(readonly=True)
    risk_fund_central = fields.Monetary(string="Risk Fund: Central Share", readonly=True)
    risk_fund_local = fields.Monetary(string="Risk Fund: Local Share", readonly=True)
    default_consumed = fields.Monetary(string="Consumed by Defaults", readonly=True)

    # ------------------------------------------------------------------
    # The query
    # ------------------------------------------------------------------

    def init(self):
        # "as of" a date reads the allocations paid after it: an index on their date keeps that cheap
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS student_loan_payment_allocation_date_idx "
            "ON student_loan_payment_allocation (date)"
        )
        # the pre-aggregated figures the table is read from (and the triggers keeping them up to date)
        self.env["student.loan.risk.summary"]._install()

    @api.model
    def _risk_query(self, as_of, centre_ids=None):
        """Rows ``(centre id, lender id, figures...)`` as of ``as_of`` (see the README's definitions)."""
        year = current_academic_year(as_of)
        buckets = overdue.BUCKETS
        bucket_sql = SQL(", ").join(
            SQL(
                "count(*) FILTER (WHERE pc.dpd BETWEEN %s AND %s), "
                "COALESCE(sum(pc.overdue_principal) FILTER (WHERE pc.dpd BETWEEN %s AND %s), 0)",
                low,
                high if high is not None else 10**6,
                low,
                high if high is not None else 10**6,
            )
            for _key, low, high in buckets
        )
        return SQL(
            """
            WITH late AS (
                -- paid after the date: taken off the stored paid amounts (few rows for a recent date)
                SELECT a.settlement_line_id,
                       sum(a.amount) AS amount,
                       COALESCE(sum(a.amount) FILTER (WHERE a.kind = 'principal'), 0) AS principal
                  FROM student_loan_payment_allocation a
                 WHERE a.date > %(as_of)s
                 GROUP BY a.settlement_line_id
            ), lines AS (
                SELECT s.contract_id,
                       sum(s.principal_paid - COALESCE(late.principal, 0)) AS principal_paid,
                       sum(s.amount_due) FILTER (WHERE s.due_date < %(as_of)s) AS due,
                       sum(LEAST(s.amount_paid - COALESCE(late.amount, 0), s.amount_due))
                           FILTER (WHERE s.due_date < %(as_of)s) AS recovered,
                       min(s.due_date) FILTER (
                           WHERE s.due_date < %(as_of)s
                             AND s.amount_due - s.amount_paid + COALESCE(late.amount, 0) > 0.005) AS oldest,
                       sum(s.principal_due - s.principal_paid + COALESCE(late.principal, 0))
                           FILTER (WHERE s.due_date < %(as_of)s) AS overdue_principal
                  FROM student_loan_settlement_line s
             LEFT JOIN late ON late.settlement_line_id = s.id
                 WHERE s.date <= %(as_of)s
                   AND (%(centres)s::int[] IS NULL OR s.centre_id = ANY(%(centres)s::int[]))
                 GROUP BY s.contract_id
            ), per_contract AS (
                SELECT c.id, c.centre_id, c.lender_id, c.graduation_date,
                       c.amount - COALESCE(l.principal_paid, 0) AS principal_left,
                       COALESCE(l.due, 0) AS due,
                       COALESCE(l.recovered, 0) AS recovered,
                       %(as_of)s - l.oldest AS dpd,
                       COALESCE(l.overdue_principal, 0) AS overdue_principal
                  FROM student_loan_contract c
             LEFT JOIN lines l ON l.contract_id = c.id
                 WHERE c.state IN ('active', 'closed') AND c.disbursement_date <= %(as_of)s
                   AND (%(centres)s::int[] IS NULL OR c.centre_id = ANY(%(centres)s::int[]))
            ), defaults AS (
                SELECT d.contract_id, d.principal_outstanding
                  FROM student_loan_default_case d
                 WHERE d.date_opened <= %(as_of)s
                   AND (d.state != 'recovered' OR d.date_closed > %(as_of)s)
            ), fund AS (
                SELECT c.centre_id, c.lender_id, sum(c.amount) AS new_loans
                  FROM student_loan_contract c
                 WHERE c.state IN ('active', 'closed') AND c.academic_year = %(year)s
                   AND c.disbursement_date <= %(as_of)s
                   AND (%(centres)s::int[] IS NULL OR c.centre_id = ANY(%(centres)s::int[]))
                 GROUP BY c.centre_id, c.lender_id
            ), figures AS (
                SELECT pc.centre_id, pc.lender_id,
                       count(*) FILTER (WHERE pc.graduation_date <= %(as_of)s AND pc.principal_left > 0)
                           AS contracts_in_repayment,
                       COALESCE(sum(pc.principal_left)
                                FILTER (WHERE pc.graduation_date <= %(as_of)s AND pc.principal_left > 0), 0)
                           AS principal_in_repayment,
                       count(*) FILTER (WHERE pc.dpd > 0) AS overdue_contracts,
                       COALESCE(sum(pc.overdue_principal) FILTER (WHERE pc.dpd > 0), 0) AS overdue_principal,
                       sum(pc.due) AS amount_due,
                       sum(pc.recovered) AS amount_recovered,
                       count(d.contract_id) AS default_contracts,
                       COALESCE(sum(LEAST(pc.principal_left, d.principal_outstanding))
                                FILTER (WHERE d.contract_id IS NOT NULL), 0) AS default_principal,
                       COALESCE(sum(d.principal_outstanding), 0) AS default_consumed,
                       %(buckets)s
                  FROM per_contract pc
             LEFT JOIN defaults d ON d.contract_id = pc.id
                 GROUP BY pc.centre_id, pc.lender_id
            )
            SELECT COALESCE(f.centre_id, fund.centre_id), COALESCE(f.lender_id, fund.lender_id),
                   COALESCE(fund.new_loans, 0), f.*
              FROM figures f
         FULL JOIN fund ON fund.centre_id = f.centre_id AND fund.lender_id IS NOT DISTINCT FROM f.lender_id
            """,
            as_of=as_of,
            year=year,
            centres=centre_ids,
            buckets=bucket_sql,
        )

    @api.model
    def _risk_figures(self, as_of, centre_ids=None):
        """``{(centre, lender): risk_table.Figures}`` with the risk fund of the year applied."""
        as_of = fields.Date.to_date(as_of)
        self.env.flush_all()
        if self.env.cr.readonly:
            # a read-only cursor (the replica) cannot apply the pending changes: the direct query
            self.env.cr.execute(self._risk_query(as_of, centre_ids))
        else:
            Summary = self.env["student.loan.risk.summary"].sudo()
            Summary._refresh()
            self.env.cr.execute(Summary._figures_query(as_of, current_academic_year(as_of), centre_ids))
        rows = self.env.cr.fetchall()
        Centre = self.env["student.loan.centre"].sudo()
        Lender = self.env["student.loan.lender"].sudo().with_context(active_test=False)
        policy = self.env["student.loan.policy"].sudo()._get_by_year([current_academic_year(as_of)])
        policy = next(iter(policy.values()), None)
        rate = Decimal(str(policy.risk_fund_rate if policy else 0)) / 100
        share = Decimal(str(policy.risk_fund_central_share if policy else 0)) / 100
        result = {}
        for centre_id, lender_id, new_loans, *values in rows:
            centre, lender = Centre.browse(centre_id), Lender.browse(lender_id)
            figures = risk_table.Figures(centre.code, centre.name, centre.division_kind, lender.code or "-")
            figures.extra = {"centre": centre, "lender": lender}
            if values[0] is not None:
                (
                    _c,
                    _l,
                    figures.contracts_in_repayment,
                    in_repayment,
                    figures.overdue_contracts,
                    overdue_principal,
                    amount_due,
                    recovered,
                    figures.default_contracts,
                    default_principal,
                    consumed,
                    *buckets,
                ) = values
                figures.principal_in_repayment = _money(in_repayment)
                figures.overdue_principal = _money(overdue_principal)
                figures.amount_due = _money(amount_due)
                figures.amount_recovered = _money(recovered)
                figures.default_principal = _money(default_principal)
                figures.default_consumed = _money(consumed)
                for index, key in enumerate(overdue.BUCKET_KEYS):
                    setattr(figures, f"contracts_{key}", buckets[2 * index])
                    setattr(figures, f"principal_{key}", _money(buckets[2 * index + 1]))
            figures.new_loans = _money(new_loans)
            fund = riskfund.fund_due(figures.new_loans, rate, share)
            figures.risk_fund_due, figures.risk_fund_central, figures.risk_fund_local = (
                fund.due,
                fund.central,
                fund.local,
            )
            result[figures.code, figures.lender] = figures
        return result

    @api.model
    def _risk_rows(self, as_of):
        """The table's rows (counties, units, TOTAL) for what the user may see."""
        Statistics = self.env["student.loan.statistics"]
        visible = Statistics._visible_centres()
        restricted = not (
            self.env.su
            or self.env.user.has_group("student_loan.group_admin")
            or self.env.user.loan_centre_id.division_kind == "province"
        )
        figures = self._risk_figures(as_of, visible.ids if restricted else None)
        units = visible.filtered(lambda centre: centre.division_kind in ("city", "province_admin", "direct_county"))
        units |= visible.filtered(lambda centre: centre.division_kind == "county").reporting_city_id
        counties = visible.filtered(lambda centre: centre.division_kind == "county").sorted("code")
        unit_list = [
            risk_table.Unit(
                unit.code,
                unit.name,
                unit.division_kind,
                [(county.code, county.name) for county in counties if county.reporting_city_id == unit],
            )
            for unit in units.sorted("code")
        ]
        return risk_table.build_rows(unit_list, figures)

    @api.model
    def _risk_csv(self, as_of):
        return risk_table.to_csv(self._risk_rows(as_of), self.env["student.loan.statistics"]._province_name())

    @api.model
    def _risk_xlsx(self, as_of):
        lenders = {
            lender.code: lender.name
            for lender in self.env["student.loan.lender"].sudo().with_context(active_test=False).search([])
        }
        return risk_table.build_workbook(
            self._risk_rows(as_of),
            fields.Date.to_date(as_of),
            self.env["student.loan.statistics"]._province_name(),
            lenders,
            generated=fields.Date.context_today(self),
        )

    @api.model
    def _store_as_of(self, as_of):
        """Replace the stored lines of ``as_of`` with the current figures (for pivot and graph)."""
        as_of = fields.Date.to_date(as_of)
        figures = self._risk_figures(as_of)
        self.sudo().search([("as_of", "=", as_of)]).unlink()
        vals_list = []
        for item in figures.values():
            centre = item.extra["centre"]
            vals = {
                name: (float(value) if isinstance(value, Decimal) else value)
                for name in risk_table.field_names()
                for value in [getattr(item, name)]
            }
            vals.update(
                as_of=as_of,
                centre_id=centre.id,
                reporting_city_id=centre.reporting_city_id.id or centre.id,
                lender_id=item.extra["lender"].id,
                recovery_rate=float(item.recovery_rate),
                default_rate=float(item.default_rate),
            )
            vals_list.append(vals)
        return self.sudo().create(vals_list)
