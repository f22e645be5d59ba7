from odoo import fields, models


class EventRegistration(models.Model):
    _inherit = "event.registration"

    student_id = fields.Many2one("student.loan.student", index=True, ondelete="set null")
    submission_id = fields.Many2one(
        "student.loan.competition.submission", string="Winning Work", index=True, ondelete="set null"
    )
    prize_id = fields.Many2one(related="submission_id.tier_id", string="Prize")
