import datetime
from collections import Counter, defaultdict

import pytz
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_datetime, is_html_empty
from odoo.tools.image import image_data_uri

from ..competitionlib import ranking

DEFAULT_TZ = "Asia/Shanghai"


class StudentLoanCompetition(models.Model):
    """An integrity-education works competition (诚信教育作品征集) of an aid centre (R9).

    Current and former loan students of the centre (or, for a joint competition, of the whole city)
    submit works on the portal until the deadline; a panel of judges scores the anonymous works on
    weighted criteria; the organiser ranks them, the supervisor confirms the winners per prize tier;
    the winners are notified and invited to the award ceremony (an ``event.event``).
    """

    _name = "student.loan.competition"
    _description = "Integrity-Education Competition"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "notice_date desc, id desc"

    STATES = [
        ("draft", "Draft"),
        ("open", "Open for Submissions"),
        ("judging", "Judging"),
        ("done", "Winners Confirmed"),
        ("cancelled", "Cancelled"),
    ]

    name = fields.Char(required=True, tracking=True)
    theme = fields.Char(required=True, tracking=True, help="e.g. 国家资助伴我成长，践行诚信筑梦未来")
    state = fields.Selection(STATES, default="draft", required=True, tracking=True, index=True, copy=False)
    centre_id = fields.Many2one(
        "student.loan.centre",
        string="Organising Centre",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user.loan_centre_id,
    )
    joint = fields.Boolean(
        string="Joint City Competition",
        tracking=True,
        help="Open to the loan students of every centre of the organising centre's city.",
    )
    scope_centre_id = fields.Many2one(
        "student.loan.centre",
        string="Eligibility Scope",
        compute="_compute_scope_centre_id",
        store=True,
        index=True,
        help="Students with a contract at this centre or a centre below it may take part.",
    )
    user_id = fields.Many2one("res.users", string="Organiser", default=lambda self: self.env.user, tracking=True)
    year = fields.Integer(compute="_compute_year", store=True, index=True)
    notice = fields.Html(
        string="Call Notice",
        help="Published on the competition's chatter and summarised by SMS to every "
        "eligible student. Left empty, a notice is written from the fields.",
    )
    notice_date = fields.Date(string="Call Date", required=True, default=fields.Date.context_today, tracking=True)
    date_deadline = fields.Datetime(string="Submission Deadline", required=True, tracking=True)
    judging_date_start = fields.Date(string="Judging From", tracking=True)
    judging_date_end = fields.Date(string="Judging Until", tracking=True)
    ceremony_date = fields.Datetime(string="Award Ceremony", tracking=True)
    notice_published_on = fields.Datetime(readonly=True, copy=False)
    notice_sms_count = fields.Integer(string="Notice SMS Queued", readonly=True, copy=False)
    category_ids = fields.Many2many(
        "student.loan.competition.category",
        string="Categories",
        required=True,
        default=lambda self: self.env["student.loan.competition.category"].search([]),
    )
    tier_ids = fields.One2many(
        "student.loan.competition.tier",
        "competition_id",
        string="Prize Tiers",
        copy=True,
        default=lambda self: self._default_tier_commands(),
    )
    criterion_ids = fields.One2many(
        "student.loan.competition.criterion",
        "competition_id",
        string="Judging Criteria",
        copy=True,
        default=lambda self: self._default_criterion_commands(),
    )
    judge_ids = fields.Many2many(
        "res.users",
        "student_loan_competition_judge_rel",
        "competition_id",
        "user_id",
        string="Judges",
        domain=lambda self: [("groups_id", "in", self.env.ref("student_loan_event.group_competition_judge").ids)],
    )
    conflict_of_interest = fields.Boolean(
        string="Exclude Judges' Own Centre",
        default=True,
        help="A judge never scores the works of students of the judge's own aid centre.",
    )
    judges_per_work = fields.Integer(
        default=0, help="How many judges score each work; 0: every judge of the panel (except conflicts)."
    )
    top_score_threshold = fields.Float(
        string="Top Score",
        default=90.0,
        help="A judge's total at or above this counts as a top score (second tie rule).",
    )
    submission_ids = fields.One2many("student.loan.competition.submission", "competition_id", string="Submissions")
    work_ids = fields.One2many("student.loan.competition.work", "competition_id", string="Works")
    review_ids = fields.One2many("student.loan.competition.review", "competition_id", string="Reviews")
    event_ids = fields.One2many("event.event", "competition_id", string="Ceremonies and Symposia")
    ranked_on = fields.Datetime(readonly=True, copy=False)
    result_ids = fields.One2many("student.loan.competition.result", "competition_id", string="Winners Lists")
    winners_notified_on = fields.Datetime(readonly=True, copy=False)
    submission_count = fields.Integer(compute="_compute_counts")
    review_count = fields.Integer(compute="_compute_counts")
    review_done_count = fields.Integer(compute="_compute_counts")
    winner_count = fields.Integer(compute="_compute_counts")
    event_count = fields.Integer(compute="_compute_counts")
    prize_places = fields.Integer(compute="_compute_prize_places")
    judge_progress = fields.Html(compute="_compute_judge_progress", sanitize=False)
    is_submission_open = fields.Boolean(compute="_compute_is_submission_open")

    _sql_constraints = [
        (
            "judges_per_work_positive",
            "check(judges_per_work >= 0)",
            "The number of judges per work cannot be negative.",
        ),
    ]

    # ------------------------------------------------------------------
    # Defaults
    # ------------------------------------------------------------------

    def _default_tier_commands(self):
        """The bulletin's 31 winners: 3 first, 6 second, 10 third prizes and 12 honourable mentions."""
        return [
            Command.create({"sequence": 1, "name": self.env._("First Prize"), "count": 3}),
            Command.create({"sequence": 2, "name": self.env._("Second Prize"), "count": 6}),
            Command.create({"sequence": 3, "name": self.env._("Third Prize"), "count": 10}),
            Command.create({"sequence": 4, "name": self.env._("Honourable Mention"), "count": 12}),
        ]

    def _default_criterion_commands(self):
        return [
            Command.create({"sequence": 1, "name": self.env._("Relevance to the theme"), "weight": 30}),
            Command.create({"sequence": 2, "name": self.env._("Originality"), "weight": 25}),
            Command.create({"sequence": 3, "name": self.env._("Artistic quality"), "weight": 25}),
            Command.create({"sequence": 4, "name": self.env._("Educational impact"), "weight": 20}),
        ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("centre_id", "centre_id.reporting_city_id", "joint")
    def _compute_scope_centre_id(self):
        for competition in self:
            centre = competition.centre_id
            if competition.joint and centre.division_kind == "county" and centre.reporting_city_id:
                competition.scope_centre_id = centre.reporting_city_id
            else:
                competition.scope_centre_id = centre

    @api.depends("notice_date")
    def _compute_year(self):
        for competition in self:
            competition.year = competition.notice_date.year if competition.notice_date else False

    def _compute_counts(self):
        Work = self.env["student.loan.competition.work"].sudo()
        Review = self.env["student.loan.competition.review"].sudo()
        works = dict(Work._read_group([("competition_id", "in", self.ids)], ["competition_id"], ["__count"]))
        reviews = defaultdict(Counter)
        for competition, state, count in Review._read_group(
            [("competition_id", "in", self.ids)], ["competition_id", "state"], ["__count"]
        ):
            reviews[competition.id][state] += count
        winners = self._winner_counts()
        events = dict(
            self.env["event.event"]
            .sudo()
            ._read_group([("competition_id", "in", self.ids)], ["competition_id"], ["__count"])
        )
        for competition in self:
            competition.submission_count = works.get(competition, 0)
            competition.review_count = sum(reviews[competition.id].values())
            competition.review_done_count = reviews[competition.id]["done"]
            competition.winner_count = winners.get(competition.id, 0)
            competition.event_count = events.get(competition, 0)

    def _winner_counts(self):
        """``{competition id: number of winning works}`` in one query."""
        if not self.ids:
            return {}
        self.env["student.loan.competition.submission"].flush_model(["is_winner", "work_id"])
        self.env["student.loan.competition.work"].flush_model(["competition_id"])
        self.env.cr.execute(
            """
            SELECT w.competition_id, count(*)
              FROM student_loan_competition_submission s
              JOIN student_loan_competition_work w ON w.id = s.work_id
             WHERE s.is_winner AND w.competition_id = ANY(%s)
          GROUP BY w.competition_id
            """,
            [list(self.ids)],
        )
        return dict(self.env.cr.fetchall())

    @api.depends("tier_ids.count")
    def _compute_prize_places(self):
        for competition in self:
            competition.prize_places = sum(competition.tier_ids.mapped("count"))

    @api.depends("review_ids.state", "review_ids.judge_id")
    def _compute_judge_progress(self):
        for competition in self:
            rows = competition._judge_progress()
            if not rows:
                competition.judge_progress = False
                continue
            body = Markup("").join(
                Markup(
                    "<tr><td>%s</td><td class='text-end'>%s</td><td class='text-end'>%s</td>"
                    "<td class='text-end'>%s%%</td></tr>"
                )
                % (
                    row["judge"].name,
                    row["done"],
                    row["total"],
                    row["percent"],
                )
                for row in rows
            )
            competition.judge_progress = Markup(
                "<table class='table table-sm o_competition_judge_progress'><thead><tr>"
                "<th>%s</th><th class='text-end'>%s</th><th class='text-end'>%s</th><th class='text-end'>%%</th>"
                "</tr></thead><tbody>%s</tbody></table>"
            ) % (self.env._("Judge"), self.env._("Scored"), self.env._("Assigned"), body)

    @api.depends("state", "date_deadline")
    def _compute_is_submission_open(self):
        now = fields.Datetime.now()
        for competition in self:
            competition.is_submission_open = competition._submission_open(now)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("notice_date", "date_deadline", "judging_date_start", "judging_date_end")
    def _check_dates(self):
        for competition in self:
            if (
                competition.date_deadline
                and competition.notice_date
                and competition.date_deadline.date() < competition.notice_date
            ):
                raise ValidationError(self.env._("The submission deadline cannot be before the call date."))
            if (
                competition.judging_date_start
                and competition.judging_date_end
                and competition.judging_date_end < competition.judging_date_start
            ):
                raise ValidationError(self.env._("The judging period ends before it starts."))

    @api.constrains("top_score_threshold")
    def _check_top_score(self):
        for competition in self:
            if not 0 <= competition.top_score_threshold <= 100:
                raise ValidationError(self.env._("The top score must be between 0 and 100."))

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(competition.state not in ("draft", "cancelled") for competition in self):
            raise UserError(self.env._("Only draft or cancelled competitions can be deleted."))

    # ------------------------------------------------------------------
    # Eligibility
    # ------------------------------------------------------------------

    def _eligible_contract_domain(self):
        self.ensure_one()
        return [("state", "!=", "cancelled"), ("centre_id", "child_of", self.scope_centre_id.ids)]

    def _eligible_students(self):
        """Current and former loan students of the scope: a contract (not cancelled) at the centre
        or a centre below it."""
        self.ensure_one()
        groups = self.env["student.loan.contract"].sudo()._read_group(self._eligible_contract_domain(), ["student_id"])
        return self.env["student.loan.student"].sudo().browse([student.id for (student,) in groups])

    def _is_student_eligible(self, student):
        self.ensure_one()
        return bool(
            self.env["student.loan.contract"]
            .sudo()
            .search_count(self._eligible_contract_domain() + [("student_id", "=", student.id)], limit=1)
        )

    @api.model
    def _for_student(self, student):
        """Competitions shown to ``student`` on the portal: the open calls they may enter, and
        every competition they took part in."""
        centres = (
            self.env["student.loan.contract"]
            .sudo()
            .search([("student_id", "=", student.id), ("state", "!=", "cancelled")])
            .centre_id
        )
        open_calls = (
            self.sudo().search([("state", "=", "open"), ("scope_centre_id", "parent_of", centres.ids)])
            if centres
            else self.sudo()
        )
        taken_part = (
            self.env["student.loan.competition.submission"]
            .sudo()
            .search([("student_id", "=", student.id)])
            .competition_id
        )
        return open_calls | taken_part.filtered(lambda competition: competition.state != "draft")

    def _submission_open(self, now=None):
        self.ensure_one()
        now = now or fields.Datetime.now()
        return self.state == "open" and bool(self.date_deadline) and now <= self.date_deadline

    # ------------------------------------------------------------------
    # Display helpers
    # ------------------------------------------------------------------

    def _tz(self):
        """Aid centres are all in China: dates are shown and events held in Beijing time, whatever the
        time zone of the user (or server) that renders them."""
        return DEFAULT_TZ

    def _format_deadline(self):
        self.ensure_one()
        return format_datetime(self.env, self.date_deadline, tz=self._tz(), dt_format="yyyy-MM-dd HH:mm")

    def _default_notice_html(self):
        self.ensure_one()
        categories = "、".join(self.category_ids.mapped("name"))
        prizes = "、".join(f"{tier.name} {tier.count}" for tier in self.tier_ids.sorted("sequence"))
        lines = [
            self.env._("Theme: %s", self.theme),
            self.env._("Who may take part: current and former loan students of %s.", self.scope_centre_id.name),
            self.env._("Categories: %s", categories),
            self.env._("Submission deadline: %s", self._format_deadline()),
            self.env._("Prizes: %s", prizes),
            self.env._(
                "Submit your work on the student portal under My Competitions (/my/competitions). "
                "One work per category; every work must be your own original work."
            ),
        ]
        return Markup("<p><strong>%s</strong></p>") % self.name + Markup("").join(
            Markup("<p>%s</p>") % line for line in lines
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _check_organiser(self):
        if not self.env.su and not self.env.user.has_group("student_loan.group_handler"):
            raise AccessError(self.env._("Only aid-centre staff organise competitions."))

    def action_publish(self):
        """Publish the call: post the notice on the chatter and queue an SMS per eligible student."""
        self._check_organiser()
        now = fields.Datetime.now()
        for competition in self:
            if competition.state != "draft":
                raise UserError(self.env._("%s is already published.", competition.name))
            if not competition.category_ids:
                raise UserError(self.env._("Choose at least one category."))
            if not competition.tier_ids or competition.prize_places <= 0:
                raise UserError(self.env._("Define the prize tiers and their number of places."))
            if not competition.criterion_ids:
                raise UserError(self.env._("Define the judging criteria."))
            if competition.date_deadline <= now:
                raise UserError(self.env._("The submission deadline is already over: set a later one."))
            if is_html_empty(competition.notice):
                competition.notice = competition._default_notice_html()
            competition.write({"state": "open", "notice_published_on": now})
            message = competition.message_post(
                body=competition.notice,
                subject=self.env._("Call for works: %s", competition.name),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            competition._queue_notice_sms(message)
        return True

    def _queue_notice_sms(self, message=None):
        """One outgoing ``sms.sms`` per eligible student's mobile (queued; a gateway sends them)."""
        self.ensure_one()
        template = self.env.ref("student_loan_event.sms_template_competition_notice")
        body = template.sudo()._render_field("body", self.ids, compute_lang=True)[self.id]
        students = self._eligible_students()
        vals_list = []
        seen = set()
        for student in students:
            if not student.mobile or student.mobile in seen:
                continue
            seen.add(student.mobile)
            vals_list.append(
                {
                    "number": f"+86{student.mobile}",
                    "partner_id": student.partner_id.id,
                    "body": body,
                    "state": "outgoing",
                    "mail_message_id": message.id if message else False,
                }
            )
        sms = self.env["sms.sms"].sudo().create(vals_list)
        self.notice_sms_count = len(sms)
        return sms

    def action_start_judging(self):
        """Close submissions (after the deadline) and give every judge their anonymous works."""
        self._check_organiser()
        now = fields.Datetime.now()
        for competition in self:
            if competition.state != "open":
                raise UserError(self.env._("Judging starts after the call for works."))
            if now <= competition.date_deadline:
                raise UserError(
                    self.env._(
                        "Submissions are open until %s: judging starts after the deadline.",
                        competition._format_deadline(),
                    )
                )
            if not competition.judge_ids:
                raise UserError(self.env._("Appoint the judges first."))
            submissions = competition.submission_ids.filtered(lambda submission: submission.state == "submitted")
            submissions.sudo().write({"state": "locked"})
            competition._assign_reviews(submissions)
            competition.state = "judging"
            competition.message_post(
                body=self.env._(
                    "Judging started: %(works)s works to score by %(judges)s judges.",
                    works=len(submissions),
                    judges=len(competition.judge_ids),
                ),
                partner_ids=competition.judge_ids.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _judge_conflict(self, judge, submission):
        """True when the judge may not score the submission (their own centre's student)."""
        self.ensure_one()
        return bool(self.conflict_of_interest and judge.loan_centre_id and judge.loan_centre_id == submission.centre_id)

    def _assign_reviews(self, submissions):
        """Create the reviews (one per judge and work, with a line per criterion): every judge of
        the panel, or the ``judges_per_work`` least loaded ones; never a judge in conflict."""
        self.ensure_one()
        Review = self.env["student.loan.competition.review"].sudo()
        existing = Review.search([("competition_id", "=", self.id)])
        done_pairs = {(review.work_id.id, review.judge_id.id) for review in existing}
        load = Counter(review.judge_id.id for review in existing)
        judges = self.judge_ids.sorted("id")
        line_commands = [Command.create({"criterion_id": criterion.id}) for criterion in self.criterion_ids]
        vals_list = []
        for submission in submissions.sudo().sorted("id"):
            candidates = [judge for judge in judges if not self._judge_conflict(judge, submission)]
            if not candidates:
                raise UserError(
                    self.env._(
                        "No judge may score work %s: every judge works at the student's aid centre. "
                        "Appoint a judge from another centre.",
                        submission.code,
                    )
                )
            if self.judges_per_work:
                candidates = sorted(candidates, key=lambda judge: (load[judge.id], judge.id))[: self.judges_per_work]
            for judge in candidates:
                if (submission.work_id.id, judge.id) in done_pairs:
                    continue
                load[judge.id] += 1
                vals_list.append({"work_id": submission.work_id.id, "judge_id": judge.id, "line_ids": line_commands})
        return Review.create(vals_list)

    def _judge_progress(self):
        """``[{'judge', 'done', 'total', 'percent'}]`` for the judges of this competition."""
        self.ensure_one()
        if not self.id:
            return []
        counts = defaultdict(Counter)
        for judge, state, count in (
            self.env["student.loan.competition.review"]
            .sudo()
            ._read_group([("competition_id", "=", self.id)], ["judge_id", "state"], ["__count"])
        ):
            counts[judge][state] += count
        rows = []
        for judge in sorted(counts, key=lambda user: user.name or ""):
            total = sum(counts[judge].values())
            done = counts[judge]["done"]
            rows.append(
                {"judge": judge, "done": done, "total": total, "percent": round(100 * done / total) if total else 0}
            )
        return rows

    def action_compute_ranking(self):
        """Rank the works (weighted mean, then top scores, then earlier submission) and propose
        the winners of each tier; the supervisor then confirms them."""
        self._check_organiser()
        self.ensure_one()
        if self.state != "judging":
            raise UserError(self.env._("Works are ranked during judging."))
        reviews = self.review_ids.sudo()
        pending = reviews.filtered(lambda review: review.state != "done")
        if pending:
            by_judge = Counter(pending.mapped("judge_id.name"))
            raise UserError(
                self.env._(
                    "%(count)s reviews are not finished yet (%(judges)s).",
                    count=len(pending),
                    judges=", ".join(f"{name}: {n}" for name, n in sorted(by_judge.items())),
                )
            )
        submissions = self.submission_ids.sudo().filtered(lambda submission: submission.state == "locked")
        totals = defaultdict(list)
        for review in reviews:
            totals[review.work_id.id].append(review.total)
        entries = [
            ranking.Entry(
                key=submission.id, totals=tuple(totals[submission.work_id.id]), submitted_at=submission.submitted_at
            )
            for submission in submissions
        ]
        ranked = ranking.rank_entries(entries, self.top_score_threshold)
        tiers = self.tier_ids.sorted(lambda tier: (tier.sequence, tier.id))
        awarded = ranking.assign_tiers([row.key for row in ranked], [(tier.id, tier.count) for tier in tiers])
        self.tier_ids.write({"confirmed": False})
        (self.submission_ids.sudo() - submissions).write({"tier_id": False, "rank": 0})
        Submission = self.env["student.loan.competition.submission"].sudo()
        for row in ranked:
            Submission.browse(row.key).write(
                {
                    "score": row.score,
                    "top_score_count": row.top_count,
                    "rank": row.rank,
                    "tier_id": awarded.get(row.key, False),
                }
            )
        self.ranked_on = fields.Datetime.now()
        self._submit_winners()
        self.message_post(
            body=self.env._(
                "Works ranked: %(works)s works, %(winners)s proposed winners.",
                works=len(ranked),
                winners=len(awarded),
            )
        )
        return True

    def _check_supervisor(self):
        if not self.env.su and not self.env.user.has_group("student_loan.group_supervisor"):
            raise AccessError(self.env._("Only an aid-centre supervisor confirms the winners."))

    def _submit_winners(self):
        """The ranking proposes the winners list: it is reviewed (review engine) before the winners are final."""
        self.ensure_one()
        Result = self.env["student.loan.competition.result"]
        self.result_ids.sudo().filtered(lambda result: result.state in ("draft", "to_approve", "returned")).unlink()
        Result.create({"competition_id": self.id})._review_submit({"state": "to_approve"})

    def action_confirm_winners(self):
        """Approve the winners list (the supervisor's tier): the competition closes, the winners are notified."""
        self._check_supervisor()
        self.ensure_one()
        if self.state != "judging":
            raise UserError(self.env._("Winners are confirmed at the end of judging."))
        if not self.ranked_on:
            raise UserError(self.env._("Rank the works first."))
        pending = self.result_ids.filtered(lambda result: result.state == "to_approve")[:1]
        if not pending:
            raise UserError(self.env._("Rank the works first."))
        return pending._review_validate("approve", self.env._("confirm the winners of"))

    def _confirm_winners_now(self):
        """Every tier of the winners list approved: confirm the prize tiers, close, notify."""
        self.ensure_one()
        self.tier_ids.filtered(lambda tier: not tier.confirmed).action_confirm()
        self.state = "done"
        self._notify_winners()
        return True

    def _winning_submissions(self):
        self.ensure_one()
        return (
            self.submission_ids.sudo()
            .filtered("is_winner")
            .sorted(lambda submission: (submission.tier_id.sequence, submission.rank, submission.id))
        )

    def _notify_winners(self):
        """Mail (chatter message to the student) and queued SMS to every winner."""
        self.ensure_one()
        winners = self._winning_submissions()
        template = self.env.ref("student_loan_event.mail_template_competition_winner")
        for submission in winners:
            submission.message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                partner_ids=submission.student_id.partner_id.ids,
            )
        sms_template = self.env.ref("student_loan_event.sms_template_competition_winner")
        bodies = sms_template.sudo()._render_field("body", winners.ids, compute_lang=True)
        self.env["sms.sms"].sudo().create(
            [
                {
                    "number": f"+86{submission.student_id.mobile}",
                    "partner_id": submission.student_id.partner_id.id,
                    "body": bodies[submission.id],
                    "state": "outgoing",
                }
                for submission in winners
                if submission.student_id.mobile
            ]
        )
        self.winners_notified_on = fields.Datetime.now()
        self.message_post(body=self.env._("%s winners notified by mail and SMS.", len(winners)))
        return winners

    def action_cancel(self):
        self._check_organiser()
        if any(competition.state == "done" for competition in self):
            raise UserError(self.env._("A competition with confirmed winners cannot be cancelled."))
        self.write({"state": "cancelled"})
        return True

    def action_reset_to_draft(self):
        self._check_organiser()
        for competition in self:
            if competition.state != "cancelled":
                raise UserError(self.env._("Only a cancelled competition goes back to draft."))
            if competition.submission_ids:
                raise UserError(self.env._("Students have submitted works: the competition cannot restart."))
        self.write({"state": "draft", "notice_published_on": False})
        return True

    def action_create_ceremony(self):
        """Create the award ceremony and symposium (an event) and invite the winners."""
        self._check_organiser()
        self.ensure_one()
        if self.state != "done":
            raise UserError(self.env._("Confirm the winners before organising the ceremony."))
        event = self.env["event.event"].create(self._ceremony_vals())
        event.action_invite_winners()
        return {
            "type": "ir.actions.act_window",
            "res_model": "event.event",
            "res_id": event.id,
            "view_mode": "form",
        }

    def _ceremony_vals(self):
        self.ensure_one()
        begin = self.ceremony_date or (
            datetime.datetime.combine(
                fields.Date.context_today(self) + datetime.timedelta(days=14), datetime.time(1, 0)
            )  # 09:00 in Beijing
        )
        # the agenda's hours are the ceremony's, in local time (a ceremony at 14:00 opens at 14:00)
        local = pytz.utc.localize(begin).astimezone(pytz.timezone(self._tz()))
        start = local.hour + local.minute / 60
        event_type = self.env.ref("student_loan_event.event_type_award_ceremony")
        return {
            "name": self.env._("%s: Award Ceremony and Symposium", self.name),
            "competition_id": self.id,
            "competition_event_kind": "ceremony_symposium",
            "event_type_id": event_type.id,
            "date_begin": begin,
            "date_end": begin + datetime.timedelta(hours=3),
            "date_tz": self._tz(),
            "address_id": False,  # the organiser enters the venue
            "loan_centre_id": self.centre_id.id,
            "agenda_line_ids": [
                Command.create({"sequence": 1, "time": start, "duration": 0.25, "name": self.env._("Opening address")}),
                Command.create(
                    {"sequence": 2, "time": start + 0.25, "duration": 0.75, "name": self.env._("Award presentation")}
                ),
                Command.create(
                    {
                        "sequence": 3,
                        "time": start + 1.0,
                        "duration": 0.5,
                        "name": self.env._("Speeches by prize winners"),
                    }
                ),
                Command.create(
                    {
                        "sequence": 4,
                        "time": start + 1.5,
                        "duration": 1.5,
                        "name": self.env._("Symposium: integrity and the student loan"),
                    }
                ),
            ],
        }

    def action_view_submissions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "student_loan_event.student_loan_competition_submission_action"
        )
        action["domain"] = [("competition_id", "=", self.id)]
        action["context"] = {"default_competition_id": self.id}
        return action

    def action_view_reviews(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "student_loan_event.student_loan_competition_review_action"
        )
        action["domain"] = [("competition_id", "=", self.id)]
        action["context"] = {"search_default_group_judge": 1}
        return action

    def action_view_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("student_loan_event.event_event_action_ceremony")
        action["domain"] = [("competition_id", "=", self.id)]
        action["context"] = {"default_competition_id": self.id}
        return action

    def action_print_collection(self):
        self.ensure_one()
        if not self._winning_submissions():
            raise UserError(self.env._("There are no confirmed winners yet."))
        return self.env.ref("student_loan_event.action_report_competition_collection").report_action(self)

    # ------------------------------------------------------------------
    # Collection of winning works (作品集锦)
    # ------------------------------------------------------------------

    def _collection_entries(self):
        """The winning works in print order, as dicts for the QWeb report."""
        self.ensure_one()
        entries = []
        for number, submission in enumerate(self._winning_submissions(), start=1):
            attachments = submission.work_id.attachment_ids.sudo()
            images = attachments.filtered(lambda attachment: (attachment.mimetype or "").startswith("image/"))
            entries.append(
                {
                    "number": number,
                    "anchor": f"work-{number}",
                    "code": submission.code,
                    "title": submission.title,
                    "author": submission.student_id.name,
                    "school": submission.school_id.name or "",
                    "centre": submission.centre_id.name or "",
                    "prize": submission.tier_id.name,
                    "category": submission.category_id.name,
                    "content": submission.content or "",
                    "images": [image_data_uri(image.datas) for image in images if image.datas],
                    "files": (attachments - images).mapped("name"),
                }
            )
        return entries
