#!/usr/bin/env python3
"""Benchmark: import and match a 200,000-row poverty register (R2).

    .venv/bin/python bench/bench_poverty_import.py DBNAME [--rows 200000] [--students 20000] [--commit]
    .venv/bin/python bench/bench_poverty_import.py -c build/odoo.conf -d DBNAME

The database must have ``student_loan_intake`` installed. The register is matched against the
database's students when it holds a province's worth of them (``--min-students``); otherwise
``--students`` students are generated first. A share of the register's rows carry the students' ID
numbers, some have no ID (matched by name and birth date). The whole run is rolled back unless
``--commit`` is given. Rows per second cover reading, preview (checks, diff, matching) and the
confirmation (register written, students flagged); the result is merged into bench/results.json under
the key "poverty_import" (other benchmarks write other keys).
"""

import argparse
import base64
import contextlib
import datetime
import fcntl
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database", nargs="?", help="the database (or -d)")
    parser.add_argument("-d", "--database", dest="database_option", help="the database")
    parser.add_argument("-c", "--config", default=os.environ.get("ODOO_RC") or str(ROOT / "build" / "odoo.conf"))
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--students", type=int, default=20_000, help="students to generate when needed")
    parser.add_argument(
        "--min-students",
        type=int,
        default=10_000,
        help="below this many students the database is not a province database",
    )
    parser.add_argument(
        "--match-share", type=float, default=0.5, help="share of the students whose ID number is on the register"
    )
    parser.add_argument("--centre", default="411326", help="region code of the importing centre")
    parser.add_argument("--commit", action="store_true", help="keep the imported register")
    parser.add_argument("--no-results", action="store_true", help="do not write bench/results.json")
    args = parser.parse_args(argv)
    args.database = args.database or args.database_option or os.environ.get("BENCH_DB")
    if not args.database:
        parser.error("give the database name")
    return args


def make_id(rng, region, check_digit):
    birth = datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 8))
    body = f"{region}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return body + check_digit(body + "0"), birth


