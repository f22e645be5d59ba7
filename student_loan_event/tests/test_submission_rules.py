"""Submitting works: eligibility, one per category, declaration, file limits, the deadline lock;
and the organiser's steps that must wait (judging before the deadline, ranking before every review)."""

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import AFTER_DEADLINE, DURING_CALL, JUDGING, PNG_RAW, RESULTS, CompetitionCase


@tagged("post_install", "-at_install")
class TestSubmissionRules(CompetitionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.competition = cls.create_competition()
        cls.publish(cls.competition)

    def test_defaults_from_form(self):
        with freeze_time(DURING_CALL):
            form = Form(self.env["student.loan.competition"].with_user(self.organiser))
            form.name = "诚信征文"
            form.theme = "诚信"
            form.date_deadline = "2025-05-31 15:59:59"
            competition = form.save()
        self.assertEqual(competition.centre_id, self.weihui, "the organiser's centre by default")
        self.assertEqual(competition.prize_places, 31)
        self.assertEqual(sum(competition.criterion_ids.mapped("weight")), 100)
        self.assertEqual(competition.state, "draft")
        self.assertEqual(competition.scope_centre_id, self.weihui)

    def test_joint_competition_scope(self):
        competition = self.create_competition(user=self.huojia_handler, centre_id=self.huojia.id, joint=True)
        self.assertEqual(competition.scope_centre_id, self.xinxiang, "joint: the whole city")
        self.assertTrue(competition._is_student_eligible(self.students[0]), "卫辉市 is in 新乡市")
        single = self.create_competition(user=self.huojia_handler, centre_id=self.huojia.id)
        self.assertFalse(single._is_student_eligible(self.students[0]))

    def test_submit_edit_and_lock(self):
        student = self.students[0]
        with freeze_time(DURING_CALL):
            submission = self.submit(student, self.competition, self.essay)
            self.assertEqual(submission.state, "submitted")
            self.assertTrue(submission.code.startswith("W-"))
            self.assertEqual(submission.centre_id, self.weihui)
            submission._portal_update({"title": "改过的标题"})
            self.assertEqual(submission.title, "改过的标题")
        with freeze_time(AFTER_DEADLINE):
            with self.assertRaisesRegex(UserError, "locked"):
                submission._portal_update({"title": "太晚了"})
            with self.assertRaisesRegex(UserError, "locked"):
                submission._portal_withdraw()
            # the organiser may still correct a typo
            submission.with_user(self.organiser).title = "更正"

    def test_late_submission_refused(self):
        with freeze_time(AFTER_DEADLINE):
            with self.assertRaisesRegex(UserError, "deadline"):
                self.submit(self.students[1], self.competition, self.essay)
        self.assertFalse(self.competition.submission_ids)

    def test_one_work_per_category(self):
        student = self.students[2]
        with freeze_time(DURING_CALL):
            self.submit(student, self.competition, self.essay)
            with self.assertRaisesRegex(ValidationError, "already submitted"):
                self.submit(student, self.competition, self.essay, title="第二篇")
            self.submit(student, self.competition, self.photography)
        self.assertEqual(len(self.competition.submission_ids), 2)

    def test_only_loan_students_of_the_centre(self):
        with freeze_time(DURING_CALL):
            with self.assertRaisesRegex(UserError, "cannot take part"):
                self.submit(self.cancelled_student, self.competition, self.essay)
            with self.assertRaisesRegex(UserError, "cannot take part"):
                self.submit(self.other_county_student, self.competition, self.essay)

    def test_declaration_and_content_required(self):
        Submission = self.env["student.loan.competition.submission"]
        with freeze_time(DURING_CALL):
            with self.assertRaisesRegex(ValidationError, "originality"):
                Submission._portal_submit(
                    self.students[3],
                    self.competition,
                    {
                        "title": "无声明",
                        "category_id": self.essay.id,
                        "content": "内容",
                    },
                    [],
                )
            with self.assertRaisesRegex(ValidationError, "needs at least one file"):
                self.submit(self.students[3], self.competition, self.photography, files=[])
            with self.assertRaisesRegex(ValidationError, "text of your work"):
                self.submit(self.students[3], self.competition, self.essay, content="")
        self.assertFalse(self.competition.submission_ids, "all or nothing")

    def test_file_type_size_and_count_limits(self):
        with freeze_time(DURING_CALL):
            with self.assertRaisesRegex(ValidationError, "not accepted"):
                self.submit(self.students[4], self.competition, self.photography, files=[("virus.exe", b"MZ")])
            with self.assertRaisesRegex(ValidationError, "empty"):
                self.submit(self.students[4], self.competition, self.photography, files=[("empty.png", b"")])
            self.video.max_file_size_mb = 1
            with self.assertRaisesRegex(ValidationError, "larger than 1 MB"):
                self.submit(
                    self.students[4], self.competition, self.video, files=[("film.mp4", b"0" * (1024 * 1024 + 1))]
                )
            with self.assertRaisesRegex(ValidationError, "at most 1 files"):
                self.submit(self.students[4], self.competition, self.video, files=[("a.mp4", b"1"), ("b.mp4", b"2")])
            submission = self.submit(
                self.students[4], self.competition, self.photography, files=[("a.png", PNG_RAW), ("b.JPG", PNG_RAW)]
            )
        self.assertEqual(
            submission.attachment_ids.mapped("name"),
            [f"{submission.code}-1.png", f"{submission.code}-2.jpg"],
            "file names do not name the author",
        )

    def test_withdraw_before_deadline(self):
        with freeze_time(DURING_CALL):
            submission = self.submit(self.students[5], self.competition, self.essay)
            work = submission.work_id
            submission._portal_withdraw()
        self.assertFalse(submission.exists())
        self.assertFalse(work.exists(), "the anonymous work goes with it")

    def test_judging_waits_for_the_deadline_and_the_reviews(self):
        with freeze_time(DURING_CALL):
            submissions = self.submit(self.students[6], self.competition, self.essay)
            submissions |= self.submit(self.students[7], self.competition, self.essay)
            with self.assertRaisesRegex(UserError, "judging starts after the deadline"):
                self.competition.with_user(self.organiser).action_start_judging()
        with freeze_time(JUDGING):
            with self.assertRaises(AccessError):
                self.competition.with_user(self.students[0].user_id).action_start_judging()
            self.competition.with_user(self.organiser).action_start_judging()
        self.assertEqual(self.competition.state, "judging")
        with freeze_time(RESULTS):
            with self.assertRaisesRegex(UserError, "not finished"):
                self.competition.with_user(self.organiser).action_compute_ranking()
            review = self.competition.review_ids.filtered(lambda rev: rev.judge_id == self.judge_a)[:1]
            with self.assertRaisesRegex(UserError, "Score every criterion"):
                review.with_user(self.judge_a).action_submit()
            # a judge never touches another judge's review
            with self.assertRaises(AccessError):
                review.with_user(self.judge_b).line_ids[:1].score = 50
            self.score_all(self.competition, lambda review, line: 70)
            with self.assertRaisesRegex(UserError, "submitted the scores"):
                review.with_user(self.judge_a).line_ids[:1].score = 99
            self.competition.with_user(self.organiser).action_compute_ranking()
            # two works, 31 places: every work wins, later tiers stay empty
            self.competition.with_user(self.head).action_confirm_winners()
        self.assertEqual(self.competition.winner_count, 2)

    def test_disqualified_work_is_not_ranked(self):
        with freeze_time(DURING_CALL):
            kept = self.submit(self.students[8], self.competition, self.essay)
            copied = self.submit(self.students[9], self.competition, self.essay)
        with freeze_time(JUDGING):
            self.competition.with_user(self.organiser).action_start_judging()
            with self.assertRaisesRegex(UserError, "reason"):
                copied.with_user(self.organiser).action_disqualify()
            copied.with_user(self.organiser).disqualify_reason = "抄袭"
            copied.with_user(self.organiser).action_disqualify()
        self.assertFalse(copied.review_ids)
        self.score_all(self.competition, lambda review, line: 88)
        with freeze_time(RESULTS):
            self.competition.with_user(self.organiser).action_compute_ranking()
        self.assertEqual(kept.rank, 1)
        self.assertFalse(copied.tier_id)

    def test_tier_confirmation_checks_places(self):
        with freeze_time(DURING_CALL):
            for student in self.students[10:15]:
                self.submit(student, self.competition, self.essay)
        with freeze_time(JUDGING):
            self.competition.with_user(self.organiser).action_start_judging()
        self.score_all(self.competition, lambda review, line: 60 + review.id % 30)
        self.competition.with_user(self.organiser).action_compute_ranking()
        first = self.competition.tier_ids.sorted("sequence")[0]
        self.assertEqual(first.winner_count, 3)
        # the organiser moves a winner down: the first prize has a free place and works are unawarded
        first.winner_ids[:1].with_user(self.organiser).tier_id = False
        with self.assertRaisesRegex(UserError, "only 2 winners"):
            first.with_user(self.head).action_confirm()
        with self.assertRaises(AccessError):
            first.with_user(self.organiser).action_confirm()


@tagged("post_install", "-at_install")
class TestUploadContent(CompetitionCase):
    """Files are judged by their bytes, not their names."""

    def test_active_content_refused_whatever_the_name(self):
        cases = [
            ("photo.jpg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'></svg>", "active content"),
            ("photo.png", b"<html><script>alert(1)</script></html>", "active content"),
            (
                "essay.pdf",
                b"%PDF-1.4\n1 0 obj<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n%%EOF",
                "scripts",
            ),
        ]
        for filename, raw, message in cases:
            with self.subTest(filename=filename), self.assertRaisesRegex(ValidationError, message):
                self.calligraphy._check_upload(filename, raw)
