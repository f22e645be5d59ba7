"""A job survives the death of its server (issue 15 §4): OCA queue_job's runner, a real Odoo server.

Run by ``make test`` after the addons are installed (``scripts/run_tests.sh`` sets ``SL_TEST_DB`` and
``SL_ODOO_CONF``). A copy of the installed test database gets a bank file of one deduction per active
contract; an Odoo server with the job runner (``server_wide_modules = base,web,queue_job``) books it as a
job that commits every two rows. The server is killed with SIGKILL in the middle of the job and started
again: the runner finds the job dead (its ``queue_job_lock`` row is no longer locked) and requeues it,
the retried job books only the rows left, and every deduction ends up booked exactly once.
"""

import base64
import configparser
import datetime
import os
import signal
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
CHUNK = 2  # rows booked and committed per step
PAUSE = 0.5  # seconds between steps (student_loan.job_step_pause): the job takes a while

pytestmark = pytest.mark.skipif(not (DB and CONF), reason="run by make test (needs SL_TEST_DB and SL_ODOO_CONF)")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def psql(db, sql):
    return subprocess.run(
        ["psql", "-qAtX", "-d", db, "-c", sql], check=True, capture_output=True, text=True
    ).stdout.strip()


def wait_for(check, timeout=60, what="condition", every=0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except (subprocess.CalledProcessError, requests.RequestException):
            pass
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def database():
    """A copy of the installed test database (the bookings must not reach the Odoo tests' database)."""
    name = f"{DB}_jobkill_{uuid.uuid4().hex[:6]}"
    subprocess.run(["createdb", "-T", DB, name], check=True)
    try:
        for key, value in (("student_loan.job_chunk_size", CHUNK), ("student_loan.job_step_pause", PAUSE)):
            psql(
                name,
                f"INSERT INTO ir_config_parameter (key, value) VALUES ('{key}', '{value}') "
                f"ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            )
        yield name
    finally:
        subprocess.run(["dropdb", "--if-exists", "--force", name], check=False)


@pytest.fixture(scope="module")
def conf(database, tmp_path_factory):
    source = configparser.ConfigParser()
    source.read(CONF)
    options = dict(source["options"])
    port = free_port()
    options.update(
        {
            "http_port": str(port),
            "http_interface": "127.0.0.1",
            "server_wide_modules": "base,web,queue_job",  # the job runner starts with the server
            "workers": "0",
            "max_cron_threads": "0",
            "log_level": "warn",
        }
    )
    parser = configparser.ConfigParser()
    parser["options"] = options
    parser["queue_job"] = {"channels": "root:2"}
    path = tmp_path_factory.mktemp("odoo") / "odoo.conf"
    with path.open("w") as handle:
        parser.write(handle)
    return {"path": str(path), "url": f"http://127.0.0.1:{port}"}


class Server:
    def __init__(self, conf, database):
        self.conf, self.database, self.process = conf, database, None

    def start(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(ODOO_PATH / "odoo-bin"),
                "-c",
                self.conf["path"],
                "-d",
                self.database,
                f"--db-filter=^{self.database}$",
            ],
            start_new_session=True,
        )
        url = self.conf["url"]
        wait_for(lambda: requests.get(f"{url}/web/login", timeout=5).status_code == 200, what="the Odoo server")

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=20)


def call_kw(session, url, model, method, args, kwargs=None):
    response = session.post(
        f"{url}/web/dataset/call_kw/{model}/{method}",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        },
        timeout=60,
    )
    response.raise_for_status()
    body = response.json()
    assert "error" not in body, body.get("error")
    return body["result"]


