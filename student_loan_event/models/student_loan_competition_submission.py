from collections import Counter

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class StudentLoanCompetitionSubmission(models.Model):
    """A student's entry in a competition: who submitted which work.

    The work itself (code, title, category, text, files) lives in the anonymous
    ``student.loan.competition.work`` that this model inherits (``_inherits``); judges only ever
    read works, never submissions. A student submits one work per category, and may edit or
    withdraw it until the deadline; then it is locked.
    """

    _name = "student.loan.competition.submission"
    _description = "Competition Submission"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _inherits = {"student.loan.competition.work": "work_id"}
    _order = "id desc"

    STATES = [
        ("submitted", "Submitted"),
        ("locked", "Locked for Judging"),
        ("disqualified", "Disqualified"),
    ]
    # fields the student edits until the deadline
    CONTENT_FIELDS = {"title", "content", "category_id", "declaration_accepted", "attachment_ids"}

    work_id = fields.Many2one(
        "student.loan.competition.work",
        required=True,
        ondelete="cascade",
        index=True,
        auto_join=True,
    )
    student_id = fields.Many2one("student.loan.student", required=True, index=True, ondelete="restrict", tracking=True)
    centre_id = fields.Many2one(
        "student.loan.centre", string="Aid Centre", related="student_id.centre_id", store=True, index=True
    )
    school_id = fields.Many2one("student.loan.school", string="School", related="student_id.school_id", store=True)
    declaration_accepted = fields.Boolean(
        string="Declaration of Originality",
        tracking=True,
        help="The student declares that the work is their own original work and has not been published.",
    )
    submitted_at = fields.Datetime(
        string="Submitted On", readonly=True, default=fields.Datetime.now, copy=False, index=True
    )
    state = fields.Selection(STATES, default="submitted", required=True, tracking=True, index=True, copy=False)
    disqualify_reason = fields.Text(tracking=True)
    score = fields.Float(digits=(6, 2), readonly=True, copy=False, help="Mean of the judges' weighted totals.")
    top_score_count = fields.Integer(string="Top Scores", readonly=True, copy=False)
    rank = fields.Integer(readonly=True, copy=False)
    tier_id = fields.Many2one(
        "student.loan.competition.tier",
        string="Prize",
        tracking=True,
        copy=False,
        index=True,
        domain="[('competition_id', '=', competition_id)]",
    )
    is_winner = fields.Boolean(compute="_compute_is_winner", store=True, index=True)
    review_count = fields.Integer(compute="_compute_review_counts")
    review_done_count = fields.Integer(compute="_compute_review_counts")
    registration_ids = fields.One2many("event.registration", "submission_id", string="Invitations")

    _sql_constraints = [
        ("work_unique", "unique(work_id)", "A work belongs to one submission."),
    ]

    @api.depends("tier_id.confirmed", "state")
    def _compute_is_winner(self):
        for submission in self:
            submission.is_winner = bool(submission.tier_id.confirmed and submission.state != "disqualified")

    def _compute_review_counts(self):
        counts = {}
        for work, state, count in (
            self.env["student.loan.competition.review"]
            .sudo()
            ._read_group([("work_id", "in", self.work_id.ids)], ["work_id", "state"], ["__count"])
        ):
            counts.setdefault(work.id, Counter())[state] += count
        for submission in self:
            counter = counts.get(submission.work_id.id, Counter())
            submission.review_count = sum(counter.values())
            submission.review_done_count = counter["done"]

    @api.depends("code", "title", "student_id")
    def _compute_display_name(self):
        for submission in self:
            submission.display_name = f"{submission.code} {submission.title or ''} ({submission.student_id.name or ''})"

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------

    def _is_organiser(self):
        return self.env.user.has_group("student_loan.group_handler")

    @api.model
    def _check_can_submit(self, competition, student, category):
        if not competition._submission_open():
            if competition.state == "open":
                raise UserError(
                    self.env._(
                        "The submission deadline of %(competition)s (%(deadline)s) has passed: no more works are accepted.",  # noqa: E501
                        competition=competition.name,
                        deadline=competition._format_deadline(),
                    )
                )
            raise UserError(self.env._("%s does not accept works now.", competition.name))
        if not competition._is_student_eligible(student):
            raise UserError(
                self.env._(
                    "%(student)s cannot take part in %(competition)s: it is open to the loan students of %(scope)s.",
                    student=student.name,
                    competition=competition.name,
                    scope=competition.scope_centre_id.name,
                )
            )
        if category not in competition.category_ids:
            raise UserError(
                self.env._(
                    "%(competition)s has no category %(category)s.",
                    competition=competition.name,
                    category=category.name,
                )
            )

    def _check_one_per_category(self):
        """One work per category per student in a competition."""
        groups = self.sudo()._read_group(
            [("student_id", "in", self.student_id.ids), ("work_id.competition_id", "in", self.competition_id.ids)],
            ["student_id", "work_id"],
        )
        seen = set()
        works = self.env["student.loan.competition.work"].sudo().browse([work.id for _student, work in groups])
        category_of = {work.id: (work.competition_id.id, work.category_id.id) for work in works}
        for student, work in groups:
            key = (student.id, *category_of[work.id])
            if key in seen:
                category = self.env["student.loan.competition.category"].browse(key[2])
                raise ValidationError(
                    self.env._(
                        "%(student)s has already submitted a work in %(category)s: edit that one instead.",
                        student=student.name,
                        category=category.name,
                    )
                )
            seen.add(key)

    def _check_editable(self):
        """Students edit and withdraw their works until the deadline."""
        for submission in self:
            competition = submission.competition_id
            if submission.state != "submitted" or not competition._submission_open():
                raise UserError(
                    self.env._(
                        "%(work)s is locked: the submission deadline of %(competition)s has passed.",
                        work=submission.title,
                        competition=competition.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        Competition = self.env["student.loan.competition"].sudo()
        Student = self.env["student.loan.student"].sudo()
        Category = self.env["student.loan.competition.category"].sudo()
        for vals in vals_list:
            if vals.get("work_id"):
                raise UserError(self.env._("A submission brings its own work."))
            if not vals.get("declaration_accepted"):
                raise ValidationError(
                    self.env._("Confirm the declaration of originality: the work must be your own original work.")
                )
            self._check_can_submit(
                Competition.browse(vals.get("competition_id")),
                Student.browse(vals.get("student_id")),
                Category.browse(vals.get("category_id")),
            )
            vals.pop("submitted_at", None)
        submissions = super().create(vals_list)
        submissions._check_one_per_category()
        for submission in submissions:
            submission.message_subscribe(partner_ids=submission.student_id.partner_id.ids)
        return submissions

    def write(self, vals):
        self.check_access("write")
        if self.CONTENT_FIELDS & set(vals) and not self._is_organiser():
            self._check_editable()
        if "declaration_accepted" in vals and not vals["declaration_accepted"]:
            raise ValidationError(self.env._("The declaration of originality cannot be withdrawn."))
        if "category_id" in vals:
            for submission in self:
                category = self.env["student.loan.competition.category"].browse(vals["category_id"])
                if category not in submission.competition_id.category_ids:
                    raise UserError(
                        self.env._(
                            "%(competition)s has no category %(category)s.",
                            competition=submission.competition_id.name,
                            category=category.name,
                        )
                    )
        if "tier_id" in vals:
            new_tier = self.env["student.loan.competition.tier"].sudo().browse(vals["tier_id"])
            if new_tier.confirmed or any(submission.tier_id.confirmed for submission in self.sudo()):
                raise UserError(self.env._("The winners of this prize are confirmed already."))
        result = super().write(vals)
        if {"category_id", "student_id", "competition_id"} & set(vals):
            self._check_one_per_category()
        return result

    def unlink(self):
        if not self._is_organiser():
            self._check_editable()
        works = self.work_id.sudo()
        result = super().unlink()
        works.unlink()
        return result

    # ------------------------------------------------------------------
    # Portal
    # ------------------------------------------------------------------

    @api.model
    def _portal_submit(self, student, competition, vals, files=()):
        """Create ``student``'s submission from the portal: ``vals`` has title, category_id, content,
        declaration_accepted; ``files`` is ``[(filename, bytes)]``. All or nothing."""
        with self.env.cr.savepoint():
            submission = self.sudo().create(
                {
                    "competition_id": competition.id,
                    "student_id": student.id,
                    "category_id": int(vals.get("category_id") or 0),
                    "title": (vals.get("title") or "").strip(),
                    "content": vals.get("content") or False,
                    "declaration_accepted": bool(vals.get("declaration_accepted")),
                }
            )
            if files:
                submission.work_id._add_files(files)
            submission.work_id._check_content_complete()
        return submission

    def _portal_update(self, vals, files=(), remove_attachment_ids=()):
        """The student edits their work before the deadline. All or nothing."""
        self.ensure_one()
        submission = self.sudo()
        with self.env.cr.savepoint():
            submission._check_editable()
            write_vals = {key: vals[key] for key in ("title", "content") if key in vals}
            if "title" in write_vals:
                write_vals["title"] = (write_vals["title"] or "").strip()
            if write_vals:
                submission.write(write_vals)
            if remove_attachment_ids:
                submission.work_id.attachment_ids.filtered(
                    lambda attachment: attachment.id in set(remove_attachment_ids)
                ).unlink()
                submission.work_id.invalidate_recordset(["attachment_ids"])
            if files:
                submission.work_id._add_files(files)
            submission.work_id._check_content_complete()
        return True

    def _portal_withdraw(self):
        self.ensure_one()
        self.sudo()._check_editable()
        self.sudo().unlink()
        return True

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_disqualify(self):
        """Exclude the work (plagiarism, off-topic...): pending reviews are dropped."""
        for submission in self:
            if not self._is_organiser():
                raise UserError(self.env._("Only the organisers disqualify a work."))
            if submission.competition_id.state not in ("open", "judging"):
                raise UserError(self.env._("The winners are confirmed: the work cannot be disqualified."))
            if not (submission.disqualify_reason or "").strip():
                raise UserError(self.env._("Give the reason for disqualifying %s.", submission.code))
        self.sudo().review_ids.filtered(lambda review: review.state != "done").unlink()
        self.write({"state": "disqualified", "tier_id": False})
        return True

    def action_print_certificate(self):
        winners = self.filtered("is_winner")
        if not winners:
            raise UserError(self.env._("Certificates are printed for confirmed winners only."))
        return self.env.ref("student_loan_event.action_report_competition_certificate").report_action(winners)

    def _certificate_values(self):
        """Text of the certificate of award (荣誉证书)."""
        self.ensure_one()
        competition = self.competition_id
        return {
            "student": self.student_id.name,
            "school": self.school_id.name or "",
            "title": self.title,
            "competition": competition.name,
            "theme": competition.theme,
            "prize": self.tier_id.name,
            "category": self.category_id.name,
            "centre": competition.centre_id.name,
            "date": competition.ceremony_date or competition.ranked_on or fields.Datetime.now(),
            "text": self.env._(
                "Your work “%(title)s” (%(category)s) won the %(prize)s in %(competition)s on the theme “%(theme)s”.",
                title=self.title,
                category=self.category_id.name,
                prize=self.tier_id.name,
                competition=competition.name,
                theme=competition.theme,
            ),
        }
