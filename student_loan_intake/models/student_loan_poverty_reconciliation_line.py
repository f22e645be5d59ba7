from odoo import fields, models


class StudentLoanPovertyReconciliationLine(models.Model):
    _name = "student.loan.poverty.reconciliation.line"
    _description = "Poverty Register Reconciliation Line"
    _order = "reconciliation_id, kind, household_no, name, id"

    KINDS = [
        ("new", "New"),
        ("changed", "Changed"),
        ("removed", "No Longer Listed"),
        ("not_applied", "Not Yet Applied"),
    ]

    reconciliation_id = fields.Many2one(
        "student.loan.poverty.reconciliation", required=True, index=True, ondelete="cascade"
    )
    centre_id = fields.Many2one(related="reconciliation_id.centre_id", store=True, index=True)
    kind = fields.Selection(KINDS, required=True, index=True)
    person_id = fields.Many2one("student.loan.poverty.person", string="Register Entry", ondelete="set null")
    student_id = fields.Many2one("student.loan.student", index="btree_not_null", ondelete="set null")
    name = fields.Char(required=True)
    household_no = fields.Char(string="Household Number")
    phone = fields.Char(string="Mobile")
    details = fields.Text()
