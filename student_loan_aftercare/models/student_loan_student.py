from odoo import fields, models


class StudentLoanStudent(models.Model):
    _inherit = "student.loan.student"

    employer = fields.Char(tracking=True, help="Filled by the graduation confirmation (毕业确认).")
    employer_address = fields.Char()
    graduation_ids = fields.One2many("student.loan.graduation", "student_id", string="Graduation Confirmations")
