from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import DURING_CALL, JUDGING, RESULTS, CompetitionCase


@tagged("post_install", "-at_install")
class TestWinnersReview(CompetitionCase):
    """R9 on the review engine: the ranking proposes the winners list, the supervisor's tier approves it (or
    returns it to the organiser); only then are the winners final and notified."""

    def test_winners_list_reviewed_then_final(self):
        competition = self.create_competition()
        self.publish(competition)
        with freeze_time(DURING_CALL):
            for student in self.students[:3]:
                self.submit(student, competition, self.essay)
        with freeze_time(JUDGING):
            competition.with_user(self.organiser).action_start_judging()
        self.score_all(competition, lambda review, line: 60 + review.id % 30)
        with freeze_time(RESULTS):
            competition.with_user(self.organiser).action_compute_ranking()
        result = competition.result_ids
        self.assertEqual((result.state, result.submitted_by_id), ("to_approve", self.organiser))
        self.assertEqual(result.activity_ids.user_id, self.head)
        # the supervisor returns it: nothing final, the organiser ranks again
        result.with_user(self.head)._return("第二名作品需复核")
        self.assertEqual((result.state, competition.state), ("returned", "judging"))
        self.assertIn("第二名作品需复核", "\n".join(competition.message_ids.mapped("body")))
        with self.assertRaises(AccessError):
            competition.with_user(self.organiser).action_confirm_winners()
        with freeze_time(RESULTS):
            competition.with_user(self.organiser).action_compute_ranking()
        pending = competition.result_ids.filtered(lambda result: result.state == "to_approve")
        self.assertEqual(len(pending), 1)
        competition.with_user(self.head).action_confirm_winners()
        self.assertEqual((pending.state, competition.state), ("approved", "done"))
        self.assertTrue(competition.winners_notified_on)
