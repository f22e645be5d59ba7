"""The window clerk's entry: the co-borrower filled in, one address rule in the words of the return reasons
(村、组、门牌号), the e-mail optional where the check does not ask for it."""

from odoo.tests import Form, tagged

from .common import StudentLoanCase, make_id_number


@tagged("post_install", "-at_install")
class TestWindowEntry(StudentLoanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"].search([("name", "=", "student_loan")])._update_translations(["zh_CN"])

    def add_coborrower(self, student, name, address="河南省周口市商水县城关乡解放路12号"):
        return (
            self.env["student.loan.coborrower"]
            .with_user(self.handler)
            .create(
                {
                    "student_id": student.id,
                    "name": name,
                    "relation": "mother",
                    "id_number": make_id_number(birth="19720202"),
                    "mobile": "13612345678",
                    "address": address,
                }
            )
        )

    def test_coborrower_filled_in_on_the_form(self):
        student = self.create_student(user=self.handler)
        with Form(self.env["student.loan.application"].with_user(self.handler)) as form:
            form.student_id = student
            self.assertEqual(form.coborrower_id, student.coborrower_ids)
            form.academic_year = self.year
            form.tuition = 5000
        self.assertEqual(form.record.coborrower_id, student.coborrower_ids)

    def test_renewal_keeps_the_coborrower_of_the_last_application(self):
        student = self.create_student(user=self.handler)
        father = student.coborrower_ids
        first = self.create_application(student, user=self.handler)
        self.assertEqual(first.coborrower_id, father)
        mother = self.add_coborrower(student, "张母")
        student.invalidate_recordset(["coborrower_ids"])
        self.assertEqual(student.coborrower_ids[:1], mother, "the newest co-borrower comes first")
        renewal = (
            self.env["student.loan.application"]
            .with_user(self.handler)
            .create({"student_id": student.id, "academic_year": self.year + 1, "tuition": 5000})
        )
        self.assertEqual(renewal.coborrower_id, father)
        # chosen by the clerk: kept
        other = self.create_student(user=self.handler, id_number=make_id_number(serial=77))
        chosen = self.add_coborrower(other, "李母")
        application = self.create_application(other, user=self.handler, coborrower_id=chosen.id)
        self.assertEqual(application.coborrower_id, chosen)

    def test_address_rule_and_return_reason_use_the_same_words(self):
        student = self.create_student(user=self.handler)
        student.coborrower_ids.write({"address": "河南省南阳市淅川县上集镇张营村3组"})
        self.assertFalse(student.coborrower_ids.address_complete)
        application = self.create_application(student, user=self.handler).with_context(lang="zh_CN")
        self.attach_required(application)
        application.action_submit()
        line = application.check_line_ids.filtered(lambda line: line.item_id.code == "coborrower_address")
        self.assertEqual(line.result, "failed")
        self.assertEqual(
            line.reason,
            "共同借款人住址需写明村、组和门牌号（城镇写明街道和门牌号），缺少：门牌号。",
        )
        self.assertEqual(student.coborrower_ids.with_context(lang="zh_CN").address_problem, line.reason)
        # the return wizard proposes the check's words as the reason
        action = application.with_user(self.handler).action_open_return_wizard()
        wizard = Form(self.env[action["res_model"]].with_user(self.handler).with_context(**action["context"]))
        self.assertIn(line.reason, wizard.reason)
        self.assertIn(line.item_id.with_context(lang="zh_CN").name, wizard.reason)
        wizard.save().action_confirm()
        self.assertEqual(application.state, "returned")
        self.assertIn(line.reason, application.return_reason)
        # a village address with group and house number is complete
        student.coborrower_ids.write({"address": "河南省南阳市淅川县上集镇张营村3组15号"})
        self.assertTrue(student.coborrower_ids.address_complete)
        self.assertFalse(student.coborrower_ids.address_problem)

    def test_email_optional_where_the_check_does_not_ask_for_it(self):
        contact = self.env["student.loan.check.item"].search([("code", "=", "contact")])
        self.assertTrue(contact.email_required, "the shipped check asks for an e-mail")
        student = self.create_student(user=self.handler, email=False)
        application = self.create_application(student, user=self.handler)
        self.attach_required(application)
        application.action_submit()
        line = application.check_line_ids.filtered(lambda line: line.item_id == contact)
        self.assertEqual(line.result, "failed")
        contact.email_required = False
        application.action_run_auto_checks()
        self.assertEqual((line.result, line.reason), ("passed", False))
