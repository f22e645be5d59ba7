from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.student_loan.loanlib import identity

from ..intakelib import poverty

MATCH_STATES = [
    ("none", "No Student"),
    ("id", "Matched by ID Number"),
    ("proposed", "Proposed (Name + Birth Date)"),
    ("confirmed", "Confirmed by Hand"),
    ("rejected", "Proposal Rejected"),
]


class StudentLoanPovertyPerson(models.Model):
    """A person on the poverty office's register (建档立卡) of a centre, as the imports left it.

    ``listed`` is False once an import no longer lists the person; the history is in ``change_ids``.
    """

    _name = "student.loan.poverty.person"
    _description = "Poverty Register Entry"
    _order = "centre_id, household_no, id"
    _rec_names_search = ["name", "household_no"]

    centre_id = fields.Many2one(
        "student.loan.centre", string="Aid Centre", required=True, index=True, ondelete="cascade"
    )
    key = fields.Char(required=True, readonly=True, help="ID number, or name and birth date when the ID is not valid.")
    row_hash = fields.Char(readonly=True)
    listed = fields.Boolean(default=True, index=True, readonly=True, help="Listed by the latest import.")
    name = fields.Char(required=True, readonly=True)
    id_number = fields.Char(
        string="ID Number", readonly=True, groups="student_loan.group_handler,student_loan.group_bank"
    )
    id_raw = fields.Char(
        string="ID Number as Written",
        readonly=True,
        groups="student_loan.group_handler,student_loan.group_bank",
        help="The malformed ID number of the register (the person is matched by name and birth date).",
    )
    id_number_masked = fields.Char(
        string="ID Number (masked)",
        compute="_compute_id_number_masked",
        store=True,
        precompute=True,
    )
    id_valid = fields.Boolean(string="Valid ID", readonly=True)
    birth_date = fields.Date(readonly=True, index=True)
    gender = fields.Selection([("male", "Male"), ("female", "Female")], readonly=True)
    household_no = fields.Char(string="Household Number", readonly=True, index=True)
    household_head = fields.Char(string="Head of Household", readonly=True)
    relation = fields.Char(string="Relation to Head", readonly=True)
    address = fields.Char(readonly=True)
    phone = fields.Char(readonly=True)
    school_name = fields.Char(string="School (Register)", readonly=True)
    first_import_id = fields.Many2one(
        "student.loan.poverty.import", string="Listed Since", readonly=True, ondelete="set null"
    )
    last_import_id = fields.Many2one(
        "student.loan.poverty.import", string="Last Listed By", readonly=True, ondelete="set null"
    )
    removed_import_id = fields.Many2one(
        "student.loan.poverty.import", string="No Longer Listed Since", readonly=True, ondelete="set null"
    )
    student_id = fields.Many2one("student.loan.student", index=True, readonly=True, ondelete="set null")
    proposed_student_id = fields.Many2one(
        "student.loan.student", index="btree_not_null", readonly=True, ondelete="set null"
    )
    match_state = fields.Selection(MATCH_STATES, default="none", required=True, readonly=True, index=True)
    change_ids = fields.One2many("student.loan.poverty.change", "person_id", string="History")

    _sql_constraints = [
        ("key_unique", "unique(centre_id, key)", "This person is already on the centre's register."),
    ]

    @api.depends("id_number", "id_raw")
    def _compute_id_number_masked(self):
        for person in self.sudo():
            person.id_number_masked = identity.mask_id_number(person.id_number or person.id_raw or "")

    # ------------------------------------------------------------------
    # matching
    # ------------------------------------------------------------------

    @api.model
    def _match_values(self, records):
        """``key -> {student_id, proposed_student_id, match_state}`` for register rows (few queries).

        By ID number first; rows without a valid ID get a proposal when exactly one student has the same
        name and birth date (a person confirms it).
        """
        result = {}
        numbers = [record.id_number for record in records if record.id_number]
        by_number = {}
        for start in range(0, len(numbers), 20000):
            self.env.cr.execute(
                "SELECT id_number, id FROM student_loan_student WHERE active AND id_number = ANY(%s)",
                [numbers[start : start + 20000]],
            )
            by_number.update(self.env.cr.fetchall())
        unmatched = [record for record in records if not record.id_number and record.birth_date]
        candidates = {}
        if unmatched:
            self.env.cr.execute(
                "SELECT id, name, birth_date FROM student_loan_student WHERE active AND birth_date = ANY(%s)",
                [list({record.birth_date for record in unmatched})],
            )
            for student_id, name, birth_date in self.env.cr.fetchall():
                candidates.setdefault((poverty.normalise_name(name), birth_date), []).append(student_id)
        for record in records:
            if record.id_number and record.id_number in by_number:
                result[record.key] = {
                    "student_id": by_number[record.id_number],
                    "proposed_student_id": False,
                    "match_state": "id",
                }
                continue
            found = candidates.get((poverty.normalise_name(record.name), record.birth_date), [])
            if not record.id_number and len(found) == 1:
                result[record.key] = {"student_id": False, "proposed_student_id": found[0], "match_state": "proposed"}
            else:
                result[record.key] = {"student_id": False, "proposed_student_id": False, "match_state": "none"}
        return result

    def action_confirm_match(self):
        """The handler checked the proposal (same person): link the student and flag them 建档立卡."""
        for person in self:
            if not person.proposed_student_id:
                raise UserError(self.env._("%s has no proposed student.", person.name))
            person.write(
                {"student_id": person.proposed_student_id.id, "proposed_student_id": False, "match_state": "confirmed"}
            )
        self._sync_student_flags(self.student_id)
        return True

    def action_reject_match(self):
        for person in self:
            if person.match_state != "proposed":
                raise UserError(self.env._("%s has no proposal to reject.", person.name))
        self.write({"match_state": "rejected"})
        return True

    def action_unlink_student(self):
        """Undo a wrong confirmation."""
        students = self.student_id
        self.filtered(lambda person: person.match_state == "confirmed").write(
            {"student_id": False, "match_state": "none"}
        )
        self._sync_student_flags(students)
        return True

    @api.model
    def _sync_student_flags(self, students):
        """建档立卡 flag of ``students`` (students the register linked or unlinked): set while a listed
        register entry is linked to them, cleared otherwise. Other students (flagged by hand) are not
        passed here and keep their flag."""
        students = students.exists()
        if not students:
            return
        listed = {
            student.id
            for (student,) in self.sudo()._read_group(
                [("student_id", "in", students.ids), ("listed", "=", True)],
                ["student_id"],
            )
        }
        to_flag = students.filtered(lambda student: student.id in listed and not student.is_poverty_registered)
        to_clear = students.filtered(lambda student: student.id not in listed and student.is_poverty_registered)
        if to_flag:
            to_flag.sudo().write({"is_poverty_registered": True})
        if to_clear:
            to_clear.sudo().write({"is_poverty_registered": False})