def test_killed_job_is_retried_and_nothing_is_booked_twice(conf, database):
    contracts = psql(
        database,
        "SELECT name FROM student_loan_contract WHERE state = 'active' "
        "AND coalesce(disbursement_date, '2000-01-01') < current_date ORDER BY id",
    ).split()
    assert len(contracts) >= 4 * CHUNK, "the test database needs active contracts (demo data)"
    # the province's centre: its administrator (admin) imports for the whole book
    province = psql(database, "SELECT id FROM student_loan_centre WHERE parent_id IS NULL ORDER BY id LIMIT 1")
    prefix = f"KILL{uuid.uuid4().hex[:6].upper()}"
    today = datetime.date.today().isoformat()
    lines = ["合同编号,扣款日期,扣款金额,银行流水号"] + [
        f"{name},{today},100.00,{prefix}{index:04d}" for index, name in enumerate(contracts)
    ]
    content = base64.b64encode("\n".join(lines).encode("utf-8-sig")).decode()

    def booked():
        return int(psql(database, f"SELECT count(*) FROM student_loan_payment WHERE reference LIKE '{prefix}%'"))

    def job(column):
        return psql(
            database, f"SELECT {column} FROM queue_job WHERE method_name = '_job_confirm' ORDER BY id DESC LIMIT 1"
        )

    server = Server(conf, database)
    try:
        server.start()
        session = requests.Session()
        login = session.post(
            f"{conf['url']}/web/session/authenticate",
            json={"jsonrpc": "2.0", "params": {"db": database, "login": "admin", "password": "admin"}},
            timeout=30,
        )
        assert login.json().get("result", {}).get("uid"), login.text
        import_id = call_kw(
            session,
            conf["url"],
            "student.loan.bank.import",
            "create",
            [{"kind": "repayment", "file": content, "filename": "还款.csv", "centre_id": int(province)}],
        )
        call_kw(session, conf["url"], "student.loan.bank.import", "action_preview", [[import_id]])
        [preview] = call_kw(
            session,
            conf["url"],
            "student.loan.bank.import",
            "read",
            [[import_id], ["state", "error_count", "row_count"]],
        )
        assert (preview["state"], preview["error_count"], preview["row_count"]) == ("preview", 0, len(contracts)), (
            preview
        )
        call_kw(session, conf["url"], "student.loan.bank.import", "action_confirm", [[import_id]])

        # the runner starts the job; kill the server once a few steps are committed, well before the end
        wait_for(lambda: booked() >= 2 * CHUNK, timeout=60, what="the job's first committed steps")
        assert job("channel") == "root.student_loan.bank_import"
        server.kill()
        at_kill = booked()
        assert 0 < at_kill < len(contracts), f"killed mid-job: {at_kill} of {len(contracts)} booked"
        assert job("state") == "started", "the job was running when its server died"
        assert psql(database, f"SELECT state FROM student_loan_bank_import WHERE id = {import_id}") == "preview"

        # the retry may take bigger steps without pauses: it still books only the rows left
        psql(database, "UPDATE ir_config_parameter SET value = '1000' WHERE key = 'student_loan.job_chunk_size'")
        psql(database, "UPDATE ir_config_parameter SET value = '0' WHERE key = 'student_loan.job_step_pause'")
        # the runner requeues a dead job enqueued more than 10 s ago (queue_job's requeue_dead_jobs)
        age = float(job("extract(epoch FROM (now() AT TIME ZONE 'utc') - date_enqueued)"))
        time.sleep(max(0.0, 11 - age))
        server.start()
        wait_for(lambda: job("state") == "done", timeout=60, what="the retried job")
    finally:
        server.stop()

    assert int(job("retry")) >= 1, "the job was retried after the kill"
    assert booked() == len(contracts), "every deduction booked"
    distinct = psql(
        database, f"SELECT count(DISTINCT reference) FROM student_loan_payment WHERE reference LIKE '{prefix}%'"
    )
    assert int(distinct) == len(contracts), "nothing booked twice"
    state, done_lines = psql(
        database,
        f"SELECT i.state, count(l.id) FILTER (WHERE l.status = 'done' AND l.payment_id IS NOT NULL) "
        f"FROM student_loan_bank_import i JOIN student_loan_bank_import_line l ON l.import_id = i.id "
        f"WHERE i.id = {import_id} GROUP BY i.state",
    ).split("|")
    assert (state, int(done_lines)) == ("done", len(contracts))
    summary = psql(
        database,
        f"SELECT count(*) FROM mail_message WHERE model = 'student.loan.bank.import' AND res_id = {import_id} "
        f"AND body LIKE '%{len(contracts)}%'",
    )
    assert int(summary) >= 1, "the result is noted in the import's chatter"
