#!/usr/bin/env python3
"""Risk table at province scale (student_loan_aftercare): contracts in repayment, overdue by bucket,
recovery and default rates and the risk fund per county as of a date, over the whole province (what
`make province-risk`, the pivot and the XLSX read). Target: under 1 s.

The table is read from its pre-aggregated form (student.loan.risk.summary; built once here when
missing, then kept up to date by the writes). Measured in the same run: the floor, one aggregate pass
over the same settlements, repayments and allocations (what any as-of figure computed from the rows has
to read); the direct query over the rows (the table without the summary), whose figures must be the
summary's; other dates (as of any date); and the refresh after one contract changed (the cost a write
adds). Needs the repayment history: `make province-history`."""

import datetime
import time

from _report_bench import odoo_env, parse_args, save_results, timed

TARGET_SECONDS = 1.0


def main():
    args = parse_args(__doc__)
    with odoo_env(args.config, args.database) as env:
        if "student.loan.risk.line" not in env:
            raise SystemExit(f"{args.database} has no student_loan_aftercare: run make province-history first.")
        from odoo.addons.student_loan.models.student_loan_application import current_academic_year

        Risk = env["student.loan.risk.line"]
        env.cr.execute("SELECT count(*), max(due_date) FROM student_loan_settlement_line")
        settlements, last_due = env.cr.fetchone()
        if not settlements:
            raise SystemExit(f"{args.database} has no repayment history: run make province-history first.")
        as_of = last_due + datetime.timedelta(days=1)

        def floor():
            env.cr.execute(
                """
                SELECT s.centre_id, count(DISTINCT s.contract_id), sum(s.amount_due), sum(a.amount)
                  FROM student_loan_settlement_line s
             LEFT JOIN student_loan_payment_allocation a ON a.settlement_line_id = s.id
                 WHERE s.due_date < %s
                 GROUP BY s.centre_id
                """,
                [as_of],
            )
            return env.cr.fetchall()

        Summary = env["student.loan.risk.summary"]
        started = time.perf_counter()
        refreshed = Summary._refresh()  # the first time: built from the rows (kept: committed)
        build_seconds = time.perf_counter() - started
        env.cr.commit()
        env.cr.execute("SELECT count(*) FROM student_loan_risk_summary")
        summary_rows = env.cr.fetchone()[0]
        _ff, floor_best, floor_median, _rows = timed(floor, args.runs)
        first, best, median, text = timed(lambda: Risk._risk_csv(as_of), args.runs)
        total = text.strip().splitlines()[-1]
        year = current_academic_year(as_of)

        def direct():
            env.cr.execute(Risk._risk_query(as_of))
            return sorted(env.cr.fetchall(), key=lambda row: (row[0], row[1] or 0))

        def from_summary():
            env.cr.execute(Summary._figures_query(as_of, year))
            return sorted(env.cr.fetchall(), key=lambda row: (row[0], row[1] or 0))

        _fd, direct_best, direct_median, direct_rows = timed(direct, max(1, min(3, args.runs)))
        same = direct_rows == from_summary()
        other_dates = {}
        for days in (30, 365, 3 * 365):
            day = as_of - datetime.timedelta(days=days)
            _fo, _bo, other_median, _t = timed(lambda day=day: Risk._risk_csv(day), 3)
            other_dates[str(day)] = round(other_median * 1000, 1)
        env.cr.execute("SELECT contract_id FROM student_loan_settlement_line ORDER BY id DESC LIMIT 1")
        contract_id = env.cr.fetchone()[0]

        def refresh_one():
            env.cr.execute("INSERT INTO student_loan_risk_dirty VALUES (%s) ON CONFLICT DO NOTHING", [contract_id])
            return Summary._refresh()

        _fr, _br, refresh_median, _n = timed(refresh_one, 5)
    save_results(
        {
            "risk_table": {
                "summary": f"risk table ({settlements:,} settlements as of {as_of}): median {median * 1000:.0f} ms "
                f"from the summary, floor {floor_median * 1000:.0f} ms (ratio {median / floor_median:.2f}), direct "
                f"query {direct_median * 1000:.0f} ms, same figures: {'yes' if same else 'NO'} (target < 1 s)",
                "settlements": settlements,
                "summary_rows": summary_rows,
                "summary_build_seconds": round(build_seconds, 2),
                "summary_built_contract_changes": refreshed,
                "direct_query_best_ms": round(direct_best * 1000, 1),
                "direct_query_median_ms": round(direct_median * 1000, 1),
                "speedup_vs_direct": round(direct_median / median, 1),
                "same_figures_as_direct": same,
                "other_dates_median_ms": other_dates,
                "refresh_one_contract_ms": round(refresh_median * 1000, 1),
                "as_of": str(as_of),
                "first_ms": round(first * 1000, 1),
                "best_ms": round(best * 1000, 1),
                "median_ms": round(median * 1000, 1),
                "floor_best_ms": round(floor_best * 1000, 1),
                "floor_median_ms": round(floor_median * 1000, 1),
                "ratio": round(median / floor_median, 2),
                "runs": args.runs,
                "total_line": total,
                "target": "< 1 s",
                "ok": median < TARGET_SECONDS and same and max(other_dates.values()) < TARGET_SECONDS * 1000,
            },
        }
    )


if __name__ == "__main__":
    main()
