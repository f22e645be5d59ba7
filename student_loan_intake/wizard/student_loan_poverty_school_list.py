import base64
import io

import xlsxwriter

from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.student_loan.models.student_loan_application import current_academic_year


class StudentLoanPovertySchoolList(models.TransientModel):
    """Lists of admitted 建档立卡 students per high school, to pass to the schools (R2): one sheet per school."""

    _name = "student.loan.poverty.school.list"
    _description = "Admitted 建档立卡 Students per High School"

    centre_id = fields.Many2one(
        "student.loan.centre",
        string="Aid Centre",
        required=True,
        default=lambda self: self.env.user.loan_centre_id,
    )
    enrolment_year = fields.Integer(
        required=True,
        default=lambda self: current_academic_year(fields.Date.context_today(self)),
        help="Students admitted (enrolled at a university) this year.",
    )
    high_school_ids = fields.Many2many(
        "student.loan.school",
        string="High Schools",
        domain="[('kind', '=', 'high_school')]",
        help="Empty: every high school with admitted 建档立卡 students.",
    )
    attachment_id = fields.Many2one("ir.attachment", readonly=True)

    def _students(self):
        self.ensure_one()
        domain = [
            ("centre_id", "child_of", self.centre_id.id),
            ("is_poverty_registered", "=", True),
            ("enrolment_year", "=", self.enrolment_year),
            ("school_id", "!=", False),
            ("high_school_id", "!=", False),
        ]
        if self.high_school_ids:
            domain.append(("high_school_id", "in", self.high_school_ids.ids))
        return self.env["student.loan.student"].search(domain, order="high_school_id, name, id")

    def _xlsx_content(self, students):
        applications = {
            application.student_id.id: application
            for application in self.env["student.loan.application"].search(
                [
                    ("student_id", "in", students.ids),
                    ("academic_year", "=", self.enrolment_year),
                    ("state", "!=", "cancelled"),
                ]
            )
        }
        states = dict(self.env["student.loan.application"]._fields["state"]._description_selection(self.env))
        levels = dict(self.env["student.loan.student"]._fields["education_level"]._description_selection(self.env))
        genders = dict(self.env["student.loan.student"]._fields["gender"]._description_selection(self.env))
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        title = workbook.add_format({"bold": True, "font_size": 13})
        headers = [
            self.env._("Name"),
            self.env._("Gender"),
            self.env._("ID Number (masked)"),
            self.env._("University"),
            self.env._("Level"),
            self.env._("Enrolment Year"),
            self.env._("Mobile"),
            self.env._("Loan Application"),
        ]
        used_names = set()
        for school in students.high_school_id:
            name = (school.name or "?")[:28]
            while name in used_names:
                name = name[:27] + "_"
            used_names.add(name)
            sheet = workbook.add_worksheet(name)
            sheet.write(
                0,
                0,
                self.env._(
                    "%(school)s: admitted 建档立卡 students %(year)s (%(centre)s)",
                    school=school.name,
                    year=self.enrolment_year,
                    centre=self.centre_id.name,
                ),
                title,
            )
            for column, header in enumerate(headers):
                sheet.write(2, column, header, bold)
            sheet.set_column(0, len(headers) - 1, 18)
            rows = students.filtered(lambda student, school=school: student.high_school_id == school)
            for row, student in enumerate(rows, start=3):
                application = applications.get(student.id)
                sheet.write_row(
                    row,
                    0,
                    [
                        student.name,
                        genders.get(student.gender, ""),
                        student.id_number_masked or "",
                        student.school_id.name or "",
                        levels.get(student.education_level, ""),
                        student.enrolment_year or "",
                        student.mobile or "",
                        states.get(application.state, "") if application else self.env._("Not yet applied"),
                    ],
                )
        workbook.close()
        return buffer.getvalue()

    def action_export(self):
        self.ensure_one()
        students = self._students()
        if not students:
            raise UserError(self.env._("No admitted 建档立卡 student with a high school in %s.", self.enrolment_year))
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.env._(
                    "建档立卡 students per high school %(centre)s %(year)s.xlsx",
                    centre=self.centre_id.name,
                    year=self.enrolment_year,
                ),
                "datas": base64.b64encode(self._xlsx_content(students)),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
        self.attachment_id = attachment
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "self"}
