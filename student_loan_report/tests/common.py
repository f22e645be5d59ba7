"""Fixtures of the report tests: contracts signed on chosen dates at chosen centres."""

import datetime

from odoo.addons.student_loan.tests.common import StudentLoanCase, make_id_number


class StudentLoanReportCase(StudentLoanCase):
    """The core fixtures plus a season of contracts (2024-2025) at 商水县 and 郸城县 (周口市), 巩义市
    (directly managed) and 济源, signed on known dates, and contracts that must not count."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.jiyuan = cls.env.ref("student_loan.centre_419001")
        cls.Contract = cls.env["student.loan.contract"].sudo()
        day = datetime.date
        cls.c_first = cls.make_contract(cls.county, day(2024, 7, 10), 8000, "first", level="undergraduate")
        cls.c_renewal = cls.make_contract(cls.county, day(2024, 8, 20), 6500, "renewal", poverty=True)
        cls.c_county_b = cls.make_contract(cls.county_b, day(2024, 8, 1), 12000, "first", level="master")
        cls.c_direct = cls.make_contract(cls.direct_county, day(2024, 8, 5), 7000, "renewal", poverty=True)
        cls.c_jiyuan = cls.make_contract(cls.jiyuan, day(2024, 9, 1), 5000, "first", state="approved")
        # not counted: cancelled, still draft, the previous season
        cls.c_cancelled = cls.make_contract(cls.county, day(2024, 7, 15), 4000, "first", state="cancelled")
        cls.c_draft = cls.make_contract(cls.county, None, 3000, "first", state="draft")
        cls.c_previous = cls.make_contract(cls.county, day(2023, 8, 1), 8000, "first", year=2023)

    @classmethod
    def make_contract(
        cls, centre, signing_date, amount, kind, state="active", year=2024, level="vocational", poverty=False
    ):
        student = (
            cls.env["student.loan.student"]
            .sudo()
            .create(
                cls._student_vals(
                    name=f"统计学生{amount}{kind}",
                    id_number=make_id_number(region=centre.code, birth="20050101"),
                    centre_id=centre.id,
                    education_level=level,
                    is_poverty_registered=poverty,
                    enrolment_year=year,
                )
            )
        )
        contract = cls.Contract.create(
            {
                "student_id": student.id,
                "centre_id": centre.id,
                "academic_year": year,
                "loan_kind": kind,
                "amount": amount,
            }
        )
        contract.write({"state": state, "signing_date": signing_date})
        return contract
