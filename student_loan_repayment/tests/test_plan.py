import base64
import datetime
import subprocess
import tempfile
import unicodedata
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DISBURSED, D, RepaymentCase


@tagged("post_install", "-at_install")
class TestRepaymentPlan(RepaymentCase):
    def test_plan_stored_at_disbursement(self):
        """The bank's confirmation stores the engine's plan as lines on the contract."""
        contract = self.contract
        self.assertEqual(contract.state, "active")
        self.assertEqual(contract.disbursement_date, DISBURSED)
        self.assertEqual((contract.repayment_method, contract.repayment_frequency), ("annuity", "yearly"))
        expected = self.engine_plan(contract)
        lines = contract.plan_line_ids.sorted("date")
        self.assertEqual(len(lines), len(expected.lines))
        for line, plan_line in zip(lines, expected.lines, strict=True):
            self.assertEqual(
                (
                    line.date,
                    line.kind,
                    self.money(line.principal),
                    self.money(line.interest),
                    self.money(line.subsidised_interest),
                    self.money(line.balance),
                ),
                (
                    plan_line.date,
                    plan_line.kind,
                    plan_line.principal,
                    plan_line.interest,
                    plan_line.subsidised_interest,
                    plan_line.balance,
                ),
            )
        first = lines[0]
        # 6,200 × 3.25% × 101 days / 360, all paid by the state while studying
        self.assertEqual((first.date, first.kind, first.days), (datetime.date(2024, 12, 20), "study", 101))
        self.assertEqual(self.money(first.subsidised_interest), D("56.53"))
        self.assertEqual(first.interest, 0)
        self.assertAlmostEqual(sum(lines.mapped("principal")), 6200, places=2)
        # the bank's calendar: the last line is the last 20 December on or before the maturity date
        self.assertEqual(contract.plan_convention, "bank")
        self.assertEqual(lines[-1].date, datetime.date(2042, 12, 20))
        self.assertLessEqual(lines[-1].date, contract.maturity_date)
        self.assertTrue(all((line.date.month, line.date.day) == (12, 20) for line in lines))
        self.assertEqual(lines[-1].balance, 0)
        self.assertAlmostEqual(contract.plan_total_interest, float(expected.total_interest), places=2)
        self.assertAlmostEqual(contract.plan_total_subsidised, float(expected.total_subsidised_interest), places=2)

    def test_method_and_frequency_per_contract(self):
        """Before disbursement the handler picks 等额本金 / monthly and previews the plan."""
        with freeze_time(DISBURSED):
            application = self.make_checked_application()
        contract = application.contract_id.with_user(self.handler)
        self.assertEqual(contract.state, "signed")
        self.assertFalse(contract.plan_line_ids)
        contract.write({"repayment_method": "linear", "repayment_frequency": "monthly"})
        contract.action_compute_plan()
        repayments = contract.plan_line_ids.filtered(lambda line: line.kind == "repayment")
        expected = self.engine_plan(contract)
        self.assertEqual(len(contract.plan_line_ids), len(expected.lines))
        # monthly lines on the 20th, equal principal on all but the last
        self.assertGreater(len(repayments), 100)
        self.assertEqual({line.date.day for line in repayments[:-1]}, {20})
        self.assertEqual(len(set(repayments[:-1].mapped("principal"))), 1)
        # a preview follows the terms: back to yearly annuity
        contract.write({"repayment_method": "annuity", "repayment_frequency": "yearly"})
        self.assertEqual(len(contract.plan_line_ids), len(self.engine_plan(contract).lines))
        self.assertLess(len(contract.plan_line_ids), 30)

    def test_plan_failure_does_not_block_the_bank(self):
        """A plan the engine refuses leaves the disbursement confirmed, with a note and a to-do."""
        Contract = type(self.env["student.loan.contract"])
        with freeze_time(DISBURSED), patch.object(Contract, "_build_plan", side_effect=UserError("bad terms")):
            application = self.make_confirmed_application()
        contract = application.contract_id
        self.assertEqual((contract.state, len(contract.plan_line_ids)), ("active", 0))
        self.assertIn("bad terms", "".join(contract.message_ids.mapped("body")))
        self.assertEqual(contract.activity_ids.summary, "Repayment plan missing")
        contract.with_user(self.handler).action_compute_plan()
        self.assertTrue(contract.plan_line_ids)

    def test_method_locked_once_disbursed(self):
        with self.assertRaisesRegex(UserError, "repayment-plan change request"):
            self.contract.with_user(self.handler).write({"repayment_method": "linear"})
        with self.assertRaisesRegex(UserError, "settled already"):
            self.settle(datetime.date(2024, 12, 20))
            self.contract.sudo()._generate_plan()

    def test_export_csv(self):
        """A viewer downloads the plan as CSV, readable by spreadsheets (UTF-8 with BOM)."""
        contract = self.contract.with_user(self.city_viewer)
        action = contract.action_export_plan_csv()
        attachment_id = int(action["url"].split("/web/content/")[1].split("?")[0])
        attachment = self.env["ir.attachment"].with_user(self.city_viewer).browse(attachment_id)
        text = base64.b64decode(attachment.datas).decode("utf-8")
        self.assertTrue(text.startswith("\ufeff"))
        rows = text.lstrip("\ufeff").splitlines()
        self.assertEqual(len(rows), len(self.contract.plan_line_ids) + 1)
        self.assertIn("Subsidised Interest", rows[0])
        self.assertTrue(rows[1].startswith(f"{self.contract.name},2024-12-20,"), rows[1])

    def test_plan_pdf_in_chinese(self):
        """The PDF of the plan is rendered by wkhtmltopdf in Chinese when Chinese is installed."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["student_loan_repayment"], ["zh_CN"], overwrite=True)
        report = self.env.ref("student_loan_repayment.action_report_repayment_plan")
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, self.contract.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            text = subprocess.run(
                ["pdftotext", "-layout", handle.name, "-"], capture_output=True, check=True
            ).stdout.decode("utf-8")
        text = unicodedata.normalize("NFKC", text)
        for expected in (
            "还款计划",
            "生源地信用助学贷款",
            "合同编号",
            "张三",
            "等额本息",
            "财政贴息",
            self.contract.name,
            "2043-09-10",
            "6200.00",
        ):
            self.assertIn(expected, text)
