from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

SUBMISSION_MODEL = "student.loan.competition.submission"


class StudentLoanCompetitionPortal(CustomerPortal):
    """My Competitions: loan students read the calls open to them and submit, edit or withdraw
    their works until the deadline (no website needed)."""

    def _loan_student(self):
        """The loan student whose portal account is the current user (or an empty recordset)."""
        return request.env["student.loan.student"].sudo().search([("user_id", "=", request.env.uid)], limit=1)

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "competition_count" in counters:
            student = self._loan_student()
            values["competition_count"] = (
                len(request.env["student.loan.competition"]._for_student(student)) if student else 0
            )
        return values

    def _competition_for_student(self, competition_id):
        """``(student, competition)`` when the current user's student may see the competition."""
        student = self._loan_student()
        if not student:
            raise AccessError(request.env._("Your account is not linked to a loan student."))
        competition = (
            request.env["student.loan.competition"]
            ._for_student(student)
            .filtered(lambda record: record.id == competition_id)
        )
        if not competition:
            raise MissingError(request.env._("This competition does not exist or is not open to you."))
        return student, competition

    @staticmethod
    def _uploaded_files():
        """``[(filename, bytes)]`` of the files posted in the ``files`` input (empty inputs skipped)."""
        result = []
        for storage in request.httprequest.files.getlist("files"):
            if storage and storage.filename:
                result.append((storage.filename, storage.read()))
        return result

    # ------------------------------------------------------------------
    # Pages
    # ------------------------------------------------------------------

    @http.route(["/my/competitions", "/my/competitions/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_competitions(self, page=1, **kw):
        values = self._prepare_portal_layout_values()
        student = self._loan_student()
        Competition = request.env["student.loan.competition"]
        competitions = Competition._for_student(student) if student else Competition.sudo()
        competitions = competitions.sorted(lambda record: record.date_deadline, reverse=True)
        pager = portal_pager(url="/my/competitions", total=len(competitions), page=page, step=self._items_per_page)
        shown = competitions[pager["offset"] : pager["offset"] + self._items_per_page]
        submissions = (
            request.env[SUBMISSION_MODEL]
            .sudo()
            .search([("student_id", "=", student.id), ("competition_id", "in", shown.ids)])
            if student
            else request.env[SUBMISSION_MODEL]
        )
        values.update(
            {
                "page_name": "competitions",
                "default_url": "/my/competitions",
                "pager": pager,
                "student": student,
                "competitions": shown,
                "submission_counts": {
                    competition.id: len(submissions.filtered(lambda sub, c=competition: sub.competition_id == c))
                    for competition in shown
                },
            }
        )
        return request.render("student_loan_event.portal_my_competitions", values)

    def _competition_page_values(self, student, competition, error=None, form=None):
        submissions = (
            request.env[SUBMISSION_MODEL]
            .sudo()
            .search([("student_id", "=", student.id), ("competition_id", "=", competition.id)])
        )
        free_categories = competition.category_ids - submissions.category_id
        eligible = competition._is_student_eligible(student)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "competition",
                "competition": competition,
                "student": student,
                "submissions": submissions,
                "free_categories": free_categories,
                "can_submit": bool(competition._submission_open() and eligible and free_categories),
                "error": error,
                "form": form or {},
            }
        )
        return values

    @http.route("/my/competitions/<int:competition_id>", type="http", auth="user", website=True)
    def portal_competition(self, competition_id, **kw):
        try:
            student, competition = self._competition_for_student(competition_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        return request.render(
            "student_loan_event.portal_competition_page", self._competition_page_values(student, competition)
        )

    @http.route(
        "/my/competitions/<int:competition_id>/submit", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_competition_submit(self, competition_id, **post):
        try:
            student, competition = self._competition_for_student(competition_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            submission = request.env[SUBMISSION_MODEL]._portal_submit(
                student, competition, post, self._uploaded_files()
            )
        except (UserError, ValidationError) as error:
            values = self._competition_page_values(student, competition, error=error.args[0], form=post)
            return request.render("student_loan_event.portal_competition_page", values)
        return request.redirect(f"/my/competitions/submission/{submission.id}?message=saved")

    def _submission_or_redirect(self, submission_id):
        try:
            return self._document_check_access(SUBMISSION_MODEL, submission_id), None
        except (AccessError, MissingError):
            return None, request.redirect("/my")

    def _submission_page_values(self, submission_sudo, error=None, message=None):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "competition_submission",
                "submission": submission_sudo,
                "competition": submission_sudo.competition_id,
                "editable": submission_sudo.state == "submitted" and submission_sudo.competition_id._submission_open(),
                "error": error,
                "message": message,
            }
        )
        return values

    @http.route("/my/competitions/submission/<int:submission_id>", type="http", auth="user", website=True)
    def portal_submission(self, submission_id, message=None, **kw):
        submission_sudo, redirect = self._submission_or_redirect(submission_id)
        if redirect:
            return redirect
        return request.render(
            "student_loan_event.portal_submission_page",
            self._submission_page_values(submission_sudo, message=message),
        )

    @http.route(
        "/my/competitions/submission/<int:submission_id>/edit", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_submission_edit(self, submission_id, **post):
        submission_sudo, redirect = self._submission_or_redirect(submission_id)
        if redirect:
            return redirect
        remove_ids = [
            int(value) for value in request.httprequest.form.getlist("remove_attachment_ids") if value.isdigit()
        ]
        try:
            submission_sudo._portal_update(
                {key: post[key] for key in ("title", "content") if key in post},
                self._uploaded_files(),
                remove_ids,
            )
        except (UserError, ValidationError) as error:
            return request.render(
                "student_loan_event.portal_submission_page",
                self._submission_page_values(submission_sudo, error=error.args[0]),
            )
        return request.redirect(f"/my/competitions/submission/{submission_id}?message=saved")

    @http.route(
        "/my/competitions/submission/<int:submission_id>/withdraw",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_submission_withdraw(self, submission_id, **post):
        submission_sudo, redirect = self._submission_or_redirect(submission_id)
        if redirect:
            return redirect
        competition_id = submission_sudo.competition_id.id
        try:
            submission_sudo._portal_withdraw()
        except (UserError, ValidationError) as error:
            return request.render(
                "student_loan_event.portal_submission_page",
                self._submission_page_values(submission_sudo, error=error.args[0]),
            )
        return request.redirect(f"/my/competitions/{competition_id}")

    @http.route("/my/competitions/file/<int:attachment_id>", type="http", auth="user", website=True)
    def portal_submission_file(self, attachment_id, **kw):
        """Download a file of one of the student's own works."""
        attachment = request.env["ir.attachment"].sudo().browse(attachment_id).exists()
        if not attachment or attachment.res_model != "student.loan.competition.work":
            return request.not_found()
        submission = request.env[SUBMISSION_MODEL].sudo().search([("work_id", "=", attachment.res_id)], limit=1)
        if not submission:
            return request.not_found()
        _submission_sudo, redirect = self._submission_or_redirect(submission.id)
        if redirect:
            return request.not_found()
        return request.env["ir.binary"]._get_stream_from(attachment).get_response(as_attachment=True)
