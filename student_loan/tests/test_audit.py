"""Audit: every change to a loan, an amount, a co-borrower or a state is traceable to a user and a time.

The tracked fields are listed here (a field losing ``tracking`` fails the test), and real changes,
made by the users of each role through the workflow, are found in the chatter as tracking values
whose message names the author and the date.
"""

from freezegun import freeze_time

from odoo.tests import tagged

from .common import StudentLoanCase, make_id_number

TRACKED = {
    "student.loan.application": {
        "state",
        "student_id",
        "centre_id",
        "academic_year",
        "loan_kind",
        "school_id",
        "education_level",
        "study_years",
        "enrolment_year",
        "tuition",
        "accommodation",
        "approved_amount",
        "coborrower_id",
        "eligibility_unit",
        "eligibility_stamped",
        "university_reviewed",
        "return_reason",
    },
    "student.loan.contract": {
        "state",
        "amount",
        "rate",
        "coborrower_id",
        "term_years",
        "start_date",
        "graduation_date",
        "maturity_date",
        "signed_by_proxy",
        "signing_date",
        "disbursement_date",
    },
    "student.loan.coborrower": {
        "name",
        "student_id",
        "relation",
        "id_number",
        "mobile",
        "address",
        "work_unit",
        "active",
    },
    "student.loan.student": {
        "name",
        "id_number",
        "mobile",
        "centre_id",
        "school_id",
        "education_level",
        "study_years",
        "enrolment_year",
        "household_address",
        "home_address",
        "is_poverty_registered",
    },
    "student.loan.policy": {
        "cap_undergraduate",
        "cap_graduate",
        "min_amount",
        "lpr_rate",
        "spread_bp",
        "term_extra_years",
        "term_max_years",
        "grace_years",
        "settlement_month",
        "settlement_day",
    },
}


@tagged("post_install", "-at_install")
class TestAudit(StudentLoanCase):
    def changes(self, record, field_name):
        """``[(old, new, author user, date)]`` of ``field_name`` in ``record``'s chatter, oldest first."""
        self.flush_tracking()
        values = self.tracked_values(record, field_name).sorted("id")
        kind = record._fields[field_name].type
        return [
            (
                value._format_display_value(kind, new=False)[0],
                value._format_display_value(kind, new=True)[0],
                value.mail_message_id.author_id.user_ids[:1],
                value.mail_message_id.date,
            )
            for value in values
        ]

    def test_tracked_fields(self):
        for model, names in TRACKED.items():
            fields = self.env[model]._fields
            self.assertTrue(hasattr(self.env[model], "_track_get_fields"), f"{model} has no chatter")
            untracked = sorted(name for name in names if not fields[name].tracking)
            self.assertFalse(untracked, f"{model}: not tracked: {untracked}")

    def test_life_of_a_loan_is_in_its_history(self):
        """Who moved the application and its contract from state to state, and when."""

        def submit_and_print(app):
            app.action_submit()
            self.pass_manual_checks(app)
            app.action_prepare_contract()

        steps = [
            ("2024-08-01 09:00:00", self.handler, submit_and_print),
            ("2024-08-01 09:20:00", self.handler, lambda app: self.sign_contract(app)),
            ("2024-08-01 09:40:00", self.handler, lambda app: app.action_check()),
            ("2024-08-02 10:00:00", self.supervisor, lambda app: app.action_approve()),
            ("2024-08-02 11:00:00", self.supervisor, lambda app: app.action_send_to_bank()),
            ("2024-08-05 15:00:00", self.bank, lambda app: app._return("合同金额需核实")),
            ("2024-08-06 09:30:00", self.supervisor, lambda app: app.action_send_to_bank()),
            ("2024-08-07 08:00:00", self.bank, lambda app: app.action_bank_confirm()),  # 16:00 in Beijing
        ]
        with freeze_time("2024-08-01 08:00:00"):
            application = self.create_application(self.create_student(user=self.handler), user=self.handler)
            self.attach_required(application)
        for when, user, step in steps:
            with freeze_time(when):
                step(application.with_user(user))
                self.flush_tracking()  # each step is its own request: its own tracking message
        contract = application.contract_id
        self.assertEqual(
            [(old, new, user, str(date)) for old, new, user, date in self.changes(application, "state")],
            [
                ("Draft", "Submitted", self.handler, "2024-08-01 09:00:00"),
                ("Submitted", "Checked", self.handler, "2024-08-01 09:40:00"),
                ("Checked", "Approved", self.supervisor, "2024-08-02 10:00:00"),
                ("Approved", "At the Bank", self.supervisor, "2024-08-02 11:00:00"),
                ("At the Bank", "Approved", self.bank, "2024-08-05 15:00:00"),
                ("Approved", "At the Bank", self.supervisor, "2024-08-06 09:30:00"),
                ("At the Bank", "Confirmed", self.bank, "2024-08-07 08:00:00"),
            ],
        )
        [reason] = self.changes(application, "return_reason")
        self.assertEqual(reason[1:3], ("合同金额需核实", self.bank))
        contract_states = [(new, user) for _old, new, user, _date in self.changes(contract, "state")]
        self.assertEqual(
            contract_states,
            [("Signed", self.handler), ("Approved", self.supervisor), ("Disbursed", self.bank)],
        )
        [disbursed] = self.changes(contract, "disbursement_date")
        self.assertEqual(disbursed[1:3], ("2024-08-07", self.bank))

    def test_amount_and_coborrower_changes(self):
        student = self.create_student(user=self.handler)
        application = self.create_application(student, user=self.handler)
        new_parent = (
            self.env["student.loan.coborrower"]
            .with_user(self.handler)
            .create(
                {
                    "student_id": student.id,
                    "name": "张母",
                    "relation": "mother",
                    "id_number": make_id_number(birth="19720202"),
                    "mobile": "13612345678",
                    "address": "河南省周口市商水县城关乡解放路12号",
                }
            )
        )
        with freeze_time("2024-07-10 08:00:00"):
            application.with_user(self.handler2).write({"tuition": 6000, "coborrower_id": new_parent.id})
            self.flush_tracking()
        with freeze_time("2024-07-11 08:00:00"):
            new_parent.with_user(self.handler).write(
                {"mobile": "13612340000", "address": "河南省周口市商水县练集镇1号"}
            )
            self.flush_tracking()
        [tuition] = self.changes(application, "tuition")
        self.assertEqual(tuition, (5000.0, 6000.0, self.handler2, tuition[3]))
        self.assertEqual(str(tuition[3]), "2024-07-10 08:00:00")
        [amount] = self.changes(application, "approved_amount")
        self.assertEqual(amount[:3], (6200.0, 7200.0, self.handler2))
        [coborrower] = self.changes(application, "coborrower_id")
        self.assertEqual(coborrower[1:3], ("张母", self.handler2))
        [mobile] = self.changes(new_parent, "mobile")
        self.assertEqual(
            (mobile[0], mobile[1], mobile[2], str(mobile[3])),
            ("13612345678", "13612340000", self.handler, "2024-07-11 08:00:00"),
        )
        self.assertEqual(len(self.changes(new_parent, "address")), 1)
