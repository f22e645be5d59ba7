#!/usr/bin/env python3
"""Reads on a streaming replica, writes on the primary, two Odoo servers (``make bench-load REPLICA=1``).

1. ``scripts/pg_replica.sh`` starts a PostgreSQL primary and its hot-standby streaming replica on this
   machine (under ``build/pg-bench-replica``, free ports).
2. The bench database (``--db``: the project addons and the bench users of ``bench_http_load.seed``) is
   built on the default cluster when missing, then copied into the primary (``pg_dump | psql``); it
   reaches the replica by streaming replication.
3. Two Odoo servers (``--workers`` each, different ports) run on the primary with ``db_replica_host`` /
   ``db_replica_port`` set on the replica and one shared ``data_dir`` (the filestore is copied there):
   the settings of docs/deploy.md.
4. ``--users`` users, alternating between the two servers, for ``--duration`` seconds: portal students
   (``/my``, ``/my/loans``, ``/my/loans/<id>``), statistics readers (the R1 pivot: ``web_read_group`` and
   ``search_count`` of ``student.loan.statistics``) and handlers who read a student and write it back.
5. Which connection served each request is read from its answer (``X-Odoo-Cursor-Mode``: ``ro`` = the
   replica, ``rw`` = the primary, ``ro->rw`` = tried on the replica, replayed on the primary), and the
   two clusters' own counters (``pg_stat_database``) show the replica reading and the primary writing.

Results go to bench/results.json under ``http_load`` → ``replica``. A throwaway set-up (trust
authentication on 127.0.0.1, ``fsync = off``); the production shape is in docs/deploy.md.
"""

import argparse
import configparser
import contextlib
import datetime
import fcntl
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_http_load import PASSWORD, committed_addons, ensure_database, percentile, seed  # noqa: E402

RESULTS = ROOT / "bench" / "results.json"
ODOO_PATH = Path(os.environ.get("ODOO_PATH", "/opt/odoo18"))
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
PG_SCRIPT = ROOT / "scripts" / "pg_replica.sh"
LOAN_LINK_RE = re.compile(r"/my/loans/\d+(?=[\"?])")
HEADER = "X-Odoo-Cursor-Mode"
# what each kind of request must be served by: reads by the replica, writes by the primary
EXPECTED = {"portal": "ro", "statistics": "ro", "write": "rw"}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-c", "--config", default=str(ROOT / "build" / "odoo.conf"))
    parser.add_argument(
        "-d",
        "--database",
        help="ignored (make bench passes the province database): the bench builds its own database, --db",
    )
    parser.add_argument("--db", default="sl_bench_replica", help="bench database (built when missing)")
    parser.add_argument("--users", type=int, default=30, help="concurrent users, spread over both servers")
    parser.add_argument("--duration", type=float, default=30, help="seconds measured")
    parser.add_argument("--workers", type=int, default=2, help="HTTP workers of each Odoo server")
    parser.add_argument("--think", default="0.5:1.5", help="think time between two steps, seconds (min:max)")
    parser.add_argument("--pg-dir", default=str(ROOT / "build" / "pg-bench-replica"))
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results.json")
    return parser.parse_args()


