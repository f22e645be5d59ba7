"""The whole cycle of R9: call, submissions, blind judging, ranking, 31 winners, collection,
ceremony with the winners and attendance, participation report."""

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CEREMONY, ESSAY, JUDGING, RESULTS, THEME, CompetitionCase, normalise, pdf_text


@tagged("post_install", "-at_install")
class TestCompetitionCycle(CompetitionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.competition = cls.create_competition()
        cls.publish(cls.competition)
        cls.submissions = cls.submit_all(cls.competition)
        with freeze_time(JUDGING):
            cls.competition.with_user(cls.organiser).action_start_judging()

        by_student = {
            student: cls.submissions.filtered(lambda sub, s=student: sub.student_id == s) for student in cls.students
        }
        # Designed scores: X and Y tie on the mean (85) but X has a top score (95 >= 90); P and Q tie on
        # mean and top scores and P was submitted earlier; Z1 and Z2 (one student's two works, same
        # minute) tie on everything. All the other works score below 80, each a different mean.
        cls.x = by_student[cls.students[3]]
        cls.y = by_student[cls.students[5]]
        cls.p = by_student[cls.students[1]]
        cls.q = by_student[cls.students[2]]
        cls.z = by_student[cls.students[0]]
        special = {
            cls.x.work_id.id: {cls.judge_a.id: 95, cls.judge_b.id: 75},
            cls.y.work_id.id: {cls.judge_a.id: 85, cls.judge_b.id: 85},
            cls.p.work_id.id: {cls.judge_a.id: 80, cls.judge_b.id: 80},
            cls.q.work_id.id: {cls.judge_a.id: 80, cls.judge_b.id: 80},
        }
        for work in cls.z.work_id:
            special[work.id] = {cls.judge_a.id: 78, cls.judge_b.id: 78}
        others = (cls.submissions - cls.x - cls.y - cls.p - cls.q - cls.z).sorted("id")
        cls.others = others
        for index, submission in enumerate(others):
            special[submission.work_id.id] = {cls.judge_a.id: 30 + index, cls.judge_b.id: 30 + index}
        cls.score_all(cls.competition, lambda review, line: special[review.work_id.id][review.judge_id.id])
        with freeze_time(RESULTS):
            cls.competition.with_user(cls.organiser).action_compute_ranking()
            cls.competition.with_user(cls.head).action_confirm_winners()
        cls.flush_tracking()

    # ------------------------------------------------------------------
    # Call for works
    # ------------------------------------------------------------------

    def test_publish_posts_notice_and_queues_sms(self):
        competition = self.competition
        notice = competition.message_ids.filtered(
            lambda message: message.message_type == "comment" and THEME in (message.body or "")
        )
        self.assertTrue(notice, "the notice is on the chatter")
        eligible = competition._eligible_students()
        self.assertLessEqual(self.students, eligible)
        self.assertNotIn(self.cancelled_student, eligible, "a cancelled contract does not make a loan student")
        self.assertNotIn(self.other_county_student, eligible)
        sms = self.env["sms.sms"].search([("mail_message_id", "=", notice[:1].id)])
        self.assertEqual(len(sms), competition.notice_sms_count)
        self.assertEqual(len(sms), len(eligible))
        self.assertEqual(set(sms.mapped("state")), {"outgoing"}, "queued, not sent")
        mine = sms.filtered(lambda record: record.partner_id == self.students[7].partner_id)
        self.assertEqual(mine.number, "+8613703730007")
        self.assertIn(THEME, mine.body)
        self.assertFalse(
            sms.filtered(
                lambda record: (
                    record.partner_id in (self.cancelled_student.partner_id | self.other_county_student.partner_id)
                )
            )
        )

    # ------------------------------------------------------------------
    # Judging
    # ------------------------------------------------------------------

    def test_reviews_assigned_without_conflict_of_interest(self):
        reviews = self.competition.review_ids
        self.assertEqual(len(self.submissions), 50)
        self.assertEqual(set(self.submissions.mapped("state")), {"locked"})
        self.assertEqual(len(reviews), 100, "two judges per work: judge C works at the students' centre")
        self.assertFalse(reviews.filtered(lambda review: review.judge_id == self.judge_c))
        self.assertEqual(len(reviews.line_ids), 400, "a line per criterion")
        progress = {row["judge"]: (row["done"], row["total"]) for row in self.competition._judge_progress()}
        self.assertEqual(progress, {self.judge_a: (50, 50), self.judge_b: (50, 50)})
        self.assertIn("Judge A", self.competition.judge_progress)

    def test_ranking_tie_rules(self):
        self.assertEqual(self.x.score, 85.0)
        self.assertEqual(self.y.score, 85.0)
        self.assertEqual((self.x.rank, self.y.rank), (1, 2), "more top scores first")
        self.assertEqual(self.x.top_score_count, 1)
        self.assertLess(self.p.submitted_at, self.q.submitted_at)
        self.assertEqual((self.p.rank, self.q.rank), (3, 4), "earlier submission first")
        self.assertEqual(self.z.mapped("rank"), [5, 5], "equal on every rule: same rank")
        self.assertEqual(self.others.sorted("score", reverse=True)[0].rank, 7)

    def test_31_winners_across_tiers(self):
        competition = self.competition
        self.assertEqual(competition.state, "done")
        self.assertEqual(competition.winner_count, 31)
        tiers = competition.tier_ids.sorted("sequence")
        self.assertEqual(tiers.mapped("count"), [3, 6, 10, 12])
        self.assertEqual(tiers.mapped("winner_count"), [3, 6, 10, 12])
        self.assertTrue(all(tiers.mapped("confirmed")))
        first = tiers[0].winner_ids
        self.assertEqual(first, self.x | self.y | self.p)
        winners = competition.submission_ids.filtered("is_winner")
        self.assertEqual(max(winners.mapped("rank")), 31)
        with self.assertRaises(UserError):
            self.q.with_user(self.organiser).tier_id = tiers[0]

    def test_winners_notified_by_mail_and_sms(self):
        winners = self.competition.submission_ids.filtered("is_winner")
        for submission in winners:
            message = submission.message_ids.filtered(
                lambda msg, sub=submission: sub.student_id.partner_id in msg.partner_ids
            )
            self.assertTrue(message, f"{submission.code}: the winner gets a message")
            self.assertIn(submission.tier_id.name, message[0].subject)
        sms = self.env["sms.sms"].search(
            [
                ("partner_id", "in", winners.student_id.partner_id.ids),
                ("body", "ilike", "congratulations"),
            ]
        )
        self.assertEqual(len(sms), 31)
        self.assertEqual(set(sms.mapped("state")), {"outgoing"})

    def test_confirm_needs_a_supervisor(self):
        competition = self.create_competition(name="Other")
        with self.assertRaises(AccessError):
            competition.with_user(self.organiser).action_confirm_winners()

    # ------------------------------------------------------------------
    # Collection of winning works
    # ------------------------------------------------------------------

    def test_collection_pdf(self):
        report = self.env.ref("student_loan_event.action_report_competition_collection")
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, self.competition.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = pdf_text(pdf, layout=True)
        self.assertIn(normalise(THEME), text, "the cover")
        self.assertIn("Contents", text)
        self.assertIn("FirstPrize", text)
        self.assertIn("HonourableMention", text)
        for submission in self.x | self.others.filtered("is_winner")[:3]:
            self.assertIn(normalise(f"Author: {submission.student_id.name}"), text)
            self.assertIn(normalise(submission.title), text)
        self.assertIn(normalise(ESSAY), text, "the essays are printed")
        self.assertIn(normalise(self.school.name), text)
        loser = self.others.filtered(lambda sub: not sub.is_winner)[:1]
        self.assertNotIn(normalise(loser.student_id.name), text)

    # ------------------------------------------------------------------
    # Ceremony and symposium
    # ------------------------------------------------------------------

    def test_ceremony_invitations_attendance_and_report(self):
        competition = self.competition
        with freeze_time(RESULTS):
            action = competition.with_user(self.organiser).action_create_ceremony()
        event = self.env["event.event"].browse(action["res_id"])
        self.assertEqual(event.competition_id, competition)
        self.assertEqual(event.date_begin, CEREMONY)
        self.assertEqual(event.loan_centre_id, self.weihui)
        self.assertTrue(event.agenda_line_ids)
        winners = competition.submission_ids.filtered("is_winner")
        registrations = event.registration_ids
        self.assertEqual(registrations.student_id, winners.student_id, "every winner invited once")
        self.assertEqual(len(registrations), len(winners.student_id))
        # a student with two winning works is invited once, for the first of them
        z_registration = registrations.filtered(lambda reg: reg.student_id == self.z.student_id)
        self.assertEqual(z_registration.submission_id, self.z.sorted("id")[:1])
        # invitations: the event's after-registration mail and SMS schedulers ran
        mails = self.env["mail.mail"].search(
            [("model", "=", "event.registration"), ("res_id", "in", registrations.ids)]
        )
        self.assertEqual(len(mails), len(registrations))
        self.assertIn("Invitation", mails[0].subject)
        invitation_sms = self.env["sms.sms"].search(
            [
                ("partner_id", "in", registrations.partner_id.ids),
                ("body", "ilike", "you are invited"),
            ]
        )
        self.assertEqual(len(invitation_sms), len(registrations))
        self.assertEqual(set(invitation_sms.mapped("state")), {"outgoing"})
        # inviting again adds nobody
        self.assertFalse(event.with_user(self.organiser).action_invite_winners())
        # attendance, photos
        attended = registrations.sorted("id")[:-2]
        attended.with_user(self.organiser).action_set_done()
        self.assertEqual(event.winner_attended_count, len(attended))
        photos = event.with_user(self.organiser)._attach_photos([("ceremony.png", "iVBORw0KGgo=")])
        self.assertEqual(event.photo_ids, photos)
        self.assertEqual((photos.res_model, photos.res_id), ("event.event", event.id))
        # participation per centre and year
        Report = self.env["student.loan.competition.report"].with_user(self.organiser)
        rows = Report._read_group(
            [("competition_id", "=", competition.id)],
            ["centre_id", "year"],
            ["submission_count:sum", "judged_count:sum", "winner_count:sum", "attended_count:sum"],
        )
        self.assertEqual(rows, [(self.weihui, 2025, 50, 50, 31, len(attended))])

    def test_certificate_pdf(self):
        report = self.env.ref("student_loan_event.action_report_competition_certificate")
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(report.report_name, self.x.ids)
        self.assertEqual(kind, "pdf")
        text = pdf_text(pdf)
        self.assertIn("CertificateofAward", text)
        self.assertIn(normalise(self.x.student_id.name), text)
        self.assertIn("FirstPrize", text)
        self.assertIn(normalise(THEME), text)
        with self.assertRaises(UserError):
            self.others.filtered(lambda sub: not sub.is_winner)[:1].action_print_certificate()
