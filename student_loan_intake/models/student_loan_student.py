from odoo import api, fields, models


class StudentLoanStudent(models.Model):
    _inherit = "student.loan.student"

    high_school_id = fields.Many2one(
        "student.loan.school",
        index=True,
        tracking=True,
        domain="[('kind', '=', 'high_school')]",
        help="The high school the student graduated from: it receives the list of its admitted 建档立卡 students.",
    )
    poverty_person_ids = fields.One2many("student.loan.poverty.person", "student_id", string="Poverty Register")
    poverty_person_count = fields.Integer(compute="_compute_poverty_person_count")

    def _compute_poverty_person_count(self):
        counts = dict(
            self.env["student.loan.poverty.person"]._read_group(
                [("student_id", "in", self.ids)], ["student_id"], ["__count"]
            )
        )
        for student in self:
            student.poverty_person_count = counts.get(student, 0)

    @api.model_create_multi
    def create(self, vals_list):
        students = super().create(vals_list)
        students._match_poverty_register()
        return students

    def _match_poverty_register(self):
        """A student registering after the register's import: link the listed entry with their ID number."""
        numbers = {student.id_number: student for student in self.sudo() if student.id_number}
        if not numbers:
            return
        Person = self.env["student.loan.poverty.person"].sudo()
        persons = Person.search([("id_number", "in", list(numbers)), ("listed", "=", True), ("student_id", "=", False)])
        for person in persons:
            person.write(
                {"student_id": numbers[person.id_number].id, "match_state": "id", "proposed_student_id": False}
            )
        Person._sync_student_flags(persons.student_id)
