#!/usr/bin/env python3
"""National scale: the load of `make demo-province SCALE=N` (N province-like regions, each with its own
divisions) next to a raw COPY of the same rows timed in the same run (stored by the load with its own
figures), and R1 as of a date over every region. Targets: the load within 3x of the raw COPY; R1 under 1 s.

R1 is read from its daily sums (student.loan.statistics.daily, kept by the contract writes); the baseline
measured in the same run is the same table grouped from the contracts (the view, what R1 read before).
The database: NATIONAL_DB (default student_loan_national), made with
`make demo-province DB=student_loan_national SCALE=10`."""

import datetime
import os

from _report_bench import odoo_env, parse_args, save_results, timed

LOAD_TARGET_RATIO = 3.0
TARGET_SECONDS = 1.0


def main():
    args = parse_args(__doc__)
    database = os.environ.get("NATIONAL_DB", "student_loan_national")
    with odoo_env(args.config, database) as env:
        from odoo.addons.student_loan_report.populate.province_loader import load_stats
        from odoo.addons.student_loan_report.reportlib import r1_table

        stats = load_stats(env)
        if not stats or "raw_copy" not in stats:
            raise SystemExit(f"{database} holds no national load: make demo-province DB={database} SCALE=10")
        Statistics = env["student.loan.statistics"]
        as_of = Statistics._latest_signing_date()
        env.cr.execute("SELECT count(*) FROM student_loan_centre WHERE division_kind = 'province'")
        regions = env.cr.fetchone()[0]
        first, best, median, data = timed(lambda: Statistics._r1_data(as_of, breakdowns=False), args.runs)
        total = r1_table.total_figures(data)
        measures = ["contract_count:sum", "amount:sum", "first_count:sum", "renewal_count:sum"]

        def from_contracts():
            return Statistics._read_group(Statistics._as_of_domain(as_of), ["reporting_city_id", "centre_id"], measures)

        _fv, view_best, view_median, view_rows = timed(from_contracts, 3)
        same = {centre.code: (count, amount) for _unit, centre, count, amount, _f, _r in view_rows} == {
            row.code: (row.contracts, row.amount) for row in data.centres
        }
        other_dates = {}
        for day in (datetime.date(as_of.year, 7, 15), datetime.date(as_of.year, 8, 20), as_of):
            _fo, _bo, other_median, _d = timed(lambda day=day: Statistics._r1_data(day, breakdowns=False), 3)
            other_dates[str(day)] = round(other_median * 1000, 1)
        env.cr.execute("SELECT count(*) FROM student_loan_statistics_daily")
        daily_rows = env.cr.fetchone()[0]
    raw = stats["raw_copy"]
    load_ratio = stats["seconds"] / raw["seconds"]
    save_results(
        {
            "load_national": {
                "summary": f"{regions} regions: load {stats['rows_per_second']:,} rows/s "
                f"({stats['total_rows']:,} rows, {stats['totals']['contracts']:,} contracts of the season, "
                f"in {stats['seconds']:.0f} s) vs raw COPY {raw['rows_per_second']:,} rows/s in the same run: "
                f"{load_ratio:.2f}x (target <= 3x)",
                "database": database,
                "regions": regions,
                "rows": stats["total_rows"],
                "rows_by_table": stats["rows"],
                "totals": stats["totals"],
                "load_seconds": stats["seconds"],
                "load_rows_per_second": stats["rows_per_second"],
                "load_timings": stats.get("timings", {}),
                "loaded_at": stats.get("loaded_at"),
                "raw_copy_seconds": raw["seconds"],
                "raw_copy_rows_per_second": raw["rows_per_second"],
                "raw_copy_seconds_by_table": raw["seconds_by_table"],
                "ratio": round(load_ratio, 2),
                "target": "<= 3x raw COPY",
                "ok": load_ratio <= LOAD_TARGET_RATIO,
            },
            "r1_stats_national": {
                "summary": f"R1 over {regions} regions ({total.contracts:,} contracts as of {as_of}): median "
                f"{median * 1000:.0f} ms from the daily sums ({daily_rows:,} rows), grouped from the contracts "
                f"{view_median * 1000:.0f} ms (ratio {median / view_median:.3f}); same figures: "
                f"{'yes' if same else 'NO'} (target < 1 s)",
                "database": database,
                "regions": regions,
                "contracts": total.contracts,
                "as_of": str(as_of),
                "first_ms": round(first * 1000, 1),
                "best_ms": round(best * 1000, 1),
                "median_ms": round(median * 1000, 1),
                "other_dates_median_ms": other_dates,
                "daily_rows": daily_rows,
                "from_contracts_best_ms": round(view_best * 1000, 1),
                "from_contracts_median_ms": round(view_median * 1000, 1),
                "ratio": round(median / view_median, 3),
                "same_figures_as_from_contracts": same,
                "runs": args.runs,
                "target": "< 1 s",
                "ok": median < TARGET_SECONDS and same and max(other_dates.values()) < TARGET_SECONDS * 1000,
            },
        }
    )


if __name__ == "__main__":
    main()
