from odoo.http import request, route

from odoo.addons.portal.controllers.portal import CustomerPortal


class StudentLoanSmsPortal(CustomerPortal):
    """/my/sms: a student chooses whether to receive the aid centre's SMS campaigns."""

    def _sms_students(self):
        return request.env["student.loan.student"].sudo().search([("user_id", "=", request.env.user.id)])

    @route("/my/sms", type="http", auth="user", website=True, methods=["GET"])
    def portal_my_sms(self, **kwargs):
        students = self._sms_students()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "sms_preferences",
                "students": students,
                "opted_out": any(students.mapped("sms_opt_out")),
                "saved": kwargs.get("saved"),
            }
        )
        return request.render("student_loan_sms.portal_my_sms", values)

    @route("/my/sms", type="http", auth="user", website=True, methods=["POST"])
    def portal_my_sms_save(self, **post):
        if self._sms_students():
            request.env["student.loan.student"]._portal_set_sms_opt_out(request.env.user, bool(post.get("opt_out")))
        return request.redirect("/my/sms?saved=1")
