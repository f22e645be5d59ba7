# pylint: disable=invalid-commit,unbalanced-tuple-unpacking
# (these tests need real committed transactions on separate connections)
"""Two people acting on the same record at the same time, on two REAL database connections.

A TransactionCase's data lives in one uncommitted transaction that no other connection sees, so
these tests create their data through their own connection (``odoo.sql_db.db_connect``), commit
it, run two transactions interleaved (explicit ordering, or two threads started together),
check the outcome from a third connection, and delete what they created.

- Two supervisors approve one application: exactly one approval; the other gets a clear message
  (the row lock ``SELECT ... FOR UPDATE NOWAIT`` of ``_review_lock``, or the state check after
  Odoo's retry of a serialisation failure).
- Two handlers edit one student (no lost update): Odoo's clients write only the fields the user
  changed, and PostgreSQL (REPEATABLE READ) refuses the second of two concurrent updates of a row
  with a serialisation failure that Odoo's RPC layer retries (``odoo.service.model.retrying``)
  on fresh data. So changes of different fields both persist; two changes of the same field are
  both kept in the tracked history, with author and time, the later one being the value.

The SMS dispatch killed with SIGKILL mid-way and restarted is student_loan_sms/tests/test_dispatch_killed.py.
"""

import threading
import uuid
from unittest.mock import Mock, patch

import odoo
from odoo import api, models
from odoo.exceptions import UserError
from odoo.service.model import retrying
from odoo.tests import Form, tagged
from odoo.tests.common import TransactionCase
from odoo.tools import mute_logger

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

from .common import StudentLoanCase, make_id_number

NO_WAIT = Mock(uniform=lambda low, high: 0.01)  # retrying() sleeps up to 2**try seconds otherwise


