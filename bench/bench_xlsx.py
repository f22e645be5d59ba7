#!/usr/bin/env python3
"""XLSX export of the R1 table at province scale (all counties with city subtotals, the breakdowns by kind
of division, level and 建档立卡), as the wizard and `make province-stats XLSX=...` build it. Target: under 5 s."""

from _report_bench import odoo_env, parse_args, save_results, timed

TARGET_SECONDS = 5.0


def main():
    args = parse_args(__doc__)
    with odoo_env(args.config, args.database) as env:
        Statistics = env["student.loan.statistics"]
        as_of = Statistics._latest_signing_date()
        if not as_of:
            raise SystemExit(f"{args.database} has no signed contracts: run make demo-province first.")
        first, best, median, content = timed(lambda: Statistics._r1_xlsx(as_of), max(3, args.runs // 2))
    save_results(
        {
            "xlsx_export": {
                "summary": f"XLSX export ({len(content):,} bytes): median {median:.2f} s, best {best:.2f} s "
                f"(target < 5 s)",
                "bytes": len(content),
                "first_s": round(first, 3),
                "best_s": round(best, 3),
                "median_s": round(median, 3),
                "target": "< 5 s",
                "ok": median < TARGET_SECONDS,
            },
        }
    )


if __name__ == "__main__":
    main()
