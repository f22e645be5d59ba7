from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.student_loan.models.student_loan_application import current_academic_year

from ..models.student_loan_attachment import human_size

# the documents of the core addon (student_loan/report), the same PDFs the aid centre prints
REPORT_CONTRACT = "student_loan.action_report_loan_contract"
REPORT_CERTIFICATE = "student_loan.action_report_acceptance_certificate"
REPORT_APPLICATION_FORM = "student_loan.action_report_application_form"


def _reads_only(controller):
    """``readonly`` of a route inherited read/write that only reads: Odoo 18 opens it on the read replica
    (``db_replica_host``); should it write after all, it is replayed on the primary (``ro->rw``)."""
    return True


# {lang: labels} (see StudentLoanPortal._loan_labels)
_LABELS_BY_LANG = {}


def _error_message(error):
    """The text of an Odoo exception, for showing it in a page."""
    return error.args[0] if error.args else str(error)


class StudentLoanPortal(CustomerPortal):
    """The student's pages under /my/loans and /my/contracts.

    Portal users have no access right on the loan models: every page reads and writes with sudo
    after checking that the record belongs to the logged-in student (or, to view and sign only,
    that the request carries the record's access token).
    """

    # ------------------------------------------------------------------
    # Labels shown to students (the portal is translated on its own)
    # ------------------------------------------------------------------

    def _loan_labels(self):
        """The labels in the user's language, built once per language and worker (every page shows them)."""
        lang = request.env.lang or "en_US"
        labels = _LABELS_BY_LANG.get(lang)
        if labels is None:
            labels = _LABELS_BY_LANG[lang] = self._loan_build_labels()
        return labels

    def _loan_build_labels(self):
        env = request.env
        return {
            "state": {
                "draft": env._("Being filled in"),
                "submitted": env._("Submitted, under review"),
                "checked": env._("Documents checked"),
                "approved": env._("Approved"),
                "bank": env._("At the bank"),
                "confirmed": env._("Loan confirmed"),
                "returned": env._("Returned: to correct"),
                "cancelled": env._("Cancelled"),
            },
            "state_class": {
                "draft": "secondary",
                "submitted": "info",
                "checked": "info",
                "approved": "success",
                "bank": "success",
                "confirmed": "success",
                "returned": "danger",
                "cancelled": "dark",
            },
            "contract_state": {
                "draft": env._("To sign"),
                "signed": env._("Signed"),
                "approved": env._("Approved"),
                "active": env._("Disbursed"),
                "closed": env._("Closed"),
                "cancelled": env._("Cancelled"),
            },
            "loan_kind": {"first": env._("First loan"), "renewal": env._("Renewal")},
            "level": {
                "vocational": env._("Vocational college"),
                "undergraduate": env._("Undergraduate"),
                "master": env._("Master"),
                "doctor": env._("Doctor"),
            },
            "relation": {
                "father": env._("Father"),
                "mother": env._("Mother"),
                "guardian": env._("Legal guardian"),
                "other": env._("Other relative"),
            },
            "returned_by": {
                "handler": env._("Returned by the aid centre's handler, with this reason:"),
                "supervisor": env._("Returned by the aid centre's supervisor, with this reason:"),
                "bank": env._("Returned by the bank, with this reason:"),
            },
        }

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------

    def _loan_student(self):
        """The student record (sudo) of the logged-in portal user, or an empty recordset.

        Looked up once per request and user: the layout, the counters and the access checks of one page
        all ask for it.
        """
        Student = request.env["student.loan.student"].sudo()
        user = request.env.user
        if user._is_public():
            return Student.browse()
        cache = getattr(request, "_sl_loan_student_ids", None)
        if cache is None:
            cache = request._sl_loan_student_ids = {}
        if user.id not in cache:
            cache[user.id] = Student.search([("user_id", "=", user.id)], limit=1).id
        return Student.browse(cache[user.id])

    def _loan_check_access(self, model_name, record_id, access_token=None, owner_only=False):
        """The record (sudo) if the logged-in student owns it; else, unless ``owner_only``, when the
        user may read it anyway (aid-centre staff).

        Access tokens open nothing: a shared link would be a permanent anonymous key to the
        student's documents. The co-borrower signs through a signing link of its own
        (:class:`~.cosign.StudentLoanCosign`). ``access_token`` is accepted and ignored, for old links.

        :raise MissingError: no such record
        :raise AccessError: not the student's
        """
        record = request.env[model_name].sudo().browse(record_id)
        try:
            owner = record.student_id  # one read: the owner, and whether the record exists
        except MissingError:
            raise MissingError(request.env._("This document does not exist.")) from None
        student = self._loan_student()
        if student and owner == student:
            return record
        if (
            not owner_only
            and not request.env.user.share
            and request.env[model_name].browse(record.id).has_access("read")
        ):
            return record
        raise AccessError(request.env._("You cannot access this document."))

    def _loan_is_owner(self, record):
        student = self._loan_student()
        return bool(student) and record.student_id == student

    # ------------------------------------------------------------------
    # /my home
    # ------------------------------------------------------------------

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        student = self._loan_student()
        values["loan_student"] = student
        values["loan_has_loans"] = self._loan_has_loans(student)
        return values

    def _loan_has_loans_known(self):
        """``{student id: has loans}`` of this request."""
        known = getattr(request, "_sl_has_loans", None)
        if known is None:
            known = request._sl_has_loans = {}
        return known

    def _loan_has_loans(self, student):
        """Whether the student has an application or a contract (once per request: a page of the student's own
        application knows it already, see :meth:`_loan_render_page`)."""
        if not student:
            return False
        known = self._loan_has_loans_known()
        if student.id not in known:
            Application = request.env["student.loan.application"].sudo()
            Contract = request.env["student.loan.contract"].sudo()
            known[student.id] = bool(
                Application.search_count([("student_id", "=", student.id)], limit=1)
                or Contract.search_count([("student_id", "=", student.id)], limit=1)
            )
        return known[student.id]

    # ------------------------------------------------------------------
    # /my/account, /my/deactivate_account for students
    # ------------------------------------------------------------------

    @http.route()
    def account(self, redirect=None, **post):
        student = self._loan_student()
        if not student:
            return super().account(redirect=redirect, **post)
        errors, saved = [], False
        if request.httprequest.method == "POST":
            vals = {
                "email": " ".join(str(post.get("email") or "").split())[:120] or False,
                "home_address": " ".join(str(post.get("home_address") or "").split())[:200] or False,
            }
            try:
                with request.env.cr.savepoint():
                    student.write(vals)
            except (ValidationError, UserError) as error:
                errors.append(_error_message(error))
            else:
                saved = True
        values = self._loan_values(
            "my_details", student=student, errors=errors, saved=saved, form=post if errors else {}
        )
        return request.render("student_loan_portal.portal_my_student_account", values)

    @http.route()
    def deactivate_account(self, validation=None, password=None, **post):
        student = self._loan_student()
        if student and self._loan_has_loans(student):
            return request.redirect("/my/security")
        return super().deactivate_account(validation, password, **post)

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "loan_count" in counters or "loan_contract_count" in counters:
            student = self._loan_student()
            if "loan_count" in counters:
                values["loan_count"] = (
                    request.env["student.loan.application"].sudo().search_count([("student_id", "=", student.id)])
                    if student
                    else 0
                )
            if "loan_contract_count" in counters:
                values["loan_contract_count"] = (
                    request.env["student.loan.contract"]
                    .sudo()
                    .search_count([("student_id", "=", student.id), ("state", "!=", "cancelled")])
                    if student
                    else 0
                )
        return values

    def _loan_values(self, page_name, **values):
        result = self._prepare_portal_layout_values()
        result.update(
            {
                "page_name": page_name,
                "labels": self._loan_labels(),
                "current_year": current_academic_year(fields.Date.context_today(request.env.user)),
            }
        )
        result.update(values)
        return result

    # ------------------------------------------------------------------
    # Applications list, detail
    # ------------------------------------------------------------------

    @http.route(readonly=_reads_only)
    def home(self, **kw):
        """The portal home only reads (its counters come from the read-only /my/counters)."""
        return super().home(**kw)

    @http.route(["/my/loans"], type="http", auth="user", website=True, readonly=True)
    def portal_my_loans(self, **kw):
        student = self._loan_student()
        applications = (
            request.env["student.loan.application"]
            .sudo()
            .search([("student_id", "=", student.id)] if student else [("id", "=", False)])
        )
        if applications:  # the layout's "has loans" without a count
            self._loan_has_loans_known()[student.id] = True
        year = current_academic_year(fields.Date.context_today(request.env.user))
        values = self._loan_values(
            "loans",
            student=student,
            applications=applications,
            can_apply=bool(student)
            and not applications.filtered(lambda app: app.academic_year == year and app.state != "cancelled"),
        )
        return request.render("student_loan_portal.portal_my_loans", values)

    @http.route(["/my/loans/<int:application_id>"], type="http", auth="public", website=True, readonly=True)
    def portal_loan_page(self, application_id, access_token=None, message=None, **kw):
        try:
            application = self._loan_check_access("student.loan.application", application_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        return self._loan_render_page(application, access_token, message=message)

    def _loan_render_page(self, application, access_token=None, message=None, errors=None):
        is_owner = self._loan_is_owner(application)
        if is_owner:  # the layout's "has loans" without a query: this application is the student's
            self._loan_has_loans_known()[application.student_id.id] = True
        messages = {
            "saved": request.env._("Saved."),
            "submitted": request.env._(
                "Submitted. The aid centre checks your documents; you are told here and by message."
            ),
            "signed": request.env._("The contract is signed by both. You can submit the application now."),
        }
        missing_attachments = application._get_missing_attachments()
        values = self._loan_values(
            "loan",
            application=application,
            is_owner=is_owner,
            can_edit=is_owner and application._portal_can_edit(),
            timeline=application._portal_timeline(),
            what_to_fix=application._portal_what_to_fix(missing_attachments),
            missing_attachments=missing_attachments,
            success=messages.get(message),
            errors=errors or [],
        )
        values = self._get_page_view_values(application, access_token, values, "my_loans_history", False)
        # the chatter posts with the token: portal users have no access right on the model
        values["token"] = application._portal_ensure_token()
        return request.render("student_loan_portal.portal_loan_page", values)

    # ------------------------------------------------------------------
    # Application form
    # ------------------------------------------------------------------

    @http.route(["/my/loans/new"], type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_loan_new(self, **post):
        student = self._loan_student()
        if not student:
            return request.redirect("/my/loans")
        year = current_academic_year(fields.Date.context_today(request.env.user))
        existing = student.application_ids.filtered(lambda app: app.academic_year == year and app.state != "cancelled")
        if existing:
            return request.redirect(existing[0].access_url)
        return self._loan_form(student, None, year, post)

    @http.route(
        ["/my/loans/<int:application_id>/edit"], type="http", auth="user", website=True, methods=["GET", "POST"]
    )
    def portal_loan_edit(self, application_id, **post):
        try:
            application = self._loan_check_access("student.loan.application", application_id, owner_only=True)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if not application._portal_can_edit():
            return request.redirect(application.access_url)
        return self._loan_form(application.student_id, application, application.academic_year, post)

    def _loan_form(self, student, application, year, post):
        errors, error_list = {}, []
        if request.httprequest.method == "POST":
            data, errors = self._loan_parse_form(post, year)
            if not errors:
                try:
                    with request.env.cr.savepoint():
                        if not application:
                            data["application"]["academic_year"] = year
                        application = (
                            request.env["student.loan.application"].sudo()._portal_save(student, data, application)
                        )
                except (ValidationError, UserError) as error:
                    error_list.append(_error_message(error))
                else:
                    return request.redirect(f"{application.access_url}?message=saved")
            else:
                error_list.append(request.env._("Some fields are missing or wrong: see below."))
        policy = request.env["student.loan.policy"].sudo().search([("academic_year", "=", year)], limit=1)
        values = self._loan_values(
            "loan_form",
            student=student,
            application=application,
            year=year,
            policy=policy,
            form=self._loan_form_defaults(student, application) if request.httprequest.method != "POST" else post,
            errors=errors,
            error_list=error_list,
            schools=request.env["student.loan.school"].sudo().search([]),
            caps={level: int(policy._get_cap(level)) for level in self._loan_labels()["level"]} if policy else {},
            enrolment_years=list(range(year, year - 9, -1)),
        )
        return request.render("student_loan_portal.portal_loan_form", values)

    def _loan_form_defaults(self, student, application):
        source = application or student
        coborrower = application.coborrower_id if application else student.coborrower_ids[:1]
        previous = student.application_ids.filtered("coborrower_id")[:1]
        coborrower = coborrower or previous.coborrower_id

        def value(record, name):
            return record[name] if record and record[name] else ""

        return {
            "school_id": source.school_id.id or "",
            "education_level": value(source, "education_level"),
            "study_years": value(source, "study_years"),
            "enrolment_year": value(source, "enrolment_year"),
            "tuition": int(application.tuition) if application else "",
            "accommodation": int(application.accommodation) if application else "",
            "eligibility_unit": value(application or previous, "eligibility_unit"),
            "email": value(student, "email"),
            "household_address": value(student, "household_address"),
            "home_address": value(student, "home_address"),
            "third_party_name": value(student, "third_party_name"),
            "third_party_phone": value(student, "third_party_phone"),
            "third_party_relation": value(student, "third_party_relation"),
            "coborrower_name": value(coborrower, "name"),
            "coborrower_relation": value(coborrower, "relation") or "father",
            "coborrower_id_number": value(coborrower, "id_number"),
            "coborrower_mobile": value(coborrower, "mobile"),
            "coborrower_address": value(coborrower, "address"),
            "coborrower_work_unit": value(coborrower, "work_unit"),
        }

    def _loan_parse_form(self, post, year):
        """Typed values of the application form, and the errors per field (server-side validation)."""
        env = request.env
        errors = {}
        required = env._("Required.")

        def text(key, required_field=True, size=200):
            value = " ".join(str(post.get(key) or "").split())
            if required_field and not value:
                errors[key] = required
            if len(value) > size:
                errors[key] = env._("At most %s characters.", size)
            return value

        def whole(key, minimum, maximum):
            raw = str(post.get(key) or "").strip()
            if not raw:
                errors[key] = required
                return 0
            try:
                number = int(raw)
            except ValueError:
                errors[key] = env._("Enter a whole number.")
                return 0
            if not minimum <= number <= maximum:
                errors[key] = env._("Enter a number from %(min)s to %(max)s.", min=minimum, max=maximum)
            return number

        labels = self._loan_labels()
        school = env["student.loan.school"].sudo().browse(whole("school_id", 1, 2**31 - 1)).exists()
        if "school_id" not in errors and not school:
            errors["school_id"] = env._("Choose your school from the list.")
        level = text("education_level")
        if level and level not in labels["level"]:
            errors["education_level"] = env._("Choose your level of study.")
        relation = text("coborrower_relation")
        if relation and relation not in labels["relation"]:
            errors["coborrower_relation"] = env._("Choose the relation of the co-borrower.")
        data = {
            "student": {
                "school_id": school.id,
                "education_level": level,
                "study_years": whole("study_years", 1, 9),
                "enrolment_year": whole("enrolment_year", 1990, year),
                "email": text("email", size=120),
                "household_address": text("household_address"),
                "home_address": text("home_address"),
                "third_party_name": text("third_party_name", size=60),
                "third_party_phone": text("third_party_phone", size=30),
                "third_party_relation": text("third_party_relation", size=60),
            },
            "coborrower": {
                "name": text("coborrower_name", size=60),
                "relation": relation,
                "id_number": text("coborrower_id_number", size=30),
                "mobile": text("coborrower_mobile", size=30),
                "address": text("coborrower_address"),
                "work_unit": text("coborrower_work_unit", required_field=False, size=120),
            },
            "application": {
                "tuition": whole("tuition", 0, 200000),
                "accommodation": whole("accommodation", 0, 100000),
                "eligibility_unit": text("eligibility_unit", size=120),
            },
        }
        for key in ("school_id", "education_level", "study_years", "enrolment_year"):
            data["application"][key] = data["student"][key]
        enrolment, years = data["student"]["enrolment_year"], data["student"]["study_years"]
        if not ({"enrolment_year", "study_years"} & errors.keys()) and enrolment + years <= year:
            errors["enrolment_year"] = env._(
                "Enrolled in %(enrolment)s for %(years)s years, you no longer study in %(year)s-%(next)s: "
                "check the year of enrolment and the length of study.",
                enrolment=enrolment,
                years=years,
                year=year,
                next=year + 1,
            )
        return data, errors

    # ------------------------------------------------------------------
    # Attachments
    # ------------------------------------------------------------------

    @http.route(
        ["/my/loans/<int:application_id>/attachments"], type="http", auth="user", website=True, methods=["GET", "POST"]
    )
    def portal_loan_attachments(self, application_id, type_id=None, file=None, **post):
        try:
            application = self._loan_check_access("student.loan.application", application_id, owner_only=True)
        except (AccessError, MissingError):
            return request.redirect("/my")
        error = success = False
        try:
            type_value = int(type_id or 0)
        except ValueError:
            type_value = 0
        if request.httprequest.method == "POST":
            if not application._portal_can_edit():
                error = request.env._("%s is under review: attachments cannot be changed now.", application.name)
            elif not hasattr(file, "read"):
                error = request.env._("Choose a file to upload.")
            else:
                limit = request.env["student.loan.attachment"].sudo()._portal_limits()["max_bytes"]
                raw = file.read(limit + 1)
                try:
                    with request.env.cr.savepoint():
                        request.env["student.loan.attachment"].sudo()._portal_create(
                            application, type_value, raw, file.filename
                        )
                except (ValidationError, UserError) as exc:
                    error = _error_message(exc)
                else:
                    success = request.env._("Uploaded: %s.", file.filename or "")
        # after a refused upload the document type stays chosen for the next try
        return self._loan_render_attachments(application, error, success, selected_type=type_value if error else None)

    def _loan_render_attachments(self, application, error=False, success=False, selected_type=None):
        types = request.env["student.loan.attachment.type"].sudo().search([])
        rules = application.policy_id.attachment_rule_ids.filtered(lambda rule: rule.loan_kind == application.loan_kind)
        limits = request.env["student.loan.attachment"].sudo()._portal_limits()
        values = self._loan_values(
            "loan_attachments",
            application=application,
            can_edit=application._portal_can_edit(),
            attachment_types=types,
            rules=rules,
            missing_attachments=application._get_missing_attachments(),
            limits=limits,
            max_size=human_size(limits["max_bytes"]),
            error=error,
            success=success,
            selected_type=selected_type,
        )
        return request.render("student_loan_portal.portal_loan_attachments", values)

    @http.route(
        ["/my/loans/<int:application_id>/attachments/<int:attachment_id>/delete"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_loan_attachment_delete(self, application_id, attachment_id, **post):
        try:
            application = self._loan_check_access("student.loan.application", application_id, owner_only=True)
        except (AccessError, MissingError):
            return request.redirect("/my")
        attachment = application.attachment_ids.filtered(lambda att: att.id == attachment_id)
        if not attachment:
            return request.redirect("/my")
        if not application._portal_can_edit():
            return self._loan_render_attachments(
                application, request.env._("%s is under review: attachments cannot be changed now.", application.name)
            )
        name = attachment.display_name
        attachment.unlink()
        return self._loan_render_attachments(application, success=request.env._("Deleted: %s.", name))

    @http.route(
        ["/my/loans/<int:application_id>/attachments/<int:attachment_id>"], type="http", auth="public", website=True
    )
    def portal_loan_attachment_download(self, application_id, attachment_id, access_token=None, download=None, **kw):
        try:
            application = self._loan_check_access("student.loan.application", application_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        attachment = application.attachment_ids.filtered(lambda att: att.id == attachment_id)
        if not attachment:
            return request.redirect("/my")
        stream = request.env["ir.binary"]._get_stream_from(
            attachment, "file", filename=attachment.file_name, mimetype=attachment.mimetype
        )
        return stream.get_response(as_attachment=bool(download))

    # ------------------------------------------------------------------
    # Contract signing (R7)
    # ------------------------------------------------------------------

    @http.route(["/my/loans/<int:application_id>/contract"], type="http", auth="user", website=True, methods=["POST"])
    def portal_loan_prepare_contract(self, application_id, **post):
        try:
            application = self._loan_check_access("student.loan.application", application_id, owner_only=True)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            with request.env.cr.savepoint():
                application._portal_prepare_contract()
        except (ValidationError, UserError) as error:
            return self._loan_render_page(application, errors=[_error_message(error)])
        return request.redirect(f"/my/loans/{application.id}/sign")

    @http.route(["/my/loans/<int:application_id>/sign"], type="http", auth="user", website=True)
    def portal_loan_sign(self, application_id, **kw):
        try:
            application = self._loan_check_access("student.loan.application", application_id, owner_only=True)
        except (AccessError, MissingError):
            return request.redirect("/my")
        contract = application.contract_id
        if not contract or contract.state == "cancelled":
            return request.redirect(application.access_url)
        link = (
            request.env["student.loan.sign.request"]
            .sudo()
            .search([("contract_id", "=", contract.id), ("state", "=", "pending")], limit=1)
        )
        link = link if link and link._portal_usable() else link.browse()
        values = self._loan_values(
            "loan_sign",
            application=application,
            contract=contract,
            is_owner=True,
            can_sign=application._portal_can_edit() and contract.state == "draft",
            cosign_link=link,
            share_url=f"{application.get_base_url()}{link._portal_url()}" if link else "",
        )
        return request.render("student_loan_portal.portal_loan_sign", values)

    @http.route(["/my/loans/<int:application_id>/sign/link"], type="http", auth="user", website=True, methods=["POST"])
    def portal_loan_cosign_link(self, application_id, **post):
        """A new signing link for the co-borrower (the student sends it, or opens it for them)."""
        try:
            application = self._loan_check_access("student.loan.application", application_id, owner_only=True)
        except (AccessError, MissingError):
            return request.redirect("/my")
        contract = application.contract_id
        if (
            application._portal_can_edit()
            and contract
            and contract.state == "draft"
            and not contract.coborrower_signature
        ):
            request.env["student.loan.sign.request"].sudo()._portal_create_for(application)
        return request.redirect(f"/my/loans/{application.id}/sign")

    @http.route(["/my/loans/<int:application_id>/sign/<string:role>"], type="json", auth="user", website=True)
    def portal_loan_sign_submit(self, application_id, role, name=None, signature=None, **kw):
        """The student signs their own part. The co-borrower never signs from the student's session:
        only through the signing link with the code sent to the co-borrower's mobile."""
        try:
            application = self._loan_check_access("student.loan.application", application_id, owner_only=True)
        except (AccessError, MissingError):
            return {"error": request.env._("You cannot sign this contract.")}
        if role != "student":
            return {
                "error": request.env._(
                    "The co-borrower signs with the signing link, on their own phone or here, with the code sent "
                    "to their mobile."
                )
            }
        try:
            with request.env.cr.savepoint():
                contract = application._portal_sign(
                    "student", name, signature, ip=request.httprequest.remote_addr, login=request.env.user.login
                )
        except (ValidationError, UserError) as error:
            return {"error": _error_message(error)}
        if contract.state == "signed":
            return {"force_refresh": True, "redirect_url": f"{application.access_url}?message=signed"}
        return {"force_refresh": True, "redirect_url": f"{application.access_url}/sign"}

    # ------------------------------------------------------------------
    # Submission
    # ------------------------------------------------------------------

    @http.route(["/my/loans/<int:application_id>/submit"], type="http", auth="user", website=True, methods=["POST"])
    def portal_loan_submit(self, application_id, **post):
        try:
            application = self._loan_check_access("student.loan.application", application_id, owner_only=True)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            with request.env.cr.savepoint():
                application._portal_submit()
        except (ValidationError, UserError) as error:
            return self._loan_render_page(application, errors=_error_message(error).split("\n"))
        return request.redirect(f"{application.access_url}?message=submitted")

    # ------------------------------------------------------------------
    # Documents: acceptance certificate, contract PDF
    # ------------------------------------------------------------------

    @http.route(["/my/loans/<int:application_id>/certificate"], type="http", auth="public", website=True)
    def portal_loan_certificate(self, application_id, access_token=None, report_type="pdf", download=None, **kw):
        try:
            application = self._loan_check_access("student.loan.application", application_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if not application._portal_certificate_available():
            return self._loan_render_page(
                application,
                access_token,
                errors=[request.env._("The acceptance certificate is available once the application is approved.")],
            )
        return self._show_report(
            application.contract_id,
            report_type if report_type in ("pdf", "html") else "pdf",
            REPORT_CERTIFICATE,
            download=download,
        )

    @http.route(["/my/loans/<int:application_id>/application-form"], type="http", auth="user", website=True)
    def portal_loan_application_form(self, application_id, report_type="pdf", **kw):
        """The application form (申请表) to print, sign and upload, filled in with what is known."""
        try:
            application = self._loan_check_access("student.loan.application", application_id, owner_only=True)
        except (AccessError, MissingError):
            return request.redirect("/my")
        return self._show_report(
            application,
            report_type if report_type in ("pdf", "html") else "pdf",
            REPORT_APPLICATION_FORM,
            download=True,
        )

    # ------------------------------------------------------------------
    # Contracts
    # ------------------------------------------------------------------

    @http.route(["/my/contracts"], type="http", auth="user", website=True)
    def portal_my_contracts(self, **kw):
        student = self._loan_student()
        contracts = (
            request.env["student.loan.contract"]
            .sudo()
            .search(
                [("student_id", "=", student.id), ("state", "!=", "cancelled")] if student else [("id", "=", False)]
            )
        )
        return request.render(
            "student_loan_portal.portal_my_contracts",
            self._loan_values("contracts", student=student, contracts=contracts),
        )

    @http.route(["/my/contracts/<int:contract_id>"], type="http", auth="public", website=True)
    def portal_contract_page(self, contract_id, access_token=None, report_type=None, download=None, **kw):
        try:
            contract = self._loan_check_access("student.loan.contract", contract_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if report_type in ("pdf", "html"):
            if not contract._portal_pdf_available():
                return request.redirect(contract.access_url)
            return self._show_report(contract, report_type, REPORT_CONTRACT, download=download)
        values = self._loan_values(
            "contract",
            contract=contract,
            is_owner=self._loan_is_owner(contract),
            pdf_query="",
        )
        values.update(self._loan_contract_page_values(contract, **kw))
        values = self._get_page_view_values(contract, access_token, values, "my_contracts_history", False)
        return request.render("student_loan_portal.portal_contract_page", values)

    def _loan_contract_page_values(self, contract, **kw):
        """Hook: more values for the contract page (the repayment glue addon adds the plan)."""
        return {}
