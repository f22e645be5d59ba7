import base64
import re

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from ..intakelib import poverty
from .common import IntakeCase, csv_file, id_number, register_row, xlsx_file


@tagged("post_install", "-at_install")
class TestPovertyImport(IntakeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 王小明 registered with the ID of row 1; 李娜 has no valid ID in the register (name + birth date)
        cls.wang = cls.create_student(user=cls.handler, name="王小明", id_number=id_number(serial=1))
        cls.li = cls.create_student(user=cls.handler, name="李娜", id_number=id_number(birth="20050709", serial=402))

    def start(self, content, file_name="名单.csv", user=None, **vals):
        Import = self.env["student.loan.poverty.import"].with_user(user or self.handler)
        record = Import.create(dict({"centre_id": self.county.id, "file": content, "file_name": file_name}, **vals))
        return record

    def run_import(self, content, file_name="名单.csv", confirm=True):
        record = self.start(content, file_name)
        self.assertTrue(record.action_read_file(), record.file_error)
        self.assertTrue(record.action_preview(), record.file_error)
        if confirm:
            self.confirm_import(record)
        return record

    def persons(self):
        return self.env["student.loan.poverty.person"].search([("centre_id", "=", self.county.id)])

    def test_csv_import_matches_and_flags(self):
        rows = [
            register_row(1, "王小明"),
            register_row(2, "王小红", household="411623000001"),
            register_row(3, "李娜", birth="20050709", number=""),  # no ID: proposed by name + birth date
        ]
        record = self.start(csv_file(rows))
        self.assertTrue(record.name.startswith("FPB/"))
        record.action_read_file()
        self.assertEqual(record.state, "mapping")
        self.assertEqual(record.file_kind, "csv")
        self.assertEqual(
            record.column_ids.mapped("target"),
            ["household_no", "household_head", "name", "relation", "id_number", "birth_date", "address", "school"],
        )
        self.assertIn("王小明", record.column_ids.filtered(lambda c: c.target == "name").sample)
        record.action_preview()
        self.assertEqual(record.state, "preview")
        self.assertEqual((record.rows_total, record.rows_valid, record.error_rows, record.warning_count), (3, 3, 0, 1))
        self.assertEqual((record.count_new, record.count_matched, record.count_proposed), (3, 1, 1))
        self.assertEqual(record.issue_ids.code, "id_missing")
        self.assertIn("王小红", record.preview_html)
        self.assertNotIn(id_number(serial=2), record.preview_html)  # masked
        # nothing is written before the confirmation
        self.assertFalse(self.persons())
        self.assertFalse(self.wang.is_poverty_registered)

        record.action_confirm()
        self.assertEqual(record.state, "preview", "written only once confirmed by the supervisor")
        self.assertFalse(self.persons())
        with self.assertRaises(AccessError):
            record.with_user(self.handler2).action_approve_import()
        with self.assertRaisesRegex(UserError, "cannot be changed now"):
            record.write({"file": csv_file(rows[:1])})
        record.with_user(self.supervisor).action_approve_import()
        self.assertEqual((record.state, record.review_state), ("done", "approved"))
        persons = self.persons()
        self.assertEqual(len(persons), 3)
        wang = persons.filtered(lambda p: p.name == "王小明")
        self.assertEqual((wang.student_id, wang.match_state, wang.listed), (self.wang, "id", True))
        self.assertEqual(wang.first_import_id, record)
        self.assertTrue(self.wang.is_poverty_registered)
        self.assertEqual(self.wang.poverty_person_count, 1)
        li = persons.filtered(lambda p: p.name == "李娜")
        self.assertEqual((li.match_state, li.proposed_student_id, li.id_valid), ("proposed", self.li, False))
        self.assertFalse(self.li.is_poverty_registered)
        self.assertEqual(record.change_ids.mapped("kind"), ["new"] * 3)
        self.assertEqual(record.change_count, 3)

        # the handler checks the proposal
        li.with_user(self.handler).action_confirm_match()
        self.assertEqual((li.student_id, li.match_state), (self.li, "confirmed"))
        self.assertTrue(self.li.is_poverty_registered)
        li.action_unlink_student()
        self.assertFalse(self.li.is_poverty_registered)

    def test_reimport_changes_nothing(self):
        rows = [register_row(1, "王小明"), register_row(2, "王小红")]
        first = self.run_import(csv_file(rows))
        changes = self.env["student.loan.poverty.change"].search_count([])
        persons = self.persons()
        write_dates = persons.mapped("write_date")
        # the same file: refused
        again = self.start(csv_file(rows))
        self.assertFalse(again.action_read_file())
        self.assertEqual(again.state, "draft")
        self.assertIn("already imported", again.file_error)
        self.assertIn(first.name, again.file_error)
        # the same rows in another file (XLSX, other order): nothing changes
        header = ("户编号", "户主姓名", "姓名", "与户主关系", "身份证号", "出生日期", "所在村", "就读学校")
        same = self.run_import(xlsx_file(list(reversed(rows)), header), "名单.xlsx")
        self.assertEqual((same.count_new, same.count_changed, same.count_removed, same.count_unchanged), (0, 0, 0, 2))
        self.assertEqual(self.env["student.loan.poverty.change"].search_count([]), changes)
        self.assertEqual(self.persons(), persons)
        self.assertEqual(persons.mapped("write_date"), write_dates)

    def test_weekly_changes_new_changed_removed(self):
        self.run_import(csv_file([register_row(1, "王小明"), register_row(2, "王小红"), register_row(4, "王四")]))
        self.assertTrue(self.wang.is_poverty_registered)
        second = self.run_import(
            csv_file(
                [
                    register_row(2, "王小红", village="商水县城关乡李庄村"),  # moved
                    register_row(4, "王四"),
                    register_row(5, "王五"),
                ]
            )
        )
        self.assertEqual(
            (second.count_new, second.count_changed, second.count_removed, second.count_unchanged), (1, 1, 1, 1)
        )
        changes = {change.kind: change for change in second.change_ids}
        self.assertEqual(changes["new"].name, "王五")
        self.assertIn("张庄村 → 商水县城关乡李庄村", changes["changed"].details)
        self.assertEqual(changes["removed"].name, "王小明")
        wang = self.persons().filtered(lambda p: p.name == "王小明")
        self.assertFalse(wang.listed)
        self.assertEqual(wang.removed_import_id, second)
        self.assertFalse(self.wang.is_poverty_registered)  # no longer on the register
        self.assertEqual(
            second.previous_import_id,
            self.env["student.loan.poverty.import"].search([("state", "=", "done"), ("id", "!=", second.id)]),
        )
        # listed again later: the same entry, its history kept
        third = self.run_import(
            csv_file(
                [
                    register_row(1, "王小明"),
                    register_row(2, "王小红", village="商水县城关乡李庄村"),
                    register_row(4, "王四"),
                    register_row(5, "王五"),
                ]
            )
        )
        self.assertEqual(third.count_new, 1)
        self.assertTrue(wang.listed)
        self.assertTrue(self.wang.is_poverty_registered)
        self.assertEqual(wang.change_ids.mapped("kind"), ["new", "removed", "new"])

    def test_errors_block_the_whole_file(self):
        rows = [
            register_row(1, "王小明"),
            register_row(2, ""),  # no name
            register_row(3, "王三"),
            register_row(3, "王三", village="别的村"),  # same ID, other details
            register_row(6, "王六", number="12345", birth="20060301")[:5] + ("",) + register_row(6, "王六")[6:],
        ]
        record = self.start(csv_file(rows))
        record.action_read_file()
        record.action_preview()
        self.assertEqual(record.error_rows, 3)
        errors = record.issue_ids.filtered(lambda issue: issue.level == "error")
        self.assertEqual(errors.mapped("row"), [3, 5, 6])
        self.assertEqual(errors.mapped("code"), ["name_missing", "duplicate_conflict", "no_identity"])
        self.assertIn("row 4", errors[1].message)
        with self.assertRaisesRegex(UserError, "3 rows with errors"):
            record.action_confirm()
        self.assertFalse(self.persons())
        self.assertEqual(record.state, "preview")

    def test_file_errors(self):
        cases = [
            (base64.b64encode(b"%PDF-1.4 not a list"), "名单.pdf", "not an XLSX or CSV file"),
            (base64.b64encode(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64), "名单.xls", "97-2003"),
            (base64.b64encode("姓名,身份证号\n".encode()), "名单.csv", "no data rows"),
            (base64.b64encode(b"PK\x03\x04broken"), "名单.xlsx", "cannot be read"),
        ]
        for content, file_name, message in cases:
            record = self.start(content, file_name)
            self.assertFalse(record.action_read_file())
            self.assertIn(message, record.file_error)
            self.assertEqual(record.state, "draft")
            self.assertFalse(record.column_ids)

    def test_file_too_large(self):
        self.env["ir.config_parameter"].sudo().set_param("student_loan_intake.poverty_max_mb", "0.001")
        record = self.start(csv_file([register_row(serial, f"学生{serial}") for serial in range(1, 30)]))
        self.assertFalse(record.action_read_file())
        self.assertIn("the limit is 0 MB", record.file_error)

    def test_missing_required_column_and_mapping(self):
        header = ("户号", "名字", "公民号", "生日")
        content = csv_file([("411623000001", "张三", id_number(serial=11), "2006-03-01")], header=header)
        record = self.start(content)
        record.action_read_file()
        self.assertEqual(record.column_ids.mapped("target"), ["household_no", False, False, "birth_date"])
        self.assertFalse(record.action_preview())
        self.assertIn("Required columns are not mapped: ID Number, Name", record.file_error)
        self.assertEqual(record.state, "mapping")
        # map by hand, save the mapping: the next file with these headers gets it
        with Form(record) as form:
            with form.column_ids.edit(1) as column:
                column.target = "name"
            with form.column_ids.edit(2) as column:
                column.target = "id_number"
        record.save_mapping_name = "乡镇格式"
        record.action_save_mapping()
        mapping = record.mapping_id
        self.assertEqual(mapping.name, "乡镇格式")
        self.assertEqual(mapping.line_ids.mapped("target"), ["household_no", "name", "id_number", "birth_date"])
        self.assertTrue(record.action_preview())
        self.assertFalse(record.file_error)
        self.assertEqual((record.error_rows, record.count_new), (0, 1))
        content = csv_file([("411623000002", "李四", id_number(serial=12), "2006-03-01")], header=header)
        next_record = self.start(content)
        next_record.action_read_file()
        self.assertEqual(next_record.mapping_id, mapping)
        self.assertEqual(next_record.column_ids.mapped("target"), ["household_no", "name", "id_number", "birth_date"])
        # a target mapped twice
        next_record.column_ids[0].target = "name"
        self.assertFalse(next_record.action_preview())
        self.assertIn("Name is mapped to more than one column", next_record.file_error)

    def test_student_registering_later_is_matched(self):
        self.run_import(csv_file([register_row(7, "王七")]))
        person = self.persons()
        self.assertEqual(person.match_state, "none")
        student = self.create_student(user=self.handler, name="王七", id_number=id_number(serial=7))
        self.assertEqual((person.student_id, person.match_state), (student, "id"))
        self.assertTrue(student.is_poverty_registered)

    def test_rematch_and_reject(self):
        record = self.run_import(csv_file([register_row(3, "李娜", birth="20050709", number="41162320050709")]))
        person = self.persons()
        self.assertEqual(person.match_state, "proposed")
        person.action_reject_match()
        self.assertEqual((person.match_state, person.proposed_student_id), ("rejected", self.li))
        with self.assertRaisesRegex(UserError, "no proposal"):
            person.action_reject_match()
        self.assertEqual(record.action_rematch()["params"]["type"], "info")

    def test_every_parser_message_is_translatable(self):
        record = self.start(csv_file([register_row(1, "王小明")]))
        for code, template in poverty.MESSAGES.items():
            params = {name: "X" for name in re.findall(r"{(\w+)}", template)}
            if code == "missing_columns":
                params["columns"] = "id_number, name"
            if code == "mapped_twice":
                params["target"] = "name"
            message = record._issue_message(code, params)
            self.assertNotEqual(message, code)
            if code not in ("missing_columns", "mapped_twice"):
                self.assertEqual(message, template.format(**params))

    def test_access(self):
        record = self.run_import(csv_file([register_row(1, "王小明")]))
        with self.assertRaises(AccessError):
            record.with_user(self.handler_b).read(["name"])
        self.assertFalse(self.env["student.loan.poverty.person"].with_user(self.handler_b).search([]))
        person = self.persons().with_user(self.city_viewer)
        self.assertEqual(person.name, "王小明")
        self.assertTrue(person.id_number_masked.startswith("411623"))
        with self.assertRaises(AccessError):
            person.mapped("id_number")
        with self.assertRaises(AccessError):
            self.start(csv_file([register_row(1, "王小明")]), user=self.city_viewer)
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            record.unlink()
        with self.assertRaisesRegex(UserError, "cannot be replaced"):
            record.file = csv_file([register_row(2, "王小红")])