def generate_students(env, count, rng, check_digit):
    """``count`` students spread over the province's counties (ORM, in batches)."""
    centres = env["student.loan.centre"].search([("division_kind", "in", ("county", "direct_county"))])
    Student = env["student.loan.student"].with_context(tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
    existing = set()
    env.cr.execute("SELECT id_number FROM student_loan_student")
    existing.update(row[0] for row in env.cr.fetchall())
    created = 0
    surnames, given = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
    while created < count:
        batch = []
        for _index in range(min(2000, count - created)):
            centre = centres[rng.randrange(len(centres))]
            number, _birth = make_id(rng, centre.code, check_digit)
            if number in existing:
                continue
            existing.add(number)
            batch.append(
                {
                    "name": rng.choice(surnames) + rng.choice(given) + rng.choice(given),
                    "id_number": number,
                    "mobile": f"13{rng.randrange(10**9):09d}",
                    "centre_id": centre.id,
                }
            )
        Student.create(batch)
        created += len(batch)
    return created


def build_register(env, rows, match_share, rng, region, check_digit):
    """A CSV of ``rows`` persons: a share of the students' ID numbers, some without ID, the rest new."""
    env.cr.execute("SELECT id_number, name, birth_date FROM student_loan_student WHERE active")
    students = env.cr.fetchall()
    rng.shuffle(students)
    on_register = students[: min(int(len(students) * match_share), rows // 2)]
    lines = ["户编号,户主姓名,姓名,与户主关系,身份证号,出生日期,所在村,就读学校"]
    seen = set()
    without_id = 0
    for index in range(rows):
        household = f"{region}{index // 4:08d}"
        if index < len(on_register):
            number, name, birth = on_register[index]
            if index % 50 == 0 and birth:  # the poverty office lost some ID numbers
                number = ""
                without_id += 1
        else:
            number, birth = make_id(rng, region, check_digit)
            while number in seen:
                number, birth = make_id(rng, region, check_digit)
            name = f"成员{index}"
        seen.add(number)
        lines.append(f"{household},户主{index // 4},{name},之子,{number},{birth or ''},第{index % 300}村,第一高中")
    return ("\n".join(lines) + "\n").encode("utf-8"), len(on_register), without_id


def merge_results(key, value):
    """Read-merge-write bench/results.json under an exclusive lock (other benchmarks write other keys)."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with open(RESULTS.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data = {}
        if RESULTS.exists():
            with contextlib.suppress(ValueError):
                data = json.loads(RESULTS.read_text() or "{}")
        data[key] = value
        tmp = RESULTS.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
        os.replace(tmp, RESULTS)


def main(argv=None):
    args = parse_args(argv)
    from stdnum.cn import ric

    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    rng = random.Random(20240812)
    with registry.cursor() as cr:
        # the register's import job runs here, in this process (queue_job's no-delay context): the bench
        # measures the import itself, not the job runner
        env = api.Environment(cr, SUPERUSER_ID, {"tz": "Asia/Shanghai", "queue_job__no_delay": True})
        if "student.loan.poverty.import" not in env:
            sys.exit(
                f"{args.database}: install student_loan_intake first (odoo-bin -d {args.database} "
                "-i student_loan_intake --stop-after-init)"
            )
        env["ir.config_parameter"].set_param("student_loan_intake.poverty_max_mb", "100")
        centre = env["student.loan.centre"].search([("code", "=", args.centre)], limit=1)
        if not centre:
            sys.exit(f"{args.database}: no aid centre with region code {args.centre}")
        student_count = env["student.loan.student"].search_count([])
        generated, generate_seconds = 0, 0.0
        province_database = student_count >= args.min_students
        if not province_database:
            start = time.perf_counter()
            generated = generate_students(env, args.students, rng, ric.calc_check_digit)
            env.flush_all()
            generate_seconds = time.perf_counter() - start
            student_count += generated
            print(f"generated {generated} students in {generate_seconds:.1f} s")
        content, on_register, without_id = build_register(
            env, args.rows, args.match_share, rng, centre.code, ric.calc_check_digit
        )
        print(
            f"register: {args.rows} rows, {len(content) / 1048576:.1f} MB, {on_register} students on it "
            f"({without_id} without ID number)"
        )
        timings = {}
        start = time.perf_counter()
        record = env["student.loan.poverty.import"].create(
            {
                "centre_id": centre.id,
                "file": base64.b64encode(content),
                "file_name": "bench.csv",
            }
        )
        record.action_read_file()
        timings["read"] = time.perf_counter() - start
        if record.file_error:
            sys.exit(record.file_error)
        step = time.perf_counter()
        record.action_preview()
        env.flush_all()
        timings["preview"] = time.perf_counter() - step
        if record.error_rows or record.file_error:
            sys.exit(f"errors: {record.file_error or record.issue_ids[:5].mapped('message')}")
        step = time.perf_counter()
        record.action_confirm()
        record.action_approve_import()  # the reviewer's 同意 (the superuser approves the tier): the job writes
        env.flush_all()
        timings["confirm"] = time.perf_counter() - step
        total = time.perf_counter() - start
        persons = env["student.loan.poverty.person"].search_count([("centre_id", "=", centre.id)])
        matched = env["student.loan.poverty.person"].search_count(
            [("centre_id", "=", centre.id), ("match_state", "=", "id")]
        )
        proposed = env["student.loan.poverty.person"].search_count(
            [("centre_id", "=", centre.id), ("match_state", "=", "proposed")]
        )
        flagged = env["student.loan.student"].search_count([("is_poverty_registered", "=", True)])
        # a re-import of the same rows (another file) changes nothing
        step = time.perf_counter()
        again = env["student.loan.poverty.import"].create(
            {
                "centre_id": centre.id,
                "file": base64.b64encode(content + b"\n"),
                "file_name": "bench-again.csv",
            }
        )
        again.action_read_file()
        again.action_preview()
        again.action_confirm()
        again.action_approve_import()
        env.flush_all()
        reimport_seconds = time.perf_counter() - step
        if record.state != "done" or again.state != "done":
            sys.exit(f"the import did not finish: {record.state}, again {again.state}")
        result = {
            "database": args.database,
            "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "rows": args.rows,
            "file_mb": round(len(content) / 1048576, 2),
            "students": student_count,
            "province_database": province_database,
            "students_generated": generated,
            "seconds": round(total, 2),
            "rows_per_second": round(args.rows / total, 1),
            "phase_seconds": {key: round(value, 2) for key, value in timings.items()},
            "persons": persons,
            "matched_by_id": matched,
            "proposed_by_name_birth": proposed,
            "students_flagged": flagged,
            "reimport_seconds": round(reimport_seconds, 2),
            "reimport_changes": again.count_new + again.count_changed + again.count_removed,
            "committed": args.commit,
        }
        result["summary"] = (
            f"{args.rows:,} register rows ({result['file_mb']} MB) read, previewed and confirmed in {total:.1f} s "
            f"({result['rows_per_second']:,.0f} rows/s) against {student_count:,} students: {matched:,} matched by "
            f"ID, {proposed:,} proposed by name and birth date; the same file again: "
            f"{result['reimport_changes']} changes in {reimport_seconds:.1f} s"
        )
        if args.commit:
            cr.commit()
        else:
            cr.rollback()
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if not args.no_results:
        merge_results("poverty_import", result)
    return result


if __name__ == "__main__":
    main()
