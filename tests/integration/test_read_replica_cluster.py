"""Reads on a real streaming replica, writes on the primary (issue 15 §4).

Run by ``make test`` after the addons are installed (``scripts/run_tests.sh`` sets ``SL_TEST_DB``
and ``SL_ODOO_CONF``): a primary and its hot-standby replica are started on this machine
(``scripts/pg_replica.sh``), the installed test database is copied into the primary, and an Odoo
server is started with ``db_replica_host``/``db_replica_port``. Each answer says which cursor served
it (``X-Odoo-Cursor-Mode``), and the replica's own statistics show that it served the reads.
"""

import configparser
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
ODOO_PATH = Path(os.environ.get("ODOO_PATH", "/opt/odoo18"))
DB = os.environ.get("SL_TEST_DB")
CONF = os.environ.get("SL_ODOO_CONF")

pytestmark = pytest.mark.skipif(not (DB and CONF), reason="run by make test (needs SL_TEST_DB and SL_ODOO_CONF)")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def psql(host, port, db, sql):
    return subprocess.run(
        ["psql", "-qAtX", "-h", host, "-p", str(port), "-U", "postgres", "-d", db, "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def wait_for(check, timeout=60, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except (subprocess.CalledProcessError, requests.RequestException):
            pass
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def cluster():
    pg_dir = ROOT / "build" / f"pg-replica-{uuid.uuid4().hex[:8]}"
    primary, replica = free_port(), free_port()
    script = str(ROOT / "scripts" / "pg_replica.sh")
    subprocess.run([script, "start", str(pg_dir), str(primary), str(replica)], check=True)
    try:
        # the installed test database, copied into the primary (it reaches the replica by streaming)
        subprocess.run(["createdb", "-h", str(pg_dir), "-p", str(primary), "-U", "postgres", DB], check=True)
        dump = subprocess.Popen(["pg_dump", "--no-owner", "--no-acl", DB], stdout=subprocess.PIPE)
        subprocess.run(
            ["psql", "-qX", "-h", str(pg_dir), "-p", str(primary), "-U", "postgres", "-d", DB, "-o", "/dev/null"],
            stdin=dump.stdout,
            check=True,
        )
        assert dump.wait() == 0
        wait_for(
            lambda: psql(str(pg_dir), replica, DB, "SELECT count(*) FROM res_users") != "0",
            what="the database on the replica",
        )
        yield {"dir": str(pg_dir), "primary": primary, "replica": replica}
    finally:
        subprocess.run([script, "stop", str(pg_dir)], check=False)
        shutil.rmtree(pg_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def server(cluster, tmp_path_factory):
    source = configparser.ConfigParser()
    source.read(CONF)
    port = free_port()
    conf = tmp_path_factory.mktemp("odoo") / "odoo.conf"
    options = dict(source["options"])
    options.update(
        {
            "db_host": cluster["dir"],
            "db_port": str(cluster["primary"]),
            "db_replica_host": cluster["dir"],
            "db_replica_port": str(cluster["replica"]),
            "http_port": str(port),
            "student_loan_cursor_header": "True",
            "max_cron_threads": "0",
            "log_level": "warn",
        }
    )
    parser = configparser.ConfigParser()
    parser["options"] = options
    with conf.open("w") as handle:
        parser.write(handle)
    process = subprocess.Popen(
        [sys.executable, str(ODOO_PATH / "odoo-bin"), "-c", str(conf), "-d", DB, f"--db-filter=^{DB}$"],
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: requests.get(f"{url}/web/login", timeout=5).status_code == 200, what="the Odoo server")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def call_kw(session, url, model, method, args, kwargs=None):
    response = session.post(
        f"{url}/web/dataset/call_kw/{model}/{method}",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        },
        timeout=30,
    )
    response.raise_for_status()
    body = response.json()
    assert "error" not in body, body.get("error")
    return response.headers.get("X-Odoo-Cursor-Mode"), body["result"]


def id_number():
    """A valid ID number that no fixture or demo student has (birth date 1 January 2001)."""
    from stdnum.cn import ric

    body = f"411623200101019{uuid.uuid4().int % 100:02d}"
    return body + ric.calc_check_digit(body + "0")


def replica_reads(cluster):
    """Scans of the loan tables the replica has run so far (its own statistics)."""
    return int(
        psql(
            cluster["dir"],
            cluster["replica"],
            DB,
            "SELECT coalesce(sum(seq_scan + coalesce(idx_scan, 0)), 0) FROM pg_stat_user_tables "
            "WHERE relname IN ('student_loan_student', 'student_loan_application')",
        )
    )


def test_reads_served_by_the_replica_writes_by_the_primary(cluster, server):
    session = requests.Session()
    login = session.post(
        f"{server}/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": DB, "login": "admin", "password": "admin"}},
        timeout=30,
    )
    assert login.json().get("result", {}).get("uid"), login.text

    before = replica_reads(cluster)
    mode, result = call_kw(
        session,
        server,
        "student.loan.application",
        "web_search_read",
        [[]],
        {"specification": {"name": {}, "state": {}}, "limit": 200},
    )
    assert mode == "ro"
    assert "length" in result
    mode, _groups = call_kw(
        session, server, "student.loan.application", "web_read_group", [[]], {"fields": [], "groupby": ["state"]}
    )
    assert mode == "ro"
    wait_for(lambda: replica_reads(cluster) > before, timeout=15, what="the replica's statistics")

    # a write goes to the primary and reaches the replica by streaming replication
    centre = call_kw(session, server, "student.loan.centre", "search_read", [[["code", "=", "411623"]]], {"limit": 1})
    centre_id = centre[1][0]["id"]
    mode, student_id = call_kw(
        session,
        server,
        "student.loan.student",
        "create",
        [{"name": "副本测试", "id_number": id_number(), "mobile": "13812345678", "centre_id": centre_id}],
    )
    assert mode == "rw"
    wait_for(
        lambda: (
            psql(
                cluster["dir"],
                cluster["replica"],
                DB,
                f"SELECT count(*) FROM student_loan_student WHERE id = {student_id}",
            )
            == "1"
        ),
        timeout=15,
        what="the new student on the replica",
    )
    assert psql(cluster["dir"], cluster["replica"], DB, "SELECT pg_is_in_recovery()") == "t"


