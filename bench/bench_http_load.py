#!/usr/bin/env python3
"""HTTP load and database faults against a multi-worker Odoo server on loopback.

1. A throwaway database (default ``sl_bench_http``) gets the committed project addons and bench data:
   handlers, supervisors and portal students of 商水县, background applications and a pool of
   applications checked by a handler, waiting for a supervisor's approval.
2. The server is started as ``make run`` starts it, in multi-worker mode (``--workers``), on free ports.
3. Database faults: while handlers create records and read lists, every server connection to the
   database is cut three times with ``pg_terminate_backend``. Requests in flight must fail cleanly
   (an HTTP answer, no hang), the server must recover by itself, and every record whose creation
   was answered with success must be in the database.
4. Load: at 20, 50 and 100 concurrent users (70 % portal students browsing ``/my`` pages and
   submitting their details, 20 % handlers listing and opening applications over JSON-RPC, 10 %
   supervisors approving), each user logged in once, then ``--duration`` seconds measured per level:
   requests per second, p50/p95/p99 latency and errors, per kind of request.

Results are merged into bench/results.json under the key ``http_load`` and printed as a markdown table.
Target: no errors and p95 under 300 ms for portal pages at 50 users.

The load generator is plain Python (threads and ``requests``, no extra dependency); bench/locustfile.py
runs the same scenario with Locust for whoever has it.
"""

import argparse
import contextlib
import datetime
import fcntl
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import psycopg2
import requests

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
ODOO_PATH = Path(os.environ.get("ODOO_PATH", "/opt/odoo18"))
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
PASSWORD = "bench-Pass-2024"
COUNTY = "student_loan.centre_411623"  # 商水县
PORTAL_TARGET_MS = 300
HANDLERS = 10
TARGET = (
    f"no errors and p95 < {PORTAL_TARGET_MS} ms for portal pages at 50 users; server CPU per portal request <= 2x "
    "that of /web/login"
)
# A 1x1 PNG: the attachments of the applications of the approval pool.
PNG_B64 = b"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgAAACAAFUok9dAAAAAElFTkSuQmCC"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-c", "--config", default=os.environ.get("ODOO_RC", str(ROOT / "build" / "odoo.conf")))
    parser.add_argument(
        "-d",
        "--database",
        help="ignored (make bench passes the province database): the load test changes data, so it runs on "
        "its own throwaway database, --db",
    )
    parser.add_argument("--db", default="sl_bench_http", help="throwaway database (created when missing)")
    parser.add_argument("--users", default="20,50,100", help="concurrent users per level")
    parser.add_argument("--duration", type=float, default=30, help="seconds measured per level")
    parser.add_argument("--workers", type=int, default=4, help="Odoo HTTP workers (2 cores: 4)")
    parser.add_argument("--think", default="1.0:3.0", help="think time between two pages, seconds (min:max)")
    parser.add_argument("--pool", type=int, default=300, help="checked applications waiting for approval")
    parser.add_argument("--background", type=int, default=2000, help="other applications in the county")
    parser.add_argument("--skip-faults", action="store_true", help="only the load test")
    parser.add_argument("--skip-load", action="store_true", help="only the database-fault test")
    parser.add_argument("--skip-cost", action="store_true", help="no server CPU per request of each page")
    parser.add_argument(
        "--cost-repeat", type=int, default=60, help="requests per page for the CPU per request (in turns of 5)"
    )
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results.json")
    return parser.parse_args()


# ----------------------------------------------------------------------------------------------
# database: create, install, seed
# ----------------------------------------------------------------------------------------------


