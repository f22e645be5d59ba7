#!/usr/bin/env python3
"""Load the synthetic Henan province of the bulletin's 2017 season into a database (make demo-province).

    .venv/bin/python data/province_generator.py -c build/odoo.conf -d student_loan_province [--seed 2017]
        [--scale 1.0] [--batch 5000] [--force]

Creates the database with student_loan and student_loan_report (no demo data) when it is missing,
then loads 354,997 contracts of 2017-2018 (2,323,000,000.00 CNY, 123,650 first loans, 231,347
renewals) over the 17 cities, 济源 and the 10 directly-managed counties, with the students,
partners, co-borrowers and applications behind them and the earlier years' contracts of the
students who renew. Same seed, same data. A database already loaded is left alone (--force
drops and recreates it). The generator itself is student_loan_report/reportlib/province_plan.py
(plain Python) and student_loan_report/populate/province_loader.py (COPY into the tables).
"""

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = "student_loan,student_loan_report"


def _psql(sql, db="postgres"):
    result = subprocess.run(["psql", "-qAtX", "-d", db, "-c", sql], capture_output=True, text=True, check=False)
    return result.stdout.strip()


def _odoo_bin():
    return [sys.executable, str(Path(os.environ.get("ODOO_PATH", "/opt/odoo18")) / "odoo-bin")]


def ensure_database(conf, db, force):
    exists = _psql(f"SELECT 1 FROM pg_database WHERE datname = '{db}'") == "1"
    if exists and force:
        print(f">>> dropping {db} (--force)", flush=True)
        subprocess.run(["dropdb", db], check=True)
        exists = False
    installed = (
        exists
        and _psql(
            "SELECT count(*) FROM ir_module_module WHERE state = 'installed' AND name IN "
            "('student_loan', 'student_loan_report')",
            db,
        )
        == "2"
    )
    if not installed:
        print(
            f">>> {'creating' if not exists else 'installing the addons in'} {db}: {ADDONS} without demo data",
            flush=True,
        )
        started = time.perf_counter()
        subprocess.run(
            _odoo_bin()
            + ["-c", conf, "-d", db, "-i", ADDONS, "--without-demo=all", "--stop-after-init", "--log-level=warn"],
            check=True,
        )
        print(f"    done in {time.perf_counter() - started:.0f} s", flush=True)


def raw_copy_floor(cr, files, schema="bench_raw_copy"):
    """COPY ``files`` (``{table: (columns, path)}``, the COPY text of a load) into empty tables shaped like
    the real ones (``LIKE ... INCLUDING ALL``: columns, defaults, indexes) in a scratch schema, dropped
    afterwards; return the total and per-table seconds. Commits (the scratch tables must hit the WAL like
    the real ones): call it after the load is committed."""
    from odoo.tools import SQL  # noqa: PLC0415 (odoo is importable once main() set the configuration up)

    cr.execute(SQL("DROP SCHEMA IF EXISTS %s CASCADE", SQL.identifier(schema)))
    cr.execute(SQL("CREATE SCHEMA %s", SQL.identifier(schema)))
    for table in files:
        cr.execute(
            SQL(
                "CREATE TABLE %s (LIKE %s INCLUDING ALL)",
                SQL.identifier(schema, table),
                SQL.identifier("public", table),
            )
        )
    cr.commit()
    per_table = {}
    try:
        for table, (columns, path) in files.items():
            query = SQL(
                "COPY %s (%s) FROM STDIN",
                SQL.identifier(schema, table),
                SQL(", ").join(SQL.identifier(column) for column in columns),
            )
            with open(path, encoding="utf-8") as handle:
                started = time.perf_counter()
                cr.copy_expert(query.code, handle)
                per_table[table] = round(time.perf_counter() - started, 2)
        cr.commit()
    finally:
        cr.rollback()
        cr.execute(SQL("DROP SCHEMA IF EXISTS %s CASCADE", SQL.identifier(schema)))
        cr.commit()
    return sum(per_table.values()), per_table


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-c", "--config", default=str(ROOT / "build" / "odoo.conf"))
    parser.add_argument("-d", "--database", default="student_loan_province")
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="the bulletin's totals times SCALE (default 1); above 1, a national run: ceil(SCALE) province-like "
        "regions (Henan and regions shaped like it, each with its own divisions) share the contracts",
    )
    parser.add_argument(
        "--copy-floor",
        action="store_true",
        help="keep the COPY text of the load and time a raw COPY of the same rows after it, stored with the "
        "load's statistics (default for a national run, SCALE above 1)",
    )
    parser.add_argument("--batch", type=int, default=5000, help="students per COPY batch")
    parser.add_argument("--force", action="store_true", help="drop and recreate a database already loaded")
    args = parser.parse_args(argv)

    ensure_database(args.config, args.database, args.force)

    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    from odoo.addons.student_loan_report.populate.province_loader import (
        PARAM_KEY,
        ProvinceLoader,
        ensure_regions,
        load_stats,
    )

    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        stats = load_stats(env)
        if stats:
            print(
                f">>> {args.database} already holds the province (seed {stats['seed']}, {stats['total_rows']:,} rows "
                f"loaded at {stats['loaded_at']}, {stats['rows_per_second']:,} rows/s); FORCE=1 reloads it"
            )
            return 0
        regions = max(1, math.ceil(args.scale))
        if regions > 1:
            started = time.perf_counter()
            created = ensure_regions(env, regions)
            cr.commit()
            print(
                f">>> {regions} regions: {len(created)} aid centres created "
                f"({time.perf_counter() - started:.1f} s, not part of the load)",
                flush=True,
            )
        floor = args.copy_floor or regions > 1
        workdir = tempfile.mkdtemp(prefix="province_copy_") if floor else None
        files = {}

        def tee(table, columns, text):
            if table not in files:
                path = os.path.join(workdir, f"{table}.copy")
                files[table] = (columns, path, open(path, "w", encoding="utf-8"))  # noqa: SIM115
            files[table][2].write(text)

        try:
            loader = ProvinceLoader(
                env,
                seed=args.seed,
                scale=args.scale,
                batch_size=args.batch,
                progress=lambda line: print(line, flush=True),
                tee=tee if floor else None,
            )
            stats = loader.load()
            differences = loader.verify_sample(size=200)
            if differences:
                for difference in differences[:20]:
                    print("    differs from the ORM:", difference)
                raise SystemExit("The loaded rows differ from what the ORM computes: nothing committed.")
            print(">>> committing", flush=True)
            cr.commit()
            if floor:
                for _columns, _path, handle in files.values():
                    handle.close()
                print(">>> raw COPY of the same rows into scratch tables (the floor)", flush=True)
                seconds, per_table = raw_copy_floor(cr, {table: (c, p) for table, (c, p, _h) in files.items()})
                stats["raw_copy"] = {
                    "rows": stats["total_rows"],
                    "seconds": round(seconds, 2),
                    "rows_per_second": round(stats["total_rows"] / seconds) if seconds else None,
                    "seconds_by_table": per_table,
                    "ratio": round(stats["seconds"] / seconds, 2) if seconds else None,
                }
                stats["regions"] = regions
                env["ir.config_parameter"].set_param(PARAM_KEY, json.dumps(stats))
                print(
                    f"    raw COPY {seconds:.1f} s ({stats['raw_copy']['rows_per_second']:,} rows/s); "
                    f"the load took {stats['seconds']:.1f} s: {stats['raw_copy']['ratio']}x",
                    flush=True,
                )
        finally:
            for _columns, _path, handle in files.values():
                handle.close()
            if workdir:
                shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