def log_in(server, login, password):
    session = requests.Session()
    response = session.post(
        f"{server}/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": DB, "login": login, "password": password}},
        timeout=30,
    )
    assert response.json().get("result", {}).get("uid"), response.text
    return session


def test_portal_pages_and_statistics_served_by_the_replica(cluster, server):
    """The student's portal pages and the R1 statistics only read: the replica serves them."""
    student = log_in(server, "student_wxm", "student_wxm")
    modes = {}
    for path in ("/my", "/my/loans"):
        response = student.get(f"{server}{path}", timeout=30)
        assert response.status_code == 200 and "/web/login" not in response.url, path
        modes[path] = response.headers.get("X-Odoo-Cursor-Mode")
    link = re.search(r"/my/loans/\d+(?=[\"?])", response.text)
    assert link, "the demo student has an application"
    student.get(f"{server}{link.group(0)}", timeout=30)  # the first visit may write the access token (ro->rw)
    response = student.get(f"{server}{link.group(0)}", timeout=30)
    assert response.status_code == 200
    modes["/my/loans/<id>"] = response.headers.get("X-Odoo-Cursor-Mode")
    assert modes == {"/my": "ro", "/my/loans": "ro", "/my/loans/<id>": "ro"}

    admin = log_in(server, "admin", "admin")
    mode, groups = call_kw(
        admin, server, "student.loan.statistics", "web_read_group", [[]], {"fields": [], "groupby": ["centre_id"]}
    )
    assert mode == "ro"
    assert groups["length"] >= 1
    mode, _count = call_kw(admin, server, "student.loan.statistics", "search_count", [[]])
    assert mode == "ro"
