import base64
import datetime
import random

from stdnum.cn import ric

from odoo import api, fields, models

THEME = "国家资助伴我成长，践行诚信筑梦未来"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN_NAMES = ["子涵", "欣怡", "浩然", "梓轩", "雨桐", "宇航", "佳怡", "俊杰", "思远", "诗琪", "明哲", "晓雯"]
TITLES = {
    "essay": ["诚信是金", "一笔助学贷款，一份诚信承诺", "国家资助伴我成长", "守信践诺，逐梦青春", "感恩资助，诚信立身"],
    "calligraphy_painting": ["诚信立身（书法）", "助学之光（国画）", "守信（篆刻）", "筑梦（水彩）"],
    "photography": ["还款日的清晨", "校园里的诚信驿站", "资助中心的灯光"],
    "video": ["我的助学贷款故事", "诚信，从按时还款开始"],
}
ESSAY = (
    "高考那年，家里为学费发愁。县资助中心的老师耐心讲解生源地信用助学贷款的政策，"
    "我和父亲一起签下了合同。四年来，我记得每一个结息日，按时还清利息。"
    "国家资助伴我成长，我也要用诚信回报社会，践行诚信，筑梦未来。"
)
DEMO_TIERS = [("一等奖", 3), ("二等奖", 6), ("三等奖", 10), ("优秀奖", 12)]
DEMO_CRITERIA = [("切合主题", 30), ("原创性", 25), ("艺术水平", 25), ("教育意义", 20)]
DEMO_AGENDA = ["开幕致辞", "颁发获奖证书", "获奖学生代表发言", "座谈交流：诚信与助学贷款"]
# a 1x1 PNG, enough to show an image work in the collection
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


