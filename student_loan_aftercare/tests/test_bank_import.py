import base64
import datetime
import io

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import FIRST_PRINCIPAL, AftercareCase


def csv_file(rows, header=("合同编号", "扣款日期", "扣款金额", "银行流水号")):
    lines = [",".join(header)] + [",".join(str(value) for value in row) for row in rows]
    return base64.b64encode("\n".join(lines).encode("utf-8-sig"))


@tagged("post_install", "-at_install")
class TestBankImport(AftercareCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.settle_and_pay_before(cls.senior_contract, FIRST_PRINCIPAL)
        cls.Settlement._settle_due(FIRST_PRINCIPAL)
        cls.due_line = cls.Settlement.sudo().search(
            [("contract_id", "=", cls.senior_contract.id), ("state", "=", "open")]
        )
        cls.due = round(cls.due_line.amount_residual, 2)

    def new_import(self, content, filename="还款.csv", kind="repayment", user=None):
        return self.Import.with_user(user or self.handler).create({"kind": kind, "file": content, "filename": filename})

    def payments(self):
        return self.Payment.sudo().search(
            [("contract_id", "=", self.senior_contract.id), ("channel", "=", "bank_card")]
        )

    def test_preview_with_errors_writes_nothing_then_import_and_reimport(self):
        name = self.senior_contract.name
        bad = self.new_import(
            csv_file(
                [
                    (name, "2030-12-20", self.due, "BK0001"),
                    ("411623-2099-999999", "2030-12-20", "10", "BK0002"),
                    (name, "2030-13-40", "abc", "BK0001"),
                ]
            )
        )
        with freeze_time(FIRST_PRINCIPAL):
            bad.action_preview()
        self.assertEqual(bad.state, "preview")
        self.assertEqual(bad.row_count, 3)
        self.assertEqual(bad.error_count, 2)
        errors = bad.line_ids.filtered(lambda line: line.status == "error")
        self.assertIn("No disbursed contract 411623-2099-999999", errors[0].error)
        self.assertIn("2030-13-40", errors[1].error)
        self.assertIn("BK0001", errors[1].error)
        with freeze_time(FIRST_PRINCIPAL), self.assertRaisesRegex(UserError, "2 rows have errors"):
            bad.action_confirm()
        self.assertFalse(self.payments(), "nothing booked before a clean confirmation")

        content = csv_file([(name, "2030-12-20", self.due, "BK0001")])
        good = self.new_import(content)
        with freeze_time(FIRST_PRINCIPAL):
            good.action_preview()
            self.assertEqual(good.line_ids.reconcile, "match")
            self.assertFalse(self.payments())
            good.action_confirm()
        self.assertEqual(good.state, "done")
        payment = self.payments()
        self.assertEqual(payment.reference, "BK0001")
        self.assertEqual(payment.state, "posted")
        self.assertEqual(self.due_line.state, "paid")
        # the same file again: refused; the same deduction in another file: skipped
        again = self.new_import(content)
        with freeze_time(FIRST_PRINCIPAL), self.assertRaisesRegex(UserError, "imported already"):
            again.action_preview()
        other = self.new_import(
            csv_file([(name, "2030-12-20", self.due, "BK0001")], header=("合同号", "交易日期", "还款金额", "流水号"))
        )
        with freeze_time(FIRST_PRINCIPAL):
            other.action_preview()
            self.assertEqual(other.line_ids.status, "duplicate")
            other.action_confirm()
        self.assertEqual(len(self.payments()), 1)

    def test_reconciliation_reports_differences(self):
        imp = self.new_import(csv_file([(self.senior_contract.name, "2030-12-20", "100.00", "BK0100")]))
        with freeze_time(FIRST_PRINCIPAL):
            imp.action_preview()
        line = imp.line_ids
        self.assertEqual(line.reconcile, "differs")
        self.assertAlmostEqual(line.difference, 100 - self.due, places=2)
        self.assertEqual(imp.difference_count, 1)
        action = imp.action_open_differences()
        self.assertEqual(self.env["student.loan.bank.import.line"].search(action["domain"]), line)

    def test_overdue_file_from_xlsx(self):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(["合同编号", "姓名", "逾期天数", "逾期本金", "逾期利息"])
        sheet.append(
            [self.senior_contract.name, "李明", 40, self.due_line.principal_residual, self.due_line.interest_residual]
        )
        buffer = io.BytesIO()
        workbook.save(buffer)
        imp = self.new_import(base64.b64encode(buffer.getvalue()), filename="逾期.xlsx", kind="overdue")
        with freeze_time(datetime.date(2031, 1, 29)):
            imp.action_preview()
            self.assertFalse(imp.file_error)
            line = imp.line_ids
            self.assertEqual(line.status, "ok")
            self.assertEqual(line.our_days_past_due, 40)
            self.assertEqual(line.reconcile, "match")
            imp.action_confirm()
        self.assertEqual(imp.state, "done")
        self.assertFalse(self.payments(), "an overdue file books nothing")

    def test_bad_files_refused_clearly(self):
        imp = self.new_import(base64.b64encode(b"\x00\x01binary"), filename="x.csv")
        imp.action_preview()
        self.assertEqual(imp.state, "draft")
        self.assertTrue(imp.file_error)
        missing = self.new_import(csv_file([("a", "b")], header=("合同编号", "备注")))
        missing.action_preview()
        self.assertIn("date", missing.file_error)
        self.assertEqual(missing.state, "draft")

    def test_only_handlers_import(self):
        with self.assertRaisesRegex(UserError, "Only handlers"):
            self.new_import(csv_file([]), user=self.bank)

    def test_contract_of_another_lender_is_an_error(self):
        self.senior_contract.sudo().lender_id = self.env.ref("student_loan_aftercare.lender_psbc")
        imp = self.new_import(csv_file([(self.senior_contract.name, "2030-12-20", self.due, "BK0200")]))
        with freeze_time(FIRST_PRINCIPAL):
            imp.action_preview()
        self.assertIn("not by this file's bank", imp.line_ids.error)
