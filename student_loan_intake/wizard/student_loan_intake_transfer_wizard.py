from odoo import api, fields, models

from ..models.student_loan_intake_desk import STATIONS


class StudentLoanIntakeTransferWizard(models.TransientModel):
    """Send a family to another station (e.g. back to registration guidance), or to one desk."""

    _name = "student.loan.intake.transfer.wizard"
    _description = "Transfer an Intake Ticket"

    ticket_id = fields.Many2one("student.loan.intake.ticket", required=True, ondelete="cascade")
    centre_id = fields.Many2one(related="ticket_id.centre_id")
    station = fields.Selection(STATIONS, required=True)
    desk_id = fields.Many2one(
        "student.loan.intake.desk",
        domain="[('centre_id', '=', centre_id), ('station', '=', station)]",
        help="Empty: the next free desk of the station calls the family.",
    )
    note = fields.Char(string="Reason")

    @api.onchange("station")
    def _onchange_station(self):
        if self.desk_id and self.desk_id.station != self.station:
            self.desk_id = False

    def action_transfer(self):
        self.ensure_one()
        self.ticket_id._transfer(self.station, self.desk_id or None, self.note)
        return {"type": "ir.actions.act_window_close"}
