"""The review engine as an administrator configures it: tiers added and changed from data, not code,
automation rules on its fields."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import StudentLoanCase


@tagged("post_install", "-at_install")
class TestReviewEngine(StudentLoanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.city_supervisor = mail_new_test_user(
            cls.env,
            login="sl_city_sup",
            name="City Supervisor Zhoukou",
            groups="student_loan.group_supervisor",
            loan_centre_id=cls.city.id,
            email="sl_city_sup@example.com",
        )
        cls.approve_tier = cls.env.ref("student_loan.tier_definition_application_approve")
        cls.Tier = cls.env["tier.definition"]

    def checked_application(self, tuition=5000, accommodation=1200):
        student = self.create_student(user=self.handler)
        application = self.create_application(student, user=self.handler, tuition=tuition, accommodation=accommodation)
        self.attach_required(application)
        application.action_submit()
        self.pass_manual_checks(application)
        application.action_prepare_contract()
        self.sign_contract(application)
        application.action_check()
        return application

    def add_city_tier(self):
        """What the province administrator does in Configuration → Review Tiers."""
        return self.Tier.with_user(self.admin).create(
            {
                "name": "市级复核（16000元以上）",
                "model_id": self.env["ir.model"]._get_id("student.loan.application"),
                "review_role": "approve",
                "review_type": "field",
                "reviewer_field_id": self.env["ir.model.fields"]
                ._get("student.loan.application", "review_city_reviewer_ids")
                .id,
                "sequence": 30,
                "approve_sequence": True,
                "deadline_days": 2,
                "definition_domain": "[('approved_amount', '>', 16000)]",
                "company_id": False,
            }
        )

    def test_shipped_ladder_is_data(self):
        tiers = self.Tier.search([("model", "=", "student.loan.application")], order="sequence")
        self.assertEqual(tiers.mapped("review_role"), ["check", "approve", "bank"])
        application = self.checked_application()
        self.assertEqual(application.review_ids.mapped("status"), ["approved", "pending", "waiting"])
        self.assertEqual(application.review_ids[0].done_by, self.handler)
        self.assertIn(self.supervisor, application.review_ids[1].reviewer_ids)
        self.assertNotIn(self.admin, application.review_ids[1].reviewer_ids, "the closest centre's supervisors")
        bank_reviewers = application.review_ids[2].reviewer_ids
        self.assertIn(self.bank, bank_reviewers, "the bank's tasks go to the bank")
        self.assertNotIn(self.admin, bank_reviewers, "not to the province administrators")
        self.assertFalse(bank_reviewers.filtered(lambda user: user.has_group("student_loan.group_handler")))

    def test_city_tier_for_amounts_above_16000(self):
        # a handler may not add tiers; the province administrator may
        with self.assertRaises(AccessError):
            self.Tier.with_user(self.handler).create({"name": "x", "model_id": self.approve_tier.model_id.id})
        city_tier = self.add_city_tier()
        small = self.checked_application()
        self.assertNotIn(city_tier, small.review_ids.definition_id)
        big = self.checked_application(tuition=15000, accommodation=2000)
        self.assertEqual(big.approved_amount, 17000)
        self.assertIn(city_tier, big.review_ids.definition_id)
        # the county supervisor approves: the application waits for the city
        big.with_user(self.supervisor).action_approve()
        self.assertEqual(big.state, "checked")
        self.assertEqual(big.activity_ids.user_id, self.city_supervisor)
        self.assertEqual(big.contract_id.state, "signed", "not approved before the city")
        with self.assertRaises(AccessError):
            big.with_user(self.supervisor2).action_approve()
        big.with_user(self.city_supervisor).action_approve()
        self.assertEqual(big.state, "approved")
        self.assertEqual(big.contract_id.state, "approved")
        self.assertTrue(any("市级复核" in body for body in big.message_ids.mapped("body")))
        # the city can also return it: it goes back to the handler
        small.with_user(self.supervisor).action_approve()
        self.assertEqual(small.state, "approved", "below 16,000 the county decides")

    def test_city_tier_can_return(self):
        self.add_city_tier()
        big = self.checked_application(tuition=15000, accommodation=2000)
        big.with_user(self.supervisor).action_approve()
        big.with_user(self.city_supervisor)._return("金额需核实")
        self.assertEqual((big.state, big.returned_by), ("returned", "supervisor"))
        self.assertFalse(big.review_ids, "the tiers start again at the next submission")
        self.assertNextActor(big, "student_loan.group_handler", self.county)

    def test_change_a_steps_reviewer_group(self):
        review_group = self.env["res.groups"].create(
            {"name": "县级复核岗", "users": [Command.set((self.supervisor2 | self.handler_b).ids)]}
        )
        self.approve_tier.with_user(self.admin).write(
            {"review_type": "group", "reviewer_group_id": review_group.id, "reviewer_field_id": False}
        )
        application = self.checked_application()
        approve_review = application.review_ids.filtered(lambda review: review.definition_id == self.approve_tier)
        self.assertEqual(approve_review.reviewer_ids, self.supervisor2, "only members who see the centre")
        self.assertEqual(application.activity_ids.user_id, self.supervisor2)
        with self.assertRaises(AccessError):
            application.with_user(self.supervisor).action_approve()
        application.with_user(self.supervisor2).action_approve()
        self.assertEqual(application.state, "approved")

    def test_never_approve_what_you_prepared_at_any_tier(self):
        self.add_city_tier()
        application = self.checked_application(tuition=15000, accommodation=2000)
        application.with_user(self.supervisor).action_approve()
        # the city supervisor who prepared it (as a handler would) cannot approve the city tier
        application.sudo().with_context(skip_validation_check=True).write({"checked_by_id": self.city_supervisor.id})
        with self.assertRaisesRegex(UserError, "another supervisor"):
            application.with_user(self.city_supervisor).action_approve()

    def test_escalation_after_n_days(self):
        rule = self.env.ref("student_loan.base_automation_application_escalation")
        rule.active = True
        with freeze_time("2024-08-01 09:00:00"):
            application = self.checked_application()
        self.assertEqual(str(application.review_waiting_since), "2024-08-01 09:00:00")
        todo = self.env.ref("mail.mail_activity_data_todo")
        with freeze_time("2024-08-03 09:00:00"):
            self.env["base.automation"]._check()
        self.assertFalse(application.activity_ids.filtered(lambda activity: activity.activity_type_id == todo))
        with freeze_time("2024-08-04 10:00:00"):
            self.env["base.automation"]._check()
        escalation = application.activity_ids.filtered(lambda activity: activity.activity_type_id == todo)
        self.assertEqual(escalation.user_id, application.review_escalation_user_id)
        self.assertTrue(escalation.user_id.has_group("student_loan.group_supervisor"))
        self.assertEqual(escalation.user_id.loan_centre_id, self.county)
        self.assertIn("Overdue review", escalation.summary)

    def test_mail_rule_on_return(self):
        self.env.ref("student_loan.base_automation_application_returned_mail").active = True
        application = self.checked_application()
        application.with_user(self.supervisor)._return("共同借款人住址不完整")
        mails = self.env["mail.mail"].search([("model", "=", application._name), ("res_id", "=", application.id)])
        mail = mails.filtered(lambda mail: "被退回" in (mail.subject or ""))
        self.assertTrue(mail, mails.mapped("subject"))
        self.assertIn(application.student_id.partner_id, mail.recipient_ids)
        self.assertIn("共同借款人住址不完整", str(mail.body_html))

    def test_reviews_written_only_by_the_engine(self):
        application = self.checked_application()
        review = application.review_ids.filtered(lambda review: review.status == "pending")
        with self.assertRaisesRegex(AccessError, "document's buttons"):
            review.with_user(self.supervisor).write({"status": "approved"})
        with self.assertRaisesRegex(AccessError, "workflow buttons"):
            application.with_user(self.handler).write({"review_ids": [Command.unlink(review.id)]})
        self.assertEqual(review.status, "pending")


@tagged("post_install", "-at_install")
class TestBulkReview(StudentLoanCase):
    """Daily work on lists: each selected record checked and locked; a failure names the record and nothing
    is done."""

    def run_list_action(self, xmlid, user, records):
        action = self.env.ref(xmlid).with_user(user)
        return action.with_context(active_model=records._name, active_ids=records.ids, active_id=records[:1].id).run()

    def test_bulk_approve_send_confirm(self):
        batch = self.make_checked_application() | self.make_checked_application() | self.make_checked_application()
        mine = self.make_checked_application(handler=self.supervisor)
        with self.assertRaisesRegex(UserError, f"(?s){mine.name}: .*another supervisor.*Nothing was done for the 4"):
            self.run_list_action(
                "student_loan.student_loan_application_action_bulk_approve", self.supervisor, batch | mine
            )
        self.assertEqual(set((batch | mine).mapped("state")), {"checked"}, "none approved")
        self.run_list_action("student_loan.student_loan_application_action_bulk_approve", self.supervisor, batch)
        self.assertEqual(set(batch.mapped("state")), {"approved"})
        self.assertEqual(set(batch.contract_id.mapped("state")), {"approved"})
        with self.assertRaises(AccessError):
            self.run_list_action("student_loan.student_loan_application_action_bulk_send_to_bank", self.handler, batch)
        self.run_list_action("student_loan.student_loan_application_action_bulk_send_to_bank", self.supervisor, batch)
        self.assertEqual(set(batch.mapped("state")), {"bank"})
        with self.assertRaisesRegex(AccessError, f"{batch[0].name}: "):
            batch.with_user(self.supervisor).action_bulk_bank_confirm()
        self.run_list_action("student_loan.student_loan_application_action_bulk_bank_confirm", self.bank, batch)
        self.assertEqual(set(batch.mapped("state")), {"confirmed"})
        self.assertEqual(set(batch.contract_id.mapped("state")), {"active"})

    def test_bulk_return_with_one_reason(self):
        batch = self.make_checked_application() | self.make_checked_application()
        action = self.run_list_action(
            "student_loan.student_loan_application_action_bulk_return", self.supervisor, batch
        )
        self.assertEqual(action["res_model"], "student.loan.review.return.wizard")
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.supervisor)
            .with_context(**action["context"])
            .create({"reason": "请补充村组门牌号"})
        )
        self.assertEqual(wizard.document_names.splitlines(), batch.mapped("display_name"))
        wizard.action_confirm()
        self.assertEqual(set(batch.mapped("state")), {"returned"})
        self.assertEqual(set(batch.mapped("return_reason")), {"请补充村组门牌号"})
        # a draft among them: named, none returned
        again = self.make_checked_application()
        draft = self.create_application(self.create_student(user=self.handler), user=self.handler)
        with self.assertRaisesRegex(UserError, f"{draft.name}: .*not under review"):
            (again | draft).with_user(self.supervisor).action_review_return("理由")
        self.assertEqual(again.state, "checked")
