from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.student_loan_portal.controllers.portal import StudentLoanPortal, _error_message


class StudentLoanPortalRepayment(StudentLoanPortal):
    """The contract page shows the repayment side; the student asks for an education-info or a
    co-borrower change."""

    def _loan_labels(self):
        labels = super()._loan_labels()
        env = request.env
        labels.update(
            {
                "repayment_status": {
                    "none": env._("Not disbursed"),
                    "current": env._("Up to date"),
                    "due": env._("Amount due"),
                    "overdue": env._("Overdue"),
                    "repaid": env._("Repaid"),
                },
                "plan_kind": {
                    "study": env._("Studies (interest paid by the state)"),
                    "grace": env._("Grace period (interest only)"),
                    "repayment": env._("Repayment"),
                    "prepayment": env._("Early repayment"),
                },
                "change_kind": {
                    "education": env._("Education-info change"),
                    "plan": env._("Repayment-plan change"),
                    "coborrower": env._("Co-borrower change"),
                    "centre": env._("Aid-centre transfer"),
                },
                "change_state": {
                    "draft": env._("Received by the aid centre"),
                    "to_approve": env._("Under review"),
                    "to_confirm": env._("At the bank"),
                    "done": env._("Done"),
                    "returned": env._("Returned"),
                },
            }
        )
        return labels

    def _loan_contract_page_values(self, contract, **kw):
        values = super()._loan_contract_page_values(contract, **kw)
        settlement = contract._portal_next_settlement_date()
        today_lines = contract.plan_line_ids.sorted("date")
        upcoming = today_lines.filtered(lambda line: not line.settlement_line_id)
        values.update(
            {
                "repayment": True,
                "next_settlement": settlement,
                "due": contract._portal_amount_due_by(settlement)
                if settlement and contract.state == "active"
                else None,
                "plan_lines": today_lines,
                "upcoming_lines": upcoming[:5],
                "payments": contract.payment_ids.filtered(lambda payment: payment.state == "posted"),
                "change_requests": contract.change_request_ids,
                "pending_change": contract._portal_pending_change_request(),
                "can_request_change": self._loan_is_owner(contract) and contract._portal_can_request_change(),
                "change_success": kw.get("message") == "change_requested",
            }
        )
        return values

    @http.route(
        ["/my/contracts/<int:contract_id>/change"], type="http", auth="user", website=True, methods=["GET", "POST"]
    )
    def portal_contract_change(self, contract_id, **post):
        try:
            contract = self._loan_check_access("student.loan.contract", contract_id, owner_only=True)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if not contract._portal_can_request_change():
            return request.redirect(contract.access_url)
        errors, error_list = {}, []
        if request.httprequest.method == "POST":
            kind = post.get("kind") or ""
            data, errors = self._loan_parse_change(contract, kind, post)
            if errors:
                error_list.append(request.env._("Some fields are missing or wrong: see below."))
            else:
                try:
                    with request.env.cr.savepoint():
                        request.env["student.loan.change.request"].sudo()._portal_create(
                            contract, kind, data, post.get("description") or ""
                        )
                except (ValidationError, UserError) as error:
                    error_list.append(_error_message(error))
                else:
                    return request.redirect(f"{contract.access_url}?message=change_requested")
        student = contract.student_id
        form = (
            post
            if request.httprequest.method == "POST"
            else {
                "kind": "education",
                "school_id": student.school_id.id,
                "education_level": student.education_level,
                "study_years": student.study_years,
                "coborrower_relation": "father",
            }
        )
        values = self._loan_values(
            "contract_change",
            contract=contract,
            form=form,
            errors=errors,
            error_list=error_list,
            schools=request.env["student.loan.school"].sudo().search([]),
        )
        return request.render("student_loan_portal_repayment.portal_contract_change", values)

    def _loan_parse_change(self, contract, kind, post):
        env = request.env
        errors = {}
        labels = self._loan_labels()
        if kind not in ("education", "coborrower"):
            errors["kind"] = env._("Choose what to change.")
            return {}, errors
        if not (post.get("description") or "").strip():
            errors["description"] = env._("Required.")
        if kind == "education":
            try:
                school = env["student.loan.school"].sudo().browse(int(post.get("school_id") or 0)).exists()
            except ValueError:
                school = env["student.loan.school"]
            if not school:
                errors["school_id"] = env._("Choose your school from the list.")
            level = post.get("education_level") or ""
            if level not in labels["level"]:
                errors["education_level"] = env._("Choose your level of study.")
            try:
                years = int(post.get("study_years") or 0)
            except ValueError:
                years = 0
            if not 1 <= years <= 9:
                errors["study_years"] = env._("Enter a number from %(min)s to %(max)s.", min=1, max=9)
            return {"school_id": school.id, "education_level": level, "study_years": years}, errors
        data = {}
        for key, field_name, size in (
            ("coborrower_name", "name", 60),
            ("coborrower_id_number", "id_number", 30),
            ("coborrower_mobile", "mobile", 30),
            ("coborrower_address", "address", 200),
            ("coborrower_work_unit", "work_unit", 120),
        ):
            value = " ".join(str(post.get(key) or "").split())[:size]
            if not value and key != "coborrower_work_unit":
                errors[key] = env._("Required.")
            data[field_name] = value
        relation = post.get("coborrower_relation") or ""
        if relation not in labels["relation"]:
            errors["coborrower_relation"] = env._("Choose the relation of the co-borrower.")
        data["relation"] = relation
        return data, errors
