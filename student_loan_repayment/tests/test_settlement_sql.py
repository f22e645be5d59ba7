"""The set-based settlement (one INSERT … SELECT per chunk) against loanlib, to the fen, on thousands of contracts."""

import datetime
import random
from decimal import Decimal

from odoo.tests import tagged

from odoo.addons.student_loan.loanlib import repayment

from .common import RepaymentCase

CONTRACTS = 3000
FIRST_RUN = datetime.date(2022, 12, 20)
SECOND_RUN = datetime.date(2026, 12, 20)
FEN = Decimal("0.01")


def _random_date(rng, first, last):
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


def generate_contracts(seed, count):
    """Contract terms and plan lines of ``count`` varied contracts (plain Python, reproducible from ``seed``).

    Amounts from 100 yuan to 25,000 yuan with fen, rates from 0.5 % to 4.9 % with four decimals, disbursed any
    day from 2019 to 2025 (so the first period is partial), graduating in any month from the year before the
    disbursement to four years after it (the graduation-year split falls anywhere, also before the period),
    yearly lines on 20 December, sometimes a grace-end line on another day and repayment lines with principal
    (at times above the balance); a fifth of the contracts have principal paid on an earlier settlement (at
    times more than the amount); a sixth have an interest-subsidy extension (贴息延期: the state pays the interest
    until ``subsidy_end``, any day up to four years after 1 September of the graduation year, drawn from a
    second random stream so that the other terms stay those of ``seed``).
    """
    rng = random.Random(seed)
    extension_rng = random.Random(seed + 1)
    contracts = []
    for index in range(count):
        disbursed = _random_date(rng, datetime.date(2019, 1, 1), datetime.date(2025, 12, 31))
        graduation = _random_date(
            rng, datetime.date(disbursed.year - 1, 1, 1), datetime.date(disbursed.year + 4, 12, 31)
        )
        amount = Decimal(rng.randint(10000, 2500000)) / 100
        rate = Decimal(rng.randint(500, 49000)) / 10000  # percent, four decimals
        pay_start = repayment.student_pay_start(graduation)
        lines, start = [], disbursed
        day = datetime.date(disbursed.year, 12, 20)
        if day <= disbursed:
            day = datetime.date(disbursed.year + 1, 12, 20)
        while day <= SECOND_RUN:
            if rng.random() < 0.05 and start.year < day.year:
                # a grace end on another day than the settlement date
                odd = _random_date(rng, datetime.date(day.year, 1, 1), day - datetime.timedelta(days=1))
                if odd > start:
                    lines.append((odd, "grace", start, Decimal(0)))
                    start = odd
            kind = "study" if day <= pay_start else rng.choice(("grace", "repayment"))
            principal = (
                (amount * Decimal(rng.choice((0, 10, 25, 60, 150))) / 100).quantize(FEN)
                if kind == "repayment"
                else Decimal(0)
            )
            lines.append((day, kind, start, principal))
            start = day
            day = datetime.date(day.year + 1, 12, 20)
        paid = (amount * Decimal(rng.choice((10, 50, 99, 120))) / 100).quantize(FEN) if rng.random() < 0.2 else None
        subsidy_end = (
            pay_start + datetime.timedelta(days=extension_rng.randint(1, 4 * 365))
            if extension_rng.random() < 1 / 6
            else None
        )
        contracts.append(
            {
                "index": index,
                "amount": amount,
                "rate": rate,
                "disbursed": disbursed,
                "graduation": graduation,
                "lines": lines,
                "paid": paid,
                "subsidy_end": subsidy_end,
            }
        )
    return contracts


def pay_start(contract):
    """loanlib's student-pay start of the contract (``LoanTerms.student_pay_start``): the subsidy's end."""
    return contract["subsidy_end"] or repayment.student_pay_start(contract["graduation"])


def expected_settlement(contract, period_start, day, principal, paid):
    """What loanlib says the settlement of one period is (balance, subsidised, student interest, principal)."""
    balance = max(contract["amount"] - (paid or Decimal(0)), Decimal(0))
    subsidised, student = repayment.split_interest(
        balance,
        contract["rate"] / 100,
        period_start,
        day,
        pay_start(contract),
    )
    return balance, subsidised, student, min(principal, balance)


