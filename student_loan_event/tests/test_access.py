"""Who sees what: blind judging (judges never reach an author), centre rules, students' own works."""

from freezegun import freeze_time

from odoo import SUPERUSER_ID
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import DURING_CALL, JUDGING, PNG_RAW, CompetitionCase

IDENTITY_FIELDS = {
    "student_id",
    "centre_id",
    "school_id",
    "owner_user_id",
    "create_uid",
    "write_uid",
    "submission_ids",
    "partner_id",
    "user_id",
}


@tagged("post_install", "-at_install")
class TestCompetitionAccess(CompetitionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.competition = cls.create_competition(judges_per_work=1)
        cls.publish(cls.competition)
        with freeze_time(DURING_CALL):
            cls.sub_0 = cls.submit(
                cls.students[0],
                cls.competition,
                cls.photography,
                files=[(f"{cls.students[0].name}的作品.png", PNG_RAW)],
            )
            cls.sub_1 = cls.submit(cls.students[1], cls.competition, cls.essay)
            cls.sub_2 = cls.submit(cls.students[2], cls.competition, cls.essay)
            cls.sub_3 = cls.submit(cls.students[3], cls.competition, cls.essay)
        with freeze_time(JUDGING):
            cls.competition.with_user(cls.organiser).action_start_judging()
        cls.submissions = cls.sub_0 | cls.sub_1 | cls.sub_2 | cls.sub_3

    # ------------------------------------------------------------------
    # Blind judging
    # ------------------------------------------------------------------

    def test_judges_never_read_submissions(self):
        Submission = self.env["student.loan.competition.submission"].with_user(self.judge_a)
        with self.assertRaises(AccessError):
            Submission.search([])
        with self.assertRaises(AccessError):
            self.sub_0.with_user(self.judge_a).read(["title"])
        with self.assertRaises(AccessError):
            self.students[0].with_user(self.judge_a).read(["name"])

    def test_judges_read_only_their_works_without_identity(self):
        reviews = self.competition.review_ids
        self.assertEqual(len(reviews), 4, "one judge per work")
        self.assertEqual(
            set(reviews.judge_id.ids),
            {self.judge_a.id, self.judge_b.id},
            "judge C is from the students' centre: never assigned",
        )
        mine = reviews.filtered(lambda review: review.judge_id == self.judge_a)
        self.assertEqual(len(mine), 2, "the least loaded judge takes the next work")
        Work = self.env["student.loan.competition.work"].with_user(self.judge_a)
        works = Work.search([])
        self.assertEqual(works, mine.work_id)
        self.assertFalse(IDENTITY_FIELDS & set(Work.fields_get()), "no field leads to the author")
        values = works.read()
        for row in values:
            self.assertFalse(IDENTITY_FIELDS & set(row))
        other_work = (reviews - mine).work_id[:1]
        with self.assertRaises(AccessError):
            other_work.with_user(self.judge_a).read(["title"])
        # the judge's own reviews, not the others'
        Review = self.env["student.loan.competition.review"].with_user(self.judge_a)
        self.assertEqual(Review.search([]), mine)
        self.assertTrue(mine[0].with_user(self.judge_a).work_title)

    def test_files_do_not_name_the_author(self):
        attachment = self.sub_0.attachment_ids
        self.assertEqual(attachment.create_uid.id, SUPERUSER_ID)
        self.assertEqual(attachment.name, f"{self.sub_0.code}-1.png", "the uploaded name carried the author's name")
        judge = (self.competition.review_ids.filtered(lambda review: review.work_id == self.sub_0.work_id)).judge_id
        files = self.sub_0.work_id.with_user(judge).attachment_ids
        self.assertEqual(files, attachment, "the judge reads the work's files")
        self.assertEqual(files.with_user(judge).read(["create_uid"])[0]["create_uid"][0], SUPERUSER_ID)

    def test_judges_score_only_their_reviews(self):
        review = self.competition.review_ids.filtered(lambda rev: rev.judge_id == self.judge_b)[:1]
        with self.assertRaises(AccessError):
            review.with_user(self.judge_a).read(["total"])
        with self.assertRaises(AccessError):
            review.with_user(self.organiser).line_ids[:1].score = 10
        review.with_user(self.judge_b).line_ids[:1].score = 10
        self.assertTrue(review.line_ids[:1].scored)
        # conflict of interest enforced on any review, however it is made
        with self.assertRaises(ValidationError):
            self.env["student.loan.competition.review"].create(
                {
                    "work_id": self.sub_1.work_id.id,
                    "judge_id": self.judge_c.id,
                }
            )

    # ------------------------------------------------------------------
    # Centres and roles
    # ------------------------------------------------------------------

    def test_centre_rules(self):
        Competition = self.env["student.loan.competition"]
        self.assertIn(
            self.competition,
            Competition.with_user(self.xinxiang_viewer).search([]),
            "the city sees its counties' competitions",
        )
        self.assertNotIn(self.competition, Competition.with_user(self.huojia_handler).search([]))
        self.assertNotIn(self.competition, Competition.with_user(self.handler).search([]))
        with self.assertRaises(AccessError):
            self.sub_0.with_user(self.huojia_handler).read(["title"])
        Submission = self.env["student.loan.competition.submission"]
        self.assertEqual(
            Submission.with_user(self.xinxiang_viewer).search([("competition_id", "=", self.competition.id)]),
            self.submissions,
        )
        with self.assertRaises(AccessError):
            self.competition.with_user(self.xinxiang_viewer).name = "renamed"
        with self.assertRaises(AccessError):
            self.competition.with_user(self.huojia_handler).name = "renamed"

    def test_joint_competition_visible_to_the_city_counties(self):
        joint = self.create_competition(name="新乡市联合征集", joint=True)
        self.assertEqual(joint.scope_centre_id, self.xinxiang)
        self.assertIn(joint, self.env["student.loan.competition"].with_user(self.huojia_handler).search([]))
        with self.assertRaises(AccessError):
            joint.with_user(self.huojia_handler).name = "renamed by another county"

    def test_ceremony_events_by_centre(self):
        event = (
            self.env["event.event"]
            .with_user(self.organiser)
            .create(
                {
                    "name": "颁奖典礼",
                    "competition_id": self.competition.id,
                    "date_begin": "2025-08-08 01:00:00",
                    "date_end": "2025-08-08 04:00:00",
                }
            )
        )
        self.assertEqual(event.loan_centre_id, self.weihui)
        Event = self.env["event.event"]
        self.assertIn(event, Event.with_user(self.xinxiang_viewer).search([]))
        self.assertNotIn(event, Event.with_user(self.huojia_handler).search([]))

    def test_students_see_only_their_own_submissions(self):
        portal = self.students[0].user_id
        Submission = self.env["student.loan.competition.submission"].with_user(portal)
        self.assertEqual(Submission.search([]), self.sub_0)
        self.assertEqual(self.sub_0.with_user(portal).title, self.sub_0.title)
        with self.assertRaises(AccessError):
            self.sub_1.with_user(portal).read(["title"])
        with self.assertRaises(AccessError):
            self.sub_1.work_id.with_user(portal).read(["title"])
        with self.assertRaises(AccessError):
            self.sub_0.with_user(portal).write({"title": "portal users write through the portal only"})
        with self.assertRaises(AccessError):
            self.env["student.loan.competition.review"].with_user(portal).search([])

    def test_report_by_centre(self):
        Report = self.env["student.loan.competition.report"]
        domain = [("competition_id", "=", self.competition.id)]
        self.assertEqual(len(Report.with_user(self.organiser).search(domain)), 4)
        self.assertFalse(Report.with_user(self.huojia_handler).search(domain))
        with self.assertRaises(AccessError):
            Report.with_user(self.judge_a).search([])


@tagged("post_install", "-at_install")
class TestCompetitionViews(CompetitionCase):
    """Every role opens its views without an access error; the judge scores through the form."""

    STUDENT_COUNT = 3

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.competition = cls.create_competition(judges_per_work=1)
        cls.publish(cls.competition)
        with freeze_time(DURING_CALL):
            cls.submission = cls.submit(cls.students[0], cls.competition, cls.photography)
        with freeze_time(JUDGING):
            cls.competition.with_user(cls.organiser).action_start_judging()

    def test_staff_views(self):
        models = [
            "student.loan.competition",
            "student.loan.competition.submission",
            "student.loan.competition.review",
            "student.loan.competition.report",
            "student.loan.competition.category",
            "event.event",
        ]
        for user in (self.organiser, self.head, self.xinxiang_viewer):
            for model in models:
                if model == "event.event" and not user.has_group("event.group_event_user"):
                    continue  # viewers read the ceremonies from the competition, not the event app
                views = self.env[model].with_user(user).get_views([(False, "list"), (False, "form"), (False, "search")])
                self.assertIn("list", views["views"])
        competition_form = Form(self.competition.with_user(self.organiser))
        self.assertEqual(competition_form.state, "judging")
        submission_form = Form(self.submission.with_user(self.xinxiang_viewer))
        self.assertEqual(submission_form.student_id, self.students[0])

    def test_judge_scores_in_the_form(self):
        review = self.competition.review_ids
        judge = review.judge_id
        self.assertIn(judge, self.judge_a | self.judge_b)
        self.env["student.loan.competition.review"].with_user(judge).get_views([(False, "list"), (False, "form")])
        with Form(review.with_user(judge)) as form:
            self.assertEqual(form.work_title, self.submission.title)
            for index in range(len(form.line_ids)):
                with form.line_ids.edit(index) as line:
                    line.score = 80 + index
        review.with_user(judge).action_submit()
        self.assertEqual(review.state, "done")
        self.assertAlmostEqual(review.total, (80 * 30 + 81 * 25 + 82 * 25 + 83 * 20) / 100)