def committed_addons():
    """The project addons committed to git (the others may be half-written by someone right now)."""
    files = subprocess.run(
        ["git", "ls-files", "*/__manifest__.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return sorted(Path(name).parent.name for name in files if "/" in name and Path(name).parent.name != ".")


def database_exists(name):
    with contextlib.closing(psycopg2.connect(dbname="postgres")) as conn:
        with conn.cursor() as cr:
            cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return bool(cr.fetchone())


def installed_modules(name):
    with contextlib.closing(psycopg2.connect(dbname=name)) as conn:
        with conn.cursor() as cr:
            cr.execute("SELECT name FROM ir_module_module WHERE state = 'installed'")
            return {row[0] for row in cr.fetchall()}


def ensure_database(config, name, addons):
    missing = addons if not database_exists(name) else sorted(set(addons) - installed_modules(name))
    if missing:
        print(f">>> installing {','.join(missing)} into {name}", flush=True)
        subprocess.run(
            [PYTHON, str(ODOO_PATH / "odoo-bin"), "-c", config, "-d", name, "-i", ",".join(missing),
             "--without-demo=all", "--stop-after-init", "--log-level=warn"],
            check=True,
        )  # fmt: skip


def id_number(region, birth, serial):
    from stdnum.cn import ric

    body = f"{region}{birth:%Y%m%d}{serial % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def seed(config, name, pool, background, handlers=10, supervisors=10, students=100):  # noqa: C901
    """Users and applications for the load test (idempotent: tops up what is missing)."""
    sys.path.insert(0, str(ODOO_PATH))
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", config, "-d", name, "--log-level=warn"])
    with Registry(name).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "mail_create_nolog": True})
        from odoo.addons.student_loan.loanlib import handwriting

        strokes = json.dumps({"mode": "draw", "width": 600, "height": 300, "strokes": handwriting.sample_strokes()})
        county = env.ref(COUNTY)
        Users = env["res.users"].with_context(no_reset_password=True, mail_create_nolog=True)
        school = env["student.loan.school"].search([("code", "=", "BENCH-U")]) or env["student.loan.school"].create(
            {"name": "压力测试大学", "code": "BENCH-U"}
        )

        def student_vals(name_, number):
            return {
                "name": name_,
                "id_number": number,
                "mobile": "13800000000",
                "email": "bench@example.com",
                "household_address": "河南省周口市商水县城关乡解放路12号",
                "home_address": "河南省周口市商水县城关乡解放路12号",
                "third_party_name": "李四",
                "third_party_phone": "13912345678",
                "school_id": school.id,
                "education_level": "undergraduate",
                "study_years": 4,
                "enrolment_year": 2024,
                "centre_id": county.id,
            }

        def staff(prefix, group, count):
            users = env["res.users"]
            for index in range(count):
                login = f"bench_{prefix}_{index}"
                user = env["res.users"].search([("login", "=", login)])
                if not user:
                    user = Users.create(
                        {"name": f"Bench {prefix} {index}", "login": login, "email": f"{login}@example.com",
                         "groups_id": [(6, 0, [env.ref(group).id])], "loan_centre_id": county.id,
                         "notification_type": "inbox"}
                    )  # fmt: skip
                users |= user
            return users

        handler_users = staff("handler", "student_loan.group_handler", handlers)
        staff("supervisor", "student_loan.group_supervisor", supervisors)
        portal_group = env.ref("base.group_portal")
        for index in range(students):
            login = f"bench_student_{index}"
            if env["res.users"].search([("login", "=", login)]):
                continue
            student = env["student.loan.student"].create(
                student_vals(f"压测学生{index}", id_number("411623", datetime.date(2004, 1, 1), index))
            )
            student.partner_id.write({"email": f"{login}@example.com"})
            user = Users.create(
                {"login": login, "partner_id": student.partner_id.id, "groups_id": [(6, 0, [portal_group.id])]}
            )
            student.write({"user_id": user.id})
            env["student.loan.application"].create({"student_id": student.id, "academic_year": 2024, "tuition": 5000})
        # one hash for every bench user: hashing 600,000 rounds per user would take minutes
        hashed = env["res.users"]._crypt_context().hash(PASSWORD)
        cr.execute("UPDATE res_users SET password = %s WHERE login LIKE 'bench\\_%%'", [hashed])
        cr.commit()

        def count(prefix, state=None):
            domain = [("student_id.name", "=like", f"{prefix}%")]
            if state:
                domain.append(("state", "=", state))
            return env["student.loan.application"].search_count(domain)

        done = count("压测背景")
        if done < background:
            print(f"    {background - done} background applications", flush=True)
            for start in range(done, background, 250):
                batch = range(start, min(start + 250, background))
                birth = datetime.date(2003, 1, 1)
                created = env["student.loan.student"].create(
                    [
                        student_vals(f"压测背景{i}", id_number("411623", birth + datetime.timedelta(days=i // 1000), i))
                        for i in batch
                    ]
                )
                env["student.loan.application"].create(
                    [{"student_id": s.id, "academic_year": 2024, "tuition": 4000 + i % 3000} for i, s in zip(
                        batch, created, strict=True)]
                )  # fmt: skip
                cr.commit()
        waiting = count("压测池", "checked")
        made = env["student.loan.student"].search_count([("name", "=like", "压测池%")])
        if waiting < pool:
            print(f"    {pool - waiting} applications to approve (through the handler's workflow)", flush=True)
            handler = handler_users[0]
            types = {code: env.ref(f"student_loan.attachment_type_{code}").id for code in (
                "student_id_card", "coborrower_id_card", "admission_notice", "application_form")}  # fmt: skip
            started = time.perf_counter()
            for index in range(made, made + pool - waiting):
                number = id_number("411623", datetime.date(2002, 1, 1) + datetime.timedelta(days=index // 1000), index)
                student = env["student.loan.student"].create(student_vals(f"压测池{index}", number))
                coborrower = env["student.loan.coborrower"].create(
                    {"student_id": student.id, "name": "家长", "relation": "father", "mobile": "13712345678",
                     "id_number": id_number("411623", datetime.date(1970, 1, 1) + datetime.timedelta(
                         days=index // 1000), index),
                     "address": "河南省周口市商水县城关乡解放路12号"}
                )  # fmt: skip
                app = (
                    env["student.loan.application"]
                    .with_user(handler)
                    .create(
                        {
                            "student_id": student.id,
                            "academic_year": 2024,
                            "tuition": 5000,
                            "accommodation": 1200,
                            "eligibility_unit": "城关乡人民政府",
                            "eligibility_stamped": True,
                            "coborrower_id": coborrower.id,
                        }
                    )  # fmt: skip
                )
                env["student.loan.attachment"].create(
                    [{"application_id": app.id, "type_id": type_id, "file": PNG_B64, "file_name": f"{code}.png"}
                     for code, type_id in types.items()]
                )  # fmt: skip
                app.action_submit()
                app.check_line_ids.filtered(lambda line: not line.item_id.auto_check).write({"result": "passed"})
                app.action_prepare_contract()
                # signatures are drawn by hand on the pad: its strokes, as the pad sends them
                app.contract_id.write({"signature_strokes": strokes, "coborrower_signature_strokes": strokes})
                app.contract_id.action_sign()
                app.action_check()
                if index % 50 == 49:
                    cr.commit()
            cr.commit()
            print(f"    pool ready in {time.perf_counter() - started:.0f} s", flush=True)
        meta = {
            "country_id": env.ref("base.cn").id,
            "any_application_id": env["student.loan.application"].search([], limit=1, order="id desc").id,
        }
    odoo.sql_db.close_db(name)  # the server has its own connections: these would only be in the way
    return meta


# ----------------------------------------------------------------------------------------------
# the server
# ----------------------------------------------------------------------------------------------


def free_port():
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


SERVER_PIDS = {}


def cpu_snapshot(server_pid, name):
    """CPU seconds so far of the Odoo server (master and workers) and of PostgreSQL's backends of ``name``."""
    import psutil  # an Odoo requirement

    pids = set()
    with contextlib.suppress(psutil.Error):
        master = psutil.Process(server_pid)
        pids = {master.pid, *(child.pid for child in master.children(recursive=True))}
    with contextlib.closing(psycopg2.connect(dbname="postgres")) as conn:
        with conn.cursor() as cr:
            cr.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [name])
            backends = {row[0] for row in cr.fetchall()}
    seconds = {}
    for pid in pids | backends:
        with contextlib.suppress(psutil.Error):
            times = psutil.Process(pid).cpu_times()
            seconds[pid] = ("db" if pid in backends else "odoo", times.user + times.system)
    return seconds


def cpu_used(before, after):
    """``{"odoo": s, "db": s}`` spent between two snapshots (processes born in between count whole)."""
    used = defaultdict(float)
    for pid, (kind, seconds) in after.items():
        used[kind] += seconds - (before[pid][1] if pid in before else 0.0)
    return used


@contextlib.contextmanager
def odoo_server(config, name, workers):
    port, gevent_port = free_port(), free_port()
    log = ROOT / "build" / f"bench-http-{name}.log"
    command = [
        PYTHON, str(ODOO_PATH / "odoo-bin"), "-c", config, "-d", name, f"--db-filter=^{name}$",
        f"--workers={workers}", "--max-cron-threads=0", f"--http-port={port}", f"--gevent-port={gevent_port}",
        "--http-interface=127.0.0.1", "--log-level=warn", f"--logfile={log}",
    ]  # fmt: skip
    process = subprocess.Popen(command, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(f"{url}/web/login", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start: see {log}")
            time.sleep(0.5)
        print(f">>> server up: {url}, {workers} workers (log: {log})", flush=True)
        SERVER_PIDS[url] = process.pid
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# ----------------------------------------------------------------------------------------------
# clients
# ----------------------------------------------------------------------------------------------

CSRF_RE = re.compile(r'name="csrf_token"\s+value="([^"]+)"')
LOAN_LINK_RE = re.compile(r"/my/loans/\d+(?=[\"?])")


class Recorder:
    """Every request: (end time, kind, name, milliseconds, error or None)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rows = []

    def add(self, kind, name, started, error):
        ended = time.perf_counter()
        with self.lock:
            self.rows.append((ended, kind, name, (ended - started) * 1000, error))


class Client:
    def __init__(self, url, login, recorder, timeout=30):
        self.url, self.login, self.recorder, self.timeout = url, login, recorder, timeout
        self.session = requests.Session()
        self.csrf = None
        self.uid = None

    def page(self, path, kind="portal", name=None, data=None):
        """GET (or POST ``data``) an HTML page; return its text, or None after recording the error."""
        started = time.perf_counter()
        error = text = None
        try:
            if data is None:
                response = self.session.get(self.url + path, timeout=self.timeout)
            else:
                response = self.session.post(self.url + path, data=data, timeout=self.timeout)
            if response.status_code >= 400:
                error = f"HTTP {response.status_code}"
            elif "/web/login" in response.url and not path.startswith("/web/login"):
                error = "logged out"
            else:
                text = response.text
                match = CSRF_RE.search(text)
                self.csrf = match.group(1) if match else self.csrf
        except requests.RequestException as exc:
            error = type(exc).__name__
        self.recorder.add(kind, name or path, started, error)
        return text

    def call(self, model, method, args, kwargs=None, name=None):
        """A JSON-RPC call_kw as the web client makes it; the result, or None after recording the error."""
        started = time.perf_counter()
        payload = {"jsonrpc": "2.0", "method": "call", "id": random.randint(1, 10**9),
                   "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}}}  # fmt: skip
        error = result = None
        try:
            response = self.session.post(
                f"{self.url}/web/dataset/call_kw/{model}/{method}", json=payload, timeout=self.timeout
            )
            if response.status_code >= 400:
                error = f"HTTP {response.status_code}"
            else:
                body = response.json()
                if "error" in body:
                    data = body["error"].get("data") or {}
                    error = f"{data.get('name', 'error')}: {str(data.get('message', ''))[:120]}"
                else:
                    result = body["result"]
        except (requests.RequestException, ValueError) as exc:
            error = type(exc).__name__
        self.recorder.add("backend", name or f"{model}.{method}", started, error)
        return result

    def log_in(self):
        self.page("/web/login", kind="login", name="/web/login GET")
        self.page(
            "/web/login",
            kind="login",
            name="/web/login POST",
            data={"login": self.login, "password": PASSWORD, "csrf_token": self.csrf, "redirect": ""},
        )
        return "session_id" in self.session.cookies


class Student(Client):
    """A portal student: the portal home and their details, sometimes saving them."""

    def __init__(self, url, login, recorder, country_id, portal_paths=()):
        super().__init__(url, login, recorder)
        self.country_id, self.portal_paths, self.visits = country_id, portal_paths, 0

    def step(self):
        self.visits += 1
        self.page("/my")
        for path in self.portal_paths:
            text = self.page(path)
            if path == "/my/loans" and text:  # the student's own application, as they would open it
                match = LOAN_LINK_RE.search(text)
                if match:
                    self.page(match.group(0), name="/my/loans/<id>")
        if self.visits % 5 == 0:  # submitting: the details form, with its CSRF token
            self.page("/my/account")
            self.page(
                "/my/account",
                name="/my/account POST",
                data={"csrf_token": self.csrf, "name": f"压测学生 {self.login}", "phone": "13800000000",
                      "email": f"{self.login}@example.com", "street": "解放路12号", "city": "商水县",
                      "country_id": self.country_id, "zipcode": "466100"},
            )  # fmt: skip


APPLICATION_LIST = ["name", "student_id", "academic_year", "loan_kind", "approved_amount", "state", "centre_id"]
APPLICATION_FORM = APPLICATION_LIST + ["tuition", "accommodation", "coborrower_id", "check_progress", "contract_id"]


class Handler(Client):
    """A handler: the applications list (search_read), then one application's form (read)."""

    def step(self):
        rows = self.call(
            "student.loan.application", "search_read", [],
            {"domain": [], "fields": APPLICATION_LIST, "limit": 80, "order": "academic_year desc, id desc"},
            name="application search_read",
        )  # fmt: skip
        self.call("student.loan.application", "search_count", [[]], name="application search_count")
        if rows:
            self.call("student.loan.application", "read", [[random.choice(rows)["id"]], APPLICATION_FORM],
                      name="application read")  # fmt: skip


class Supervisor(Client):
    """A supervisor: the applications waiting for them, then approves one (their own share of the pool)."""

    def __init__(self, url, login, recorder, share, shares):
        super().__init__(url, login, recorder)
        self.share, self.shares, self.approved = share, shares, 0

    def step(self):
        rows = self.call(
            "student.loan.application", "search_read", [],
            {"domain": [["state", "=", "checked"]], "fields": APPLICATION_LIST, "limit": 200, "order": "id"},
            name="checked search_read",
        ) or []  # fmt: skip
        mine = [row["id"] for row in rows if row["id"] % self.shares == self.share]
        if mine:
            if self.call("student.loan.application", "action_approve", [[mine[0]]], name="action_approve"):
                self.approved += 1
            self.call("student.loan.application", "read", [[mine[0]], APPLICATION_FORM], name="application read")


ROUND_REQUESTS = 5  # requests of one page in a row, between two CPU readings


def measure_request_cost(url, name, meta, repeat=60, warm=8):
    """Server CPU (Odoo's processes and PostgreSQL's backends of ``name``) per request of each page, one
    request at a time, Odoo's own ``/web/login`` page (anonymous GET) included as the yardstick.

    Measured with nothing else sent to the server, so that the CPU of each page is its own; the other
    processes of the machine do not count (CPU time, not wall time). Answers ``{page: {odoo_ms, db_ms,
    total_ms, ratio_to_login}}``.
    """
    recorder = Recorder()
    anonymous = Client(url, "", recorder)
    student = Student(url, "bench_student_3", recorder, meta["country_id"], meta["portal_paths"])
    handler = Handler(url, "bench_handler_0", recorder)
    supervisor = Supervisor(url, "bench_supervisor_0", recorder, 0, 1)
    for user in (student, handler, supervisor):
        if not user.log_in():
            raise SystemExit(f"login failed for {user.login}")
    loans = student.page("/my/loans") or ""
    match = LOAN_LINK_RE.search(loans)
    loan_path = match.group(0) if match else None
    account = {"csrf_token": None, "name": "压测学生", "phone": "13800000000", "email": "bench@example.com",
               "street": "解放路12号", "city": "商水县", "country_id": meta["country_id"], "zipcode": "466100",
               "home_address": "河南省商水县解放路12号"}  # fmt: skip

    def post_account():
        student.page("/my/account", name="warm")  # its CSRF token (not counted: see below)
        account["csrf_token"] = student.csrf
        student.page("/my/account", name="/my/account POST", data=account)

    pages = {
        "/web/login": lambda: anonymous.page("/web/login", kind="login"),
        "/my": lambda: student.page("/my"),
        "/my/loans": lambda: student.page("/my/loans"),
        **({"/my/loans/<id>": lambda: student.page(loan_path, name="/my/loans/<id>")} if loan_path else {}),
        "/my/account": lambda: student.page("/my/account"),
        "/my/account POST": post_account,
        "application search_read": lambda: handler.call(
            "student.loan.application",
            "search_read",
            [],
            {"domain": [], "fields": APPLICATION_LIST, "limit": 80, "order": "academic_year desc, id desc"},
        ),  # fmt: skip
        "application read": lambda: handler.call(
            "student.loan.application", "read", [[meta.get("any_application_id") or 1], APPLICATION_FORM]
        ),
        "checked search_read + action_approve": lambda: supervisor.step(),
    }
    for request in pages.values():
        for _index in range(warm):  # every worker warm: its caches, the templates, the translations
            request()
    # the pages take turns, a few requests each, so that a change of the machine's speed during the
    # measure (a shared virtual machine) weighs on every page alike, /web/login included
    used = {page: {"odoo": 0.0, "db": 0.0} for page in pages}
    rounds = max(1, repeat // ROUND_REQUESTS)
    for _round in range(rounds):
        for page, request in pages.items():
            before = cpu_snapshot(SERVER_PIDS[url], name)
            for _index in range(ROUND_REQUESTS):
                request()
            for kind, seconds in cpu_used(before, cpu_snapshot(SERVER_PIDS[url], name)).items():
                used[page][kind] += seconds
    count = rounds * ROUND_REQUESTS
    costs = {}
    for page in pages:
        cost = {f"{kind}_ms": used[page][kind] * 1000 / count for kind in ("odoo", "db")}
        if page == "/my/account POST":  # minus the GET that fetched each POST's token
            cost = {key: value - costs["/my/account"][key] for key, value in cost.items()}
        costs[page] = {key: round(value, 2) for key, value in cost.items()}
        costs[page]["total_ms"] = round(cost["odoo_ms"] + cost["db_ms"], 2)
    errors = [row for row in recorder.rows if row[4]]
    login = costs["/web/login"]["total_ms"] or 0.01
    for cost in costs.values():
        cost["ratio_to_login"] = round(cost["total_ms"] / login, 2)
    return costs, len(errors)


def make_users(url, count, recorder, meta):
    """``count`` users in the 7:2:1 mix of students, handlers and supervisors."""
    users = []
    supervisors = max(1, count // 10)
    for index in range(count):
        slot = index % 10
        if slot == 0:
            share = index // 10
            users.append(Supervisor(url, f"bench_supervisor_{share}", recorder, share, supervisors))
        elif slot in (1, 2):
            users.append(Handler(url, f"bench_handler_{((index // 10) * 2 + slot - 1) % HANDLERS}", recorder))
        else:
            users.append(Student(url, f"bench_student_{index}", recorder, meta["country_id"], meta["portal_paths"]))
    return users


def log_in_all(users, parallel=8):
    """Log every user in once (600,000 password-hash rounds each: not part of the measure)."""
    failed = []

    def work(chunk):
        for user in chunk:
            if not user.log_in():
                failed.append(user.login)

    threads = [threading.Thread(target=work, args=(users[i::parallel],)) for i in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failed:
        raise SystemExit(f"login failed for {failed[:5]}")


def run_level(users, duration, think):
    """Every user loops (a step, a think time) for ``duration`` seconds; returns the records of the window."""
    recorder = users[0].recorder
    stop = threading.Event()
    low, high = think

    def loop(user):
        time.sleep(random.uniform(0, high))  # users do not all start on the same tick
        while not stop.is_set():
            user.step()
            stop.wait(random.uniform(low, high))

    with recorder.lock:
        recorder.rows.clear()
    started = time.perf_counter()
    threads = [threading.Thread(target=loop, args=(user,), daemon=True) for user in users]
    for thread in threads:
        thread.start()
    warmup = high  # the first seconds, while users start, are not measured
    time.sleep(warmup + duration)
    stop.set()
    for thread in threads:
        thread.join(60)
    window = (started + warmup, started + warmup + duration)
    return [row for row in recorder.rows if window[0] <= row[0] <= window[1]], duration


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))], 1)


def summarise(rows, duration):
    def stats(selected):
        latencies = [row[3] for row in selected]
        errors = [row for row in selected if row[4]]
        return {
            "requests": len(selected),
            "rps": round(len(selected) / duration, 1),
            "p50_ms": percentile(latencies, 0.50),
            "p95_ms": percentile(latencies, 0.95),
            "p99_ms": percentile(latencies, 0.99),
            "mean_ms": round(statistics.fmean(latencies), 1) if latencies else None,
            "errors": len(errors),
        }

    result = stats(rows)
    result["by_kind"] = {kind: stats([row for row in rows if row[1] == kind]) for kind in ("portal", "backend")}
    by_name = defaultdict(list)
    for row in rows:
        by_name[row[2]].append(row)
    result["by_request"] = {name: stats(selected) for name, selected in sorted(by_name.items())}
    result["error_samples"] = error_samples(rows)
    return result


def error_samples(rows, top=10):
    """The most frequent errors: ``{"request: error": count}``."""
    counts = defaultdict(int)
    for row in rows:
        if row[4]:
            counts[f"{row[2]}: {row[4]}"] += 1
    return dict(sorted(counts.items(), key=lambda item: -item[1])[:top])


# ----------------------------------------------------------------------------------------------
# database faults: pg_terminate_backend under load
# ----------------------------------------------------------------------------------------------


def terminate_backends(name):
    with contextlib.closing(psycopg2.connect(dbname="postgres")) as conn:
        conn.autocommit = True
        with conn.cursor() as cr:
            cr.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            return cr.fetchone()[0]


def fault_test(url, name, meta, cuts=3, gap=2.0, tail=6.0):
    """Writers create schools and readers list applications while the connections are cut."""
    recorder = Recorder()
    tag = f"FAULT-{int(time.time())}"
    writers = [Handler(url, f"bench_handler_{index}", recorder) for index in range(3)]
    readers = [Handler(url, f"bench_handler_{index}", recorder) for index in range(3, 5)]
    readers += [Student(url, f"bench_student_{index}", recorder, meta["country_id"]) for index in range(2)]
    log_in_all(writers + readers, parallel=4)
    committed, failed_creates = {}, []
    stop = threading.Event()

    def write(client, number):
        sequence = 0
        while not stop.is_set():
            code = f"{tag}-{number}-{sequence}"
            sequence += 1
            new_id = client.call("student.loan.school", "create", [{"name": f"断线测试 {code}", "code": code}],
                                 name="school create")  # fmt: skip
            if new_id:
                committed[code] = new_id
            else:
                failed_creates.append(code)
            time.sleep(0.05)

    def read(client):
        while not stop.is_set():
            client.step() if isinstance(client, Handler) else client.page("/my")
            time.sleep(0.05)

    threads = [threading.Thread(target=write, args=(client, index)) for index, client in enumerate(writers)]
    threads += [threading.Thread(target=read, args=(client,)) for client in readers]
    for thread in threads:
        thread.start()
    time.sleep(3)
    cut_times, terminated = [], []
    for _cut in range(cuts):
        cut_times.append(time.perf_counter())
        terminated.append(terminate_backends(name))
        time.sleep(gap)
    time.sleep(tail)
    stop.set()
    for thread in threads:
        thread.join(60)
    hung = [thread for thread in threads if thread.is_alive()]
    rows = list(recorder.rows)
    last_cut = cut_times[-1]
    before = [row for row in rows if row[0] < cut_times[0]]
    during = [row for row in rows if cut_times[0] <= row[0] <= last_cut + gap]
    after = [row for row in rows if row[0] > last_cut + 3.0]
    recovered_after = next((row[0] - last_cut for row in rows if row[0] > last_cut and not row[4]), None)
    with contextlib.closing(psycopg2.connect(dbname=name)) as conn:
        with conn.cursor() as cr:
            cr.execute("SELECT code FROM student_loan_school WHERE code LIKE %s", [f"{tag}-%"])
            stored = {row[0] for row in cr.fetchall()}
            cr.execute("DELETE FROM student_loan_school WHERE code LIKE %s", [f"{tag}-%"])
        conn.commit()
    lost = sorted(set(committed) - stored)
    result = {
        "cuts": cuts,
        "connections_terminated": terminated,
        "requests": len(rows),
        "errors_before_cut": sum(1 for row in before if row[4]),
        "requests_during_cuts": len(during),
        "errors_during_cuts": sum(1 for row in during if row[4]),
        "requests_after_recovery": len(after),
        "errors_after_recovery": sum(1 for row in after if row[4]),
        "first_success_after_last_cut_s": round(recovered_after, 2) if recovered_after is not None else None,
        "slowest_request_ms": round(max((row[3] for row in rows), default=0), 1),
        "hung_clients": len(hung),
        "creates_answered_ok": len(committed),
        "creates_answered_error": len(failed_creates),
        "answered_ok_but_missing": len(lost),
        "stored_although_answered_error": len(stored - set(committed)),
        "error_samples": error_samples(rows),
    }
    result["ok"] = bool(
        not result["errors_before_cut"]
        and not result["errors_after_recovery"]
        and result["requests_after_recovery"]
        and not hung
        and not lost
        and result["slowest_request_ms"] < 30_000
    )
    return result


# ----------------------------------------------------------------------------------------------
# results
# ----------------------------------------------------------------------------------------------


def save(entry):
    RESULTS.parent.mkdir(exist_ok=True)
    with open(RESULTS.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        except ValueError:
            results = {}
        previous = results.get("http_load") if isinstance(results.get("http_load"), dict) else {}
        results["http_load"] = {**previous, **entry, "measured_at": datetime.datetime.now().isoformat("T", "seconds")}
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False, sort_keys=True) + "\n")


def markdown(levels):
    lines = [
        "| users | kind | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for users, level in levels.items():
        for kind, stats in [("all", level), *level["by_kind"].items()]:
            lines.append(
                f"| {users} | {kind} | {stats['rps']} | {stats['p50_ms']} | {stats['p95_ms']} | {stats['p99_ms']} "
                f"| {stats['errors']} |"
            )
    return "\n".join(lines)


def main():
    args = parse_args()
    if args.database and args.database != args.db:
        print(f"(the HTTP load test runs on its own database {args.db}, not on {args.database})")
    addons = [addon for addon in committed_addons() if addon.startswith("student_loan")]
    ensure_database(args.config, args.db, addons)
    print(">>> seeding", flush=True)
    meta = seed(args.config, args.db, args.pool, args.background)
    portal_paths = ["/my/loans"] if "student_loan_portal" in addons else []
    meta["portal_paths"] = portal_paths
    think = tuple(float(value) for value in args.think.split(":"))
    entry = {
        "target": TARGET,
        "setup": {
            "machine_cores": os.cpu_count(),
            "workers": args.workers,
            "think_time_s": list(think),
            "seconds_per_level": args.duration,
            "mix": "70% portal students (/my"
            + ", /my/loans, /my/loans/<id>" * bool(portal_paths)
            + "; every 5th visit GET+POST /my/account), 20% handlers (search_read 80 applications, search_count, "
            "read one), 10% supervisors (search_read checked, action_approve, read)",
            "addons": addons,
        },
    }
    with odoo_server(args.config, args.db, args.workers) as url:
        if not args.skip_faults:
            print(">>> database faults: pg_terminate_backend x3 under load", flush=True)
            entry["db_cut"] = fault_test(url, args.db, meta)
            print(json.dumps(entry["db_cut"], indent=1, ensure_ascii=False), flush=True)
        if not args.skip_cost:
            print(f">>> server CPU per request, one at a time ({args.cost_repeat} each)", flush=True)
            costs, cost_errors = measure_request_cost(url, args.db, meta, repeat=args.cost_repeat)
            portal = [cost for page, cost in costs.items() if page.startswith("/my")]
            login_ms = costs["/web/login"]["total_ms"]
            entry["request_cpu_ms"] = costs
            entry["request_cost_errors"] = cost_errors
            entry["login_cpu_ms"] = login_ms
            entry["portal_cpu_ms_mean"] = round(sum(cost["total_ms"] for cost in portal) / len(portal), 2)
            entry["portal_cpu_ratio_to_login"] = round(entry["portal_cpu_ms_mean"] / login_ms, 2)
            entry["portal_cpu_ratio_to_login_max"] = max(cost["ratio_to_login"] for cost in portal)
            entry["ok_cpu"] = entry["portal_cpu_ratio_to_login"] <= 2 and not cost_errors
            for page, cost in costs.items():
                print(f"      {page:38} odoo {cost['odoo_ms']:6.1f}  db {cost['db_ms']:5.1f}  "
                      f"total {cost['total_ms']:6.1f} ms  x{cost['ratio_to_login']} /web/login")  # fmt: skip
            print(
                f"    portal pages: {entry['portal_cpu_ms_mean']} ms of server CPU per request, /web/login "
                f"{login_ms} ms: ratio {entry['portal_cpu_ratio_to_login']} (target <= 2)",
                flush=True,
            )
        if not args.skip_load:
            levels = {}
            recorder = Recorder()
            counts = [int(value) for value in args.users.split(",")]
            users = make_users(url, max(counts), recorder, meta)
            print(f">>> logging {len(users)} users in", flush=True)
            log_in_all(users)
            for count in counts:
                print(f">>> {count} users, {args.duration:.0f} s", flush=True)
                load_before, cpu_before = os.getloadavg()[0], time.process_time()
                server_before = cpu_snapshot(SERVER_PIDS[url], args.db)
                rows, duration = run_level(users[:count], args.duration, think)
                server_used = cpu_used(server_before, cpu_snapshot(SERVER_PIDS[url], args.db))
                levels[count] = summarise(rows, duration)
                # what each request costs, whatever else runs on the machine: the load generator shares
                # the cores with the server, and the cores are shared with other work (load average)
                requests_done = max(1, levels[count]["requests"])
                levels[count]["client_cpu_ms_per_request"] = round(
                    (time.process_time() - cpu_before) * 1000 / requests_done, 2
                )
                levels[count]["server_cpu_ms_per_request"] = {
                    kind: round(server_used[kind] * 1000 / requests_done, 2) for kind in ("odoo", "db")
                }
                # other work on the machine (tests of other addons...) weighs on the figures: say how much
                levels[count]["load_average_1min"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
                levels[count]["approvals"] = sum(
                    user.approved for user in users[:count] if isinstance(user, Supervisor)
                )
                level = levels[count]
                print(
                    f"    {level['rps']} req/s, p95 {level['p95_ms']} ms, errors {level['errors']}, "
                    f"CPU per request: client {level['client_cpu_ms_per_request']} ms, "
                    f"server {level['server_cpu_ms_per_request']} ms",
                    flush=True,
                )
                for name, stats in level["by_request"].items():
                    print(f"      {name:28} {stats['requests']:5} req  p50 {stats['p50_ms']}  p95 {stats['p95_ms']} ms")
            entry["levels"] = {str(count): level for count, level in levels.items()}
            at_50 = levels.get(50)
            portal = at_50 and at_50["by_kind"]["portal"]
            entry["ok_load"] = bool(
                at_50 and not at_50["errors"] and portal["p95_ms"] is not None and portal["p95_ms"] < PORTAL_TARGET_MS
            )
            if at_50:
                # machine-independent view: the CPU one request costs (Odoo + PostgreSQL + load generator) and
                # how many requests per second the cores could serve if nothing else ran on them
                cost = sum(at_50["server_cpu_ms_per_request"].values()) + at_50["client_cpu_ms_per_request"]
                entry["cpu_ms_per_request_at_50_users"] = round(cost, 1)
                entry["capacity_rps_if_cores_idle"] = round((os.cpu_count() or 1) * 1000 / cost, 1)
            entry["markdown"] = markdown(levels)
            print("\n" + entry["markdown"] + "\n")
    parts = []
    if "levels" in entry:
        for count, level in entry["levels"].items():
            parts.append(
                f"{count} users: {level['rps']} req/s, portal p95 {level['by_kind']['portal']['p95_ms']} ms, "
                f"{level['errors']} errors"
            )
    if "db_cut" in entry:
        cut = entry["db_cut"]
        parts.append(
            f"DB cut x{cut['cuts']}: recovered in {cut['first_success_after_last_cut_s']} s, "
            f"{cut['answered_ok_but_missing']} committed rows lost"
        )
    if "portal_cpu_ratio_to_login" in entry:
        parts.append(
            f"server CPU per portal request {entry['portal_cpu_ms_mean']} ms = {entry['portal_cpu_ratio_to_login']}x "
            f"/web/login ({entry['login_cpu_ms']} ms)"
        )
    if "capacity_rps_if_cores_idle" in entry:
        parts.append(
            f"{entry['cpu_ms_per_request_at_50_users']} ms CPU per request: "
            f"~{entry['capacity_rps_if_cores_idle']:.0f} req/s on idle cores"
        )
    entry["summary"] = "; ".join(parts)
    entry["ok"] = entry.get("ok_load", True) and entry.get("ok_cpu", True) and entry.get("db_cut", {}).get("ok", True)
    if not args.no_save:
        save(entry)
    print(entry["summary"])
    print(f"target ({TARGET}): {'met' if entry['ok'] else 'NOT met'}" if "levels" in entry else "")
    return 0  # a measurement, not a test: "ok" in bench/results.json says whether the targets were met


if __name__ == "__main__":
    sys.exit(main())
