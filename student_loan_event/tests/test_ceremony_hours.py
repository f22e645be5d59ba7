"""The ceremony's agenda is at the ceremony's hours, in Beijing time, and ends when the event ends."""

import datetime

from odoo.tests import tagged

from .common import CompetitionCase


@tagged("post_install", "-at_install")
class TestCeremonyHours(CompetitionCase):
    def test_agenda_follows_the_ceremony_time(self):
        for begin, first in ((datetime.datetime(2025, 8, 8, 1, 0), 9.0), (datetime.datetime(2025, 8, 8, 6, 30), 14.5)):
            with self.subTest(begin=begin):
                competition = self.create_competition(ceremony_date=begin)
                vals = competition._ceremony_vals()
                agenda = [command[2] for command in vals["agenda_line_ids"]]
                self.assertEqual(vals["date_begin"], begin)
                self.assertEqual(agenda[0]["time"], first, "opens at the ceremony's local hour")
                end = vals["date_end"] - vals["date_begin"]
                last = agenda[-1]
                self.assertEqual(last["time"] + last["duration"] - first, end.total_seconds() / 3600)
