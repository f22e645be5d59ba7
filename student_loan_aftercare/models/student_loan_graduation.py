from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

#: the student's fields a confirmation updates (they take effect when the handler confirms)
CONTACT_FIELDS = ("mobile", "home_address", "employer", "employer_address", "third_party_name", "third_party_phone")


class StudentLoanGraduation(models.Model):
    """Graduation confirmation (毕业确认): in the graduation year the student updates mobile, address, employer
    and contacts and applies; the integrity quiz (an Odoo ``survey`` certification) must be passed first;
    the county handler confirms and only then the new details are written to the student.

    A simple state machine, to be moved onto the review engine (``student.loan.review.mixin``) once merged;
    the portal page for the student is not part of this addon yet (a handler records the application)."""

    _name = "student.loan.graduation"
    _description = "Graduation Confirmation"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    STATES = [("submitted", "Submitted"), ("confirmed", "Confirmed"), ("returned", "Returned")]

    name = fields.Char(related="student_id.name", store=True)
    student_id = fields.Many2one("student.loan.student", required=True, index=True, ondelete="cascade")
    centre_id = fields.Many2one(related="student_id.centre_id", store=True, index=True, string="Aid Centre")
    graduation_year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year)
    mobile = fields.Char(required=True, tracking=True)
    home_address = fields.Char(string="Address", required=True, tracking=True)
    employer = fields.Char(tracking=True)
    employer_address = fields.Char()
    third_party_name = fields.Char(string="Contact Person", tracking=True)
    third_party_phone = fields.Char(string="Contact Phone", tracking=True)
    state = fields.Selection(STATES, default="submitted", required=True, readonly=True, tracking=True, index=True)
    quiz_input_id = fields.Many2one("survey.user_input", string="Integrity Quiz", readonly=True)
    quiz_score = fields.Float(related="quiz_input_id.scoring_percentage", string="Quiz Score (%)")
    confirmed_by_id = fields.Many2one("res.users", readonly=True, tracking=True)
    return_reason = fields.Text(readonly=True, tracking=True)

    @api.model
    def _integrity_survey(self):
        return self.env.ref("student_loan_aftercare.survey_integrity_quiz", raise_if_not_found=False)

    @api.model
    def _passed_quiz(self, student):
        """The student's passed attempt at the integrity quiz (a certification), or an empty record."""
        survey = self._integrity_survey()
        if not survey or not student.partner_id:
            return self.env["survey.user_input"]
        return (
            self.env["survey.user_input"]
            .sudo()
            .search(
                [
                    ("survey_id", "=", survey.id),
                    ("partner_id", "=", student.partner_id.id),
                    ("state", "=", "done"),
                    ("scoring_success", "=", True),
                ],
                order="id desc",
                limit=1,
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.user.has_group("student_loan.group_handler"):
            raise UserError(self.env._("Only handlers record graduation confirmations."))
        for vals in vals_list:
            student = self.env["student.loan.student"].browse(vals.get("student_id"))
            student.check_access("read")
            quiz = self._passed_quiz(student)
            if not quiz:
                survey = self._integrity_survey()
                raise UserError(
                    self.env._(
                        "%(student)s has not passed the integrity quiz (%(score)s %% needed): "
                        "the graduation confirmation can be applied for only after it.",
                        student=student.name,
                        score=survey.scoring_success_min if survey else 80,
                    )
                )
            vals["quiz_input_id"] = quiz.id
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and {"state", "confirmed_by_id", "quiz_input_id"} & set(vals):
            raise UserError(self.env._("The status of a graduation confirmation changes through its buttons only."))
        if not self.env.su and self.filtered(lambda record: record.state == "confirmed"):
            raise UserError(self.env._("A confirmed graduation cannot be changed."))
        return super().write(vals)

    def action_confirm(self):
        """The county handler checks the new details and confirms: they are written to the student."""
        self.ensure_one()
        self.check_access("write")
        if not self.env.user.has_group("student_loan.group_handler"):
            raise UserError(self.env._("Only handlers confirm graduations."))
        if self.state != "submitted":
            raise UserError(self.env._("The graduation confirmation of %s is not waiting.", self.name))
        self.env.cr.execute(SQL("SELECT id FROM student_loan_graduation WHERE id = %s FOR UPDATE NOWAIT", self.id))
        self.student_id.write({field: self[field] for field in CONTACT_FIELDS if self[field]})
        self.sudo().write({"state": "confirmed", "confirmed_by_id": self.env.uid})
        return True

    def action_return(self, reason=None):
        self.ensure_one()
        self.check_access("write")
        if self.state != "submitted":
            raise UserError(self.env._("The graduation confirmation of %s is not waiting.", self.name))
        if not reason:
            raise UserError(self.env._("Give the reason of the return."))
        self.sudo().write({"state": "returned", "return_reason": reason})
        return True

    @api.model
    def _unconfirmed_graduates_domain(self, year):
        """Students graduating in ``year`` with a disbursed loan and no confirmed graduation (the worklist)."""
        confirmed = self.sudo().search([("state", "=", "confirmed"), ("graduation_year", "=", year)]).student_id
        return [
            ("expected_graduation", ">=", f"{year}-01-01"),
            ("expected_graduation", "<=", f"{year}-12-31"),
            ("contract_ids.state", "=", "active"),
            ("id", "not in", confirmed.ids),
        ]

    @api.model
    def action_open_unconfirmed(self):
        year = fields.Date.context_today(self).year
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Unconfirmed Graduates %s", year),
            "res_model": "student.loan.student",
            "view_mode": "list,form",
            "domain": self._unconfirmed_graduates_domain(year),
        }
