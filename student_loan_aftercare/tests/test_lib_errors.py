"""The after-the-loan maths refuse bad values with ``LibError`` message ids; a zh_CN user reads them in Chinese."""

import datetime

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import AftercareCase


@tagged("post_install", "-at_install")
class TestLibErrors(AftercareCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.admin.lang = "zh_CN"

    def test_waiver_refusal_in_chinese(self):
        # the web client sends the user's language in the context
        Waiver = self.env["student.loan.penalty.waiver"].with_user(self.admin).with_context(lang=self.admin.lang)
        with self.assertRaises(ValidationError) as caught:
            Waiver.create(
                {"name": "2022", "date_from": datetime.date(2022, 12, 31), "date_to": datetime.date(2022, 1, 1)}
            )
        message = str(caught.exception)
        # loanlib.penalty's message, in Chinese, with the dates of the waiver (end excluded: the day after)
        self.assertIn("减免", message)
        self.assertIn("2022-01-02", message)
        self.assertIn("2022-12-31", message)
        self.assertNotIn("before it starts", message)

    def test_policy_multiple_refusal_in_chinese(self):
        policy = self.senior_contract.policy_id.with_user(self.admin).with_context(lang=self.admin.lang)
        with self.assertRaises(ValidationError) as caught:
            policy.penalty_multiple = 9
        self.assertIn("罚息倍数", str(caught.exception))

    def test_english_user_reads_english(self):
        self.admin.lang = "en_US"
        with self.assertRaisesRegex(ValidationError, "The penalty multiple must be between 1 and 5"):
            self.senior_contract.policy_id.with_user(self.admin).with_context(lang="en_US").penalty_multiple = 9
