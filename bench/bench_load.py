#!/usr/bin/env python3
"""Province load speed: the rows per second of `make demo-province` (generation, COPY into the core tables,
foreign keys, sequences, ANALYZE; stored in the database by the load) next to a raw PostgreSQL COPY of the
same rows into tables of the same shape (LIKE ... INCLUDING ALL: columns, defaults, indexes). Target: the
load within 10x of the raw COPY."""

import dataclasses
import os
import shutil
import tempfile
import time

from _report_bench import odoo_env, parse_args, save_results

TARGET_RATIO = 10.0
SCHEMA = "bench_raw_copy"


def main():
    args = parse_args(__doc__)
    with odoo_env(args.config, args.database) as env:
        from odoo.addons.student_loan_report.populate.province_loader import ProvinceLoader, load_stats
        from odoo.addons.student_loan_report.reportlib.province_plan import Totals

        stats = load_stats(env)
        if not stats:
            raise SystemExit(f"{args.database} holds no loaded province: run make demo-province first.")
        workdir = tempfile.mkdtemp(prefix="bench_load_")
        files = {}

        def sink(table, columns, text):
            if table not in files:
                path = os.path.join(workdir, f"{table}.copy")
                files[table] = (columns, path, open(path, "w", encoding="utf-8"))  # noqa: SIM115
            files[table][2].write(text)

        try:
            loader = ProvinceLoader(
                env,
                seed=stats["seed"],
                totals=Totals(**stats["totals"]),
                year=stats["year"],
                sink=sink,
                taken_ids=set(),
                progress=lambda line: None,
            )
            started = time.perf_counter()
            loader.load()
            generation = time.perf_counter() - started
            for _columns, _path, handle in files.values():
                handle.close()
            rows = sum(spec.rows for spec in loader.specs.values())
            raw_seconds, per_table = _raw_copy(env.cr, files)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    load_rps = stats["rows_per_second"]
    raw_rps = rows / raw_seconds
    ratio = raw_rps / load_rps
    save_results(
        {
            "load": {
                "summary": f"load {load_rps:,} rows/s ({stats['total_rows']:,} rows in {stats['seconds']:.0f} s) "
                f"vs raw COPY {raw_rps:,.0f} rows/s: {ratio:.1f}x (target <= 10x)",
                "rows": stats["total_rows"],
                "rows_by_table": stats["rows"],
                "load_seconds": stats["seconds"],
                "load_rows_per_second": load_rps,
                "load_timings": stats.get("timings", {}),
                "loaded_at": stats.get("loaded_at"),
                "generation_only_seconds": round(generation, 2),
                "raw_copy_rows": rows,
                "raw_copy_seconds": round(raw_seconds, 2),
                "raw_copy_rows_per_second": round(raw_rps),
                "raw_copy_seconds_by_table": per_table,
                "ratio": round(ratio, 2),
                "seed": stats["seed"],
                "totals": dataclasses.asdict(Totals(**stats["totals"])),
                "target": "<= 10x raw COPY",
                "ok": ratio <= TARGET_RATIO,
            },
        }
    )


def _raw_copy(cr, files):
    """COPY the files into empty tables shaped like the real ones; return the total and per-table seconds."""
    cr.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
    cr.execute(f"CREATE SCHEMA {SCHEMA}")
    for table in files:
        cr.execute(f'CREATE TABLE {SCHEMA}."{table}" (LIKE public."{table}" INCLUDING ALL)')
    cr.commit()  # tables created in the COPY's own transaction would skip the WAL (wal_level=minimal)
    per_table = {}
    try:
        for table, (columns, path, _handle) in files.items():
            column_list = ", ".join(f'"{column}"' for column in columns)
            with open(path, encoding="utf-8") as handle:
                started = time.perf_counter()
                cr.copy_expert(f'COPY {SCHEMA}."{table}" ({column_list}) FROM STDIN', handle)
                per_table[table] = round(time.perf_counter() - started, 2)
        cr.commit()
    finally:
        cr.rollback()
        cr.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        cr.commit()
    return sum(per_table.values()), per_table


if __name__ == "__main__":
    main()
