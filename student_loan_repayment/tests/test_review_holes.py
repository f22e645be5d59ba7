"""The holes found in the change-request review (issue 12, §3), closed by the review engine: each attack is
made over real XML-RPC with the role's login and password, as a client other than the web client would."""

import datetime

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.student_loan.tests.test_access_matrix import RpcCase

from .common import DISBURSED, RepaymentCase

TODAY = "2025-03-01"
RPC_LOGGERS = ("odoo.http", "odoo.addons.base.controllers.rpc", "odoo.addons.base.models.ir_rule")


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestReviewHolesRpc(RpcCase, RepaymentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["student.loan.settlement.line"]._settle_due(datetime.date(2024, 12, 20))

    def rpc(self, user, model, method, *args, **kwargs):
        return self.xmlrpc_call(user.login, model, method, list(args), kwargs)

    def assertDenied(self, outcome, detail, *texts):  # noqa: N802
        self.assertNotEqual(outcome, "ok", "the call went through")
        for text in texts:
            self.assertIn(text, detail)

    def enter_education_rpc(self, years, user=None):
        outcome, request_id = self.rpc(
            user or self.handler,
            "student.loan.change.request",
            "create",
            {"kind": "education", "contract_id": self.contract.id, "new_study_years": years},
        )
        self.assertEqual(outcome, "ok", request_id)
        return self.ChangeRequest.browse(request_id)

    @mute_logger(*RPC_LOGGERS)
    def test_education_change_over_rpc_gets_defaults_and_cannot_be_forced(self):
        # created with only the new length of study: school and level come from the model, not from the form
        request = self.enter_education_rpc(5)
        self.assertEqual(
            (request.new_school_id, request.new_education_level), (self.student.school_id, "undergraduate")
        )
        self.assertEqual(self.rpc(self.handler, request._name, "action_submit", request.ids), ("ok", True))
        self.assertEqual(request.state, "to_approve")
        # the handler cannot skip the supervisor by writing the state or the approver
        for vals in ({"state": "done"}, {"state": "to_confirm"}, {"approved_by_id": self.supervisor.id}):
            outcome, detail = self.rpc(self.handler, request._name, "write", request.ids, vals)
            self.assertDenied(outcome, detail, "workflow buttons")
        # nor forge a creation in a later state, nor approve the tiers directly
        outcome, detail = self.rpc(
            self.handler,
            request._name,
            "create",
            {"kind": "plan", "contract_id": self.senior_contract.id, "state": "done"},
        )
        self.assertDenied(outcome, detail, "starts as a draft")
        outcome, detail = self.rpc(self.handler, "tier.review", "write", request.review_ids.ids, {"status": "approved"})
        self.assertDenied(outcome, detail, "document's buttons")
        request.invalidate_recordset()
        self.assertEqual((request.state, request.approved_by_id), ("to_approve", self.env["res.users"]))
        # approved: the requested values are frozen for everybody, with the reason
        self.assertEqual(self.rpc(self.supervisor, request._name, "action_approve", request.ids), ("ok", True))
        for user in (self.handler, self.supervisor):
            outcome, detail = self.rpc(
                user, request._name, "write", request.ids, {"new_study_years": 6, "new_graduation_date": "2031-07-01"}
            )
            self.assertDenied(outcome, detail, "cannot be changed now")
        request.invalidate_recordset()
        self.assertEqual((request.state, request.new_study_years), ("to_confirm", 5))
        self.assertEqual(self.rpc(self.bank, request._name, "action_confirm", request.ids), ("ok", True))
        self.assertEqual(self.student.study_years, 5)

    @mute_logger(*RPC_LOGGERS)
    def test_r12_plan_change_entered_again_after_a_bank_return(self):
        education = self.enter_education_rpc(5)
        education.action_submit()
        education.with_user(self.supervisor).action_approve()
        education.with_user(self.bank).action_confirm()
        plan = education.child_ids
        # the plan change created from the education change carries the contract's method and frequency
        self.assertTrue(plan.new_method and plan.new_frequency, "method and frequency are filled in")
        self.assertEqual((plan.new_method, plan.new_frequency), (plan.old_method, plan.old_frequency))
        self.assertNotIn("→ -", plan._get_change_summary())
        new_graduation = datetime.date(2029, 7, 1)
        self.assertEqual(plan.new_graduation_date, new_graduation)
        plan.with_user(self.handler).action_submit()
        plan.with_user(self.supervisor).action_approve()
        plan.with_user(self.bank)._return("学制有误，请重新录入")
        plan.with_user(self.supervisor)._return("请删除后重新录入")
        plan.with_user(self.handler).unlink()
        # entered again over RPC: the graduation date defaults to the student's (changed) education, not the
        # contract's old date, and it can be entered
        outcome, plan_id = self.rpc(
            self.handler, plan._name, "create", {"kind": "plan", "contract_id": self.contract.id}
        )
        self.assertEqual(outcome, "ok", plan_id)
        again = self.ChangeRequest.browse(plan_id)
        self.assertEqual(self.contract.graduation_date, datetime.date(2028, 7, 1))
        self.assertEqual(again.new_graduation_date, new_graduation)
        self.assertGreater(again.new_maturity_date, self.contract.maturity_date)
        outcome, detail = self.rpc(self.handler, plan._name, "write", [plan_id], {"new_graduation_date": "2029-07-10"})
        self.assertEqual(outcome, "ok", detail)
        self.assertEqual(again.new_graduation_date, datetime.date(2029, 7, 10))
        self.assertEqual(self.rpc(self.handler, plan._name, "action_submit", [plan_id]), ("ok", True))
        self.assertEqual(self.rpc(self.supervisor, plan._name, "action_approve", [plan_id]), ("ok", True))
        self.assertEqual(self.rpc(self.bank, plan._name, "action_confirm", [plan_id]), ("ok", True))
        self.assertEqual(self.contract.graduation_date, datetime.date(2029, 7, 10))

    def test_change_on_the_disbursement_day_is_refused_clearly(self):
        with freeze_time(DISBURSED), self.assertRaisesRegex(Exception, "was disbursed on 2024-09-10") as catcher:
            self.ChangeRequest.with_user(self.handler).create({"kind": "plan", "contract_id": self.contract.id})
        self.assertNotIn("outside", str(catcher.exception))

    @mute_logger(*RPC_LOGGERS)
    def test_check_line_actions_answer_over_xmlrpc(self):
        application = self.make_checked_application()
        application.with_user(self.supervisor)._return("请补充材料")
        application.with_user(self.handler).action_submit()
        line = application.check_line_ids.filtered(lambda line: not line.item_id.auto_check)[:1]
        self.assertEqual(self.rpc(self.handler, line._name, "action_pass", line.ids), ("ok", True))
        line.invalidate_recordset()
        self.assertEqual(line.result, "passed")

    @mute_logger(*RPC_LOGGERS)
    def test_centre_visibility_denial_says_what_and_why(self):
        request = self.enter_education_rpc(5)
        outcome, detail = self.rpc(self.handler_b, request._name, "write", request.ids, {"description": "x"})
        self.assertDenied(outcome, detail, "cannot change", "belongs to the aid centre", self.county.name)
        self.assertNotIn("cookies", detail)
        outcome, detail = self.rpc(self.handler_b, request._name, "action_submit", request.ids)
        self.assertDenied(outcome, detail, self.county.name)
        self.assertNotIn("cookies", detail)
