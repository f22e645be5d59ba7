import base64
import io
import subprocess
import tempfile
import unicodedata

from PIL import Image, ImageDraw

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.student_loan.tests.common import StudentLoanCase

# CJK radicals-supplement look-alikes that NFKC leaves alone
RADICALS = str.maketrans(
    {
        "\u2ea0": "民",
        "\u2ec5": "见",
        "\u2ec9": "贝",
        "\u2ecb": "车",
        "\u2ed0": "钅",
        "\u2ed3": "长",
        "\u2ed4": "门",
        "\u2eda": "页",
        "\u2edb": "风",
        "\u2edc": "飞",
        "\u2ee2": "马",
        "\u2ee5": "鱼",
        "\u2ee6": "鸟",
        "\u2ee9": "黄",
        "\u2ef0": "龙",
    }
)


def pdf_text(pdf):
    """The text of a PDF (pdftotext), NFKC-normalised: poppler gives some CJK characters back as
    their Kangxi-radical look-alikes (and a few as radicals-supplement ones, mapped here)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        text = subprocess.run(
            ["pdftotext", "-layout", handle.name, "-"], capture_output=True, text=True, check=True
        ).stdout
    return unicodedata.normalize("NFKC", text).translate(RADICALS)


@tagged("post_install", "-at_install")
class TestDocuments(StudentLoanCase):
    """The application form, the acceptance certificate and the contract, rendered by wkhtmltopdf."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.application = cls.make_confirmed_application()
        cls.contract = cls.application.contract_id
        cls.contract.sudo().write({"signature": cls.signature_png(), "coborrower_signature": cls.signature_png()})
        cls.checked = cls.make_checked_application(
            cls.create_student(user=cls.handler, name="王小明", mobile="13600003333")
        )

    @staticmethod
    def signature_png():
        """A signature as the pad captures it: strokes on a white 240x80 image."""
        image = Image.new("RGB", (240, 80), "white")
        ImageDraw.Draw(image).line([(10, 60), (80, 15), (150, 65), (230, 20)], fill="black", width=4)
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        return base64.b64encode(buffer.getvalue())

    def _render(self, xmlid, records, user=None):
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        if user:
            Report = Report.with_user(user)
        pdf, kind = Report._render_qweb_pdf(xmlid, records.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        return pdf

    def test_application_form(self):
        pdf = self._render("student_loan.action_report_application_form", self.application, self.handler)
        text = pdf_text(pdf)
        normalised = "".join(text.split())
        self.assertIn("大学新生入学资助项目申请表", normalised)
        self.assertIn("张三", normalised)
        self.assertIn(self.application.name, normalised)
        self.assertIn(self.application.student_id.sudo().id_number, normalised)  # a handler sees the full number
        self.assertIn("陆仟贰佰元整", normalised)  # 5,000 tuition + 1,200 accommodation
        self.assertIn("6,200.00", normalised)
        self.assertIn(self.application.school_id.name, normalised)
        self.assertIn("张父", normalised)
        self.assertIn("商水县城关乡人民政府", normalised)
        # a city viewer reads the masked number only
        viewer_text = "".join(
            pdf_text(
                self._render("student_loan.action_report_application_form", self.application, self.city_viewer)
            ).split()
        )
        self.assertIn(self.application.student_id.id_number_masked, viewer_text)
        self.assertNotIn(self.application.student_id.sudo().id_number, viewer_text)

    def test_acceptance_certificate_once_approved(self):
        with self.assertRaisesRegex(UserError, "available once the application is approved"):
            self._render("student_loan.action_report_acceptance_certificate", self.checked.contract_id)
        self.assertTrue(self.contract.receipt_code)
        text = "".join(
            pdf_text(
                self._render("student_loan.action_report_acceptance_certificate", self.contract, self.handler)
            ).split()
        )
        self.assertIn("生源地信用助学贷款受理证明", text)
        self.assertIn("回执校验码", text)
        self.assertIn(self.contract.receipt_code, text)
        self.assertIn(self.contract.name, text)
        self.assertIn("陆仟贰佰元整", text)
        self.assertIn("首次贷款", text)

    def test_contract_with_signature(self):
        pdf = self._render("student_loan.action_report_loan_contract", self.contract, self.handler)
        text = "".join(pdf_text(pdf).split())
        self.assertIn("国家助学贷款借款合同", text)
        self.assertIn(self.contract.name, text)
        self.assertIn("借款人(签字)", text)
        self.assertIn("陆仟贰佰元整", text)
        self.assertIn(f"{self.contract.rate:.2f}%", text)
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            images = subprocess.run(
                ["pdfimages", "-list", handle.name], capture_output=True, text=True, check=True
            ).stdout
        self.assertGreaterEqual(len(images.strip().splitlines()) - 2, 2)  # both signatures (after 2 header lines)

    def test_print_menu_bindings(self):
        reports = self.env["ir.actions.report"].search([("report_name", "like", "student_loan.")])
        self.assertEqual(
            set(reports.mapped("model")),
            {"student.loan.application", "student.loan.contract"},
        )
        self.assertTrue(all(report.binding_model_id for report in reports))
