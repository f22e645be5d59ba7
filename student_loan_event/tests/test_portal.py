"""The student portal pages under /my/competitions (Odoo portal, no website)."""

import datetime

from odoo import fields, http
from odoo.tests import HttpCase, tagged

from .common import PNG_RAW, CompetitionCase


@tagged("post_install", "-at_install")
class TestCompetitionPortal(CompetitionCase, HttpCase):
    STUDENT_COUNT = 6

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        now = fields.Datetime.now()
        cls.competition = cls.create_competition(
            name="卫辉市诚信征文（门户测试）",
            notice_date=now.date(),
            date_deadline=now + datetime.timedelta(days=10),
            judging_date_start=False,
            judging_date_end=False,
            ceremony_date=False,
        )
        cls.competition.with_user(cls.organiser).action_publish()
        cls.other_submission = cls.submit(
            cls.students[1], cls.competition, cls.photography, files=[("other.png", PNG_RAW)]
        )
        cls.portal_user = cls.students[0].user_id

    def _post(self, url, data, files=None):
        data = dict(data, csrf_token=http.Request.csrf_token(self))
        return self.url_open(url, data=data, files=files)

    def test_submit_edit_and_read_own_work(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        response = self.url_open("/my/competitions")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.competition.name, response.text)

        page = self.url_open(f"/my/competitions/{self.competition.id}")
        self.assertIn("o_competition_submit_form", page.text)
        self.assertIn(self.competition.theme, page.text)

        # the declaration is required: nothing is saved without it
        response = self._post(
            f"/my/competitions/{self.competition.id}/submit",
            {
                "category_id": self.photography.id,
                "title": "无声明",
                "content": "",
            },
            files={"files": ("photo.png", PNG_RAW, "image/png")},
        )
        self.assertIn("o_competition_error", response.text)
        Submission = self.env["student.loan.competition.submission"]
        self.assertFalse(Submission.search([("student_id", "=", self.students[0].id)]))

        response = self._post(
            f"/my/competitions/{self.competition.id}/submit",
            {
                "category_id": self.photography.id,
                "title": "还款日的清晨",
                "content": "说明",
                "declaration_accepted": "1",
            },
            files={"files": ("photo.png", PNG_RAW, "image/png")},
        )
        submission = Submission.search([("student_id", "=", self.students[0].id)])
        self.assertEqual(len(submission), 1)
        self.assertTrue(response.url.endswith(f"/my/competitions/submission/{submission.id}?message=saved"))
        self.assertIn("还款日的清晨", response.text)
        self.assertEqual(submission.attachment_ids.mapped("name"), [f"{submission.code}-1.png"])

        response = self._post(
            f"/my/competitions/submission/{submission.id}/edit",
            {
                "title": "还款日的清晨（修改）",
                "content": "新的说明",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(submission.title, "还款日的清晨（修改）")

        download = self.url_open(f"/my/competitions/file/{submission.attachment_ids.id}")
        self.assertEqual(download.status_code, 200)
        self.assertEqual(download.content, PNG_RAW)

        # after the deadline the work is locked
        self.competition.sudo().date_deadline = fields.Datetime.now() - datetime.timedelta(minutes=1)
        response = self._post(f"/my/competitions/submission/{submission.id}/edit", {"title": "太晚了"})
        self.assertIn("o_competition_error", response.text)
        self.assertEqual(submission.title, "还款日的清晨（修改）")
        page = self.url_open(f"/my/competitions/submission/{submission.id}")
        self.assertNotIn("o_competition_edit_form", page.text)

    def test_other_students_works_are_out_of_reach(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        response = self.url_open(f"/my/competitions/submission/{self.other_submission.id}")
        self.assertTrue(response.url.endswith("/my"), "redirected to the portal home")
        self.assertNotIn(self.other_submission.title, response.text)
        download = self.url_open(f"/my/competitions/file/{self.other_submission.attachment_ids.id}")
        self.assertEqual(download.status_code, 404)
        response = self._post(f"/my/competitions/submission/{self.other_submission.id}/withdraw", {})
        self.assertTrue(self.other_submission.exists())

    def test_home_counter_and_ineligible_users(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["competition_count"]})
        self.assertEqual(counters["competition_count"], 1)
        home = self.url_open("/my")
        self.assertIn("/my/competitions", home.text)

        stranger = self.env["res.users"].create(
            {
                "name": "Not a student",
                "login": "slev_stranger",
                "password": "slev_stranger",
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        self.authenticate(stranger.login, stranger.login)
        response = self.url_open("/my/competitions")
        self.assertIn("not linked to a loan student", response.text)
        response = self.url_open(f"/my/competitions/{self.competition.id}")
        self.assertTrue(response.url.endswith("/my"))
