from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.student_loan.models.student_loan_application import current_academic_year
from odoo.addons.student_loan_portal.controllers.portal import StudentLoanPortal, _error_message

#: the graduation form: (field, maximum length, required)
GRADUATION_FIELDS = (
    ("mobile", 30, True),
    ("home_address", 200, True),
    ("employer", 120, False),
    ("employer_address", 200, False),
    ("third_party_name", 60, False),
    ("third_party_phone", 30, False),
)


class StudentLoanPortalAftercare(StudentLoanPortal):
    """The student's after-the-loan pages: graduation confirmation (/my/graduation) and prepayment requests
    (/my/prepayment). Portal users have no access right on these models: every page reads and writes with
    sudo after checking that the record is the logged-in student's (another student's record: 404)."""

    def _loan_labels(self):
        labels = super()._loan_labels()
        env = request.env
        labels.update(
            {
                "graduation_state": {
                    "draft": env._("Not submitted"),
                    "submitted": env._("Submitted: the aid centre checks it"),
                    "checked": env._("Under review"),
                    "confirmed": env._("Confirmed"),
                    "returned": env._("Returned"),
                    "cancelled": env._("Cancelled"),
                },
                "prepayment_state": {
                    "draft": env._("Not submitted"),
                    "submitted": env._("Submitted: the aid centre checks it"),
                    "checked": env._("Under review"),
                    "approved": env._("Approved: the bank deducts it on the payment day"),
                    "paid": env._("Paid"),
                    "returned": env._("Returned"),
                    "cancelled": env._("Cancelled"),
                },
                "aftercare_state_class": {
                    "draft": "secondary",
                    "submitted": "info",
                    "checked": "info",
                    "approved": "primary",
                    "confirmed": "success",
                    "paid": "success",
                    "returned": "warning",
                    "cancelled": "secondary",
                },
            }
        )
        return labels

    def _aftercare_active_contracts(self, student):
        return (
            request.env["student.loan.contract"]
            .sudo()
            .search([("student_id", "=", student.id), ("state", "=", "active")], order="academic_year")
        )

    # ------------------------------------------------------------------
    # Graduation confirmation (毕业确认)
    # ------------------------------------------------------------------

    def _graduation_year(self, student):
        """The year the student graduates, or False."""
        return student.expected_graduation.year if student.expected_graduation else False

    def _graduation_record(self, student, year):
        return (
            request.env["student.loan.graduation"]
            .sudo()
            .search(
                [("student_id", "=", student.id), ("graduation_year", "=", year), ("state", "!=", "cancelled")],
                limit=1,
            )
        )

    @http.route(["/my/graduation"], type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_graduation(self, **post):
        env = request.env
        student = self._loan_student()
        Graduation = env["student.loan.graduation"].sudo()
        today = fields.Date.context_today(env.user)
        year = self._graduation_year(student) if student else False
        has_loan = bool(student) and bool(self._aftercare_active_contracts(student))
        open_now = bool(year) and year <= today.year and has_loan
        graduation = self._graduation_record(student, year) if open_now else Graduation
        quiz = Graduation._passed_quiz(student) if student else env["survey.user_input"]
        survey = Graduation._integrity_survey()
        editable = open_now and bool(quiz) and (not graduation or graduation.state in graduation.EDITABLE_STATES)
        errors, error_list = {}, []
        if request.httprequest.method == "POST":
            if not editable:
                error_list.append(env._("The graduation confirmation cannot be submitted now: see the page."))
            else:
                vals, errors = self._graduation_parse(post)
                if errors:
                    error_list.append(env._("Some fields are missing or wrong: see below."))
                else:
                    try:
                        with env.cr.savepoint():
                            if graduation:
                                graduation.write(vals)
                            else:
                                graduation = Graduation.create(dict(vals, student_id=student.id, graduation_year=year))
                            graduation.action_submit()
                    except (ValidationError, UserError, AccessError) as error:
                        error_list.append(_error_message(error))
                        graduation = self._graduation_record(student, year)
                    else:
                        return request.redirect("/my/graduation?message=submitted")
        if request.httprequest.method == "POST":
            form = post
        elif graduation:
            form = {name: graduation[name] or "" for name, _size, _required in GRADUATION_FIELDS}
        elif student:
            form = {name: student[name] or "" for name, _size, _required in GRADUATION_FIELDS}
        else:
            form = {}
        values = self._loan_values(
            "graduation",
            student=student,
            graduation_year=year,
            has_loan=has_loan,
            open_now=open_now,
            graduation=graduation,
            quiz=quiz,
            survey=survey,
            survey_url="/my/graduation/quiz" if survey else False,
            quiz_rule=env._(
                "Answer the questions on the loan and on keeping your word: %(score)s points pass; you have "
                "%(attempts)s attempts.",
                score=round(survey.scoring_success_min) if survey else 80,
                attempts=survey.attempts_limit if survey and survey.is_attempts_limited else 3,
            ),
            quiz_passed=quiz and env._("Passed (%s points).", round(quiz.scoring_percentage)),
            closed_text=env._(
                "You can apply for the graduation confirmation in the year you graduate (%s).", year or "-"
            ),
            editable=editable,
            form=form,
            errors=errors,
            error_list=error_list,
            submitted=post.get("message") == "submitted",
        )
        return request.render("student_loan_portal_aftercare.portal_graduation", values)

    @http.route(["/my/graduation/quiz"], type="http", auth="user", website=True)
    def portal_graduation_quiz(self, **kw):
        """The student's own attempt at the integrity quiz: the survey is by invitation (token), so the page
        invites the student: it resumes an unfinished attempt or starts a new one while attempts are left."""
        env = request.env
        student = self._loan_student()
        survey = env["student.loan.graduation"]._integrity_survey()
        if not student or not survey or not self._aftercare_active_contracts(student):
            return request.redirect("/my/graduation")
        survey = survey.sudo()
        answer = (
            env["survey.user_input"]
            .sudo()
            .search(
                [
                    ("survey_id", "=", survey.id),
                    ("partner_id", "=", env.user.partner_id.id),
                    ("state", "!=", "done"),
                    ("test_entry", "=", False),
                ],
                order="id desc",
                limit=1,
            )
        )
        if not answer:
            try:
                answer = survey._create_answer(user=env.user)
            except UserError:
                values = self._loan_values(
                    "graduation_quiz",
                    student=student,
                    error=env._(
                        "You have used every attempt at the integrity quiz: ask your aid centre what to do next."
                    ),
                )
                return request.render("student_loan_portal_aftercare.portal_graduation_quiz_closed", values)
        return request.redirect(answer.get_start_url())

    def _graduation_parse(self, post):
        env = request.env
        vals, errors = {}, {}
        for name, size, required in GRADUATION_FIELDS:
            value = " ".join(str(post.get(name) or "").split())[:size]
            if required and not value:
                errors[name] = env._("Required.")
            vals[name] = value or False
        if bool(vals["third_party_name"]) != bool(vals["third_party_phone"]):
            errors["third_party_phone"] = env._("Give both the name and the phone number of the contact person.")
        return vals, errors

    # ------------------------------------------------------------------
    # Prepayment requests (提前还款)
    # ------------------------------------------------------------------

    def _prepayment_cycle(self):
        """The bank's cycle this month: the policy's days, and the payment date or why it is refused today."""
        env = request.env
        today = fields.Date.context_today(env.user)
        Request = env["student.loan.prepayment.request"].sudo()
        cycle = {"payment_date": False, "refusal": False, "policy": env["student.loan.policy"]}
        try:
            cycle["policy"] = policy = env["student.loan.policy"]._get_for_year(current_academic_year(today))
            cycle["text"] = env._(
                "Apply from day %(first)s to day %(last)s of a month; the bank deducts the money from your card "
                "on day %(paid)s.",
                first=policy.prepay_apply_from_day,
                last=policy.prepay_apply_to_day,
                paid=policy.prepay_payment_day,
            )
            cycle["blocked_text"] = policy.prepay_blocked_month and env._(
                "No prepayment in month %s (the bank settles the year).", policy.prepay_blocked_month
            )
            cycle["payment_date"] = Request._check_cycle(today)
        except UserError as error:
            cycle["refusal"] = _error_message(error)
        return cycle

    @http.route(["/my/prepayment"], type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_prepayment(self, **post):
        env = request.env
        student = self._loan_student()
        Request = env["student.loan.prepayment.request"].sudo()
        contracts = self._aftercare_active_contracts(student) if student else env["student.loan.contract"]
        cycle = self._prepayment_cycle()
        errors, error_list = {}, []
        if request.httprequest.method == "POST":
            try:
                contract_id = int(post.get("contract_id") or 0)
            except ValueError:
                contract_id = 0
            contract = env["student.loan.contract"].sudo().browse(contract_id).exists()
            if not contract or not student or contract.student_id != student:
                return request.not_found()
            repay_all = post.get("mode") == "all"
            amount = 0.0
            if not repay_all:
                try:
                    amount = round(float(str(post.get("amount") or "").replace(",", "").strip()), 2)
                except ValueError:
                    amount = 0.0
                if amount <= 0:
                    errors["amount"] = env._("Enter the amount to repay, in yuan (for example 1000).")
            if post.get("mode") not in ("all", "part"):
                errors["mode"] = env._("Choose a partial or a full prepayment.")
            if errors:
                error_list.append(env._("Some fields are missing or wrong: see below."))
            else:
                try:
                    with env.cr.savepoint():
                        prepayment = Request.create(
                            {"contract_id": contract.id, "repay_all": repay_all, "amount": amount}
                        )
                        prepayment.action_submit()
                except (ValidationError, UserError, AccessError) as error:
                    error_list.append(_error_message(error))
                else:
                    return request.redirect(f"/my/prepayment/{prepayment.id}?message=submitted")
        requests = Request.search([("student_id", "=", student.id)] if student else [("id", "=", False)])
        pending = requests.filtered(lambda record: record.state in record.PENDING_STATES)
        values = self._loan_values(
            "prepayment",
            student=student,
            contracts=contracts,
            requests=requests,
            can_request=bool(contracts - pending.contract_id) and not cycle["refusal"],
            free_contracts=contracts - pending.contract_id,
            cycle=cycle,
            form=post if request.httprequest.method == "POST" else {"mode": "part"},
            errors=errors,
            error_list=error_list,
        )
        return request.render("student_loan_portal_aftercare.portal_prepayment", values)

    @http.route(["/my/prepayment/<int:request_id>"], type="http", auth="user", website=True)
    def portal_prepayment_page(self, request_id, message=None, **kw):
        try:
            prepayment = self._loan_check_access("student.loan.prepayment.request", request_id, owner_only=True)
        except (AccessError, MissingError):
            return request.not_found()
        values = self._loan_values(
            "prepayment_request",
            student=prepayment.student_id,
            prepayment=prepayment,
            submitted=message == "submitted",
        )
        return request.render("student_loan_portal_aftercare.portal_prepayment_page", values)
