from odoo import api, fields, models

from ..smslib import text as sms_text


class StudentLoanStudent(models.Model):
    _inherit = "student.loan.student"

    sms_opt_out = fields.Boolean(
        string="No SMS (opted out)",
        tracking=True,
        help="The student asked not to receive SMS campaigns: set from the portal, by replying TD/退订, or here.",
    )
    sms_recipient_ids = fields.One2many("student.loan.sms.recipient", "student_id", string="SMS")
    sms_count = fields.Integer(string="SMS Count", compute="_compute_sms_count")

    def _compute_sms_count(self):
        counts = dict(
            self.env["student.loan.sms.recipient"]._read_group(
                [("student_id", "in", self.ids)], ["student_id"], ["__count"]
            )
        )
        for student in self:
            student.sms_count = counts.get(student, 0)

    def write(self, vals):
        result = super().write(vals)
        if "sms_opt_out" in vals and not self.env.context.get("sl_sms_from_reply"):
            self._sync_sms_blacklist(vals["sms_opt_out"])
        return result

    def _sync_sms_blacklist(self, opted_out):
        """Keep Odoo's phone blacklist (used by every SMS sender) in line with the student's choice."""
        numbers = []
        for student in self:
            try:
                numbers.append(sms_text.normalize_cn_mobile(student.mobile))
            except ValueError:
                continue
        if not numbers:
            return
        Blacklist = self.env["phone.blacklist"].sudo()
        if opted_out:
            Blacklist._add(numbers, message=self.env._("Opted out of SMS (student record)"))
            queued = (
                self.env["student.loan.sms.recipient"]
                .sudo()
                .search([("number", "in", numbers), ("state", "=", "queued")])
            )
            queued._cancel_queued(skip_reason="opt_out", reason=self.env._("Opted out of SMS"))
        else:
            Blacklist._remove(numbers, message=self.env._("SMS allowed again (student record)"))

    @api.model
    def _portal_set_sms_opt_out(self, user, opted_out):
        """The portal switch: the students of ``user`` opt out of (or back into) SMS."""
        students = self.sudo().search([("user_id", "=", user.id)])
        changed = students.filtered(lambda student: student.sms_opt_out != bool(opted_out))
        changed.write({"sms_opt_out": bool(opted_out)})
        for student in changed:
            student.message_post(
                body=self.env._(
                    "SMS opt-out set to %(value)s from the portal.",
                    value=self.env._("yes") if opted_out else self.env._("no"),
                )
            )
        return students

    def action_view_sms(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("student_loan_sms.student_loan_sms_recipient_action")
        action["domain"] = [("student_id", "=", self.id)]
        action["context"] = {}
        return action
