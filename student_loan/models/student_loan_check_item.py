from odoo import fields, models


class StudentLoanCheckItem(models.Model):
    """One point of the document check a handler goes through before approval (R6)."""

    _name = "student.loan.check.item"
    _description = "Document Check Item"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True, help="What the handler looks at.")
    auto_check = fields.Boolean(help="The system proposes the result from the data (the handler still confirms it).")
    loan_kind = fields.Selection(
        [("all", "All Loans"), ("first", "First Loans"), ("renewal", "Renewals")], default="all", required=True
    )
    email_required = fields.Boolean(
        string="E-mail Required",
        default=True,
        help="The contact check also asks for the student's e-mail address; unticked, the e-mail is optional "
        "(only the mobile number is checked).",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [("code_unique", "unique(code)", "The check item code must be unique.")]
