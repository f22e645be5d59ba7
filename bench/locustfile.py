"""The HTTP load scenario of bench/bench_http_load.py, for Locust (optional; not a project dependency).

``make bench-load`` creates and seeds the bench database (and measures with its own load generator).
To measure the same scenario with Locust instead, start a multi-worker server on that database and
point Locust at it, e.g.::

    .venv/bin/python /opt/odoo18/odoo-bin -c build/odoo.conf -d sl_bench_http --workers 4 \\
        --max-cron-threads 0 --http-port 8090 &
    locust -f bench/locustfile.py --host http://127.0.0.1:8090 --headless -u 50 -r 10 -t 30s

Users log in with the bench accounts (password ``bench-Pass-2024``): 7 portal students browsing
``/my`` (and ``/my/loans`` when student_loan_portal is installed) and saving their details, 2 handlers
listing and opening applications over JSON-RPC, 1 supervisor approving, per 10 users.
Locust must run in its own virtualenv: it pins versions of gevent and Werkzeug that Odoo 18 cannot use.
"""

import itertools
import os
import random
import re

from locust import HttpUser, between, task

PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-Pass-2024")
PORTAL_PATHS = [path for path in os.environ.get("BENCH_PORTAL_PATHS", "/my").split(",") if path]
COUNTRY_ID = os.environ.get("BENCH_COUNTRY_ID", "48")  # base.cn in a fresh database
CSRF_RE = re.compile(r'name="csrf_token"\s+value="([^"]+)"')
LIST_FIELDS = ["name", "student_id", "academic_year", "loan_kind", "approved_amount", "state", "centre_id"]
FORM_FIELDS = LIST_FIELDS + ["tuition", "accommodation", "coborrower_id", "check_progress", "contract_id"]
_numbers = {kind: itertools.count() for kind in ("student", "handler", "supervisor")}
ACCOUNTS = {"student": 100, "handler": 10, "supervisor": 10}


class BenchUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    kind = None

    def on_start(self):
        self.number = next(_numbers[self.kind]) % ACCOUNTS[self.kind]
        self.login = f"bench_{self.kind}_{self.number}"
        page = self.client.get("/web/login", name="/web/login GET").text
        token = CSRF_RE.search(page).group(1)
        self.client.post(
            "/web/login",
            data={"login": self.login, "password": PASSWORD, "csrf_token": token, "redirect": ""},
            name="/web/login POST",
        )

    def call(self, model, method, args, kwargs=None, name=None):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": random.randint(1, 10**9),
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }
        with self.client.post(
            f"/web/dataset/call_kw/{model}/{method}", json=payload, name=name, catch_response=True
        ) as response:
            body = response.json() if response.ok else {}
            if "error" in body:
                response.failure(str(body["error"].get("data", {}).get("message", "error"))[:200])
                return None
            return body.get("result")


class Student(BenchUser):
    weight = 7
    kind = "student"

    @task(4)
    def browse(self):
        for path in PORTAL_PATHS:
            self.client.get(path, name=path)

    @task(1)
    def submit_details(self):
        page = self.client.get("/my/account", name="/my/account").text
        token = CSRF_RE.search(page).group(1)
        self.client.post(
            "/my/account",
            name="/my/account POST",
            data={
                "csrf_token": token,
                "name": f"压测学生 {self.login}",
                "phone": "13800000000",
                "email": f"{self.login}@example.com",
                "street": "解放路12号",
                "city": "商水县",
                "country_id": COUNTRY_ID,
                "zipcode": "466100",
            },
        )


class Handler(BenchUser):
    weight = 2
    kind = "handler"

    @task
    def list_and_open(self):
        rows = self.call(
            "student.loan.application",
            "search_read",
            [],
            {"domain": [], "fields": LIST_FIELDS, "limit": 80, "order": "academic_year desc, id desc"},
            name="application search_read",
        )
        self.call("student.loan.application", "search_count", [[]], name="application search_count")
        if rows:
            self.call(
                "student.loan.application", "read", [[random.choice(rows)["id"]], FORM_FIELDS], name="application read"
            )


class Supervisor(BenchUser):
    weight = 1
    kind = "supervisor"

    @task
    def approve(self):
        rows = (
            self.call(
                "student.loan.application",
                "search_read",
                [],
                {"domain": [["state", "=", "checked"]], "fields": LIST_FIELDS, "limit": 200, "order": "id"},
                name="checked search_read",
            )
            or []
        )
        mine = [row["id"] for row in rows if row["id"] % ACCOUNTS["supervisor"] == self.number]
        if mine:
            self.call("student.loan.application", "action_approve", [[mine[0]]], name="action_approve")
            self.call("student.loan.application", "read", [[mine[0]], FORM_FIELDS], name="application read")
