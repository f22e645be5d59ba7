from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class StudentLoanDeferralRun(models.Model):
    """A whole-book policy switch: one year's principal deferral for every graduate of the centre (e.g. a
    deferral year decided for all), applied in one run. Idempotent: a contract deferred by a run of the same
    deferral year is skipped; the run reports what it applied and skipped."""

    _name = "student.loan.deferral.run"
    _description = "Deferral Year Run"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(required=True, tracking=True)
    deferral_year = fields.Integer(required=True, help="Principal due in this calendar year is deferred by a year.")
    centre_id = fields.Many2one(
        "student.loan.centre", string="Aid Centre", required=True, default=lambda self: self.env.user.loan_centre_id
    )
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft", readonly=True, tracking=True)
    relief_ids = fields.One2many("student.loan.relief", "run_id", string="Deferrals", readonly=True)
    applied_count = fields.Integer(string="Deferred", readonly=True)
    skipped_count = fields.Integer(string="Already Deferred", readonly=True)
    failed_count = fields.Integer(string="Not Deferred", readonly=True)
    report = fields.Text(readonly=True)

    def action_run(self):
        self.ensure_one()
        if not self.env.user.has_group("student_loan.group_admin"):
            raise UserError(self.env._("Only the province administrator applies a deferral year to the whole book."))
        if self.state != "draft":
            raise UserError(self.env._("%s has run already.", self.name))
        day = fields.Date.context_today(self)
        if day.year > self.deferral_year:
            raise UserError(self.env._("The deferral year %s is over.", self.deferral_year))
        self.env.cr.execute(SQL("SELECT id FROM student_loan_deferral_run WHERE id = %s FOR UPDATE NOWAIT", self.id))
        self.env.flush_all()
        centres = self.env["student.loan.centre"].sudo().search([("id", "child_of", self.centre_id.id)]).ids
        # contracts with principal due in the deferral year and not settled yet
        self.env.cr.execute(
            SQL(
                """
            SELECT DISTINCT c.id
              FROM student_loan_contract c
              JOIN student_loan_plan_line pl ON pl.contract_id = c.id
             WHERE c.state = 'active' AND c.centre_id = ANY(%(centres)s)
               AND pl.kind = 'repayment' AND pl.principal > 0 AND pl.settlement_line_id IS NULL
               AND pl.date >= %(day)s AND pl.date <= make_date(%(year)s, 12, 31)
             ORDER BY c.id
            """,
                centres=centres,
                day=day,
                year=self.deferral_year,
            )
        )
        contract_ids = [row[0] for row in self.env.cr.fetchall()]
        Relief = self.env["student.loan.relief"].sudo()
        done_before = set(
            Relief.search(
                [
                    ("contract_id", "in", contract_ids),
                    ("run_id.deferral_year", "=", self.deferral_year),
                    ("state", "=", "approved"),
                ]
            ).contract_id.ids
        )
        applied, failed = 0, []
        for contract_id in contract_ids:
            if contract_id in done_before:
                continue
            relief = Relief.create(
                {
                    "kind": "principal_deferral",
                    "reason": "policy",
                    "contract_id": contract_id,
                    "years": 1,
                    "run_id": self.id,
                    "note": self.name,
                    # a policy for the whole book, decided by the province: no review of each contract
                    "state": "approved",
                }
            )
            try:
                with self.env.cr.savepoint():
                    relief._apply(day)
                applied += 1
            except UserError as error:
                failed.append(f"{relief.contract_id.name}: {error}")
                relief.unlink()
        report = self.env._(
            "%(applied)s contracts deferred, %(skipped)s already deferred for %(year)s, %(failed)s not deferred.",
            applied=applied,
            skipped=len(done_before),
            year=self.deferral_year,
            failed=len(failed),
        )
        self.sudo().write(
            {
                "state": "done",
                "applied_count": applied,
                "skipped_count": len(done_before),
                "failed_count": len(failed),
                "report": "\n".join([report, *failed]),
            }
        )
        self.message_post(body=report)
        return True
