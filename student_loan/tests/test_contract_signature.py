import base64
import json

from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged

from ..loanlib import handwriting
from .common import PNG, STROKES, StudentLoanCase


class TestContractSignature(StudentLoanCase):
    """Signatures are hand-drawn: the server draws them from the pad's strokes and refuses the rest."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        student = cls.create_student(user=cls.handler)
        application = cls.create_application(student, user=cls.handler)
        cls.attach_required(application)
        application.action_submit()
        cls.pass_manual_checks(application)
        application.action_prepare_contract()
        cls.contract = application.contract_id.with_user(cls.handler)

    def test_typed_or_imported_image_refused(self):
        for field in ("signature", "coborrower_signature"):
            with self.subTest(field=field), self.assertRaisesRegex(ValidationError, "written by hand"):
                self.contract.write({field: PNG})
        self.assertFalse(self.contract.signature)

    def test_not_drawn_refused(self):
        auto = json.dumps({"mode": "auto", "width": 600, "height": 300, "strokes": handwriting.sample_strokes()})
        dot = [{"points": [{"x": 1, "y": 1, "time": 0}]}]
        instant = [{"points": [{"x": 50 + i * 20, "y": 100, "time": 0} for i in range(30)]}]
        cases = [
            (auto, "written by hand"),
            (json.dumps({"width": 600, "height": 300, "strokes": instant}), "written by hand"),
            (json.dumps({"width": 600, "height": 300, "strokes": []}), "Sign in the box"),
            (json.dumps({"width": 600, "height": 300, "strokes": dot}), "short"),
            ("not json", "could not be read"),
            (json.dumps({"width": 600, "height": 300, "strokes": [{"points": [{"x": "a"}]}]}), "could not be read"),
        ]
        for strokes, message in cases:
            with self.subTest(message=message), self.assertRaisesRegex(ValidationError, message):
                self.contract.write({"signature_strokes": strokes})

    def test_drawn_signature_rendered_by_the_server(self):
        # the image sent along is ignored: the server draws the strokes itself
        self.contract.write({"signature": PNG, "signature_strokes": STROKES})
        raw = base64.b64decode(self.contract.signature)
        self.assertNotEqual(raw, base64.b64decode(PNG))
        self.assertTrue(raw.startswith(b"\x89PNG"))
        evidence = json.loads(self.contract.signature_strokes)
        self.assertEqual(evidence["width"], 600)
        self.assertEqual(evidence["uid"], self.handler.id)
        self.assertEqual(len(evidence["strokes"]), 3)


@tagged("post_install", "-at_install", "is_tour")
class TestContractSignatureTour(StudentLoanCase, HttpCase):
    def test_handler_draws_the_signature(self):
        student = self.create_student(user=self.handler)
        application = self.create_application(student, user=self.handler)
        self.attach_required(application)
        application.action_submit()
        self.pass_manual_checks(application)
        application.action_prepare_contract()
        contract = application.contract_id
        self.start_tour(
            f"/odoo/action-student_loan.student_loan_contract_action/{contract.id}",
            "student_loan_hand_signature_tour",
            login=self.handler.login,
        )
        contract.invalidate_recordset()
        self.assertTrue(contract.signature)
        evidence = json.loads(contract.signature_strokes)
        self.assertEqual(evidence["uid"], self.handler.id)
        self.assertGreaterEqual(sum(len(stroke) for stroke in evidence["strokes"]), 15)
