"""Shared by the report benchmarks (bench_load, bench_stats, bench_xlsx): arguments, an Odoo
environment on the province database, and read-merge-write of bench/results.json (each
benchmark writes only its own keys)."""

import argparse
import contextlib
import datetime
import fcntl
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"


def parse_args(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("-c", "--config", default=os.environ.get("ODOO_RC", str(ROOT / "build" / "odoo.conf")))
    parser.add_argument("-d", "--database", default=os.environ.get("BENCH_DB", "student_loan_province"))
    parser.add_argument("--runs", type=int, default=7)
    return parser.parse_args()


@contextlib.contextmanager
def odoo_env(config, database):
    """An environment (superuser) on ``database``; the transaction is rolled back at the end."""
    sys.path.insert(0, os.environ.get("ODOO_PATH", "/opt/odoo18"))
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", config, "-d", database, "--log-level=warn"])
    registry = Registry(database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        try:
            yield env
        finally:
            cr.rollback()


def timed(function, runs):
    """Run ``function`` ``runs`` times: (first run, best, median) in seconds and the last result."""
    durations = []
    result = None
    for _run in range(runs):
        started = time.perf_counter()
        result = function()
        durations.append(time.perf_counter() - started)
    return durations[0], min(durations), statistics.median(durations), result


def save_results(entries):
    """Merge ``entries`` (key -> dict) into bench/results.json, keeping the other benchmarks' keys."""
    RESULTS.parent.mkdir(exist_ok=True)
    with open(Path(tempfile.gettempdir()) / "student_loan_bench_results.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        except ValueError:
            results = {}
        stamp = datetime.datetime.now().isoformat(timespec="seconds")
        for key, entry in entries.items():
            results[key] = {**entry, "measured_at": stamp}
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    for key, entry in entries.items():
        print(f"{key}: {entry.get('summary', entry)}")
