from odoo import fields, models


class StudentLoanEventAgendaLine(models.Model):
    """An item of the agenda of an award ceremony or symposium."""

    _name = "student.loan.event.agenda.line"
    _description = "Ceremony Agenda Item"
    _order = "event_id, sequence, time, id"

    event_id = fields.Many2one("event.event", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    time = fields.Float(string="Starts At", help="Local time, e.g. 9.5 for 09:30.")
    duration = fields.Float(help="In hours.")
    name = fields.Char(string="Item", required=True)
    speaker_id = fields.Many2one("res.partner")
    note = fields.Text()
