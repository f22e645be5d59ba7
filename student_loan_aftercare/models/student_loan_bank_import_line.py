from odoo import fields, models


class StudentLoanBankImportLine(models.Model):
    """One row of a bank file: what the bank says, what we expected, and what was booked."""

    _name = "student.loan.bank.import.line"
    _description = "Bank File Row"
    _order = "import_id, row"

    import_id = fields.Many2one("student.loan.bank.import", required=True, index=True, ondelete="cascade")
    kind = fields.Selection(related="import_id.kind")
    centre_id = fields.Many2one(related="import_id.centre_id", store=True, index=True, string="Aid Centre")
    currency_id = fields.Many2one(related="import_id.currency_id")
    row = fields.Integer(readonly=True)
    contract_ref = fields.Char(string="Contract Number (File)", readonly=True)
    contract_id = fields.Many2one("student.loan.contract", readonly=True, ondelete="set null")
    student_id = fields.Many2one(related="contract_id.student_id")
    date = fields.Date(readonly=True)
    amount = fields.Monetary(readonly=True)
    reference = fields.Char(string="Bank Reference", readonly=True)
    days_past_due = fields.Integer(string="Days Past Due (Bank)", readonly=True)
    principal = fields.Monetary(string="Overdue Principal (Bank)", readonly=True)
    interest = fields.Monetary(string="Overdue Interest (Bank)", readonly=True)
    our_amount = fields.Monetary(string="Our Figure", readonly=True)
    our_penalty = fields.Monetary(
        string="Of Which Penalty Interest",
        readonly=True,
        help="Penalty interest accrued and unpaid, included in our figure (it is collected first).",
    )
    our_days_past_due = fields.Integer(string="Days Past Due (Ours)", readonly=True)
    difference = fields.Monetary(readonly=True, help="The bank's figure minus ours.")
    reconcile = fields.Selection(
        [("match", "Matches Our Plan"), ("differs", "Differs")], string="Reconciliation", readonly=True
    )
    status = fields.Selection(
        [("ok", "To Import"), ("error", "Error"), ("duplicate", "Already Booked"), ("done", "Booked")],
        readonly=True,
        required=True,
        default="ok",
    )
    error = fields.Text(readonly=True)
    payment_id = fields.Many2one("student.loan.payment", readonly=True, ondelete="set null")
