"""Fixtures of the competition tests: the 卫辉市 centre, organisers, judges, ~40 loan students.

Assertions never count on demo data: the demo loads a competition and students in 卫辉市 too, so
counts are taken relative to what the tests create.
"""

import base64
import datetime
import subprocess
import tempfile
import unicodedata
from contextlib import contextmanager

from freezegun import freeze_time

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.student_loan.tests.common import StudentLoanCase, make_id_number

THEME = "国家资助伴我成长，践行诚信筑梦未来"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["子涵", "欣怡", "浩然", "梓轩", "雨桐", "宇航", "佳怡", "俊杰"]
PNG_RAW = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
ESSAY = "高考那年，县资助中心的老师讲解了生源地信用助学贷款。我按时结息，用诚信回报社会。"

# The competition's calendar (UTC). Beijing is UTC+8: the deadline is 31 May 23:59:59 in Beijing.
CALL = datetime.datetime(2025, 4, 3, 1, 0)
DURING_CALL = datetime.datetime(2025, 4, 20, 2, 0)
DEADLINE = datetime.datetime(2025, 5, 31, 15, 59, 59)
AFTER_DEADLINE = datetime.datetime(2025, 6, 1, 1, 0)
JUDGING = datetime.datetime(2025, 6, 2, 1, 0)
RESULTS = datetime.datetime(2025, 7, 31, 1, 0)
CEREMONY = datetime.datetime(2025, 8, 8, 1, 0)


# pdftotext gives some CJK characters back as radical look-alikes: the Kangxi radicals (U+2F00..)
# are folded by NFKC, those of the CJK Radicals Supplement (U+2E80..) are not and are mapped here.
RADICALS_SUPPLEMENT = str.maketrans(
    {
        "\u2ec5": "见",
        "\u2ec8": "讠",
        "\u2ec9": "贝",
        "\u2ecb": "车",
        "\u2ed3": "长",
        "\u2ed4": "门",
        "\u2eda": "页",
        "\u2edb": "风",
        "\u2edc": "飞",
        "\u2ee2": "马",
        "\u2ee5": "鱼",
        "\u2ee9": "黄",
    }
)


