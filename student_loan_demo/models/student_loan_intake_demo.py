import datetime
import random

from odoo import api, fields, models


class StudentLoanIntakeDemo(models.AbstractModel):
    """Builds the intake demo of 淅川县: a roster around today, past days' queues, today's queue, appointments."""

    _name = "student.loan.intake.demo"
    _description = "Student Loan Intake Demo Data"

    HISTORY_DAYS = 10

    @api.model
    def _create_demo_data(self):
        self = self.env["student.loan.demo"]._chinese(self, "student_loan_intake")  # pylint: disable=self-cls-assignment
        ref = self.env.ref
        centre = ref("student_loan.centre_411326")
        if self.env["student.loan.intake.roster"].search_count([("centre_id", "=", centre.id)], limit=1):
            return False  # built already
        Ticket = self.env["student.loan.intake.ticket"]
        Visit = self.env["student.loan.intake.visit"]
        desks = self.env["student.loan.intake.desk"].search([("centre_id", "=", centre.id)])
        shifts = self.env["student.loan.intake.shift"].search([("centre_id", "=", centre.id)], order="sequence")
        day_shifts = shifts.filtered(lambda shift: shift.appointment_capacity)
        evening = shifts - day_shifts
        people = [
            ref(f"student_loan_intake.demo_user_xc_{key}")
            for key in ("handler", "v1", "v2", "v3", "v4", "v5", "v6", "v7")
        ]
        by_station = {
            station: desks.filtered(lambda desk, s=station: desk.station == s)
            for station in ("consult", "register", "check", "print", "sign")
        }
        staffed_desks = [
            by_station["consult"][0],
            by_station["register"][0],
            by_station["register"][1:2],
            by_station["check"][0],
            by_station["check"][1:2],
            by_station["print"][0],
            by_station["sign"][0],
            by_station["sign"][1:2],
        ]
        today = Ticket._intake_today()
        rng = random.Random(411326)

        days = [today + datetime.timedelta(days=offset) for offset in range(-self.HISTORY_DAYS - 4, 8)]
        open_days = [day for day in days if day.weekday() < 6]
        roster = []
        for day in open_days:
            for shift in day_shifts:
                roster += [
                    {"date": day, "shift_id": shift.id, "desk_id": desk.id, "user_id": user.id}
                    for desk, user in zip(staffed_desks, people, strict=True)
                    if desk
                ]
            if day.weekday() == 0 and evening:
                # the busy Monday: contract signing in three shifts
                roster += [
                    {"date": day, "shift_id": evening[0].id, "desk_id": desk.id, "user_id": user.id}
                    for desk, user in zip(by_station["sign"], people[:3], strict=False)
                ]
        self.env["student.loan.intake.roster"].create(roster)

        # past days: families who went through the five stations (more on Mondays)
        minutes = {"consult": 3, "register": 8, "check": 10, "print": 4, "sign": 6}
        for day in [day for day in open_days if day < today][-self.HISTORY_DAYS :]:
            count = rng.randint(45, 60) * (2 if day.weekday() == 0 else 1)
            start = datetime.datetime.combine(day, datetime.time(0, 30))  # 08:30 in China, in UTC
            visits = []
            for index in range(count):
                source = "appointment" if index % 5 == 0 else "walk_in"
                arrived = start + datetime.timedelta(minutes=index * 420 / count)
                ticket = Ticket.create(
                    {
                        "centre_id": centre.id,
                        "date": day,
                        "source": source,
                        "state": "done",
                        "arrived_at": arrived,
                        "shift_id": day_shifts[0].id,
                    }
                )
                clock = arrived
                stations = ["consult", "register", "check", "print", "sign"]
                if index % 7 == 3:
                    stations = ["consult"]  # only a question
                for station in stations:
                    queued = clock
                    called = queued + datetime.timedelta(minutes=rng.uniform(1, 25 if station == "check" else 12))
                    done = called + datetime.timedelta(minutes=rng.uniform(0.6, 1.4) * minutes[station])
                    desk = rng.choice(by_station[station][:2])
                    visits.append(
                        {
                            "ticket_id": ticket.id,
                            "station": station,
                            "desk_id": desk.id,
                            "user_id": people[0].id,
                            "queued_at": queued,
                            "called_at": called,
                            "done_at": done,
                            "outcome": "served",
                        }
                    )
                    clock = done
                ticket.write({"done_at": clock, "completed": stations[-1] == "sign", "station": stations[-1]})
            Visit.create(visits)

        # today: a queue at the first stations, one family at the signing desk
        students = ref("student_loan_intake.demo_student_xc_1") | ref("student_loan_intake.demo_student_xc_2")
        Ticket.create([{"centre_id": centre.id} for _index in range(6)])
        first = Ticket.search(
            [("centre_id", "=", centre.id), ("date", "=", today), ("state", "=", "waiting")],
            order="queued_at, id",
            limit=1,
        )
        first.write({"student_id": students[0].id})
        first._call(by_station["consult"][0])
        signing = Ticket.create({"centre_id": centre.id, "station": "sign", "student_id": students[1].id})
        signing._call(by_station["sign"][0])
        # appointments for the next open day
        next_day = next(day for day in open_days if day > today)
        Ticket.create(
            [
                {
                    "centre_id": centre.id,
                    "date": next_day,
                    "source": "appointment",
                    "shift_id": day_shifts[index % 2].id,
                    "booked_by_id": self.env.uid,
                }
                for index in range(12)
            ]
        )
        self.env["student.loan.intake.forecast"].create({"centre_id": centre.id, "date": next_day}).action_compute()
        return fields.Datetime.now()