class StudentLoanCompetition(models.Model):
    _inherit = "student.loan.competition"

    @api.model
    def _demo_load_sample(self):
        """Demo data (R9, 卫辉市): a competition run from the call in early April to the ceremony on
        8 August: 40 loan students, works in four categories, three judges, 31 winners, the ceremony
        with attendance. Called once from the demo XML."""
        self = self.env["student.loan.demo"]._chinese(self, "student_loan_event")  # pylint: disable=self-cls-assignment
        centre = self.env.ref("student_loan.centre_410781")
        if self.sudo().search_count([("centre_id", "=", centre.id)]):
            return False
        rng = random.Random(410781)
        env = self.sudo().env
        year = fields.Date.today().year - (
            1 if fields.Date.today() < datetime.date(fields.Date.today().year, 8, 9) else 0
        )
        students = self._demo_students(centre, rng)
        judges = self._demo_judges()

        competition = self.sudo().create(
            {
                "name": f"{year}年卫辉市学生资助诚信教育作品征集活动",
                "theme": THEME,
                "centre_id": centre.id,
                "notice_date": datetime.date(year, 4, 3),
                # published while open, then the deadline (31 May, 23:59 Beijing) is set as it was
                "date_deadline": fields.Datetime.now() + datetime.timedelta(days=1),
                "judging_date_start": datetime.date(year, 6, 1),
                "judging_date_end": datetime.date(year, 7, 31),
                "ceremony_date": datetime.datetime(year, 8, 8, 1, 0),  # 09:00 in Beijing
                "judge_ids": [(6, 0, judges.ids)],
                "user_id": self.env.ref("base.user_admin").id,
                "tier_ids": [(5, 0, 0)]
                + [
                    (0, 0, {"sequence": sequence, "name": name, "count": count})
                    for sequence, (name, count) in enumerate(DEMO_TIERS, start=1)
                ],
                "criterion_ids": [(5, 0, 0)]
                + [
                    (0, 0, {"sequence": sequence, "name": name, "weight": weight})
                    for sequence, (name, weight) in enumerate(DEMO_CRITERIA, start=1)
                ],
            }
        )
        competition.action_publish()

        Submission = env["student.loan.competition.submission"]
        categories = competition.category_ids.sorted("sequence")
        for index, student in enumerate(students[:-1]):  # the last one's contract is cancelled
            chosen = [categories[index % len(categories)]]
            if index % 4 == 0:
                chosen.append(categories[(index + 1) % len(categories)])
            for category in chosen:
                titles = TITLES.get(category.code, ["诚信"])
                files = (
                    []
                    if category.code == "essay"
                    else [(f"work-{index}.png" if category.code != "video" else f"work-{index}.mp4", PNG)]
                )
                Submission._portal_submit(
                    student,
                    competition,
                    {
                        "title": titles[index % len(titles)],
                        "category_id": category.id,
                        "content": ESSAY if category.code == "essay" else "",
                        "declaration_accepted": True,
                    },
                    files,
                )
        competition.date_deadline = datetime.datetime(year, 5, 31, 15, 59, 59)
        competition.action_start_judging()
        for review in competition.review_ids:
            for line in review.line_ids:
                line.with_user(review.judge_id).score = rng.randint(60, 99)
            review.with_user(review.judge_id).action_submit()
        competition.action_compute_ranking()
        competition.action_confirm_winners()
        competition.action_create_ceremony()
        event = competition.event_ids[:1]
        event.write(
            {
                "name": f"{year}年卫辉市学生资助诚信教育颁奖典礼暨座谈会",
                "speaker_ids": [(4, self.env.ref("base.partner_admin").id)],
            }
        )
        for line, name in zip(event.agenda_line_ids.sorted("sequence"), DEMO_AGENDA, strict=False):
            line.name = name
        registrations = event.registration_ids.sorted("id")
        registrations[: len(registrations) - 3].action_set_done()
        return competition

    @api.model
    def _demo_students(self, centre, rng):
        School = self.env["student.loan.school"].sudo()
        schools = School.browse()
        for name, code in (("河南师范大学", "10476"), ("新乡医学院", "10472"), ("河南科技学院", "10467")):
            schools |= School.search([("code", "=", code)], limit=1) or School.create({"name": name, "code": code})
        vals_list = []
        for index in range(40):
            body = f"410781{2003 + index % 4}{1 + index % 12:02d}{1 + index % 28:02d}{100 + index:03d}"
            vals_list.append(
                {
                    "name": SURNAMES[index % len(SURNAMES)] + GIVEN_NAMES[index % len(GIVEN_NAMES)],
                    "id_number": body + ric.calc_check_digit(body + "0"),
                    "mobile": f"1390373{index:04d}",
                    "email": f"weihui.student{index}@example.com",
                    "household_address": "河南省新乡市卫辉市城郊乡",
                    "school_id": schools[index % len(schools)].id,
                    "education_level": "undergraduate",
                    "study_years": 4,
                    "enrolment_year": 2021 + index % 4,
                    "centre_id": centre.id,
                }
            )
        Student = self.env["student.loan.student"].sudo()
        existing = Student.search([("id_number", "in", [vals["id_number"] for vals in vals_list])])
        if existing:
            return existing
        students = Student.create(vals_list)
        contracts = (
            self.env["student.loan.contract"]
            .sudo()
            .create(
                [
                    {
                        "student_id": student.id,
                        "centre_id": centre.id,
                        "academic_year": student.enrolment_year,
                        "loan_kind": "first",
                        "amount": rng.choice([8000, 12000, 16000]),
                    }
                    for student in students
                ]
            )
        )
        contracts[:-1].write({"state": "active"})
        contracts[-1:].write({"state": "cancelled"})
        return students

    @api.model
    def _demo_judges(self):
        Users = self.env["res.users"].sudo().with_context(no_reset_password=True)
        judge_group = self.env.ref("student_loan_event.group_competition_judge")
        judges = Users.browse()
        for login, name, centre in (
            ("weihui_judge_1", "评委 周老师", "student_loan.centre_410700"),
            ("weihui_judge_2", "评委 刘老师", "student_loan.centre_410000"),
            ("weihui_judge_3", "评委 陈老师", "student_loan.centre_410781"),
        ):
            user = Users.search([("login", "=", login)], limit=1) or Users.create(
                {
                    "login": login,
                    "password": login,
                    "name": name,
                    "email": f"{login}@example.com",
                    "loan_centre_id": self.env.ref(centre).id,
                    "groups_id": [(6, 0, [judge_group.id])],
                }
            )
            judges |= user
        return judges
