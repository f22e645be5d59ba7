import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import IntakeCase

TODAY = datetime.date(2024, 8, 14)  # Wednesday


@tagged("post_install", "-at_install")
@freeze_time("2024-08-14 02:00:00")
class TestIntakeForecast(IntakeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Ticket = cls.env["student.loan.intake.ticket"]
        Visit = cls.env["student.loan.intake.visit"]
        Roster = cls.env["student.loan.intake.roster"]
        # two weeks of history: 20 walk-ins a day (40 on Mondays); signing is slow and understaffed
        service = {"consult": 3, "register": 5, "check": 10, "print": 4, "sign": 12}
        visits, roster = [], []
        for offset in range(1, 15):
            day = TODAY - datetime.timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            count = 40 if day.weekday() == 0 else 20
            tickets = Ticket.create(
                [
                    {
                        "centre_id": cls.county.id,
                        "date": day,
                        "state": "done",
                        "completed": True,
                        "arrived_at": datetime.datetime.combine(day, datetime.time(1, 0)),
                    }
                    for _index in range(count)
                ]
            )
            for ticket in tickets:
                clock = ticket.arrived_at
                for station, minutes in service.items():
                    called = clock + datetime.timedelta(minutes=30 if station == "sign" else 5)
                    done = called + datetime.timedelta(minutes=minutes)
                    visits.append(
                        {
                            "ticket_id": ticket.id,
                            "station": station,
                            "desk_id": cls.desks[station].id,
                            "queued_at": clock,
                            "called_at": called,
                            "done_at": done,
                            "outcome": "served",
                        }
                    )
                    clock = done
            for station, desk in cls.desks.items():
                roster.append(
                    {
                        "date": day,
                        "desk_id": desk.id,
                        "shift_id": cls.morning.id,
                        "user_id": cls.volunteer.id if station == "sign" else cls.handler.id,
                    }
                )
                if station == "check":
                    roster[-1]["user_id"] = cls.handler2.id
            # each person staffs one desk per shift: the history roster uses the morning shift per desk
            roster = [
                line
                for line in roster
                if line["date"] != day or line["desk_id"] in (cls.desks["sign"].id, cls.desks["check"].id)
            ]
        Visit.create(visits)
        Roster.create(roster)
        # tomorrow: 10 appointments, and the roster puts one person at signing
        tomorrow = TODAY + datetime.timedelta(days=1)
        Ticket.create(
            [
                {"centre_id": cls.county.id, "date": tomorrow, "source": "appointment", "shift_id": cls.morning.id}
                for _index in range(10)
            ]
        )
        Roster.create(
            [
                {
                    "date": tomorrow,
                    "desk_id": cls.desks["sign"].id,
                    "shift_id": cls.morning.id,
                    "user_id": cls.volunteer.id,
                },
                {
                    "date": tomorrow,
                    "desk_id": cls.desks["sign"].id,
                    "shift_id": cls.afternoon.id,
                    "user_id": cls.volunteer.id,
                },
            ]
        )

    def test_forecast_tomorrow(self):
        forecast = (
            self.env["student.loan.intake.forecast"].with_user(self.handler).create({"centre_id": self.county.id})
        )
        self.assertEqual(forecast.date, datetime.date(2024, 8, 15))
        forecast.action_compute()
        self.assertEqual(forecast.walk_ins, 20)  # Thursdays are ordinary days
        self.assertEqual(forecast.appointments, 10)
        self.assertEqual(forecast.expected_appointments, 9)
        self.assertEqual(forecast.expected_arrivals, 29)
        self.assertEqual(forecast.days_used, 10)
        self.assertEqual(forecast.history_families, 240)
        # signing: 12 min per family, people wait 30 min for it: the bottleneck
        self.assertEqual(forecast.bottleneck_station, "sign")
        lines = {line.station: line for line in forecast.line_ids}
        self.assertEqual(list(lines), ["consult", "register", "check", "print", "sign"])
        self.assertAlmostEqual(lines["sign"].service_minutes, 12)
        self.assertAlmostEqual(lines["sign"].average_wait, 30)
        # open morning and afternoon (the rostered shifts): 7.5 h x 0.85 = 382.5 min per desk
        self.assertEqual(forecast.open_minutes, 450)
        self.assertEqual(lines["sign"].suggested_staff, 1)  # 29 x 12 = 348 min
        self.assertEqual(lines["sign"].rostered_staff, 1)
        self.assertEqual(lines["check"].rostered_staff, 0)
        self.assertEqual(lines["check"].gap, 1)
        self.assertAlmostEqual(lines["sign"].utilisation, 100 * 240 * 12 / (10 * 240))

    def test_busy_monday(self):
        forecast = self.env["student.loan.intake.forecast"].create(
            {"centre_id": self.county.id, "date": datetime.date(2024, 8, 19)}
        )
        forecast.action_compute()
        self.assertGreater(forecast.weekday_factor, 1.5)
        self.assertGreater(forecast.walk_ins, 30)
        self.assertGreater(forecast.suggested_staff, 5)

    def test_cron_forecasts_every_centre_with_desks(self):
        self.env["student.loan.intake.forecast"]._cron_forecast_tomorrow()
        forecasts = self.env["student.loan.intake.forecast"].search([("date", "=", datetime.date(2024, 8, 15))])
        self.assertIn(self.county, forecasts.centre_id)
        mine = forecasts.filtered(lambda forecast: forecast.centre_id == self.county)
        self.assertEqual(mine.expected_arrivals, 29)
        self.assertEqual(len(mine.line_ids), 5)
        # run again: the same record is recomputed
        self.env["student.loan.intake.forecast"]._cron_forecast_tomorrow()
        self.assertEqual(
            self.env["student.loan.intake.forecast"].search_count(
                [("date", "=", datetime.date(2024, 8, 15)), ("centre_id", "=", self.county.id)]
            ),
            1,
        )