@tagged("post_install", "-at_install")
class TestConcurrency(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.db = odoo.sql_db.db_connect(cls.env.cr.dbname)
        cls.tag = uuid.uuid4().hex[:8]
        with cls.db.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": False, "mail_create_nolog": True})
            centre = env.ref("student_loan.centre_410781")  # 卫辉市: no other test makes contracts there
            cls.had_sequence = bool(
                env["ir.sequence"].search([("code", "=", f"student.loan.contract.{centre.code}")], limit=1)
            )

            def user(name, group):
                return (
                    env["res.users"]
                    .with_context(no_reset_password=True)
                    .create(
                        {
                            "name": f"{name} {cls.tag}",
                            "login": f"sl_conc_{name}_{cls.tag}",
                            "email": f"{name}.{cls.tag}@example.com",
                            "groups_id": [(6, 0, [env.ref(group).id])],
                            "loan_centre_id": centre.id,
                            "notification_type": "inbox",
                        }
                    )
                )

            users = {
                "handler": user("handler", "student_loan.group_handler"),
                "handler2": user("handler2", "student_loan.group_handler"),
                "supervisor": user("supervisor", "student_loan.group_supervisor"),
                "supervisor2": user("supervisor2", "student_loan.group_supervisor"),
            }
            school = env["student.loan.school"].create({"name": f"并发大学 {cls.tag}", "code": f"CONC-{cls.tag}"})
            fixture = cls._fixture(env, centre, users["handler"], school)
            cls.uids = {key: value.id for key, value in users.items()}
            cls.centre_id, cls.school_id = centre.id, school.id
            students = [
                fixture.create_student(user=users["handler"], name=f"并发学生{index} {cls.tag}") for index in range(3)
            ]
            cls.student_ids = [student.id for student in students]
            cls.app_ids = [fixture.make_checked_application(student=student).id for student in students[:2]]
            cls.student_id = cls.student_ids[2]
            cr.commit()
        cls.addClassCleanup(cls._delete_fixtures)

    @classmethod
    def _fixture(cls, env, centre, handler, school):
        """The core's factories (StudentLoanCase), working on the real connection's environment."""
        attributes = {"env": env, "county": centre, "handler": handler, "school": school, "year": 2024}
        return type("RealConnectionFixture", (StudentLoanCase,), dict(attributes, __test__=False))

    @classmethod
    def _delete_fixtures(cls):
        with cls.db.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {MODULE_UNINSTALL_FLAG: True, "active_test": False})
            students = env["student.loan.student"].browse(cls.student_ids).exists()
            env["student.loan.contract"].search([("student_id", "in", students.ids)]).unlink()
            env["student.loan.application"].search([("student_id", "in", students.ids)]).unlink()
            partners = students.partner_id
            students.unlink()
            users = env["res.users"].browse(cls.uids.values()).exists()
            partners |= users.partner_id
            users.unlink()
            partners.exists().unlink()
            env["student.loan.school"].browse(cls.school_id).exists().unlink()
            if not cls.had_sequence:
                env["ir.sequence"].search([("code", "=", "student.loan.contract.410781")]).unlink()
            cr.commit()

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def cursor(self):
        """A new, independent connection (a second browser tab, another user's request)."""
        return self.db.cursor()

    def env_of(self, cr, user_key):
        return api.Environment(cr, self.uids[user_key], {})

    def committed(self, model, record_id, *paths):
        """The committed values of ``paths`` ('state', 'contract_id.state') of a record, read on a new connection."""
        with self.cursor() as cr:
            record = api.Environment(cr, odoo.SUPERUSER_ID, {})[model].browse(record_id)
            values = []
            for path in paths:
                value = record
                for name in path.split("."):
                    value = value[name]
                values.append(value.ids if isinstance(value, models.BaseModel) else value)
            return values

    def tracking(self, model, record_id, field_name):
        """``[(old, new, author uid, date)]`` of the tracked changes of ``field_name``, oldest first."""
        with self.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {})
            values = env["mail.tracking.value"].search(
                [
                    ("mail_message_id.model", "=", model),
                    ("mail_message_id.res_id", "=", record_id),
                    ("field_id.name", "=", field_name),
                ],
                order="id",
            )
            return [
                (
                    value._format_display_value(value.field_id.ttype, new=False)[0],
                    value._format_display_value(value.field_id.ttype, new=True)[0],
                    value.mail_message_id.author_id.user_ids[:1].id,
                    value.mail_message_id.date,
                )
                for value in values
            ]

    # ------------------------------------------------------------------
    # two supervisors, one application
    # ------------------------------------------------------------------

    def test_second_approver_is_told_while_the_first_is_approving(self):
        """Explicit order: A approves (not yet committed), B tries, A commits, B tries again."""
        app_id = self.app_ids[0]
        with self.cursor() as cr_a, self.cursor() as cr_b:
            self.env_of(cr_a, "supervisor")["student.loan.application"].browse(app_id).action_approve()
            app_b = self.env_of(cr_b, "supervisor2")["student.loan.application"].browse(app_id)
            with self.assertRaisesRegex(UserError, "Another user is processing this .*right now"):
                app_b.action_approve()
            cr_b.rollback()
            cr_a.commit()
            with self.assertRaisesRegex(UserError, "it cannot be approved now"):
                app_b.action_approve()
            cr_b.rollback()
        self.assertEqual(
            self.committed("student.loan.application", app_id, "state", "approved_by_id", "contract_id.state"),
            ["approved", [self.uids["supervisor"]], "approved"],
        )
        approvals = [change for change in self.tracking("student.loan.application", app_id, "state") if change[1]]
        self.assertEqual([change[2] for change in approvals if change[1] == "Approved"], [self.uids["supervisor"]])

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def test_two_supervisors_approve_at_the_same_moment(self):
        """Two threads, two connections, released together: exactly one approval."""
        app_id = self.app_ids[1]
        barrier = threading.Barrier(2, timeout=20)
        outcome = {}

        def approve(user_key):
            try:
                with self.cursor() as cr:
                    env = self.env_of(cr, user_key)
                    first_try = [True]

                    def attempt():
                        if first_try.pop() if first_try else False:
                            barrier.wait()
                        env["student.loan.application"].browse(app_id).action_approve()

                    retrying(attempt, env)  # what the RPC layer does: retry serialisation failures, commit
                    outcome[user_key] = "approved"
            except UserError as error:
                outcome[user_key] = str(error)
            except Exception as error:  # noqa: BLE001 - reported by the assertions below
                outcome[user_key] = f"unexpected {type(error).__name__}: {error}"

        with patch("odoo.service.model.random", NO_WAIT):
            threads = [threading.Thread(target=approve, args=(key,)) for key in ("supervisor", "supervisor2")]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
        self.assertEqual(sorted(outcome), ["supervisor", "supervisor2"], outcome)
        winners = [key for key, result in outcome.items() if result == "approved"]
        self.assertEqual(len(winners), 1, outcome)
        loser = next(key for key in outcome if key not in winners)
        self.assertRegex(outcome[loser], "Another user is processing this .*|it cannot be approved now")
        state, approver, receipt = self.committed(
            "student.loan.application", app_id, "state", "approved_by_id", "contract_id.receipt_code"
        )
        self.assertEqual((state, approver), ("approved", [self.uids[winners[0]]]))
        self.assertEqual(len(receipt or ""), 8, "one receipt code, issued once")
        approvals = list(self.tracking("student.loan.application", app_id, "state"))
        self.assertEqual([change[2] for change in approvals if change[1] == "Approved"], [self.uids[winners[0]]])

    # ------------------------------------------------------------------
    # two handlers, one student
    # ------------------------------------------------------------------

    def _concurrent_writes(self, vals_a, vals_b):
        """B reads the student, A writes and commits, then B writes (as the RPC layer, with retries)."""
        attempts = []
        with self.cursor() as cr_a, self.cursor() as cr_b:
            student_b = self.env_of(cr_b, "handler2")["student.loan.student"].browse(self.student_id)
            student_b.read(list(vals_b))  # B's transaction has its snapshot: A's change is not in it
            self.env_of(cr_a, "handler")["student.loan.student"].browse(self.student_id).write(vals_a)
            cr_a.commit()

            def write_b():
                attempts.append(1)
                student_b.write(vals_b)

            with patch("odoo.service.model.random", NO_WAIT):
                retrying(write_b, student_b.env)
        return len(attempts)

    @mute_logger("odoo.sql_db")  # the serialisation failure that is retried is logged as a bad query
    def test_two_handlers_change_different_fields(self):
        attempts = self._concurrent_writes({"mobile": "13911112222"}, {"email": f"new.{self.tag}@example.com"})
        self.assertEqual(attempts, 2, "B's first write met A's concurrent update and was retried")
        mobile, email, partner_mobile, partner_email = self.committed(
            "student.loan.student", self.student_id, "mobile", "email", "partner_id.mobile", "partner_id.email"
        )
        self.assertEqual(mobile, "13911112222", "A's change survived B's write")
        self.assertEqual(email, f"new.{self.tag}@example.com")
        self.assertEqual((partner_mobile, partner_email), ("+86 13911112222", f"new.{self.tag}@example.com"))

    @mute_logger("odoo.sql_db")
    def test_two_handlers_change_the_same_field(self):
        [before] = self.committed("student.loan.student", self.student_id, "home_address")
        address_a, address_b = "河南省新乡市卫辉市城郊乡A村1号", "河南省新乡市卫辉市城郊乡B村2号"
        self._concurrent_writes({"home_address": address_a}, {"home_address": address_b})
        self.assertEqual(
            self.committed("student.loan.student", self.student_id, "home_address"), [address_b], "the later save wins"
        )
        history = [change[:3] for change in self.tracking("student.loan.student", self.student_id, "home_address")]
        self.assertEqual(
            history[-2:],
            [(before, address_a, self.uids["handler"]), (address_a, address_b, self.uids["handler2"])],
            "both changes are in the history, each with its author, the second from the first's value",
        )

    def test_form_saves_only_changed_fields(self):
        """The form (as the web client) sends only what the user changed: other fields are not rewritten."""
        student = self.env["student.loan.student"].create(
            {
                "name": "表单学生",
                "id_number": make_id_number(birth="20030303"),
                "mobile": "13812345678",
                "centre_id": self.env.ref("student_loan.centre_411623").id,
            }
        )
        written = []
        write = type(student).write

        def spy(records, vals):
            written.append(set(vals))
            return write(records, vals)

        with patch.object(type(student), "write", spy):
            with Form(student) as form:
                form.mobile = "13922223333"
        self.assertEqual(written, [{"mobile"}])