@tagged("post_install", "-at_install")
class TestSettlementSql(RepaymentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.generated = generate_contracts(20241220, CONTRACTS)
        cls._insert_generated(cls.generated)

    @classmethod
    def _insert_generated(cls, contracts):
        cr = cls.env.cr
        cls.env.flush_all()
        policy = cls.contract.policy_id
        currency = cls.env.ref("base.CNY")
        cr.execute("SELECT coalesce(max(id), 0) FROM student_loan_student")
        offset = cr.fetchone()[0]
        cr.execute(
            """
            INSERT INTO student_loan_student (name, id_number, mobile, centre_id, active)
            SELECT 'SQL结息' || n, 'SQLSETTLE' || lpad(n::text, 9, '0'), '139' || lpad(n::text, 8, '0'), %s, true
              FROM generate_series(%s, %s) n
            RETURNING id
            """,
            [cls.county.id, offset + 1, offset + len(contracts)],
        )
        student_ids = sorted(row[0] for row in cr.fetchall())
        cr.execute(
            """
            INSERT INTO student_loan_contract (name, state, student_id, centre_id, academic_year, loan_kind,
                                               policy_id, currency_id, amount, rate, start_date, disbursement_date,
                                               graduation_date, subsidy_end, repayment_method, repayment_frequency)
            SELECT 'SQLSETTLE-' || t.student_id, 'active', t.student_id, %s, extract(year FROM t.disbursed)::int,
                   'first', %s, %s, t.amount, t.rate, t.disbursed, t.disbursed, t.graduation, t.subsidy_end,
                   'annuity', 'yearly'
              FROM unnest(%s::int[], %s::numeric[], %s::numeric[], %s::date[], %s::date[], %s::date[])
                   AS t(student_id, amount, rate, disbursed, graduation, subsidy_end)
             ORDER BY t.student_id
            RETURNING id, student_id
            """,
            [
                cls.county.id,
                policy.id,
                currency.id,
                student_ids,
                [c["amount"] for c in contracts],
                [c["rate"] for c in contracts],
                [c["disbursed"] for c in contracts],
                [c["graduation"] for c in contracts],
                [c["subsidy_end"] for c in contracts],
            ],
        )
        contract_by_student = dict((student_id, contract_id) for contract_id, student_id in cr.fetchall())
        for contract, student_id in zip(contracts, student_ids, strict=True):
            contract["id"] = contract_by_student[student_id]
            contract["student_id"] = student_id
        plan_rows = [
            (contract["id"], day, kind, start, (day - start).days, principal)
            for contract in contracts
            for day, kind, start, principal in contract["lines"]
        ]
        cr.execute(
            """
            INSERT INTO student_loan_plan_line (contract_id, date, kind, period_start, days, principal)
            SELECT * FROM unnest(%s::int[], %s::date[], %s::varchar[], %s::date[], %s::int[], %s::numeric[])
            """,
            [list(column) for column in zip(*plan_rows, strict=True)],
        )
        # principal paid on an earlier settlement (an early repayment before the disbursement year's end)
        paid_rows = [(c["id"], c["disbursed"], c["paid"]) for c in contracts if c["paid"] is not None]
        cr.execute(
            """
            INSERT INTO student_loan_settlement_line (contract_id, date, due_date, kind, principal_due,
                                                      principal_paid, interest, subsidised_interest, state)
            SELECT t.contract_id, t.day, t.day, 'prepayment', t.paid, t.paid, 0, 0, 'paid'
              FROM unnest(%s::int[], %s::date[], %s::numeric[]) AS t(contract_id, day, paid)
            """,
            [list(column) for column in zip(*paid_rows, strict=True)],
        )
        # fresh planner statistics, as after a province load
        cr.execute("ANALYZE student_loan_contract, student_loan_plan_line, student_loan_settlement_line")
        cls.env.invalidate_all()

    def _stored(self):
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT s.contract_id, s.date, s.kind, s.period_start, s.days, s.balance::text,
                   s.subsidised_interest::text, s.interest::text, s.principal_due::text, s.amount_residual::text,
                   s.state, s.student_id, s.centre_id, s.due_date, pl.settlement_line_id = s.id
              FROM student_loan_settlement_line s
              JOIN student_loan_plan_line pl ON pl.id = s.plan_line_id
             WHERE s.contract_id = ANY(%s)
            """,
            [[c["id"] for c in self.generated]],
        )
        return {(row[0], row[1], row[2]): row[3:] for row in self.env.cr.fetchall()}

    def test_sql_settlement_equals_loanlib(self):
        """Every settlement the SQL statement writes equals loanlib's split_interest, to the fen."""
        Settlement = self.env["student.loan.settlement.line"]
        due_first = {c["id"] for c in self.generated if any(line[0] <= FIRST_RUN for line in c["lines"])}
        # a first run in small chunks (several id ranges), then a catch-up run to 2026
        self.assertEqual(Settlement._settle_due(FIRST_RUN, batch_size=700), len(due_first))
        self.assertEqual(Settlement._settle_due(FIRST_RUN, batch_size=700), 0, "a second run settles nothing")
        # every generated contract has periods after 2022, and so have the two contracts of the fixture
        self.assertEqual(Settlement._settle_due(SECOND_RUN), len(self.generated) + 2)
        self.assertEqual(Settlement._settle_due(SECOND_RUN), 0)

        stored = self._stored()
        expected_count = 0
        for contract in self.generated:
            for day, kind, start, principal in contract["lines"]:
                expected_count += 1
                balance, subsidised, student, principal_due = expected_settlement(
                    contract, start, day, principal, contract["paid"]
                )
                row = stored.get((contract["id"], day, kind))
                self.assertIsNotNone(row, f"contract {contract['index']}: no settlement on {day}")
                (
                    period_start,
                    days,
                    got_balance,
                    got_subsidised,
                    got_student,
                    got_principal,
                    residual,
                    state,
                    student_id,
                    centre_id,
                    due_date,
                    linked,
                ) = row
                self.assertEqual(
                    (
                        Decimal(got_balance),
                        Decimal(got_subsidised),
                        Decimal(got_student),
                        Decimal(got_principal),
                    ),
                    (balance, subsidised, student, principal_due),
                    f"contract {contract['index']} {contract} period {start}..{day}",
                )
                self.assertEqual((period_start, days, due_date), (start, (day - start).days, day))
                self.assertEqual(Decimal(residual), student + principal_due)
                self.assertEqual(state, "open" if student + principal_due > 0 else "paid")
                self.assertEqual((student_id, centre_id, linked), (contract["student_id"], self.county.id, True))
        self.assertEqual(len(stored), expected_count)
        # the sample covers what it is meant to: a split inside a period, partial first years, floors at 0
        splits = sum(
            1
            for contract in self.generated
            for day, _kind, start, _principal in contract["lines"]
            if start < pay_start(contract) < day
        )
        self.assertGreater(splits, 500)
        # and the extensions: periods the extension makes (partly) subsidised that the student would pay without it
        extended = 0
        for contract in self.generated:
            usual = repayment.student_pay_start(contract["graduation"])
            if contract["subsidy_end"]:
                extended += sum(
                    1
                    for day, _kind, start, _principal in contract["lines"]
                    if max(start, usual) < min(day, pay_start(contract))
                )
        self.assertGreater(extended, 500)
        self.assertTrue(any(c["paid"] and c["paid"] > c["amount"] for c in self.generated))

    def test_sql_settlement_of_the_orm_contracts_matches_the_engine_plan(self):
        """On contracts made through the workflow, the settlement equals the engine's plan of each period."""
        Settlement = self.env["student.loan.settlement.line"]
        Settlement._settle_due(SECOND_RUN)
        for contract in self.contract | self.senior_contract:
            plan = {(line.date, line.kind): line for line in self.engine_plan(contract).lines}
            self.assertTrue(contract.settlement_line_ids)
            for line in contract.settlement_line_ids:
                expected = plan[line.date, line.kind]
                self.assertEqual(
                    (self.money(line.subsidised_interest), self.money(line.interest), line.days),
                    (expected.subsidised_interest, expected.interest, expected.days),
                )
