import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.i18n import format_list

# The steps of a review, in their order. Each tier.definition belongs to one step; a document is in the
# state of the first step that still has an open tier (see ``_review_role_states`` of each model).
REVIEW_ROLES = [
    ("check", "Handler Check (经办人审核)"),
    ("approve", "Approval (复核/同意)"),
    ("bank", "Bank Confirmation (开行确认)"),
]
ROLE_ORDER = {role: index for index, (role, _label) in enumerate(REVIEW_ROLES)}
# who returned (退回), by the step they act at
RETURN_LEVELS = {"check": "handler", "approve": "supervisor", "bank": "bank"}
OPEN = ("waiting", "pending")


class StudentLoanReviewMixin(models.AbstractModel):
    """One review engine for every reviewed document, on OCA's ``tier.validation``.

    The review levels are ``tier.definition`` records (configured by the province administrator, not code):
    each has a step (``review_role``: handler check, approval, bank confirmation), a condition (domain), its
    reviewers (a user, a group, or a field of the document such as the centre's supervisor), its order
    (sequence), whether it must wait for the previous ones (``approve_sequence``) and a deadline.

    Submitting creates one ``tier.review`` per matching definition; the document then moves through the
    states of the steps (``_review_role_states``) as the reviewers approve. The engine owns:

    - the state machine (``_review_submit``, ``_review_validate``, ``_return``, ``_review_cancel``);
    - the write guard: workflow fields (state, reviewers, dates, the tiers) are written only by these
      methods, and the reviewed data is frozen once submitted, whatever the RPC used;
    - row locks (``FOR UPDATE NOWAIT``) on every step, so two reviewers never act on one document at once;
    - "never approve what you prepared" (``_review_preparers``);
    - returns with a reason at every level (one wizard, ``student.loan.review.return.wizard``);
    - chatter messages and one activity per open tier, for the reviewer who acts next.

    A model using it defines ``state`` with the states named in the class attributes below, a ``centre_id``
    and ``submitted_by_id``/``submitted_date``; hooks (``_review_on_*``) add what is particular to it.
    """

    _name = "student.loan.review.mixin"
    _description = "Reviewed Document"
    _inherit = ["tier.validation", "mail.thread", "mail.activity.mixin"]

    # tier.validation: the tiers are requested from these states; the reviews are dropped on a return
    _state_from = ["draft", "returned"]
    _state_to = ["confirmed"]
    _cancel_state = "cancelled"

    # state of the document while the tiers of a step are open
    _review_role_states = {"check": "submitted", "approve": "checked", "bank": "bank"}
    # steps that wait in a state until someone sends the document on (e.g. "send to the bank")
    _review_hold_states = {"bank": "approved"}
    _review_done_state = "confirmed"
    _review_returned_state = "returned"
    _review_editable_states = ("draft", "returned")
    # written only by the workflow methods (plus the engine's own fields)
    _review_workflow_fields = frozenset()
    # the data the reviewers approve: frozen outside ``_review_editable_states``
    _review_reviewed_fields = frozenset()
    _review_activity_type = "student_loan.mail_activity_type_loan_review"

    ENGINE_FIELDS = frozenset(
        {
            "review_ids",
            "submitted_by_id",
            "submitted_date",
            "return_reason",
            "returned_by",
            "return_count",
            "review_waiting_since",
        }
    )

    submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    submitted_date = fields.Datetime(readonly=True, copy=False)
    return_reason = fields.Text(readonly=True, copy=False, tracking=True)
    returned_by = fields.Selection(
        [("handler", "Handler"), ("supervisor", "Supervisor"), ("bank", "Bank")], readonly=True, copy=False
    )
    return_count = fields.Integer(readonly=True, copy=False)
    review_waiting_since = fields.Datetime(
        string="Waiting Since",
        readonly=True,
        copy=False,
        index=True,
        help="When the current review step started: automation rules escalate from this date.",
    )
    review_role = fields.Selection(REVIEW_ROLES, string="Review Step", compute="_compute_review_role")
    review_next_step = fields.Char(
        string="Next Step",
        compute="_compute_review_next_step",
        help="What must happen next to the document, and who does it (from its open review tier or its status).",
    )
    # reviewer candidates: a tier.definition of review type "field" names one of these
    review_handler_ids = fields.Many2many(
        "res.users", string="Centre Handlers", compute="_compute_review_users", compute_sudo=True
    )
    review_supervisor_ids = fields.Many2many(
        "res.users", string="Centre Supervisor", compute="_compute_review_users", compute_sudo=True
    )
    review_city_reviewer_ids = fields.Many2many(
        "res.users", string="City Reviewer", compute="_compute_review_users", compute_sudo=True
    )
    review_bank_user_ids = fields.Many2many(
        "res.users", string="Bank Liaisons", compute="_compute_review_users", compute_sudo=True
    )
    review_escalation_user_id = fields.Many2one(
        "res.users",
        string="Escalate To",
        compute="_compute_review_users",
        compute_sudo=True,
        help="Who an overdue review is escalated to: the supervisor of the centre.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("review_ids.status", "review_ids.definition_id.review_role")
    def _compute_review_role(self):
        for record in self:
            open_reviews = record.review_ids.filtered(lambda review: review.status in OPEN)
            roles = sorted(open_reviews.definition_id.mapped("review_role"), key=ROLE_ORDER.get)
            record.review_role = roles[0] if roles else False

    @api.depends(lambda self: [self._state_field, "review_ids.status"])
    @api.depends_context("lang")
    def _compute_review_next_step(self):
        for record in self:
            step, users = record._review_next_step()
            if not step:
                record.review_next_step = False
            elif users:
                record.review_next_step = self.env._(
                    "Next: %(step)s (%(who)s)",
                    step=step,
                    who=format_list(self.env, users.sudo().mapped("name")),
                )
            else:
                record.review_next_step = self.env._("Next: %s", step)

    def _review_next_step(self):
        """``(what, users)``: what must happen next to the document (a short sentence), and who does it."""
        self.ensure_one()
        state = self[self._state_field]
        if state == self._review_returned_state:
            return self.env._("Correct it and submit it again"), self._review_return_user()
        pending = self._review_open().filtered(lambda review: review.status == "pending")
        if pending and state in self._review_role_states.values():
            users = self.env["res.users"]
            for review in pending:
                users |= self._review_pick_user(review)
            return ", ".join(pending.with_context(lang=self.env.lang).mapped("name")), users
        for role, hold in self._review_hold_states.items():
            if state == hold:
                earlier = (
                    self.review_ids.sudo()
                    .filtered(lambda review, role=role: ROLE_ORDER[review.definition_id.review_role] < ROLE_ORDER[role])
                    .sorted(lambda review: (ROLE_ORDER[review.definition_id.review_role], review.sequence))
                )
                done_by = earlier.filtered("done_by")[-1:].done_by
                return self._review_hold_summary(role), done_by or self.review_supervisor_ids[:1]
        if state in self._state_from:
            author = self.create_uid if self.create_uid.active and not self.create_uid.share else False
            return self.env._("Submit it for review"), author or self.review_handler_ids[:1]
        return False, self.env["res.users"]

    def _review_centre(self):
        """The aid centre whose staff review the document."""
        self.ensure_one()
        return self.centre_id

    def _compute_review_users(self):
        for record in self:
            centre = record._review_centre().sudo()
            if not centre:
                record.review_handler_ids = record.review_supervisor_ids = False
                record.review_city_reviewer_ids = record.review_bank_user_ids = False
                record.review_escalation_user_id = False
                continue
            record.review_handler_ids = centre._get_reviewers("student_loan.group_handler")
            supervisors = centre._get_supervisors()
            record.review_supervisor_ids = supervisors
            record.review_escalation_user_id = supervisors[:1]
            record.review_city_reviewer_ids = centre._get_city_reviewers()
            record.review_bank_user_ids = centre._get_bank_users()

    # ------------------------------------------------------------------
    # CRUD: the write guard
    # ------------------------------------------------------------------

    @api.model
    def _review_protected_fields(self):
        return self.ENGINE_FIELDS | self._review_workflow_fields | {self._state_field}

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            protected = self._review_protected_fields()
            for vals in vals_list:
                forced = sorted(name for name in protected & set(vals) if vals[name] and vals[name] != "draft")
                if forced:
                    raise AccessError(
                        self.env._(
                            "A new %(document)s starts as a draft (%(fields)s set by the review only).",
                            document=self._description,
                            fields=", ".join(self._review_field_labels(forced)),
                        )
                    )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._review_check_protected(vals)
        return super().write(vals)

    def unlink(self):
        self.review_ids.sudo().unlink()
        return super().unlink()

    def _review_field_labels(self, names):
        return [self._fields[name].get_description(self.env)["string"] for name in names if name in self._fields]

    def _review_check_protected(self, vals):
        """Refuse writes that would bypass the review: workflow fields, and reviewed data under review."""
        self._review_check_access("write", self.env._("change"))
        workflow = sorted(self._review_protected_fields() & set(vals))
        if workflow:
            raise AccessError(
                self.env._(
                    "%s can only be changed with the workflow buttons (submit, check, approve, return...).",
                    ", ".join(self._review_field_labels(workflow)),
                )
            )
        reviewed = self._review_reviewed_fields & set(vals)
        locked = self.filtered(lambda record: record[self._state_field] not in self._review_editable_states)
        if reviewed and locked:
            raise UserError(
                self.env._(
                    "%(name)s is %(state)s: the data checked for it (%(fields)s) cannot be changed now; "
                    "return it to the handler first.",
                    name=locked[0].display_name,
                    state=locked[0]._review_state_label(),
                    fields=", ".join(self._review_field_labels(sorted(reviewed))),
                )
            )

    def _review_check_access(self, operation, action_label):
        """``check_access`` with a message that says what the user cannot do and why."""
        try:
            self.check_access(operation)
        except AccessError as error:
            if not self.env["ir.model.access"].check(self._name, operation, raise_exception=False):
                raise AccessError(
                    self.env._(
                        "You cannot %(action)s %(document)s records: your role (user groups) does not allow it.",
                        action=action_label,
                        document=self._description,
                    )
                ) from error
            record = (self - self._filtered_access(operation))[:1].sudo()
            raise AccessError(
                self.env._(
                    "You cannot %(action)s %(name)s: it belongs to the aid centre %(centre)s, which is neither "
                    "your centre (%(mine)s) nor one below it.",
                    action=action_label,
                    name=record.display_name,
                    centre=record._review_centre().display_name or "-",
                    mine=self.env.user.loan_centre_id.display_name or "-",
                )
            ) from error

    def _write_workflow(self, vals):
        """Write the workflow fields for a workflow method, with the user's access to the document."""
        self._review_check_access("write", self.env._("change"))
        return self.sudo().with_context(skip_validation_check=True).write(vals)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _review_state_label(self):
        self.ensure_one()
        state = self[self._state_field]
        return dict(self._fields[self._state_field]._description_selection(self.env)).get(state, state)

    def _review_lock(self):
        """Lock the rows for a workflow step so that two reviewers cannot act on them at once."""
        if not self.ids:
            return
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    f'SELECT id FROM "{self._table}" WHERE id IN %s FOR UPDATE NOWAIT',  # noqa: S608
                    [tuple(self.ids)],
                    log_exceptions=False,  # a busy row is a message for the user, not a server error
                )
        except psycopg2.errors.LockNotAvailable as error:
            raise UserError(
                self.env._("Another user is processing this %s right now: reload it and try again.", self._description)
            ) from error
        self.invalidate_recordset([self._state_field])

    def _check_group(self, group_xmlid, action_label):
        """Refuse users outside the group, for the steps that are not tiers (preparing, cancelling...)."""
        if not self.env.user.has_group(group_xmlid):
            group = self.env.ref(group_xmlid)
            raise AccessError(self.env._("Only %(group)s users can %(action)s.", group=group.name, action=action_label))

    def _check_state(self, allowed, action_label):
        """Lock, then refuse unless every record is in one of the ``allowed`` states."""
        self._review_lock()
        for record in self:
            if record[self._state_field] not in allowed:
                raise record._review_wrong_state_error(action_label)

    def _review_wrong_state_error(self, action_label):
        return UserError(
            self.env._(
                "%(name)s is %(state)s: it cannot be %(action)s now.",
                name=self.display_name,
                state=self._review_state_label(),
                action=action_label,
            )
        )

    def _review_preparers(self):
        """Users who prepared the document: they never approve it."""
        self.ensure_one()
        return self.submitted_by_id

    def _review_open(self, role=None):
        self.ensure_one()
        reviews = self.review_ids.sudo().filtered(lambda review: review.status in OPEN)
        if role:
            reviews = reviews.filtered(lambda review: review.definition_id.review_role == role)
        return reviews.sorted(lambda review: (ROLE_ORDER[review.definition_id.review_role], review.sequence))

    def _review_pick_user(self, review):
        """The one reviewer who gets the activity: who approved it before, else the closest staff."""
        users = review.reviewer_ids.filtered("active")
        if review.done_by in users:
            return review.done_by
        return users.sorted(lambda user: (-len(user.loan_centre_id.parent_path or ""), user.id))[:1]

    def _review_return_user(self):
        """Who corrects a returned document: who submitted it, else a handler of the centre."""
        self.ensure_one()
        user = self.submitted_by_id
        if user.active and not user.share:
            return user
        return self.review_handler_ids[:1]

    def _review_return_partner_ids(self):
        """Partners told about a return to the handler (the student, for documents they follow)."""
        return []

    # ------------------------------------------------------------------
    # Activities
    # ------------------------------------------------------------------

    def _review_close_activities(self):
        for record in self:
            activities = record.activity_ids.filtered(
                lambda activity: activity.activity_type_id == self.env.ref(self._review_activity_type)
            )
            mine = activities.filtered(lambda activity: activity.user_id == self.env.user)
            mine.action_feedback()
            (activities - mine).sudo().unlink()

    def _review_schedule(self, user, summary, deadline_days=0):
        """Schedule the review activity of ``user``, its summary in ``user``'s language (not the actor's).

        ``summary`` is a function of the document seen in the assignee's language, e.g.
        ``lambda doc: doc.env._("Send to the bank")``; a plain string is used as it is.
        """
        self.ensure_one()
        if not user:
            return
        record = self._review_in_lang_of(user)
        text = summary(record) if callable(summary) else summary
        deadline = fields.Date.add(fields.Date.context_today(self), days=deadline_days) if deadline_days else None
        record.sudo().activity_schedule(
            self._review_activity_type, summary=text, user_id=user.id, date_deadline=deadline
        )

    def _review_in_lang_of(self, user):
        """The records in the language of ``user`` (who reads what is written for them: activities)."""
        return self.with_context(lang=user.sudo().lang or self.env.lang)

    def _review_schedule_pending(self):
        """One activity per open tier, for the reviewer who acts next."""
        for record in self:
            record._review_close_activities()
            for review in record.review_ids.sudo().filtered(lambda review: review.status == "pending"):
                record._review_schedule(
                    record._review_pick_user(review),
                    lambda doc, review=review: review.with_context(lang=doc.env.lang).name,
                    review.definition_id.deadline_days,
                )

    # ------------------------------------------------------------------
    # The state machine
    # ------------------------------------------------------------------

    def _review_definitions(self):
        return (
            self.env["tier.definition"]
            .sudo()
            .search(
                [("model", "=", self._name), ("company_id", "in", [False, *self.env.companies.ids])],
                order="sequence, id",
            )
        )

    def _prepare_tier_review_vals(self, definition, sequence):
        # the review's order is the definition's (OCA numbers them in reverse)
        vals = super()._prepare_tier_review_vals(definition, definition.sequence)
        return vals

    def _review_submit(self, vals=None):
        """Start the review: one tier per matching tier.definition; the first step's reviewers are asked."""
        definitions = self._review_definitions()
        Review = self.env["tier.review"].sudo()
        for record in self:
            record.review_ids.sudo().unlink()
            matching = definitions.filtered(lambda definition, record=record: record.evaluate_tier(definition))
            if not matching:
                raise UserError(
                    self.env._(
                        "No review step applies to %s: the province administrator configures the review tiers "
                        "(Configuration → Review Tiers).",
                        record.display_name,
                    )
                )
            Review.create([record._prepare_tier_review_vals(definition, 0) for definition in matching])
            record._write_workflow(dict(vals or {}, submitted_by_id=self.env.uid, submitted_date=fields.Datetime.now()))
            record._review_advance()

    def _review_advance(self):
        """Move the document to the state of its first open step and ask that step's reviewers."""
        now = fields.Datetime.now()
        for record in self:
            open_reviews = record._review_open()
            if not open_reviews:
                record._write_workflow({self._state_field: self._review_done_state, "review_waiting_since": False})
                record._review_close_activities()
                record._review_on_done()
                continue
            role = open_reviews[0].definition_id.review_role
            state = self._review_role_states[role]
            hold = self._review_hold_states.get(role)
            if hold and record[self._state_field] != state:
                record._write_workflow({self._state_field: hold, "review_waiting_since": now})
                record._review_close_activities()
                record._review_schedule(self.env.user, lambda doc, role=role: doc._review_hold_summary(role))
                continue
            step = open_reviews.filtered(lambda review, role=role: review.definition_id.review_role == role)
            earlier_open = False
            for review in step:
                if review.status == "waiting" and not (review.approve_sequence and earlier_open):
                    review.status = "pending"
                earlier_open = True
            vals = {"review_waiting_since": now}
            if record[self._state_field] != state:
                vals[self._state_field] = state
            record._write_workflow(vals)
            record._review_schedule_pending()

    def _review_hold_summary(self, role):
        return self.env._("Send to the bank") if role == "bank" else self.env._("Send on for review")

    def _review_check_reviewer(self, role, action_label):
        """Refuse who is not a reviewer of any tier of ``role`` on the records (whatever their state)."""
        for record in self:
            reviews = record.review_ids.sudo().filtered(lambda review: review.definition_id.review_role == role)
            if reviews and not self.env.su and self.env.user not in reviews.reviewer_ids:
                raise record._review_not_reviewer_error(reviews, action_label)

    def _review_not_reviewer_error(self, reviews, action_label):
        return AccessError(
            self.env._(
                "You cannot %(action)s %(name)s: the step %(steps)s is reviewed by %(reviewers)s.",
                action=action_label,
                name=self.display_name,
                steps=", ".join(reviews.mapped("name")),
                reviewers=", ".join(reviews.mapped("todo_by")) or "-",
            )
        )

    def _review_validate(self, role, action_label):
        """The current user approves their open tiers of ``role`` on every record (all or nothing)."""
        self._review_check_reviewer(role, action_label)
        self._review_lock()
        now = fields.Datetime.now()
        for record in self:
            pending = record._review_open(role).filtered(lambda review: review.status == "pending")
            if record[self._state_field] != self._review_role_states[role] or not pending:
                raise record._review_wrong_state_error(action_label)
            # the superuser (data scripts, demo) approves any open tier; never reachable over RPC
            mine = pending if self.env.su else pending.filtered(lambda review: self.env.user in review.reviewer_ids)
            if not mine:
                raise record._review_not_reviewer_error(pending, action_label)
            if role != "check" and not self.env.su and self.env.user in record._review_preparers():
                raise UserError(
                    self.env._("You prepared %s yourself: another supervisor must approve it.", record.display_name)
                )
            record._review_check_access("write", action_label)
            mine.write({"status": "approved", "done_by": self.env.uid, "reviewed_date": now})
            record.message_post(
                body=self.env._(
                    "%(steps)s: approved by %(user)s.", steps=", ".join(mine.mapped("name")), user=self.env.user.name
                )
            )
            record._review_on_approved(role, mine)
            record._review_advance()
        return True

    def _review_step(self, role, action_label, state_label, check=None):
        """A reviewer's button on ``role``'s tiers (check, approve, the bank's confirmation): refuse who does not
        review that step, then a record not in the state the step reviews (``state_label`` names the state it
        would reach: "… cannot be approved now"), then ``check`` (the document's own conditions, a callable
        raising the user's error), then approve (:meth:`_review_validate`). The buttons of every reviewed
        document share this order of errors."""
        self._review_check_reviewer(role, action_label)
        self._check_state((self._review_role_states[role],), state_label)
        if check:
            check()
        return self._review_validate(role, action_label)

    def _review_send_on(self, role, action_label):
        """Send a document waiting in a hold state on to ``role``'s tiers (e.g. to the bank)."""
        hold = self._review_hold_states[role]
        self._check_state((hold,), action_label)
        for record in self:
            previous = record.review_ids.sudo().filtered(lambda review: review.definition_id.review_role == "approve")
            if self.env.user not in previous.reviewer_ids and not self.env.user.has_group("student_loan.group_admin"):
                raise AccessError(
                    self.env._(
                        "You cannot %(action)s %(name)s: only its reviewers (%(reviewers)s) can.",
                        action=action_label,
                        name=record.display_name,
                        reviewers=", ".join(previous.mapped("todo_by")) or "-",
                    )
                )
            record._write_workflow({self._state_field: self._review_role_states[role]})
            record._review_advance()
        return True

    def _review_return_role(self):
        """The step whose reviewers may return the document now."""
        self.ensure_one()
        for role, hold in self._review_hold_states.items():
            if self[self._state_field] == hold:
                previous = [r for r, _label in REVIEW_ROLES if ROLE_ORDER[r] < ROLE_ORDER[role]]
                return previous[-1] if previous else role
        for role, state in self._review_role_states.items():
            if self[self._state_field] == state:
                return role
        return False

    def _return(self, reason):
        """Return (退回) with a reason to the level below: bank → supervisor → handler."""
        if not reason or not reason.strip():
            raise UserError(self.env._("Give the reason for returning, so it can be fixed."))
        reason = reason.strip()
        self._review_lock()
        for record in self:
            role = record._review_return_role()
            if not role:
                raise UserError(self.env._("%s is not under review: there is nothing to return.", record.display_name))
            reviews = record.review_ids.sudo().filtered(
                lambda review, role=role: review.definition_id.review_role == role
            )
            if self.env.user not in reviews.reviewer_ids:
                raise AccessError(
                    self.env._(
                        "You cannot return %(name)s: at this step only %(reviewers)s can return it.",
                        name=record.display_name,
                        reviewers=", ".join(reviews.mapped("todo_by")) or "-",
                    )
                )
            record._review_check_access("write", self.env._("return"))
            vals = {
                "return_reason": reason,
                "returned_by": RETURN_LEVELS[role],
                "return_count": record.return_count + 1,
            }
            previous = [r for r, _label in REVIEW_ROLES if ROLE_ORDER[r] < ROLE_ORDER[role]]
            back_to_step = role == "bank" and previous
            if back_to_step:
                hold = self._review_hold_states.get(role)
                reviews.write({"status": "waiting", "done_by": False, "reviewed_date": False})
                if hold:
                    vals[self._state_field] = hold
                else:
                    reopened = record.review_ids.sudo().filtered(
                        lambda review: review.definition_id.review_role == "approve"
                    )
                    reopened.write({"status": "waiting", "reviewed_date": False})
                    vals[self._state_field] = self._review_role_states["approve"]
                vals.update(record._review_return_vals(role, vals[self._state_field]))
                record._write_workflow(vals)
            else:
                vals[self._state_field] = self._review_returned_state
                vals["review_waiting_since"] = fields.Datetime.now()
                vals.update(record._review_return_vals(role, vals[self._state_field]))
                record._write_workflow(vals)
                record.review_ids.sudo().unlink()
            record._review_on_returned(RETURN_LEVELS[role])
            returned = vals[self._state_field] == self._review_returned_state
            record.message_post(
                body=self.env._("Returned by %(user)s: %(reason)s", user=self.env.user.name, reason=reason),
                subtype_xmlid="mail.mt_comment",
                partner_ids=record._review_return_partner_ids() if returned else [],
            )

            def summary(doc, reason=reason):
                return doc.env._("Returned: %s", reason[:80])

            if returned:
                record._review_close_activities()
                record._review_schedule(record._review_return_user(), summary)
            elif vals[self._state_field] in self._review_hold_states.values():
                record._review_close_activities()
                approvers = record.review_ids.sudo().filtered(
                    lambda review: review.definition_id.review_role == "approve"
                )
                record._review_schedule(approvers.done_by[:1] or record.review_supervisor_ids[:1], summary)
            else:
                record._review_advance()
        return True

    def _review_cancel(self):
        self._review_close_activities()
        self._write_workflow({self._state_field: self._cancel_state, "review_waiting_since": False})
        self.review_ids.sudo().unlink()

    # ------------------------------------------------------------------
    # Hooks for the documents
    # ------------------------------------------------------------------

    def _review_on_approved(self, role, reviews):
        """A step's tiers approved by the current user (before the document moves on)."""

    def _review_on_done(self):
        """Every tier approved: the document is in ``_review_done_state``."""

    def _review_return_vals(self, role, new_state):
        """Extra workflow values written on a return."""
        return {}

    def _review_on_returned(self, level):
        """After a return by ``level`` (handler, supervisor, bank)."""

    # ------------------------------------------------------------------
    # Actions shared by every reviewed document (form buttons, list bulk actions)
    # ------------------------------------------------------------------

    def action_open_return_wizard(self):
        context = {"default_res_model": self._name, "default_res_ids": self.ids}
        reason = self._review_return_default_reason() if len(self) == 1 else False
        if reason:
            context["default_reason"] = reason
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Return (退回)"),
            "res_model": "student.loan.review.return.wizard",
            "view_mode": "form",
            "target": "new",
            "context": context,
        }

    def _review_return_default_reason(self):
        """The reason the return wizard proposes (the reviewer edits it): what the checks found, in their words."""
        return False

    def _review_role_action(self, role):
        """The document's action that approves ``role`` (with its own checks)."""
        return {"check": "action_check", "approve": "action_approve", "bank": "action_bank_confirm"}[role]

    def _review_bulk(self, method_name, *args):
        """Run ``method_name`` on each record in turn (each checked and locked); a failure names the record
        and, the transaction being rolled back, nothing is done for any of them."""
        for record in self:
            try:
                getattr(record, method_name)(*args)
            except (UserError, AccessError) as error:
                raise type(error)(
                    self.env._(
                        "%(name)s: %(error)s\nNothing was done for the %(count)s selected records: fix it or leave "
                        "it out of the selection, and try again.",
                        name=record.display_name,
                        error=error.args[0] if error.args else str(error),
                        count=len(self),
                    )
                ) from error
        return True

    def _review_approve_current(self):
        self.ensure_one()
        role = self.review_role
        if not role or self[self._state_field] != self._review_role_states.get(role):
            raise UserError(
                self.env._(
                    "%(name)s is %(state)s: there is no review step to approve now.",
                    name=self.display_name,
                    state=self._review_state_label(),
                )
            )
        return getattr(self, self._review_role_action(role))()

    def action_review_approve(self):
        """Approve the current step of each selected document (list bulk action, all or nothing)."""
        return self._review_bulk("_review_approve_current")

    def action_review_return(self, reason):
        """Return every selected document with one reason (all or nothing)."""
        return self._review_bulk("_return", reason)


# The states of a document approved in one step (poverty-register imports, winners lists, large SMS campaigns).
APPROVAL_STATES = [
    ("draft", "Not Submitted"),
    ("to_approve", "To Approve"),
    ("approved", "Approved"),
    ("returned", "Returned"),
    ("cancelled", "Cancelled"),
]


class StudentLoanReviewApprovalMixin(models.AbstractModel):
    """The review engine for a document that its tiers approve in one step (no handler check, no bank):
    ``_state_field`` names a selection of ``APPROVAL_STATES``; submitted → to_approve → approved."""

    _name = "student.loan.review.approval.mixin"
    _description = "Document Approved in One Step"
    _inherit = ["student.loan.review.mixin"]

    _state_from = ["draft", "returned"]
    _state_to = ["approved"]
    _cancel_state = "cancelled"
    _review_role_states = {"approve": "to_approve"}
    _review_hold_states = {}
    _review_done_state = "approved"
    _review_editable_states = ("draft", "returned")
