"""Load a synthetic province into the database: students, partners, co-borrowers, applications
and contracts, by batches of SQL ``COPY`` into the core tables.

The ORM would need hours for a province (about 2.5 million rows); ``COPY`` needs minutes. The
rows are nevertheless complete for the ORM: every required column, every stored computed field
(filled with what the ORM would compute, see ``verify_sample``), the parent records (a partner
per student, an application per contract), the sequences behind the numbers, and the columns
other installed addons add get their defaults (or are recomputed through the ORM when they are
computed). Foreign keys and plain indexes are dropped for the load and created again (so
validated, set-based) at the end. Everything is done in the caller's transaction.
"""

import contextlib
import dataclasses
import datetime
import io
import json
import logging
import queue
import threading
import time
from collections import defaultdict

from odoo import SUPERUSER_ID, fields
from odoo.tools import SQL

from odoo.addons.student_loan.loanlib import identity
from odoo.addons.student_loan.loanlib import policy as policy_math

from ..reportlib import province_plan as plan_lib

_logger = logging.getLogger(__name__)

NULL = "\\N"
PARAM_KEY = "student_loan_report.province_load"
MAGIC = ("id", "create_uid", "create_date", "write_uid", "write_date")


def _text(value):
    if value is None or value is False:
        return NULL
    value = str(value)
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def _num(value):
    return NULL if value is None or value is False else str(value)


def _bool(value):
    return "t" if value else "f"


def _date(value):
    return value.isoformat() if value else NULL


def _dt(value):
    return value.isoformat(" ", "seconds") if value else NULL


class TableSpec:
    """One table to fill: the columns the loader writes, plus the defaults of the other columns."""

    def __init__(self, env, model_name, columns):
        self.model = env[model_name]
        self.table = self.model._table
        self.columns = list(columns)
        stored = {
            name: field
            for name, field in self.model._fields.items()
            if field.store and field.column_type and name not in MAGIC
        }
        unknown = set(self.columns) - set(stored) - set(MAGIC)
        if unknown:
            raise ValueError(f"{model_name}: no stored fields {sorted(unknown)}")
        missing = [name for name in stored if name not in self.columns]
        defaults = self.model.default_get(missing)
        self.default_columns, default_values = [], []
        self.recompute = []
        self.constant_computed = []
        for name in missing:
            field = stored[name]
            if field.compute:
                value = self._value_without_related_rows(field)
                if value is None:
                    self.recompute.append(name)
                else:
                    # e.g. base_tier_validation's validation_status: "no" on a record without reviews
                    self.constant_computed.append(name)
                    self.default_columns.append(name)
                    default_values.append(self._format_default(field, value))
            elif defaults.get(name) not in (None, False):
                self.default_columns.append(name)
                default_values.append(self._format_default(field, defaults[name]))
            elif field.required:
                raise ValueError(f"{model_name}.{name} is required and has no default: the loader must fill it")
        self.suffix = ("\t" + "\t".join(default_values)) if default_values else ""
        self.rows = 0

    def _value_without_related_rows(self, field):
        """The value a computed field has on every loaded row, when it only depends on rows that point at the
        record (one2many/many2many: reviews, messages…), which a freshly loaded id has none of; None when it
        depends on a column of the row (then the ORM recomputes it after the load, see ``recompute``).
        ``verify_sample`` compares the loaded value with the ORM's on a sample, like every computed column."""
        depends = self.model.pool.field_depends.get(field, ())
        if not depends:
            return None
        for path in depends:
            first = self.model._fields.get(path.split(".")[0])
            if first is None or first.type not in ("one2many", "many2many"):
                return None
        try:
            value = self.model.new({})[field.name]
        except Exception:  # noqa: BLE001 (a compute that needs a real row: recomputed by the ORM instead)
            _logger.debug("%s: not computable on an empty record, recomputed after the load", field, exc_info=True)
            return None
        if value is None or value is False:
            return None
        return value

    @staticmethod
    def _format_default(field, value):
        if field.type == "boolean":
            return _bool(value)
        if field.type in ("integer", "float", "monetary", "many2one"):
            return _num(value.id if hasattr(value, "id") else value)
        if field.type == "date":
            return _date(fields.Date.to_date(value))
        if field.type == "datetime":
            return _dt(fields.Datetime.to_datetime(value))
        if field.type in ("json", "properties") or field.translate:
            return _text(json.dumps(value if isinstance(value, dict) else {"en_US": value}))
        return _text(value)

    @property
    def all_columns(self):
        return self.columns + self.default_columns


