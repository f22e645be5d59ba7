import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.student_loan.loanlib import repayment
from odoo.addons.student_loan.tests.common import make_id_number

from .common import RepaymentCase

TODAY = "2025-03-01"
CHANGE_DAY = datetime.date(2025, 3, 1)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestChangeRequest(RepaymentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["student.loan.settlement.line"]._settle_due(datetime.date(2024, 12, 20))

    def enter_education(self, years, school=None, user=None, contract=None):
        request = self.ChangeRequest.with_user(user or self.handler).create(
            {
                "kind": "education",
                "contract_id": (contract or self.contract).id,
                "new_school_id": (school or self.graduate_school).id,
                "new_education_level": "undergraduate",
                "new_study_years": years,
                "description": "转入五年制临床医学专业",
            }
        )
        return request

    def approve_and_confirm(self, request, supervisor=None):
        """Each step is its own transaction, as in the web client (tracking flushed in between)."""
        request.with_user(supervisor or self.supervisor).action_approve()
        self.flush_tracking()
        self.assertEqual(request.state, "to_confirm")
        request.with_user(self.bank).action_confirm()
        self.flush_tracking()
        self.assertEqual(request.state, "done")

    def messages(self, record):
        return "\n".join(record.sudo().message_ids.mapped("body"))

    def test_r12_wrong_changes_returned_deleted_and_entered_again(self):
        """R12: the bank returns the approved plan change, the supervisor returns it to the handler, the handler
        deletes it, enters both changes again and they are approved again; every step stays in the history."""
        contract, student = self.contract, self.student
        old_plan = contract.plan_line_ids.sorted("date").mapped(lambda line: (line.date, line.total))
        self.assertEqual(contract.graduation_date, datetime.date(2028, 7, 1))

        # 1. the handler enters the education change wrongly: 6 years instead of 5
        wrong = self.enter_education(6)
        self.assertEqual((wrong.old_study_years, wrong.old_school_id), (4, self.school))
        self.assertEqual(wrong.new_graduation_date, datetime.date(2030, 7, 1))
        wrong.action_submit()
        self.flush_tracking()
        self.assertEqual(wrong.state, "to_approve")
        self.assertNextActor(wrong, "student_loan.group_supervisor", self.county)
        self.assertEqual(student.study_years, 4, "only a confirmed request changes anything")
        self.approve_and_confirm(wrong)
        self.flush_tracking()
        self.assertEqual((student.study_years, student.school_id), (6, self.graduate_school))
        # ... which creates the repayment-plan change, old and new plan side by side
        wrong_plan = wrong.child_ids
        self.assertEqual((wrong_plan.kind, wrong_plan.state, wrong_plan.parent_id), ("plan", "draft", wrong))
        self.assertEqual(wrong_plan.activity_ids.user_id, self.handler)
        self.assertEqual(
            (wrong_plan.old_graduation_date, wrong_plan.new_graduation_date, wrong_plan.new_maturity_date),
            (datetime.date(2028, 7, 1), datetime.date(2030, 7, 1), datetime.date(2045, 9, 10)),
        )
        self.assertEqual(wrong_plan.old_plan_line_ids.mapped(lambda line: (line.date, line.total)), old_plan)
        self.assertGreater(len(wrong_plan.new_plan_line_ids), len(wrong_plan.old_plan_line_ids))
        self.assertEqual(contract.graduation_date, datetime.date(2028, 7, 1), "the plan is not changed yet")

        # 2. the plan change is entered and approved: it waits for the bank
        wrong_plan.with_user(self.handler).action_submit()
        self.flush_tracking()
        wrong_plan.with_user(self.supervisor).action_approve()
        self.flush_tracking()
        self.assertEqual(wrong_plan.state, "to_confirm")

        # 3. the bank returns the approved plan change to the supervisor
        self.env["student.loan.review.return.wizard"].with_user(self.bank).create(
            {
                "res_model": wrong_plan._name,
                "res_ids": wrong_plan.ids,
                "reason": "学制应为5年，不是6年",
            }
        ).action_confirm()
        self.flush_tracking()
        self.assertEqual((wrong_plan.state, wrong_plan.returned_by), ("to_approve", "bank"))
        self.assertEqual(wrong_plan.activity_ids.user_id, self.supervisor)
        # 4. the supervisor returns it to the handler
        with self.assertRaises(AccessError):
            wrong_plan.with_user(self.handler)._return("not mine to return")
        wrong_plan.with_user(self.supervisor)._return("学制录入错误，请删除后重新录入")
        self.flush_tracking()
        self.assertEqual(
            (wrong_plan.state, wrong_plan.returned_by, wrong_plan.return_count), ("returned", "supervisor", 2)
        )
        self.assertEqual(wrong_plan.activity_ids.user_id, self.handler)
        history = self.messages(wrong_plan)
        self.assertIn("学制应为5年，不是6年", history)
        self.assertIn("学制录入错误，请删除后重新录入", history)
        states = self.tracked_values(wrong_plan, "state").mapped("new_value_char")
        self.assertEqual(set(states), {"To Approve", "At the Bank", "Returned"})

        # 5. the handler deletes it: a trace stays on the contract
        wrong_plan_name = wrong_plan.name
        wrong_plan.with_user(self.handler).unlink()
        self.assertFalse(wrong_plan.exists())
        trace = self.messages(contract)
        self.assertIn(wrong_plan_name, trace)
        self.assertIn("deleted by Handler Shangshui", trace)
        self.assertIn("学制录入错误，请删除后重新录入", trace)
        self.assertEqual(contract.graduation_date, datetime.date(2028, 7, 1))
        self.assertEqual(contract.plan_line_ids.sorted("date").mapped(lambda line: (line.date, line.total)), old_plan)

        # 6. both changes entered again, right this time, and approved again
        right = self.enter_education(5)
        self.assertEqual(right.old_study_years, 6)
        right.action_submit()
        self.approve_and_confirm(right, supervisor=self.supervisor2)
        self.assertEqual(student.study_years, 5)
        right_plan = right.child_ids
        self.assertEqual(right_plan.new_graduation_date, datetime.date(2029, 7, 1))
        right_plan.with_user(self.handler).action_submit()
        self.approve_and_confirm(right_plan)
        self.assertEqual(
            (contract.graduation_date, contract.maturity_date, contract.term_years),
            (datetime.date(2029, 7, 1), datetime.date(2044, 9, 10), 20),
        )
        # the settled period stands; the rest is the engine's plan for the new study length
        expected = repayment.recompute_for_study_change(
            repayment.build_plan(
                **dict(
                    contract._get_plan_terms(),
                    graduation_date=datetime.date(2028, 7, 1),
                    maturity_date=datetime.date(2043, 9, 10),
                )
            ),
            CHANGE_DAY,
            datetime.date(2029, 7, 1),
            datetime.date(2044, 9, 10),
        )
        stored = contract.plan_line_ids.sorted(lambda line: (line.date, line.id))
        self.assertEqual(
            [
                (
                    line.date,
                    line.kind,
                    self.money(line.principal),
                    self.money(line.interest),
                    self.money(line.subsidised_interest),
                )
                for line in stored
            ],
            [
                (line.date, line.kind, line.principal, line.interest, line.subsidised_interest)
                for line in expected.lines
            ],
        )
        self.assertTrue(stored[0].is_settled)
        self.assertEqual(right_plan.new_plan_line_ids.mapped("date"), stored.mapped("date"))
        # the history: four requests on the contract, the deleted one traced on its chatter
        self.assertEqual(contract.change_request_ids, wrong | right | right_plan)
        self.assertEqual(set(contract.change_request_ids.mapped("state")), {"done"})
        self.assertIn(right_plan.name, self.messages(contract))

    def test_flow_roles_and_returns(self):
        request = self.enter_education(5)
        with self.assertRaisesRegex(UserError, "not under review"):
            request.with_user(self.supervisor)._return("too early")
        with self.assertRaises(AccessError):
            request.with_user(self.city_viewer).action_submit()
        request.action_submit()
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            request.with_user(self.handler).write({"new_study_years": 6})
        with self.assertRaisesRegex(UserError, "only a draft or returned request can be deleted"):
            request.with_user(self.handler).unlink()
        with self.assertRaises(AccessError):
            request.with_user(self.handler2).action_approve()
        with self.assertRaises(AccessError):
            request.with_user(self.supervisor).action_confirm()
        with self.assertRaisesRegex(UserError, "reason"):
            request.with_user(self.supervisor)._return("  ")
        request.with_user(self.supervisor)._return("请附学生证")
        # corrected and entered again
        request.with_user(self.handler).write({"new_study_years": 5, "description": "已附学生证"})
        request.with_user(self.handler).action_submit()
        self.assertEqual(request.state, "to_approve")
        with self.assertRaises(AccessError):
            request.with_user(self.bank).action_approve()
        self.approve_and_confirm(request)
        self.assertEqual(self.student.study_years, 5)

    def test_supervisor_cannot_approve_own_request(self):
        request = self.enter_education(5, user=self.supervisor)
        request.with_user(self.supervisor).action_submit()
        with self.assertRaisesRegex(UserError, "another supervisor"):
            request.with_user(self.supervisor).action_approve()
        request.with_user(self.supervisor2).action_approve()
        self.assertEqual(request.state, "to_confirm")

    def test_bad_input_changes_nothing(self):
        count = self.ChangeRequest.search_count([])
        # an education change to a shorter 学制 that ends before today: enrolled in 2021, 3 years end in 2024
        with self.assertRaisesRegex(ValidationError, "before today"):
            self.enter_education(3, contract=self.senior_contract)
        self.assertEqual(self.ChangeRequest.search_count([]), count)
        # a second request while one is pending on the same contract
        pending = self.enter_education(5)
        coborrower = (
            self.env["student.loan.coborrower"]
            .with_user(self.handler)
            .create(
                {
                    "student_id": self.student.id,
                    "name": "张母",
                    "relation": "mother",
                    "id_number": make_id_number(birth="19720202"),
                    "mobile": "13612345678",
                    "address": "河南省周口市商水县城关乡解放路12号",
                }
            )
        )
        with self.assertRaisesRegex(ValidationError, "still pending"):
            self.ChangeRequest.with_user(self.handler).create(
                {
                    "kind": "coborrower",
                    "contract_id": self.contract.id,
                    "new_coborrower_id": coborrower.id,
                }
            )
        self.assertEqual(self.ChangeRequest.search_count([]), count + 1)
        # ... also once the pending one is submitted
        pending.with_user(self.handler).action_submit()
        with self.assertRaisesRegex(ValidationError, "still pending"):
            self.enter_education(5)
        # nothing to change, a contract not running
        pending.with_user(self.supervisor)._return("重新录入")
        pending.with_user(self.handler).unlink()
        same = self.enter_education(4, school=self.school)
        with self.assertRaisesRegex(UserError, "unchanged"):
            same.action_submit()
        same.unlink()
        with freeze_time("2024-09-10"):
            signed = self.make_checked_application().contract_id
        with self.assertRaisesRegex(ValidationError, "not a disbursed"):
            self.ChangeRequest.with_user(self.handler).create({"kind": "education", "contract_id": signed.id})
        self.assertEqual(self.ChangeRequest.search_count([]), count)
        self.assertEqual(self.student.study_years, 4)

    def test_coborrower_change_r10(self):
        """R10: add the new co-borrower in co-borrower management, then change it on the contract."""
        old = self.contract.coborrower_id
        new = (
            self.env["student.loan.coborrower"]
            .with_user(self.handler)
            .create(
                {
                    "student_id": self.student.id,
                    "name": "张母",
                    "relation": "mother",
                    "id_number": make_id_number(birth="19720303"),
                    "mobile": "13612345679",
                    "address": "河南省周口市商水县城关乡解放路12号",
                }
            )
        )
        other = self.senior_student.coborrower_ids[:1]
        with self.assertRaisesRegex(ValidationError, "co-borrowers"):
            self.ChangeRequest.with_user(self.handler).create(
                {
                    "kind": "coborrower",
                    "contract_id": self.contract.id,
                    "new_coborrower_id": other.id,
                }
            )
        request = self.ChangeRequest.with_user(self.handler).create(
            {
                "kind": "coborrower",
                "contract_id": self.contract.id,
                "new_coborrower_id": new.id,
            }
        )
        self.assertEqual(request.old_coborrower_id, old)
        request.action_submit()
        self.assertEqual(self.contract.coborrower_id, old)
        self.approve_and_confirm(request)
        self.assertEqual(self.contract.coborrower_id, new)
        self.flush_tracking()
        self.assertEqual(self.tracked_values(self.contract, "coborrower_id")[:1].new_value_char, "张母")

    def test_centre_transfer_r11(self):
        """R11: the student's home centre takes over a student with a contract."""
        gongyi_handler = mail_new_test_user(
            self.env,
            login="sl_gongyi",
            groups="student_loan.group_handler",
            loan_centre_id=self.direct_county.id,
        )
        request = self.ChangeRequest.with_user(self.handler).create(
            {
                "kind": "centre",
                "contract_id": self.contract.id,
                "new_centre_id": self.direct_county.id,
                "description": "户籍在巩义市",
            }
        )
        self.assertEqual(request.old_centre_id, self.county)
        request.action_submit()
        self.approve_and_confirm(request)
        self.assertEqual(self.student.centre_id, self.direct_county)
        self.assertEqual(self.contract.centre_id, self.direct_county)
        self.assertIn("户籍在巩义市", self.messages(self.student))
        # both centres see the request; the new centre now handles the contract and its settlements
        self.assertTrue(request.with_user(self.handler).has_access("read"))
        self.assertTrue(request.with_user(gongyi_handler).has_access("read"))
        self.assertIn(self.contract, self.env["student.loan.contract"].with_user(gongyi_handler).search([]))
        self.assertEqual(
            self.env["student.loan.settlement.line"].with_user(gongyi_handler).search([]).contract_id, self.contract
        )
        self.assertNotIn(self.contract, self.env["student.loan.contract"].with_user(self.handler).search([]))

    def test_plan_change_of_method(self):
        """A repayment-plan change entered by hand: 等额本金 from now on."""
        request = self.ChangeRequest.with_user(self.handler).create(
            {
                "kind": "plan",
                "contract_id": self.contract.id,
                "new_method": "linear",
            }
        )
        self.assertEqual((request.old_method, request.new_method), ("annuity", "linear"))
        self.assertEqual(request.change_date, CHANGE_DAY)
        self.assertNotEqual(request.new_total_interest, request.old_total_interest)
        request.action_submit()
        self.approve_and_confirm(request)
        self.assertEqual(self.contract.repayment_method, "linear")
        repayments = self.contract.plan_line_ids.filtered(lambda line: line.kind == "repayment")
        self.assertEqual(len(set(repayments[:-1].mapped("principal"))), 1)