def free_port():
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def psql(host, port, db, sql):
    command = ["psql", "-qAtX", "-d", db, "-c", sql]
    if host:
        command[1:1] = ["-h", str(host), "-p", str(port), "-U", "postgres"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def wait_for(check, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(subprocess.CalledProcessError, requests.RequestException):
            if check():
                return
        time.sleep(0.5)
    raise SystemExit(f"timed out waiting for {what}")


# ----------------------------------------------------------------------------------------------
# the clusters and the servers
# ----------------------------------------------------------------------------------------------


@contextlib.contextmanager
def pg_cluster(directory, db):
    primary, replica = free_port(), free_port()
    shutil.rmtree(directory, ignore_errors=True)
    subprocess.run([str(PG_SCRIPT), "start", directory, str(primary), str(replica)], check=True)
    try:
        print(f">>> copying {db} into the primary", flush=True)
        subprocess.run(["createdb", "-h", directory, "-p", str(primary), "-U", "postgres", db], check=True)
        dump = subprocess.Popen(["pg_dump", "--no-owner", "--no-acl", db], stdout=subprocess.PIPE)
        subprocess.run(
            ["psql", "-qX", "-h", directory, "-p", str(primary), "-U", "postgres", "-d", db, "-o", "/dev/null"],
            stdin=dump.stdout,
            check=True,
        )
        if dump.wait():
            raise SystemExit("pg_dump failed")
        wait_for(
            lambda: psql(directory, replica, db, "SELECT count(*) FROM res_users") != "0",
            120,
            "the database on the replica",
        )
        yield {"dir": directory, "primary": primary, "replica": replica}
    finally:
        subprocess.run([str(PG_SCRIPT), "stop", directory], check=False)
        shutil.rmtree(directory, ignore_errors=True)


def server_options(config, cluster, data_dir, workers):
    """The options of the bench's servers: docs/deploy.md's, on this machine."""
    source = configparser.ConfigParser()
    source.read(config)
    options = dict(source["options"])
    options.update(
        {
            "data_dir": data_dir,
            "db_host": cluster["dir"],
            "db_port": str(cluster["primary"]),
            "db_replica_host": cluster["dir"],
            "db_replica_port": str(cluster["replica"]),
            "db_maxconn": "16",
            "workers": str(workers),
            "max_cron_threads": "0",
            "http_interface": "127.0.0.1",
            "proxy_mode": "False",
            "limit_time_cpu": "600",
            "limit_time_real": "1200",
            "student_loan_cursor_header": "True",
            "log_level": "warn",
        }
    )
    return options


@contextlib.contextmanager
def odoo_servers(config, cluster, db, workers, count=2):
    data_dir = str(ROOT / "build" / "bench-replica-data")
    source = configparser.ConfigParser()
    source.read(config)
    filestore = Path(source["options"].get("data_dir", ROOT / "build" / "data")) / "filestore" / db
    shutil.rmtree(data_dir, ignore_errors=True)
    if filestore.is_dir():  # one filestore, shared by both servers (an NFS mount in production)
        shutil.copytree(filestore, Path(data_dir) / "filestore" / db)
    processes, urls, options = [], [], server_options(config, cluster, data_dir, workers)
    try:
        for index in range(count):
            port = free_port()
            conf = ROOT / "build" / f"bench-replica-{index + 1}.conf"
            parser = configparser.ConfigParser()
            parser["options"] = dict(options, http_port=str(port), gevent_port=str(free_port()))
            with conf.open("w") as handle:
                parser.write(handle)
            log = ROOT / "build" / f"bench-replica-{index + 1}.log"
            processes.append(
                subprocess.Popen(
                    [
                        PYTHON,
                        str(ODOO_PATH / "odoo-bin"),
                        "-c",
                        str(conf),
                        "-d",
                        db,
                        f"--db-filter=^{db}$",
                        f"--logfile={log}",
                    ],
                    start_new_session=True,
                )  # fmt: skip
            )
            urls.append(f"http://127.0.0.1:{port}")
        for url, process in zip(urls, processes, strict=True):
            wait_for(lambda url=url: requests.get(f"{url}/web/login", timeout=5).status_code == 200, 180, url)
            if process.poll() is not None:
                raise SystemExit(f"the server {url} stopped")
        print(f">>> servers up: {', '.join(urls)} ({workers} workers each, data_dir {data_dir})", flush=True)
        yield urls, options
    finally:
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        shutil.rmtree(data_dir, ignore_errors=True)


# ----------------------------------------------------------------------------------------------
# the users
# ----------------------------------------------------------------------------------------------


class Recorder:
    """Every request: (end time, kind, name, milliseconds, error or None, cursor mode or None, server)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rows = []

    def add(self, kind, name, started, error, mode, url):
        ended = time.perf_counter()
        with self.lock:
            self.rows.append((ended, kind, name, (ended - started) * 1000, error, mode, url))


class User:
    def __init__(self, url, login, recorder):
        self.url, self.login, self.recorder = url, login, recorder
        self.session = requests.Session()

    def log_in(self):
        response = self.session.post(
            f"{self.url}/web/session/authenticate",
            json={"jsonrpc": "2.0", "params": {"db": DB_NAME, "login": self.login, "password": PASSWORD}},
            timeout=60,
        )
        return bool(response.json().get("result", {}).get("uid"))

    def page(self, path, kind, name=None):
        started, error, text, mode = time.perf_counter(), None, None, None
        try:
            response = self.session.get(self.url + path, timeout=30)
            mode = response.headers.get(HEADER)
            if response.status_code >= 400:
                error = f"HTTP {response.status_code}"
            elif "/web/login" in response.url:
                error = "logged out"
            else:
                text = response.text
        except requests.RequestException as exc:
            error = type(exc).__name__
        self.recorder.add(kind, name or path, started, error, mode, self.url)
        return text

    def call(self, model, method, args, kwargs=None, kind="statistics", name=None):
        started, error, result, mode = time.perf_counter(), None, None, None
        payload = {"jsonrpc": "2.0", "method": "call", "id": random.randint(1, 10**9),
                   "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}}}  # fmt: skip
        try:
            response = self.session.post(f"{self.url}/web/dataset/call_kw/{model}/{method}", json=payload, timeout=30)
            mode = response.headers.get(HEADER)
            body = response.json()
            if "error" in body:
                error = str((body["error"].get("data") or {}).get("message", "error"))[:120]
            else:
                result = body["result"]
        except (requests.RequestException, ValueError) as exc:
            error = type(exc).__name__
        self.recorder.add(kind, name or f"{model}.{method}", started, error, mode, self.url)
        return result


class Student(User):
    """A portal student: the home, the applications, one application."""

    def step(self):
        self.page("/my", "portal")
        text = self.page("/my/loans", "portal")
        match = text and LOAN_LINK_RE.search(text)
        if match:
            self.page(match.group(0), "portal", name="/my/loans/<id>")


class StatisticsReader(User):
    """A supervisor on the R1 statistics: the pivot's grouped read and count."""

    def step(self):
        model = "student.loan.statistics"
        self.call(model, "web_read_group", [[]], {"fields": ["__count"], "groupby": ["centre_id"]},
                  name="statistics web_read_group")  # fmt: skip
        self.call(model, "search_count", [[]], name="statistics search_count")


class Writer(User):
    """A handler correcting a student's mobile number: a read, then a write."""

    students = []

    def step(self):
        if not self.students:
            found = self.call("student.loan.student", "search", [[]], {"limit": 200}, kind="write-read",
                              name="student search")  # fmt: skip
            Writer.students = found or []
        if self.students:
            student_id = random.choice(self.students)
            mobile = f"138{random.randint(0, 10**8 - 1):08d}"
            self.call("student.loan.student", "write", [[student_id], {"mobile": mobile}], kind="write",
                      name="student write")  # fmt: skip


def make_users(urls, count, recorder):
    """Alternating servers; 60 % students, 30 % statistics readers (supervisors), 10 % writers (handlers)."""
    users = []
    for index in range(count):
        url, slot = urls[(index + index // 10) % len(urls)], index % 10  # the writers too on both servers
        if slot == 0:
            users.append(Writer(url, f"bench_handler_{index // 10 % 10}", recorder))
        elif slot in (1, 2, 3):
            users.append(StatisticsReader(url, f"bench_supervisor_{index % 10}", recorder))
        else:
            users.append(Student(url, f"bench_student_{index}", recorder))
    return users


def run(users, duration, think):
    stop = threading.Event()
    low, high = think

    def loop(user):
        time.sleep(random.uniform(0, high))
        while not stop.is_set():
            user.step()
            stop.wait(random.uniform(low, high))

    threads = [threading.Thread(target=loop, args=(user,), daemon=True) for user in users]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(duration)
    stop.set()
    for thread in threads:
        thread.join(60)
    return time.perf_counter() - started


# ----------------------------------------------------------------------------------------------
# figures
# ----------------------------------------------------------------------------------------------


def db_counters(cluster, port, db):
    """The cluster's own counters of the database: transactions and rows read / written."""
    row = psql(
        cluster["dir"],
        port,
        db,
        "SELECT xact_commit, tup_returned + tup_fetched, tup_inserted + tup_updated + tup_deleted "
        f"FROM pg_stat_database WHERE datname = '{db}'",
    ).split("|")
    return dict(zip(("transactions", "rows_read", "rows_written"), (int(value) for value in row), strict=True))


def delta(before, after):
    return {key: after[key] - before[key] for key in before}


def summarise(rows, duration):
    by_name = defaultdict(list)
    for row in rows:
        by_name[(row[1], row[2])].append(row)
    requests_ = {}
    for (kind, name), selected in sorted(by_name.items()):
        latencies = [row[3] for row in selected]
        requests_[name] = {
            "kind": kind,
            "requests": len(selected),
            "p50_ms": percentile(latencies, 0.5),
            "p95_ms": percentile(latencies, 0.95),
            "mean_ms": round(statistics.fmean(latencies), 1),
            "errors": sum(1 for row in selected if row[4]),
            "served_by": dict(Counter(row[5] or "unknown" for row in selected)),
        }
    by_kind = {}
    for kind in sorted({row[1] for row in rows}):
        selected = [row for row in rows if row[1] == kind]
        by_kind[kind] = {
            "requests": len(selected),
            "rps": round(len(selected) / duration, 1),
            "p95_ms": percentile([row[3] for row in selected], 0.95),
            "errors": sum(1 for row in selected if row[4]),
            "served_by": dict(Counter(row[5] or "unknown" for row in selected)),
        }
    return by_kind, requests_


def save(entry):
    with open(RESULTS.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        except ValueError:
            results = {}
        http_load = results.get("http_load") if isinstance(results.get("http_load"), dict) else {}
        results["http_load"] = {**http_load, "replica": entry}
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False, sort_keys=True) + "\n")


DB_NAME = None


def main():
    global DB_NAME
    args = parse_args()
    DB_NAME = args.db
    addons = [addon for addon in committed_addons() if addon.startswith("student_loan")]
    ensure_database(args.config, args.db, addons)
    print(">>> seeding the bench users", flush=True)
    seed(args.config, args.db, pool=0, background=100)  # no approval pool: nobody approves here
    think = tuple(float(value) for value in args.think.split(":"))
    with (
        pg_cluster(args.pg_dir, args.db) as cluster,
        odoo_servers(args.config, cluster, args.db, args.workers) as (
            urls,
            options,
        ),
    ):
        recorder = Recorder()
        users = make_users(urls, args.users, recorder)
        print(f">>> logging {len(users)} users in", flush=True)
        failed = [user.login for user in users if not user.log_in()]
        if failed:
            raise SystemExit(f"login failed for {failed[:5]}")
        # one visit each before the measure: a student's first visit of an application writes its access
        # token (ro->rw), the workers load their caches; the measure is the steady state
        for user in users:
            user.step()
        with recorder.lock:
            recorder.rows.clear()
        primary_before = db_counters(cluster, cluster["primary"], args.db)
        replica_before = db_counters(cluster, cluster["replica"], args.db)
        print(f">>> {len(users)} users on {len(urls)} servers, {args.duration:.0f} s", flush=True)
        duration = run(users, args.duration, think)
        primary = delta(primary_before, db_counters(cluster, cluster["primary"], args.db))
        replica = delta(replica_before, db_counters(cluster, cluster["replica"], args.db))
        lag = subprocess.run(
            [str(PG_SCRIPT), "lag", cluster["dir"], str(cluster["primary"])], capture_output=True, text=True
        ).stdout.strip()
        by_kind, by_request = summarise(recorder.rows, duration)
        by_server = {url: dict(Counter(row[5] or "unknown" for row in recorder.rows if row[6] == url)) for url in urls}
    settings = {
        key: options[key]
        for key in ("db_host", "db_port", "db_replica_host", "db_replica_port", "data_dir", "workers",
                    "max_cron_threads", "db_maxconn", "student_loan_cursor_header")
    }  # fmt: skip
    routed = {
        kind: stats["served_by"].get(EXPECTED[kind], 0) == stats["requests"] - stats["errors"]
        for kind, stats in by_kind.items()
        if kind in EXPECTED
    }
    entry = {
        "measured_at": datetime.datetime.now().isoformat("T", "seconds"),
        "setup": {
            "servers": len(urls),
            "users": args.users,
            "seconds": round(duration, 1),
            "think_time_s": list(think),
            "mix": "60% portal students (/my, /my/loans, /my/loans/<id>), 30% supervisors on the R1 statistics "
            "(web_read_group, search_count of student.loan.statistics), 10% handlers (search students, write one)",
            "server_options": settings,
            "postgresql": "scripts/pg_replica.sh: primary + streaming hot-standby replica on 127.0.0.1",
            "machine_cores": os.cpu_count(),
            "load_average_1min": round(os.getloadavg()[0], 2),
        },
        "by_kind": by_kind,
        "by_request": by_request,
        "requests_by_server": by_server,
        "primary_counters": primary,
        "replica_counters": replica,
        "replication": lag,
        "reads_on_replica_writes_on_primary": bool(routed) and all(routed.values()) and replica["rows_read"] > 0,
    }
    print(json.dumps(entry, indent=1, ensure_ascii=False))
    if not args.no_save:
        save(entry)
        print(f">>> written to {RESULTS} (http_load.replica)")


if __name__ == "__main__":
    main()
