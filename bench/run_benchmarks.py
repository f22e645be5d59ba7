#!/usr/bin/env python3
"""make bench: run every bench/bench_*.py against the province database, then print bench/results.json as a table.

Each benchmark runs as `python bench/bench_x.py -c <odoo.conf> -d <database>` with ODOO_RC and BENCH_DB set
too; one that fails is reported and the others still run.
"""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results.json"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-c", "--config")
    parser.add_argument("-d", "--database")
    parser.add_argument(
        "--table-only", action="store_true", help="print the table of bench/results.json without running anything"
    )
    parser.add_argument(
        "--timeout",
        type=int,
        default=int(os.environ.get("BENCH_TIMEOUT", 3600)),
        help="seconds one benchmark may take before it is stopped (default 3600, BENCH_TIMEOUT)",
    )
    args = parser.parse_args()
    if args.table_only:
        print_table()
        return 0
    if not (args.config and args.database):
        parser.error("-c/--config and -d/--database are required to run the benchmarks")
    env = {
        **os.environ,
        "ODOO_RC": os.path.abspath(args.config),
        "BENCH_DB": args.database,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(BENCH), os.environ.get("PYTHONPATH")])),
    }
    failures = []
    for script in sorted(BENCH.glob("bench_*.py")):
        print(f">>> {script.name}", flush=True)
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, str(script), *_script_args(script, args, env)], env=env, start_new_session=True
        )
        try:
            returncode = process.wait(timeout=args.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait()
            returncode = f"stopped after the {args.timeout} s timeout"
        elapsed = time.perf_counter() - started
        if returncode:
            detail = f"exit code {returncode}" if isinstance(returncode, int) else returncode
            failures.append((script.name, detail))
            print(f"!!! {script.name} failed ({detail}) after {elapsed:.0f} s; going on", flush=True)
        else:
            print(f"    {script.name} done in {elapsed:.0f} s", flush=True)
    print_table()
    if failures:
        print("\nFailed benchmarks: " + ", ".join(f"{name} ({code})" for name, code in failures))
    return 0


def _script_args(script, args, env):
    """``-c CONF -d DB`` (the convention), or ``DB --config CONF`` for a script taking the database as
    its positional argument (read from its ``--help``)."""
    try:
        usage = subprocess.run(
            [sys.executable, str(script), "--help"], env=env, capture_output=True, text=True, timeout=120, check=False
        ).stdout
    except subprocess.TimeoutExpired:
        usage = ""
    config_flag = "-c" if re.search(r"(^|[\s\[])-c[\s,]", usage) else "--config"
    if "--database" in usage or re.search(r"(^|[\s\[])-d[\s,]", usage) or not usage:
        return ["-c", args.config, "-d", args.database]
    if re.search(r"\bdatabase\b", usage):
        return [args.database, config_flag, args.config]
    return ["-c", args.config, "-d", args.database]


RATIO_KEYS = ("ratio", "ratio_to_floor", "load_ratio")


def _ratio(entry):
    """The ratio a benchmark measured against its floor or baseline (the first of RATIO_KEYS, or any
    ``*ratio*`` figure), as text."""
    for key in RATIO_KEYS:
        if isinstance(entry.get(key), int | float):
            return f"{entry[key]:g}"
    for key, value in sorted(entry.items()):
        if "ratio" in key and isinstance(value, int | float) and not isinstance(value, bool):
            return f"{value:g} ({key})"
    return ""


def table_rows(results):
    """``(benchmark, result, target, ratio, ok)`` per entry of bench/results.json, sorted by name."""
    rows = []
    for key, entry in sorted(results.items()):
        if not isinstance(entry, dict):
            rows.append((key, str(entry), "", "", ""))
            continue
        summary = entry.get("summary") or ", ".join(
            f"{name}={value}" for name, value in entry.items() if not isinstance(value, dict | list)
        )
        ok = entry.get("ok")
        rows.append(
            (key, summary, str(entry.get("target", "")), _ratio(entry), "yes" if ok else "NO" if ok is False else "")
        )
    return rows


def print_table():
    if not RESULTS.exists():
        print("No bench/results.json.")
        return
    results = json.loads(RESULTS.read_text())
    print("\n| benchmark | result | target | ratio | ok |\n|---|---|---|---|---|")
    for row in table_rows(results):
        print("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")


if __name__ == "__main__":
    sys.exit(main())