def pdf_text(pdf, layout=False):
    """The text of a PDF, as pdftotext reads it, normalised for comparisons (no blanks)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        command = ["pdftotext"] + (["-layout"] if layout else []) + [handle.name, "-"]
        raw = subprocess.run(command, capture_output=True, check=True).stdout.decode()
    return normalise(raw)


def normalise(text):
    return "".join(unicodedata.normalize("NFKC", text).translate(RADICALS_SUPPLEMENT).split())


class CompetitionCase(StudentLoanCase):
    """卫辉市 (a county-level city of 新乡市) runs the competition; 40 of its loan students, one
    student whose only contract is cancelled, one student of another county (商水县)."""

    STUDENT_COUNT = 40

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.weihui = cls.env.ref("student_loan.centre_410781")
        cls.xinxiang = cls.env.ref("student_loan.centre_410700")
        cls.huojia = cls.env.ref("student_loan.centre_410724")  # another county of 新乡市
        cls.categories = (
            cls.env["student.loan.competition.category"]
            .search([("code", "in", ["essay", "calligraphy_painting", "photography", "video"])])
            .sorted("sequence")
        )
        cls.essay, cls.calligraphy, cls.photography, cls.video = cls.categories

        def user(login, groups, centre, name):
            return mail_new_test_user(
                cls.env,
                login=login,
                name=name,
                groups=groups,
                loan_centre_id=centre.id,
                email=f"{login}@example.com",
            )

        cls.organiser = user("slev_handler", "student_loan.group_handler", cls.weihui, "Organiser Weihui")
        cls.head = user("slev_supervisor", "student_loan.group_supervisor", cls.weihui, "Supervisor Weihui")
        cls.huojia_handler = user("slev_huojia", "student_loan.group_handler", cls.huojia, "Handler Huojia")
        cls.xinxiang_viewer = user("slev_city", "student_loan.group_viewer", cls.xinxiang, "Viewer Xinxiang")
        judge_group = "base.group_user,student_loan_event.group_competition_judge"
        cls.judge_a = user("slev_judge_a", judge_group, cls.xinxiang, "Judge A")
        cls.judge_b = user("slev_judge_b", judge_group, cls.province, "Judge B")
        cls.judge_c = user("slev_judge_c", judge_group, cls.weihui, "Judge C (Weihui)")

        school = cls.school
        vals_list = [
            cls._student_vals(
                name=SURNAMES[index % len(SURNAMES)] + GIVEN[index % len(GIVEN)] + str(index),
                id_number=make_id_number(region="410781", birth=f"200{3 + index % 4}0{1 + index % 9}15"),
                mobile=f"1370373{index:04d}",
                email=f"slev_student{index}@example.com",
                school_id=school.id,
                centre_id=cls.weihui.id,
            )
            for index in range(cls.STUDENT_COUNT + 1)
        ]
        vals_list.append(
            cls._student_vals(
                name="外县学生",
                id_number=make_id_number(region="411623"),
                mobile="13703739998",
                email="slev_other@example.com",
                centre_id=cls.county.id,
            )
        )
        Student = cls.env["student.loan.student"]
        students = Student.create(vals_list)
        cls.students = students[: cls.STUDENT_COUNT]
        cls.cancelled_student = students[cls.STUDENT_COUNT]
        cls.other_county_student = students[-1]
        contracts = cls.env["student.loan.contract"].create(
            [
                {
                    "student_id": student.id,
                    "centre_id": student.centre_id.id,
                    "academic_year": 2023,
                    "loan_kind": "first",
                    "amount": 12000,
                }
                for student in students
            ]
        )
        contracts.write({"state": "active"})
        contracts.filtered(lambda contract: contract.student_id == cls.cancelled_student).write({"state": "cancelled"})
        # Portal accounts for three students (the others submit through the same model method).
        cls.portal_users = cls.env["res.users"]
        for index in range(3):
            portal_user = mail_new_test_user(
                cls.env,
                login=f"slev_portal{index}",
                name=cls.students[index].name,
                groups="base.group_portal",
                email=f"slev_portal{index}@example.com",
            )
            cls.students[index].sudo().user_id = portal_user
            cls.portal_users |= portal_user

    @classmethod
    def create_competition(cls, user=None, **overrides):
        vals = {
            "name": "2025年卫辉市诚信教育作品征集",
            "theme": THEME,
            "centre_id": cls.weihui.id,
            "notice_date": CALL.date(),
            "date_deadline": DEADLINE,
            "judging_date_start": datetime.date(2025, 6, 1),
            "judging_date_end": datetime.date(2025, 7, 31),
            "ceremony_date": CEREMONY,
            "category_ids": [(6, 0, cls.categories.ids)],
            "judge_ids": [(6, 0, (cls.judge_a | cls.judge_b | cls.judge_c).ids)],
        }
        vals.update(overrides)
        return cls.env["student.loan.competition"].with_user(user or cls.organiser).create(vals)

    @classmethod
    def submit(cls, student, competition, category, title=None, content=None, files=None):
        """A student's submission, as the portal makes it."""
        if files is None:
            extension = "mp4" if category == cls.video else "png"
            files = [] if category == cls.essay else [(f"{student.id}.{extension}", PNG_RAW)]
        if content is None:
            content = ESSAY if category == cls.essay else ""
        return cls.env["student.loan.competition.submission"]._portal_submit(
            student,
            competition,
            {
                "title": title or f"诚信作品 {student.name}",
                "category_id": category.id,
                "content": content,
                "declaration_accepted": True,
            },
            files,
        )

    @classmethod
    def publish(cls, competition):
        with freeze_time(CALL):
            competition.with_user(cls.organiser).action_publish()

    @classmethod
    def submit_all(cls, competition):
        """Every test student submits one work; every fourth a second one in another category."""
        submissions = cls.env["student.loan.competition.submission"]
        with freeze_time(DURING_CALL) as frozen:
            for index, student in enumerate(cls.students):
                frozen.tick(datetime.timedelta(minutes=1))
                category = cls.categories[index % 4]
                submissions |= cls.submit(student, competition, category)
                if index % 4 == 0:
                    submissions |= cls.submit(student, competition, cls.categories[1])
        return submissions

    @classmethod
    def score_all(cls, competition, score_of):
        """Every judge scores every work given to them: ``score_of(review, line) -> score``."""
        for review in competition.review_ids.sudo():
            judge_review = review.with_user(review.judge_id)
            judge_review.write(
                {"line_ids": [(1, line.id, {"score": score_of(review, line)}) for line in review.line_ids]}
            )
            judge_review.action_submit()

    @contextmanager
    def assertRaisesRegex(self, expected_exception, expected_regex):  # noqa: N802 (unittest name)
        with self.assertRaises(expected_exception) as catcher:
            yield catcher
        self.assertRegex(str(catcher.exception), expected_regex)
