import json

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

PORTAL_EDITABLE_STATES = ("draft", "returned")
CERTIFICATE_STATES = ("approved", "bank", "confirmed")
# what the contract shows: when one changes after signing, both sign again
CONTRACT_TERMS = ("approved_amount", "school_id", "education_level", "study_years", "enrolment_year")
COBORROWER_FIELDS = ("name", "relation", "id_number", "mobile", "address", "work_unit")


class StudentLoanApplication(models.Model):
    _name = "student.loan.application"
    _inherit = ["student.loan.application", "portal.mixin"]

    student_partner_id = fields.Many2one(
        related="student_id.partner_id",
        string="Student Contact",
        help="Receives the notifications of the application in the student portal.",
    )

    def _compute_access_url(self):
        super()._compute_access_url()
        for application in self:
            application.access_url = f"/my/loans/{application.id}"

    def _mail_get_partner_fields(self, introspect_fields=False):
        return super()._mail_get_partner_fields(introspect_fields=introspect_fields) + ["student_partner_id"]

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Acceptance Certificate %s", self.name)

    # ------------------------------------------------------------------
    # Notifications to the student
    # ------------------------------------------------------------------

    def action_approve(self):
        result = super().action_approve()
        for application in self:
            env = application._portal_student_env()
            application._portal_notify_student(
                env._(
                    "Your loan application %s was approved. You can download the acceptance certificate in "
                    "the student portal; give the receipt code to your university.",
                    application.name,
                )
            )
        return result

    def action_bank_confirm(self):
        result = super().action_bank_confirm()
        for application in self:
            env = application._portal_student_env()
            application._portal_notify_student(
                env._("The bank confirmed the loan of application %s: it pays the university.", application.name)
            )
        return result

    def _portal_student_env(self):
        """An environment in the student's language, for what is written to them."""
        self.ensure_one()
        lang = self.student_id.sudo().partner_id.lang
        return self.with_context(lang=lang).env if lang else self.env

    def _portal_notify_student(self, body):
        """Post ``body`` as a comment that notifies the student (e-mail and portal chatter)."""
        self.ensure_one()
        partner = self.student_id.sudo().partner_id
        if partner:
            self.message_post(
                body=body, message_type="comment", subtype_xmlid="mail.mt_comment", partner_ids=partner.ids
            )

    # ------------------------------------------------------------------
    # Portal: state of the case
    # ------------------------------------------------------------------

    def _portal_can_edit(self):
        self.ensure_one()
        return self.state in PORTAL_EDITABLE_STATES

    def _portal_certificate_available(self):
        self.ensure_one()
        return self.state in CERTIFICATE_STATES and bool(self.contract_id)

    def _portal_timeline(self):
        """The steps of the review with their status (done / current / todo) and date."""
        self.ensure_one()
        steps = [
            ("draft", self.env._("Application filled in"), self.create_date),
            ("submitted", self.env._("Submitted: accepted for review"), self.submitted_date),
            ("checked", self.env._("Documents checked by the aid centre"), self.checked_date),
            ("approved", self.env._("Re-reviewed and approved"), self.approved_date),
            ("bank", self.env._("Sent to the bank"), False),
            ("confirmed", self.env._("Loan confirmed by the bank"), self.bank_date),
        ]
        order = [code for code, _label, _date in steps]
        if self.state in ("draft", "returned", "cancelled"):
            done, current = -1, 0
        else:
            done = order.index(self.state)
            current = done + 1
        timeline = []
        for position, (code, label, date) in enumerate(steps):
            if position <= done:
                status = "done"
            elif position == current and self.state != "cancelled":
                status = "current"
            else:
                status = "todo"
            timeline.append(
                {"code": code, "label": label, "date": date if status == "done" else False, "status": status}
            )
        return timeline

    def _portal_what_to_fix(self, missing_attachments=None):
        """Sentences telling the student what was found wrong and what is missing before submitting
        (``missing_attachments``: :meth:`_get_missing_attachments`, when the caller has it already)."""
        self.ensure_one()
        if not self._portal_can_edit():
            return []
        problems = []
        if self.state == "returned":
            problems.extend(
                f"{line.item_id.name}: {line.reason}"
                for line in self.check_line_ids.filtered(lambda line: line.result == "failed")
            )
        problems.extend(self._portal_submit_problems(missing_attachments))
        return list(dict.fromkeys(problems))

    def _portal_submit_problems(self, missing_attachments=None):
        """What stops the submission: the core's checks, attachments (2+2 / 1+1) and signatures."""
        self.ensure_one()
        problems = list(self._get_blocking_problems("submit"))
        missing = self._get_missing_attachments() if missing_attachments is None else missing_attachments
        if missing:
            problems.append(self.env._("Attachments still missing: %s", "; ".join(missing)))
        if not self.contract_id or self.contract_id.state == "cancelled":
            problems.append(self.env._("The contract is not signed yet."))
        elif self.contract_id.state == "draft":
            problems.append(self.env._("The contract still needs the signatures of the student and the co-borrower."))
        return list(dict.fromkeys(problems))

    # ------------------------------------------------------------------
    # Portal: filling in
    # ------------------------------------------------------------------

    @api.model
    def _portal_save(self, student, data, application=None):
        """Save the portal form (call with sudo, inside a savepoint).

        ``data``: ``{'student': vals, 'coborrower': vals, 'application': vals}``, typed values.
        The core's validations apply (ID numbers, phones, amount limits); a change of what the
        contract shows after signing sends the contract back for signatures.
        """
        if application and not application._portal_can_edit():
            raise UserError(self.env._("%s is under review: it cannot be changed now.", application.name))
        before = application._portal_contract_snapshot() if application else None
        student.write(data["student"])
        coborrower = self._portal_save_coborrower(student, data["coborrower"])
        app_vals = dict(data["application"], coborrower_id=coborrower.id)
        if application:
            application.write(app_vals)
        else:
            application = self.create(dict(app_vals, student_id=student.id))
        contract = application.contract_id
        if contract and contract.state in ("draft", "signed"):
            if before != application._portal_contract_snapshot() and (
                contract.signature or contract.coborrower_signature
            ):
                contract.write(
                    {"state": "draft", "signature": False, "coborrower_signature": False, "signing_date": False}
                )
                contract.message_post(
                    body=self.env._("The student changed the application: the contract must be signed again.")
                )
            contract._update_from_application()
        return application

    @api.model
    def _portal_save_coborrower(self, student, vals):
        Coborrower = self.env["student.loan.coborrower"]
        vals = Coborrower._normalize_vals(vals)
        existing = Coborrower.with_context(active_test=False).search(
            [("student_id", "=", student.id), ("id_number", "=", vals["id_number"])], limit=1
        )
        if existing:
            changed = {key: value for key, value in vals.items() if existing[key] != value}
            if not existing.active:
                changed["active"] = True
            if changed:
                existing.write(changed)
            return existing
        return Coborrower.create(dict(vals, student_id=student.id))

    def _portal_contract_snapshot(self):
        self.ensure_one()
        terms = tuple(self[name].id if name == "school_id" else self[name] for name in CONTRACT_TERMS)
        coborrower = tuple(self.coborrower_id[name] for name in COBORROWER_FIELDS) if self.coborrower_id else ()
        return terms, self.coborrower_id.id, coborrower

    # ------------------------------------------------------------------
    # Portal: contract and signatures (R7)
    # ------------------------------------------------------------------

    def _portal_prepare_contract(self):
        """The electronic contract, ready to sign (call with sudo): created when it does not exist."""
        self.ensure_one()
        if not self._portal_can_edit():
            raise UserError(self.env._("%s is under review: it cannot be signed now.", self.name))
        contract = self.contract_id
        if contract and contract.state != "cancelled":
            return contract
        self._raise_if_blocked("contract")
        contract = self.env["student.loan.contract"].create(self._prepare_contract_vals())
        self.write({"contract_id": contract.id})
        self.message_post(body=self.env._("Electronic contract %s prepared for signing in the portal.", contract.name))
        return contract

    def _portal_signer_name(self, role):
        self.ensure_one()
        return self.student_id.name if role == "student" else self.coborrower_id.name

    def _portal_sign(self, role, name, drawing, **evidence):
        """Store the hand-drawn signature of ``role`` ('student' or 'coborrower'); when both signed,
        record the signing. Call with sudo after checking who may sign (the co-borrower only through
        a signing link verified with an SMS code).

        ``drawing``: what the hand-signature pad sends (``{"mode", "width", "height", "strokes"}``);
        the image is drawn on the server from the strokes, kept as evidence with ``evidence``.
        """
        self.ensure_one()
        if role not in ("student", "coborrower"):
            raise UserError(self.env._("Unknown signer."))
        contract = self.contract_id
        if not self._portal_can_edit() or not contract or contract.state != "draft":
            raise UserError(self.env._("This contract is not waiting for signatures."))
        expected = self._portal_signer_name(role) or ""
        if "".join((name or "").split()) != "".join(expected.split()):
            raise ValidationError(self.env._("Type the full name of the signer as on the ID card: %s.", expected))
        if not isinstance(drawing, dict):
            raise ValidationError(self.env._("The signature could not be read: sign again."))
        strokes = json.dumps(dict(drawing, evidence=dict(evidence, signer=role)), default=str)
        if role == "student":
            contract.write({"signature_strokes": strokes})
            body = self.env._("Contract signed by the student %s in the portal.", expected)
        else:
            contract.write({"coborrower_signature_strokes": strokes})
            body = self.env._(
                "Contract signed by the co-borrower %s in the portal, with the code sent to their mobile.", expected
            )
        contract.message_post(body=body)
        if contract.signature and contract.coborrower_signature:
            contract.action_sign()
        return contract

    # ------------------------------------------------------------------
    # Portal: submission
    # ------------------------------------------------------------------

    def _portal_submit(self):
        """Submit from the portal (call with sudo): complete data, attachments and signatures."""
        self.ensure_one()
        if not self._portal_can_edit():
            raise UserError(self.env._("%s is already under review.", self.name))
        problems = self._portal_submit_problems()
        if problems:
            raise UserError("\n".join(problems))
        self.action_submit()
        return True
