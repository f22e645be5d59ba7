from odoo import api, models
from odoo.exceptions import ValidationError

PORTAL_KINDS = ("education", "coborrower")


class StudentLoanChangeRequest(models.Model):
    _inherit = "student.loan.change.request"

    @api.model
    def _portal_create(self, contract, kind, data, description):
        """A change request entered by the student (call with sudo after checking the contract is theirs).

        It stays a draft: the handler of the centre checks it with the documents, then submits it to
        the usual review (handler → supervisor → bank). ``data``: for ``education`` the new school,
        level and length of study; for ``coborrower`` the new co-borrower's values.
        """
        if kind not in PORTAL_KINDS:
            raise ValidationError(self.env._("Choose what to change."))
        if not (description or "").strip():
            raise ValidationError(self.env._("Explain why the change is needed (and which documents prove it)."))
        student = contract.student_id
        vals = {"contract_id": contract.id, "kind": kind, "description": description.strip()}
        if kind == "education":
            current = (student.school_id.id, student.education_level, student.study_years)
            requested = (data["school_id"], data["education_level"], data["study_years"])
            if current == requested:
                raise ValidationError(self.env._("Nothing changes: enter the new school, level or length of study."))
            vals.update(
                new_school_id=data["school_id"],
                new_education_level=data["education_level"],
                new_study_years=data["study_years"],
            )
        else:
            coborrower = self.env["student.loan.application"]._portal_save_coborrower(student, data)
            if coborrower == contract.coborrower_id:
                raise ValidationError(self.env._("This is the co-borrower of the contract already."))
            vals["new_coborrower_id"] = coborrower.id
        request = self.create(vals)
        request.message_post(
            body=self.env._("Requested by the student in the portal. Grounds: %s", description.strip())
        )
        handler = request._portal_find_handler()
        if handler:
            request.activity_schedule(
                self.ACTIVITY_TYPE,
                summary=self.env._("Requested by the student: check the documents and submit"),
                user_id=handler.id,
            )
        return request

    def _portal_find_handler(self):
        """A handler of the request's centre, or of the closest centre above it."""
        self.ensure_one()
        group = self.env.ref("student_loan.group_handler")
        users = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("groups_id", "in", group.ids),
                    ("loan_centre_id", "parent_of", self.centre_id.id),
                    ("share", "=", False),
                ]
            )
        )
        return users.sorted(lambda user: (-len(user.loan_centre_id.parent_path or ""), user.id))[:1]
