import base64
import datetime
import io

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import IntakeCase, csv_file, id_number, register_row


@tagged("post_install", "-at_install")
class TestPovertyReconciliation(IntakeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.high_school = cls.env["student.loan.school"].create({"name": "商水县第一高级中学", "kind": "high_school"})
        cls.high_school_2 = cls.env["student.loan.school"].create({"name": "商水县第二高级中学", "kind": "high_school"})
        cls.wang = cls.create_student(
            user=cls.handler, name="欧阳明", id_number=id_number(serial=1), high_school_id=cls.high_school.id
        )
        cls.zhao = cls.create_student(
            user=cls.handler, name="欧阳华", id_number=id_number(serial=2), high_school_id=cls.high_school_2.id
        )
        cls.qian = cls.create_student(
            user=cls.handler, name="欧阳多", id_number=id_number(serial=3), high_school_id=cls.high_school.id
        )

    def import_rows(self, rows):
        record = (
            self.env["student.loan.poverty.import"]
            .with_user(self.handler)
            .create({"centre_id": self.county.id, "file": csv_file(rows), "file_name": "名单.csv"})
        )
        record.action_read_file()
        record.action_preview()
        return self.confirm_import(record)

    def sheet_rows(self, content, sheet):
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return [list(row) for row in workbook[sheet].iter_rows(values_only=True)]

    def test_weekly_cron(self):
        with freeze_time("2024-08-05 02:00:00"):
            self.import_rows([register_row(1, "欧阳明"), register_row(2, "欧阳华"), register_row(9, "欧阳九")])
            self.env["student.loan.poverty.reconciliation"]._cron_weekly()
        with freeze_time("2024-08-09 02:00:00"):
            self.import_rows(
                [register_row(1, "欧阳明", village="新村"), register_row(2, "欧阳华"), register_row(3, "欧阳多")]
            )
        # 欧阳明 applied this year; 欧阳华 and 欧阳多 have not
        self.create_application(self.wang, user=self.handler)
        with freeze_time("2024-08-12 02:00:00"):
            self.env["student.loan.poverty.reconciliation"]._cron_weekly()
        week = self.env["student.loan.poverty.reconciliation"].search(
            [("centre_id", "=", self.county.id)], order="date_to desc", limit=1
        )
        self.assertEqual((week.date_from, week.date_to), (datetime.date(2024, 8, 6), datetime.date(2024, 8, 12)))
        self.assertEqual(len(week.import_ids), 1)
        self.assertEqual((week.count_new, week.count_changed, week.count_removed), (1, 1, 1))
        lines = {(line.kind, line.name) for line in week.line_ids if line.kind != "not_applied"}
        self.assertEqual(lines, {("new", "欧阳多"), ("changed", "欧阳明"), ("removed", "欧阳九")})
        # (other 建档立卡 students of the county, e.g. demo data, may be listed too)
        not_applied = week.line_ids.filtered(lambda line: line.kind == "not_applied").student_id
        self.assertEqual(not_applied & (self.wang | self.zhao | self.qian), self.zhao | self.qian)
        self.assertEqual(week.count_not_applied, len(not_applied))
        # the spreadsheet is attached, the handlers have a to-do
        self.assertTrue(week.xlsx_attachment_id)
        self.assertIn(week.xlsx_attachment_id, week.message_ids.attachment_ids)
        self.assertTrue(week.activity_ids)
        content = base64.b64decode(week.xlsx_attachment_id.datas)
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        self.assertEqual(workbook.sheetnames, ["Summary", "New", "Changed", "No Longer Listed", "Not Yet Applied"])
        names = {row[0] for row in self.sheet_rows(content, "Not Yet Applied")[1:]}
        self.assertTrue({"欧阳华", "欧阳多"} <= names)
        self.assertNotIn("欧阳明", names)
        changed = self.sheet_rows(content, "Changed")
        self.assertIn("新村", changed[1][4])
        # the cron does not make a second reconciliation for the same week
        with freeze_time("2024-08-12 05:00:00"):
            self.env["student.loan.poverty.reconciliation"]._cron_weekly()
        self.assertEqual(
            self.env["student.loan.poverty.reconciliation"].search_count([("centre_id", "=", self.county.id)]), 2
        )

    def test_report_and_manual_export(self):
        self.import_rows([register_row(1, "欧阳明")])
        record = (
            self.env["student.loan.poverty.reconciliation"]
            .with_user(self.handler)
            .create({"centre_id": self.county.id})
        )
        record.action_refresh()
        self.assertEqual(record.count_new, 1)
        action = record.action_export_xlsx()
        self.assertIn(f"/web/content/{record.xlsx_attachment_id.id}", action["url"])
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "student_loan_intake.action_report_poverty_reconciliation", record.ids
        )
        html = html.decode()
        self.assertIn("一周一核对", html)
        self.assertIn("欧阳明", html)
        self.assertIn("Not Yet Applied", html)

    def test_high_school_lists(self):
        year = 2024
        for student in self.wang | self.zhao | self.qian:
            student.write({"enrolment_year": year})
        self.import_rows([register_row(1, "欧阳明"), register_row(2, "欧阳华")])
        self.create_application(self.wang, user=self.handler)
        wizard = (
            self.env["student.loan.poverty.school.list"]
            .with_user(self.handler)
            .create({"centre_id": self.county.id, "enrolment_year": year})
        )
        self.assertEqual(wizard._students(), self.wang | self.zhao)  # 欧阳多 is not 建档立卡
        action = wizard.action_export()
        self.assertIn("/web/content/", action["url"])
        content = base64.b64decode(wizard.attachment_id.datas)
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        self.assertEqual(sorted(workbook.sheetnames), ["商水县第一高级中学", "商水县第二高级中学"])
        rows = self.sheet_rows(content, "商水县第一高级中学")
        self.assertIn("商水县第一高级中学", rows[0][0])
        self.assertEqual(rows[3][0], "欧阳明")
        self.assertEqual(rows[3][2], self.wang.id_number_masked)
        self.assertNotIn(self.wang.id_number, [cell for row in rows for cell in row])
        self.assertEqual(rows[3][3], self.school.name)
        self.assertEqual(self.sheet_rows(content, "商水县第二高级中学")[3][7], "Not yet applied")
        # one school only
        wizard.high_school_ids = self.high_school_2
        self.assertEqual(wizard._students(), self.zhao)
        wizard.enrolment_year = 2030
        with self.assertRaisesRegex(UserError, "No admitted"):
            wizard.action_export()
