#!/usr/bin/env python3
"""Risk table at province scale (student_loan_aftercare): contracts in repayment, overdue by bucket,
recovery and default rates and the risk fund per county as of a date, over the whole province (the
query behind `make province-risk`, the pivot and the XLSX). Target: under 1 s.

The floor measured in the same run is one aggregate pass over the same settlements, repayments and
allocations (what any as-of figure has to read); the ratio says how much the table costs above it.
Needs the repayment history: `make province-history` (this script loads it when missing)."""

import datetime

from _report_bench import odoo_env, parse_args, save_results, timed

TARGET_SECONDS = 1.0


def main():
    args = parse_args(__doc__)
    with odoo_env(args.config, args.database) as env:
        if "student.loan.risk.line" not in env:
            raise SystemExit(f"{args.database} has no student_loan_aftercare: run make province-history first.")
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

        _ff, floor_best, floor_median, _rows = timed(floor, args.runs)
        first, best, median, text = timed(lambda: Risk._risk_csv(as_of), args.runs)
        total = text.strip().splitlines()[-1]
    save_results(
        {
            "risk_table": {
                "summary": f"risk table ({settlements:,} settlements as of {as_of}): median {median * 1000:.0f} ms, "
                f"floor {floor_median * 1000:.0f} ms (ratio {median / floor_median:.1f}) (target < 1 s)",
                "settlements": settlements,
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
                "ok": median < TARGET_SECONDS,
            },
        }
    )


if __name__ == "__main__":
    main()
