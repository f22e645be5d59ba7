from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class EventEvent(models.Model):
    """Award ceremonies and symposia (颁奖典礼、座谈会) of an integrity-education competition."""

    _inherit = "event.event"

    competition_id = fields.Many2one("student.loan.competition", index=True, ondelete="set null", tracking=True)
    competition_event_kind = fields.Selection(
        [
            ("ceremony", "Award Ceremony"),
            ("symposium", "Symposium"),
            ("ceremony_symposium", "Award Ceremony and Symposium"),
        ],
        string="Kind of Meeting",
    )
    loan_centre_id = fields.Many2one(
        "student.loan.centre",
        string="Aid Centre",
        index=True,
        compute="_compute_loan_centre_id",
        store=True,
        readonly=False,
        help="The aid centre holding the event; its staff (and the staff above) see it.",
    )
    agenda_line_ids = fields.One2many("student.loan.event.agenda.line", "event_id", string="Agenda", copy=True)
    speaker_ids = fields.Many2many(
        "res.partner", "event_event_student_loan_speaker_rel", "event_id", "partner_id", string="Speakers"
    )
    photo_ids = fields.Many2many(
        "ir.attachment",
        "event_event_student_loan_photo_rel",
        "event_id",
        "attachment_id",
        string="Photos",
        help="Photos of the ceremony, attached afterwards.",
    )
    winner_registration_count = fields.Integer(compute="_compute_winner_registration_counts")
    winner_attended_count = fields.Integer(compute="_compute_winner_registration_counts")

    @api.depends("competition_id")
    def _compute_loan_centre_id(self):
        for event in self:
            if event.competition_id:
                event.loan_centre_id = event.competition_id.centre_id
            elif not event.loan_centre_id:
                event.loan_centre_id = False

    def _compute_winner_registration_counts(self):
        groups = (
            self.env["event.registration"]
            .sudo()
            ._read_group(
                [("event_id", "in", self.ids), ("submission_id", "!=", False), ("state", "!=", "cancel")],
                ["event_id", "state"],
                ["__count"],
            )
        )
        invited = {}
        attended = {}
        for event, state, count in groups:
            invited[event.id] = invited.get(event.id, 0) + count
            if state == "done":
                attended[event.id] = attended.get(event.id, 0) + count
        for event in self:
            event.winner_registration_count = invited.get(event.id, 0)
            event.winner_attended_count = attended.get(event.id, 0)

    def action_invite_winners(self):
        """Register every winner not yet registered (one registration per student, for their best
        prize); the event's after-registration mail and SMS schedulers then invite them."""
        registrations = self.env["event.registration"]
        for event in self:
            competition = event.competition_id
            if not competition:
                raise UserError(self.env._("%s is not linked to a competition.", event.name))
            winners = competition._winning_submissions()
            registered = set(
                event.sudo()
                .registration_ids.filtered(lambda registration: registration.state != "cancel")
                .student_id.ids
            )
            vals_list = []
            for submission in winners:  # best prize first
                student = submission.student_id
                if student.id in registered:
                    continue
                registered.add(student.id)
                vals_list.append(
                    {
                        "event_id": event.id,
                        "partner_id": student.partner_id.id,
                        "name": student.name,
                        "email": student.email or False,
                        "phone": student.partner_id.mobile or False,
                        "student_id": student.id,
                        "submission_id": submission.id,
                    }
                )
            new = self.env["event.registration"].sudo().create(vals_list)
            # The schedulers run at creation, except while installing data; run them now in any case
            # (they skip the registrations already handled).
            schedulers = event.sudo().event_mail_ids.filtered(lambda mail: mail.interval_type == "after_sub")
            if new and schedulers:
                schedulers.with_context(event_mail_registration_ids=new.ids).execute()
            if new:
                event.message_post(body=self.env._("%s prize winners invited.", len(new)))
            registrations |= new
        return registrations

    def action_print_certificates(self):
        self.ensure_one()
        winners = self.competition_id._winning_submissions()
        if not winners:
            raise UserError(self.env._("There are no confirmed winners to print certificates for."))
        return self.env.ref("student_loan_event.action_report_competition_certificate").report_action(winners)

    def _attach_photos(self, photos):
        """Attach ``[(filename, base64 data)]`` photos to the event (after the ceremony)."""
        self.ensure_one()
        attachments = self.env["ir.attachment"].create(
            [{"name": name, "datas": data, "res_model": self._name, "res_id": self.id} for name, data in photos]
        )
        self.photo_ids = [Command.link(attachment.id) for attachment in attachments]
        return attachments
