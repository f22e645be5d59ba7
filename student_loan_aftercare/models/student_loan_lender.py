from odoo import api, fields, models


class StudentLoanLender(models.Model):
    """A bank that lends student-origin credit loans (国家开发银行 by default; other banks since 2021)."""

    _name = "student.loan.lender"
    _description = "Lender"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short code used in the bank's files and the statistics (CDB, PSBC…).")
    sequence = fields.Integer(default=10)
    lending_since = fields.Integer(string="Lends Since", help="First academic year in which this bank lends.")
    active = fields.Boolean(default=True)

    _sql_constraints = [("code_unique", "unique(code)", "Another lender already has this code.")]

    @api.model
    def _get_default(self):
        return self.env.ref("student_loan_aftercare.lender_cdb", raise_if_not_found=False) or self.search([], limit=1)