class ProvinceLoader:
    """Generate the province with ``ProvincePlan`` and COPY it into the database.

    :param env: an environment on the target database (used as superuser)
    :param seed: random seed (same seed, same data)
    :param scale: fraction of the bulletin's totals (1 = the whole province)
    :param totals: explicit ``Totals`` (instead of the scaled bulletin)
    :param year: the season (academic year)
    :param batch_size: students per COPY batch
    :param progress: callable receiving progress lines (``print`` for the command line)
    :param sink: callable ``(table, columns, text)`` receiving the COPY data instead of the
        database (the benchmark uses it to time a raw COPY of the same rows)
    :param taken_ids: ID numbers not to generate (default: those in the database)
    :param tee: callable ``(table, columns, text)`` receiving a copy of the COPY data loaded into the
        database (the national load keeps it to time a raw COPY of the same rows in the same run)
    """

    TABLE_MODELS = (
        ("partner", "res.partner"),
        ("student", "student.loan.student"),
        ("coborrower", "student.loan.coborrower"),
        ("application", "student.loan.application"),
        ("contract", "student.loan.contract"),
    )

    def __init__(
        self,
        env,
        seed=2017,
        scale=1.0,
        totals=None,
        year=plan_lib.BULLETIN_YEAR,
        batch_size=5000,
        progress=None,
        sink=None,
        taken_ids=None,
        tee=None,
    ):
        self.env = env(user=SUPERUSER_ID, su=True, context=dict(env.context, tracking_disable=True))
        self.cr = self.env.cr
        self.seed = seed
        self.year = year
        self.totals = totals or plan_lib.BULLETIN_TOTALS.scaled(scale)
        self.batch_size = batch_size
        self.progress = progress or (lambda line: _logger.info("%s", line))
        self.sink = sink
        self.tee = tee
        self.given_taken_ids = taken_ids
        self.stats = {}
        self.timings = defaultdict(float)

    # ------------------------------------------------------------------
    # Entry point
    # ------------------------------------------------------------------

    def load(self):
        """Load the whole province; return the statistics (rows, seconds, rows per second)."""
        started = time.perf_counter()
        self._prepare()
        self.timings["prepare"] = time.perf_counter() - started
        plan = plan_lib.ProvincePlan(
            self.units, self.totals, year=self.year, caps=self.caps, seed=self.seed, taken_ids=self.taken_ids
        )
        plan.build()
        self.progress(
            f"Plan: {self.totals.contracts:,} contracts for {self.year}-{self.year + 1}, "
            f"{self.totals.amount:,.2f} CNY, {self.totals.first_loans:,} first loans, "
            f"{self.totals.renewals:,} renewals, over {len(plan.units)} statistics units "
            f"and {len(plan.leaves)} aid centres (seed {self.seed})"
        )
        self._lock_and_reserve()
        # The rows of the next batch are made in a worker thread while PostgreSQL takes the
        # current one (the server works in its own process; psycopg2 releases the GIL meanwhile).
        batches = queue.Queue(maxsize=3)
        worker = threading.Thread(target=self._produce, args=(plan, batches), name="province-rows", daemon=True)
        worker.start()
        done = 0
        try:
            while (item := batches.get()) is not None:
                if isinstance(item, BaseException):
                    raise item
                buffers, counts = item
                self._copy_batch(buffers, counts)
                done += counts["student"]
                self._report(done, started)
        finally:
            self._stop = True
            while worker.is_alive():  # a worker waiting to hand over a batch must not block
                with contextlib.suppress(queue.Empty):
                    batches.get(timeout=0.1)
            worker.join()
        finishing = time.perf_counter()
        self._finish()
        self.timings["finish"] = time.perf_counter() - finishing
        # the copy kept for the raw COPY floor (``tee``) is not part of the load
        seconds = time.perf_counter() - started - self.timings.get("tee", 0.0)
        rows = sum(spec.rows for spec in self.specs.values())
        self.stats = {
            "seed": self.seed,
            "year": self.year,
            "totals": dataclasses.asdict(self.totals),
            "rows": {name: spec.rows for name, spec in self.specs.items()},
            "total_rows": rows,
            "seconds": round(seconds, 2),
            "rows_per_second": round(rows / seconds) if seconds else None,
            "timings": {name: round(value, 2) for name, value in self.timings.items()},
            "first_ids": self.first_id,
            "loaded_at": fields.Datetime.to_string(fields.Datetime.now()),
        }
        if not self.sink:
            self.env["ir.config_parameter"].set_param(PARAM_KEY, json.dumps(self.stats))
        self.progress(
            f"Loaded {rows:,} rows in {seconds:.1f} s: {self.stats['rows_per_second']:,} rows/s "
            + ", ".join(f"{name} {spec.rows:,}" for name, spec in self.specs.items())
            + " ("
            + ", ".join(f"{name} {value:.1f} s" for name, value in self.stats["timings"].items())
            + ")"
        )
        return self.stats

    def _report(self, done, started):
        seconds = time.perf_counter() - started
        rows = sum(spec.rows for spec in self.specs.values())
        self.progress(
            f"  {done / self.totals.contracts:6.1%}  {done:>9,} students  {rows:>10,} rows  "
            f"{rows / seconds if seconds else 0:>9,.0f} rows/s"
        )

    # ------------------------------------------------------------------
    # Preparation: divisions, policies, schools, ids
    # ------------------------------------------------------------------

    def _prepare(self):
        env = self.env
        self.cr.execute("""
            SELECT c.id, c.code, c.name, c.division_kind, p.code
              FROM student_loan_centre c LEFT JOIN student_loan_centre p ON p.id = c.parent_id
             WHERE c.active
        """)
        centres = [
            {"id": row[0], "code": row[1], "name": row[2], "division_kind": row[3], "parent_code": row[4]}
            for row in self.cr.fetchall()
        ]
        self.centre_ids = {centre["code"]: centre["id"] for centre in centres}
        self.units = plan_lib.default_divisions(centres)
        if not self.units:
            raise ValueError("No aid centres: install student_loan first.")
        policies = (
            env["student.loan.policy"]
            .with_context(active_test=False)
            .search([("academic_year", ">=", self.year - 6), ("academic_year", "<=", self.year)])
        )
        self.policies = {policy.academic_year: policy for policy in policies}
        if self.year not in self.policies:
            raise ValueError(f"No loan policy for {self.year}.")
        self.caps = {
            year: (int(policy.cap_undergraduate), int(policy.cap_graduate), int(policy.min_amount))
            for year, policy in self.policies.items()
        }
        # plain values: the rows are made in a worker thread, away from the ORM
        self.policy_values = {
            year: (str(policy.id), policy.term_extra_years, policy.term_max_years, repr(policy.contract_rate))
            for year, policy in self.policies.items()
        }
        self.currency_id = env.ref("base.CNY").id
        if self.given_taken_ids is not None:
            self.taken_ids = set(self.given_taken_ids)
        else:
            self.cr.execute("SELECT id_number FROM student_loan_student")
            self.taken_ids = {row[0] for row in self.cr.fetchall()}
        self._prepare_schools()
        self.specs = {
            "partner": TableSpec(
                env,
                "res.partner",
                [
                    "id",
                    "name",
                    "complete_name",
                    "commercial_partner_id",
                    "email",
                    "email_normalized",
                    "mobile",
                    "phone_sanitized",
                    "partner_share",
                    "active",
                    "type",
                    "is_company",
                    "street",
                    "city",
                    "create_uid",
                    "create_date",
                    "write_uid",
                    "write_date",
                    "user_id",
                    "company_registry",
                    "commercial_company_name",
                ],
            ),
            "student": TableSpec(
                env,
                "student.loan.student",
                [
                    "id",
                    "name",
                    "partner_id",
                    "id_number",
                    "id_number_masked",
                    "birth_date",
                    "gender",
                    "mobile",
                    "email",
                    "household_address",
                    "home_address",
                    "third_party_name",
                    "third_party_phone",
                    "third_party_relation",
                    "is_poverty_registered",
                    "school_id",
                    "education_level",
                    "study_years",
                    "enrolment_year",
                    "expected_graduation",
                    "centre_id",
                    "active",
                    "create_uid",
                    "create_date",
                    "write_uid",
                    "write_date",
                ],
            ),
            "coborrower": TableSpec(
                env,
                "student.loan.coborrower",
                [
                    "id",
                    "student_id",
                    "centre_id",
                    "name",
                    "relation",
                    "id_number",
                    "id_number_masked",
                    "mobile",
                    "address",
                    "address_complete",
                    "work_unit",
                    "active",
                    "create_uid",
                    "create_date",
                    "write_uid",
                    "write_date",
                ],
            ),
            "application": TableSpec(
                env,
                "student.loan.application",
                [
                    "id",
                    "name",
                    "state",
                    "student_id",
                    "centre_id",
                    "academic_year",
                    "policy_id",
                    "loan_kind",
                    "is_poverty_registered",
                    "school_id",
                    "education_level",
                    "study_years",
                    "enrolment_year",
                    "currency_id",
                    "tuition",
                    "accommodation",
                    "need_amount",
                    "cap_amount",
                    "requested_amount",
                    "approved_amount",
                    "eligibility_unit",
                    "eligibility_stamped",
                    "coborrower_id",
                    "university_reviewed",
                    "contract_id",
                    "submitted_date",
                    "checked_date",
                    "approved_date",
                    "bank_date",
                    "return_count",
                    "create_uid",
                    "create_date",
                    "write_uid",
                    "write_date",
                ],
            ),
            "contract": TableSpec(
                env,
                "student.loan.contract",
                [
                    "id",
                    "name",
                    "state",
                    "application_id",
                    "student_id",
                    "coborrower_id",
                    "centre_id",
                    "academic_year",
                    "loan_kind",
                    "policy_id",
                    "currency_id",
                    "amount",
                    "rate",
                    "term_years",
                    "start_date",
                    "graduation_date",
                    "maturity_date",
                    "signed_by_proxy",
                    "signing_date",
                    "receipt_code",
                    "disbursement_date",
                    "create_uid",
                    "create_date",
                    "write_uid",
                    "write_date",
                ],
            ),
        }
        for name, spec in self.specs.items():
            if spec.recompute:
                self.progress(f"  {name}: computed fields of other addons recomputed after the load: {spec.recompute}")

    def _prepare_schools(self):
        School = self.env["student.loan.school"].with_context(active_test=False)
        existing = School.search([])
        by_code = {school.code: school for school in existing if school.code}
        by_name = {school.name: school for school in existing}

        def ensure(name, code):
            school = by_code.get(code) if code else None
            school = school or by_name.get(name)
            if not school:
                school = School.create({"name": name, "code": code or False, "kind": "university", "province": "河南"})
                by_name[name] = school
            return school.id

        self.university_ids = [ensure(name, code) for name, code in plan_lib.UNIVERSITIES]
        self.graduate_school_ids = self.university_ids[: plan_lib.GRADUATE_SCHOOLS]
        self.vocational_ids = [ensure(name, None) for name in plan_lib.VOCATIONAL_COLLEGES]

    def _lock_and_reserve(self):
        """Lock the tables (readers go on) and take the next ids of each table's sequence."""
        self.next_id = {}
        for name, spec in self.specs.items():
            if not self.sink:
                self.cr.execute(SQL("LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE", SQL.identifier(spec.table)))
            self.cr.execute(
                SQL(
                    "SELECT GREATEST((SELECT COALESCE(MAX(id), 0) FROM %s), (SELECT last_value FROM %s)) + 1",
                    SQL.identifier(spec.table),
                    SQL.identifier(f"{spec.table}_id_seq"),
                )
            )
            self.next_id[name] = self.cr.fetchone()[0]
        self.first_id = dict(self.next_id)
        # Foreign keys are checked row by row during a COPY: they are dropped for the load and
        # added back (and so validated, set-based) at the end. This also lets an application
        # point to its contract and the contract to its application in one pass.
        tables = [spec.table for spec in self.specs.values()]
        self.cr.execute(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
             WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])
             ORDER BY 1, 2
        """,
            [tables],
        )
        self.dropped_fks = self.cr.fetchall()
        # Plain indexes (not the primary keys and unique constraints) are maintained row by row too:
        # dropped for the load and built again, with the same definitions, at the end.
        self.cr.execute(
            """
            SELECT c.relname, pg_get_indexdef(c.oid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
             WHERE i.indrelid = ANY(%s::regclass[])
               AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)
             ORDER BY 1
        """,
            [tables],
        )
        self.dropped_indexes = self.cr.fetchall()
        if not self.sink:
            for table, name, _definition in self.dropped_fks:
                self.cr.execute(SQL("ALTER TABLE %s DROP CONSTRAINT %s", SQL.identifier(table), SQL.identifier(name)))
            for name, _definition in self.dropped_indexes:
                self.cr.execute(SQL("DROP INDEX %s", SQL.identifier(name)))
        self.contract_counters = defaultdict(int)
        self.cr.execute("SELECT number_next FROM ir_sequence WHERE code = 'student.loan.application' LIMIT 1")
        row = self.cr.fetchone()
        self.application_number = (row[0] if row else 1) + 100_000  # clear of numbers already used
        self.now = fields.Datetime.now()

    def _take_ids(self, name, count):
        first = self.next_id[name]
        self.next_id[name] += count
        return first

    # ------------------------------------------------------------------
    # Rows
    # ------------------------------------------------------------------

    _stop = False

    def _produce(self, plan, batches):
        """Worker thread: make the COPY text of each batch of students (no ORM, no cursor here)."""
        try:
            batch = []
            for student in plan.iter_students():
                batch.append(student)
                if len(batch) >= self.batch_size:
                    batches.put(self._make_batch(batch))
                    batch = []
                if self._stop:
                    return
            if batch:
                batches.put(self._make_batch(batch))
            batches.put(None)
        except Exception as error:  # noqa: BLE001 (handed over to the main thread)
            batches.put(error)

    def _copy_batch(self, buffers, counts):
        for name, spec in self.specs.items():
            self._copy(spec, buffers[name])
            spec.rows += counts[name]

    def _make_batch(self, students):
        buffers = {name: io.StringIO() for name in self.specs}
        counts = dict.fromkeys(self.specs, 0)
        uid = str(SUPERUSER_ID)
        for student in students:
            partner_id = self._take_ids("partner", 1)
            student_id = self._take_ids("student", 1)
            coborrower_id = self._take_ids("coborrower", 1)
            centre_id = self.centre_ids[student.division.code]
            registered = _dt(student.registered_at)
            self._partner_row(buffers["partner"], partner_id, student, uid, registered)
            school_id = self._school_id(student)
            graduation = policy_math.graduation_date(student.enrolment_year, student.study_years)
            last = student.contracts[-1]
            last_change = _dt(last.bank_at or last.approved_at or last.checked_at)
            buffers["student"].write(
                "\t".join(
                    (
                        str(student_id),
                        _text(student.name),
                        str(partner_id),
                        student.id_number,
                        identity.mask_id_number(student.id_number),
                        _date(student.birth_date),
                        student.gender,
                        student.mobile,
                        _text(student.email),
                        _text(student.household_address),
                        _text(student.household_address),
                        _text(student.third_party_name),
                        student.third_party_phone,
                        plan_lib.THIRD_PARTY_RELATIONS[student.school_key % len(plan_lib.THIRD_PARTY_RELATIONS)],
                        _bool(student.is_poverty_registered),
                        str(school_id),
                        student.education_level,
                        str(student.study_years),
                        str(student.enrolment_year),
                        _date(graduation),
                        str(centre_id),
                        "t",
                        uid,
                        registered,
                        uid,
                        last_change,
                    )
                )
                + self.specs["student"].suffix
                + "\n"
            )
            buffers["coborrower"].write(
                "\t".join(
                    (
                        str(coborrower_id),
                        str(student_id),
                        str(centre_id),
                        _text(student.coborrower_name),
                        student.coborrower_relation,
                        student.coborrower_id_number,
                        identity.mask_id_number(student.coborrower_id_number),
                        student.coborrower_mobile,
                        _text(student.household_address),
                        _bool(identity.is_address_complete(student.household_address)),
                        _text(student.coborrower_work_unit),
                        "t",
                        uid,
                        registered,
                        uid,
                        registered,
                    )
                )
                + self.specs["coborrower"].suffix
                + "\n"
            )
            counts["partner"] += 1
            counts["student"] += 1
            counts["coborrower"] += 1
            for contract in student.contracts:
                self._contract_rows(
                    buffers, student, contract, student_id, coborrower_id, centre_id, school_id, graduation, uid
                )
                counts["application"] += 1
                counts["contract"] += 1
        return buffers, counts

    def _partner_row(self, buffer, partner_id, student, uid, registered):
        email = student.email
        buffer.write(
            "\t".join(
                (
                    str(partner_id),
                    _text(student.name),
                    _text(student.name),
                    str(partner_id),
                    _text(email),
                    _text(email.lower() if email else None),
                    f"+86 {student.mobile}",
                    f"+86{student.mobile}",
                    "t",
                    "t",
                    "contact",
                    "f",
                    _text(student.household_address),
                    _text(student.division.place),
                    uid,
                    registered,
                    uid,
                    registered,
                    NULL,
                    NULL,
                    NULL,
                )
            )
            + self.specs["partner"].suffix
            + "\n"
        )

    def _school_id(self, student):
        if student.education_level == "vocational":
            choices = self.vocational_ids
        elif student.education_level in plan_lib.GRADUATE_LEVELS:
            choices = self.graduate_school_ids
        else:
            choices = self.university_ids
        return choices[student.school_key % len(choices)]

    def _contract_rows(
        self, buffers, student, contract, student_id, coborrower_id, centre_id, school_id, graduation, uid
    ):
        application_id = self._take_ids("application", 1)
        contract_id = self._take_ids("contract", 1)
        policy_id, extra_years, max_years, rate = self.policy_values[contract.academic_year]
        centre_code = student.division.code
        counter_key = (centre_code, contract.academic_year)
        self.contract_counters[counter_key] += 1
        number = f"{centre_code}-{contract.academic_year}-{self.contract_counters[counter_key]:06d}"
        self.application_number += 1
        application_name = f"SQ{contract.academic_year}{self.application_number:07d}"
        need = contract.tuition + contract.accommodation
        amount = f"{contract.amount}.00"
        created = _dt(contract.submitted_at)
        changed = _dt(contract.bank_at or contract.approved_at or contract.checked_at)
        buffers["application"].write(
            "\t".join(
                (
                    str(application_id),
                    application_name,
                    contract.application_state,
                    str(student_id),
                    str(centre_id),
                    str(contract.academic_year),
                    policy_id,
                    contract.loan_kind,
                    _bool(student.is_poverty_registered),
                    str(school_id),
                    student.education_level,
                    str(student.study_years),
                    str(student.enrolment_year),
                    str(self.currency_id),
                    f"{contract.tuition}.00",
                    f"{contract.accommodation}.00",
                    f"{need}.00",
                    f"{contract.cap}.00",
                    amount,
                    amount,
                    _text(f"{student.division.place}人民政府"),
                    "t",
                    str(coborrower_id),
                    "t",
                    str(contract_id),
                    created,
                    _dt(contract.checked_at),
                    _dt(contract.approved_at),
                    _dt(contract.bank_at),
                    "0",
                    uid,
                    created,
                    uid,
                    changed,
                )
            )
            + self.specs["application"].suffix
            + "\n"
        )
        remaining = student.enrolment_year + student.study_years - contract.academic_year
        term = policy_math.term_years(remaining, extra_years, max_years)
        start = contract.submitted_at.date()
        buffers["contract"].write(
            "\t".join(
                (
                    str(contract_id),
                    number,
                    contract.state,
                    str(application_id),
                    str(student_id),
                    str(coborrower_id),
                    str(centre_id),
                    str(contract.academic_year),
                    contract.loan_kind,
                    policy_id,
                    str(self.currency_id),
                    amount,
                    rate,
                    str(term),
                    _date(start),
                    _date(graduation),
                    _date(policy_math.maturity_date(start, term)),
                    "f",
                    _date(contract.signing_date),
                    _text(contract.receipt_code),
                    _date(contract.disbursement_date),
                    uid,
                    created,
                    uid,
                    changed,
                )
            )
            + self.specs["contract"].suffix
            + "\n"
        )

    def _copy(self, spec, buffer):
        buffer.seek(0)
        if self.sink:
            self.sink(spec.table, spec.all_columns, buffer.getvalue())
            return
        if self.tee:
            started = time.perf_counter()
            self.tee(spec.table, spec.all_columns, buffer.getvalue())
            buffer.seek(0)
            self.timings["tee"] += time.perf_counter() - started
        started = time.perf_counter()
        query = SQL(
            "COPY %s (%s) FROM STDIN",
            SQL.identifier(spec.table),
            SQL(", ").join(SQL.identifier(column) for column in spec.all_columns),
        )
        self.cr.copy_expert(query.code, buffer)
        self.timings["copy"] += time.perf_counter() - started

    # ------------------------------------------------------------------
    # After the rows: links, sequences, statistics
    # ------------------------------------------------------------------

    def _finish(self):
        if self.sink:
            return
        cr = self.cr
        started = time.perf_counter()
        for _name, definition in self.dropped_indexes:
            # pg_get_indexdef() of the index dropped before the load (a literal % is doubled for SQL())
            cr.execute(SQL(definition.replace("%", "%%")))
        self.timings["indexes"] = time.perf_counter() - started
        started = time.perf_counter()
        for table, name, definition in self.dropped_fks:
            cr.execute(
                SQL(
                    "ALTER TABLE %s ADD CONSTRAINT %s %s",
                    SQL.identifier(table),
                    SQL.identifier(name),
                    SQL(definition.replace("%", "%%")),
                )
            )  # pg_get_constraintdef() of the dropped key
        self.timings["foreign_keys"] = time.perf_counter() - started
        for spec in self.specs.values():
            cr.execute(
                SQL(
                    "SELECT setval(%s, GREATEST((SELECT MAX(id) FROM %s), 1))",
                    f"{spec.table}_id_seq",
                    SQL.identifier(spec.table),
                )
            )
        started = time.perf_counter()
        self._update_sequences()
        self.env.invalidate_all()
        self._recompute_other_addons_fields()
        self.timings["sequences"] = time.perf_counter() - started
        started = time.perf_counter()
        for spec in self.specs.values():
            cr.execute(SQL("ANALYZE %s", SQL.identifier(spec.table)))
        self.timings["analyze"] = time.perf_counter() - started

    def _update_sequences(self):
        """Contract numbers per centre and year, application numbers: continue after the loaded ones."""
        Sequence = self.env["ir.sequence"]
        Contract = self.env["student.loan.contract"]
        codes = list({code for code, _year in self.contract_counters})
        centres = self.env["student.loan.centre"].with_context(active_test=False).search([("code", "in", codes)])
        by_code = {centre.code: centre for centre in centres}
        for (code, year), count in sorted(self.contract_counters.items()):
            centre = by_code[code]
            # create the centre's sequence the way the core does (one number taken, then set back)
            sequence = Sequence.search([("code", "=", f"student.loan.contract.{code}")], limit=1)
            if not sequence:
                Contract._next_number(centre, year)
                sequence = Sequence.search([("code", "=", f"student.loan.contract.{code}")], limit=1)
            date_from = datetime.date(year, 1, 1)
            date_range = sequence.date_range_ids.filtered(lambda r, d=date_from: r.date_from <= d <= r.date_to)
            if not date_range:
                date_range = self.env["ir.sequence.date_range"].create(
                    {
                        "sequence_id": sequence.id,
                        "date_from": date_from,
                        "date_to": datetime.date(year, 12, 31),
                    }
                )
            if date_range.number_next_actual <= count:
                date_range.number_next_actual = count + 1
        application_sequence = Sequence.search([("code", "=", "student.loan.application")], limit=1)
        if application_sequence and application_sequence.number_next_actual <= self.application_number:
            application_sequence.number_next_actual = self.application_number + 1

    def _recompute_other_addons_fields(self):
        """Stored computed fields the loader does not know (other addons): through the ORM."""
        for name, spec in self.specs.items():
            if not spec.recompute:
                continue
            model = self.env[spec.model._name]
            ids = list(range(self.first_id[name], self.next_id[name]))
            for start in range(0, len(ids), 5000):
                records = model.browse(ids[start : start + 5000])
                for field_name in spec.recompute:
                    self.env.add_to_compute(model._fields[field_name], records)
                records.flush_recordset()
                self.env.invalidate_all()
            self.progress(f"  {name}: recomputed {spec.recompute}")

    # ------------------------------------------------------------------
    # Verification (used by the tests and at the end of the command)
    # ------------------------------------------------------------------

    CONSISTENCY_CHECKS = (
        (
            "policy of another year",
            """
            SELECT c.id FROM student_loan_contract c LEFT JOIN student_loan_policy p ON p.id = c.policy_id
             WHERE c.id >= %(first)s AND p.academic_year IS DISTINCT FROM c.academic_year""",
        ),
        (
            "application and contract not linked both ways",
            """
            SELECT c.id FROM student_loan_contract c JOIN student_loan_application a ON a.id = c.application_id
             WHERE c.id >= %(first)s AND a.contract_id IS DISTINCT FROM c.id""",
        ),
        (
            "renewal without an earlier contract, or first loan after one",
            """
            SELECT c.id FROM student_loan_contract c
             WHERE c.id >= %(first)s
               AND (c.loan_kind = 'renewal') <> EXISTS (
                   SELECT 1 FROM student_loan_contract o
                    WHERE o.student_id = c.student_id AND o.academic_year < c.academic_year
                      AND o.state != 'cancelled')""",
        ),
    )

    def verify_sample(self, size=50):
        """Recompute, through the ORM, the stored computed fields of a sample of each loaded table and
        compare with the loaded values, and check every loaded contract set-based (policy of its year,
        links, kind of loan); return the differences as ``[(model, id, field or check, loaded, orm)]``."""
        differences = []
        for label, query in self.CONSISTENCY_CHECKS:
            self.cr.execute(SQL(query, first=self.first_id["contract"]))
            differences.extend(("student.loan.contract", row[0], label, None, None) for row in self.cr.fetchall())
        for name, spec in self.specs.items():
            model = self.env[spec.model._name]
            first, last = self.first_id[name], self.next_id[name]
            if last <= first:
                continue
            step = max(1, (last - first) // size)
            records = model.browse(range(first, last, step)).exists()
            computed = [
                field
                for field in model._fields.values()
                if field.store and field.compute and field.column_type and field.name not in MAGIC
            ]
            names = [field.name for field in computed]
            loaded = {record.id: {n: record[n] for n in names} for record in records}
            for field in computed:
                self.env.add_to_compute(field, records)
            # application.centre_id keeps a value once set: clear it so that it is computed again
            records.flush_recordset()
            for record in records:
                for field_name in names:
                    value, fresh = loaded[record.id][field_name], record[field_name]
                    if value != fresh:
                        differences.append((model._name, record.id, field_name, value, fresh))
        return differences


def ensure_regions(env, count):
    """Aid centres for ``count`` province-like regions (a national run): the home province (Henan, loaded
    by student_loan) and ``count - 1`` regions of ``province_plan.REGIONS`` shaped like it, created when
    missing (same codes, same names: running it again creates nothing). Returns the centres created."""
    if count - 1 > len(plan_lib.REGIONS):
        raise ValueError(f"At most {len(plan_lib.REGIONS) + 1} regions (SCALE up to {len(plan_lib.REGIONS) + 1}).")
    Centre = env["student.loan.centre"].sudo().with_context(active_test=False, tracking_disable=True)
    home = Centre.search([("code", "=like", plan_lib.HOME_PREFIX + "%")])
    centres = [
        {
            "code": centre.code,
            "name": centre.name,
            "division_kind": centre.division_kind,
            "parent_code": centre.parent_id.code or None,
        }
        for centre in home
    ]
    created = Centre
    for prefix, name, short in plan_lib.REGIONS[: max(0, count - 1)]:
        wanted = plan_lib.region_centres(centres, prefix, name, short)
        existing = {centre.code: centre.id for centre in Centre.search([("code", "=like", prefix + "%")])}
        for level in ("province", "unit", "county"):
            batch = [
                vals
                for vals in wanted
                if vals["code"] not in existing
                and (
                    vals["division_kind"] == level
                    or (level == "unit" and vals["division_kind"] not in ("province", "county"))
                )
            ]
            if not batch:
                continue
            records = Centre.create(
                [
                    {
                        "code": vals["code"],
                        "name": vals["name"],
                        "division_kind": vals["division_kind"],
                        "parent_id": existing.get(vals["parent_code"], False),
                    }
                    for vals in batch
                ]
            )
            existing.update({record.code: record.id for record in records})
            created |= records
    return created


def load_stats(env):
    """The statistics of the last load stored in the database (or None)."""
    value = env["ir.config_parameter"].sudo().get_param(PARAM_KEY)
    return json.loads(value) if value else None
