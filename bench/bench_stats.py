#!/usr/bin/env python3
"""R1 statistics at province scale: the table per statistics unit and county as of the last signing date
(the query behind `make province-stats`, the dashboard and the pivot). Target: under 1 s."""

from _report_bench import odoo_env, parse_args, save_results, timed

TARGET_SECONDS = 1.0


def main():
    args = parse_args(__doc__)
    with odoo_env(args.config, args.database) as env:
        Statistics = env["student.loan.statistics"]
        as_of = Statistics._latest_signing_date()
        if not as_of:
            raise SystemExit(f"{args.database} has no signed contracts: run make demo-province first.")
        first, best, median, data = timed(lambda: Statistics._r1_data(as_of, breakdowns=False), args.runs)
        _f2, csv_best, csv_median, text = timed(lambda: Statistics._r1_csv(as_of), max(3, args.runs // 2))
        _f3, breakdown_best, _m3, _data = timed(lambda: Statistics._r1_data(as_of), 3)
        total = text.strip().splitlines()[-1]
        contracts = sum(row.contracts for row in data.centres)
    save_results(
        {
            "r1_stats": {
                "summary": f"R1 table ({contracts:,} contracts as of {as_of}): median {median * 1000:.0f} ms, "
                f"best {best * 1000:.0f} ms, first {first * 1000:.0f} ms (target < 1 s)",
                "contracts": contracts,
                "as_of": str(as_of),
                "first_ms": round(first * 1000, 1),
                "best_ms": round(best * 1000, 1),
                "median_ms": round(median * 1000, 1),
                "csv_best_ms": round(csv_best * 1000, 1),
                "csv_median_ms": round(csv_median * 1000, 1),
                "with_breakdowns_best_ms": round(breakdown_best * 1000, 1),
                "runs": args.runs,
                "total_line": total,
                "target": "< 1 s",
                "ok": median < TARGET_SECONDS,
            },
        }
    )


if __name__ == "__main__":
    main()
