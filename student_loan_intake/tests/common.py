"""Fixtures of the intake tests: shifts, the five stations' desks and a volunteer at 商水县."""

import base64
import datetime
import io

import openpyxl
from stdnum.cn import ric

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.student_loan.tests.common import StudentLoanCase

STATION_DESKS = [
    ("consult", "Tour Intake", "C1"),
    ("register", "Tour Registration", "R1"),
    ("check", "Tour Check", "K1"),
    ("print", "Tour Printing", "P1"),
    ("sign", "Tour Signing", "S1"),
]


def id_number(region="411623", birth="20040229", serial=1):
    body = f"{region}{birth}{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


class IntakeCase(StudentLoanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the desks work in China time: the queue's "today" must not depend on the hour in UTC
        # the register's import job runs inline here (queue_job's no-delay context); test_jobs.py checks its queueing
        cls.env = cls.env(context=dict(cls.env.context, tz="Asia/Shanghai", queue_job__no_delay=True))
        cls.volunteer = mail_new_test_user(
            cls.env,
            login="sl_volunteer",
            name="Volunteer Shangshui",
            groups="student_loan_intake.group_volunteer",
            loan_centre_id=cls.county.id,
            email="volunteer@example.com",
        )
        cls.volunteer_b = mail_new_test_user(
            cls.env,
            login="sl_volunteer_b",
            name="Volunteer County B",
            groups="student_loan_intake.group_volunteer",
            loan_centre_id=cls.county_b.id,
            email="volunteer_b@example.com",
        )
        Shift = cls.env["student.loan.intake.shift"]
        cls.morning = Shift.create(
            {
                "name": "Morning",
                "centre_id": cls.county.id,
                "sequence": 1,
                "hour_from": 8,
                "hour_to": 12,
                "appointment_capacity": 2,
            }
        )
        cls.afternoon = Shift.create(
            {
                "name": "Afternoon",
                "centre_id": cls.county.id,
                "sequence": 2,
                "hour_from": 14.5,
                "hour_to": 18,
                "appointment_capacity": 2,
            }
        )
        Desk = cls.env["student.loan.intake.desk"]
        cls.desks = {
            station: Desk.create(
                {"name": name, "code": code, "station": station, "centre_id": cls.county.id, "sequence": index}
            )
            for index, (station, name, code) in enumerate(STATION_DESKS)
        }
        cls.desk_b = Desk.create(
            {"name": "County B Intake", "code": "B1", "station": "consult", "centre_id": cls.county_b.id}
        )

    def ticket(self, user=None, **vals):
        Ticket = self.env["student.loan.intake.ticket"]
        if user:
            Ticket = Ticket.with_user(user)
        return Ticket.create(dict({"centre_id": self.county.id}, **vals))

    def confirm_import(self, record):
        """The handler asks for the confirmation; the centre's supervisor confirms (the shipped tier)."""
        record.action_confirm()
        self.assertEqual(record.review_state, "to_approve")
        record.with_user(self.supervisor).action_approve_import()
        return record


def csv_file(rows, header=("户编号", "户主姓名", "姓名", "与户主关系", "身份证号", "出生日期", "所在村", "就读学校")):
    lines = [",".join(header)] + [",".join(str(value) for value in row) for row in rows]
    return base64.b64encode(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))


def xlsx_file(rows, header):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return base64.b64encode(buffer.getvalue())


def register_row(
    serial,
    name,
    birth="20040229",
    household=None,
    village="商水县城关乡张庄村",
    school="商水县第一高级中学",
    number=None,
):
    return (
        household or f"41162300{serial:04d}",
        "张大山",
        name,
        "之子",
        id_number(birth=birth, serial=serial) if number is None else number,
        datetime.date(int(birth[:4]), int(birth[4:6]), int(birth[6:])).isoformat(),
        village,
        school,
    )
