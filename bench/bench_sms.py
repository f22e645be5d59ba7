#!/usr/bin/env python3
"""Time an SMS campaign to many students: queueing and dispatch to a local gateway.

    .venv/bin/python bench/bench_sms.py DATABASE [-c build/odoo.conf] [-n 100000]
        [--provider http|aliyun|tencent] [--batch 5000] [--tracemalloc]

The database is created (student_loan + student_loan_sms, no demo data) when missing, and
student_loan_sms is installed into it when it is not. ``-n`` students are inserted with SQL under
one county centre, then a campaign to all of them is queued (recipient lines, a chatter message and
an ``sms.sms`` each) and dispatched by the campaign cron's method, batch after batch, to the local
fake provider (``student_loan_sms/tests/fake_providers.py``, run in a process of its own so that
its signature checks do not share this process's interpreter). Nothing leaves 127.0.0.1.

Each step commits as the real ones do (the sending request, then every cron call in a transaction of
its own); the bench's students, gateway, campaign, lines and SMS are deleted at the end, so the
database is left as it was. Figures (messages per second, peak memory) are merged into
bench/results.json under "sms".
"""

import argparse
import datetime
import fcntl
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
ADDONS = ("student_loan", "student_loan_sms")
FAKE = ROOT / "student_loan_sms" / "tests" / "fake_providers.py"
GATEWAYS = {
    "http": {"provider": "http", "path": "/http/send", "api_token": "http-fake-token", "batch_size": 500},
    "aliyun": {
        "provider": "aliyun",
        "path": "/aliyun/",
        "access_key_id": "LTAI5tFakeKeyId",
        "access_key_secret": "aliyun-fake-secret",
        "batch_size": 100,
    },
    "tencent": {
        "provider": "tencent",
        "path": "/tencent/",
        "access_key_id": "AKIDFakeSecretId",
        "access_key_secret": "tencent-fake-secret",
        "sdk_app_id": "1400006666",
        "batch_size": 200,
    },
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database")
    parser.add_argument("-c", "--config", default=os.environ.get("ODOO_RC", str(ROOT / "build" / "odoo.conf")))
    parser.add_argument("-n", "--recipients", type=int, default=100_000)
    parser.add_argument("--provider", choices=sorted(GATEWAYS), default="http")
    parser.add_argument("--batch", type=int, default=5000, help="messages per cron call")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace Python allocations (slower)")
    return parser.parse_args()


def _psql(sql, db="postgres"):
    result = subprocess.run(["psql", "-qAtX", "-d", db, "-c", sql], capture_output=True, text=True, check=False)
    return result.stdout.strip()


def ensure_database(conf, db):
    exists = _psql(f"SELECT 1 FROM pg_database WHERE datname = '{db}'") == "1"
    installed = set()
    if exists:
        installed = set(
            _psql(
                "SELECT name FROM ir_module_module WHERE state = 'installed' AND name IN ('student_loan', "
                "'student_loan_sms')",
                db,
            ).split()
        )
    missing = [addon for addon in ADDONS if addon not in installed]
    if missing:
        print(f">>> {'installing' if exists else 'creating ' + db + ' with'} {','.join(missing)}", flush=True)
        option = ["-i", ",".join(missing)]
    else:
        # the code may be newer than the database: update the addon first
        print(f">>> updating student_loan_sms in {db}", flush=True)
        option = ["-u", "student_loan_sms"]
    odoo_bin = Path(os.environ.get("ODOO_PATH", "/opt/odoo18")) / "odoo-bin"
    command = [sys.executable, str(odoo_bin), "-c", conf, "-d", db, *option]
    subprocess.run([*command, "--without-demo=all", "--stop-after-init", "--log-level=warn"], check=True)


def start_fake_provider():
    process = subprocess.Popen([sys.executable, str(FAKE)], stdout=subprocess.PIPE, text=True)
    base_url = process.stdout.readline().strip()
    if not base_url.startswith("http://127.0.0.1:"):
        process.kill()
        raise SystemExit(f"the fake provider did not start: {base_url!r}")
    return process, base_url


def fake_stats(base_url):
    with urllib.request.urlopen(f"{base_url}/stats", timeout=30) as response:
        return json.loads(response.read())


def insert_students(env, count, centre):
    """``count`` students of ``centre`` with distinct mobiles (SQL: the ORM's validations are not timed)."""
    cr = env.cr
    cr.execute("SELECT coalesce(max(id), 0) FROM student_loan_student")
    offset = cr.fetchone()[0]
    cr.execute(
        """
        INSERT INTO student_loan_student (name, id_number, id_number_masked, mobile, centre_id, active,
                                          is_poverty_registered, sms_opt_out, create_uid, create_date,
                                          write_uid, write_date)
        SELECT 'BENCHSMS' || n, 'BENCHSMS' || lpad(n::text, 10, '0'), 'BENCHSMS******', '15' || lpad(n::text, 9, '0'),
               %(centre)s, true, false, false, 1, now(), 1, now()
          FROM generate_series(%(first)s, %(last)s) n
        """,
        {"centre": centre.id, "first": offset + 1, "last": offset + count},
    )
    return cr.rowcount


def save_results(key, entry):
    """Read-merge-write bench/results.json: the other benchmarks' keys are kept."""
    RESULTS.parent.mkdir(exist_ok=True)
    with open(RESULTS.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        except ValueError:
            results = {}
        results[key] = {**entry, "measured_at": datetime.datetime.now().isoformat(timespec="seconds")}
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False, sort_keys=True) + "\n")


def clean_up(env):
    """Delete what the bench created (it committed as the real sending does)."""
    cr = env.cr
    cr.execute("SELECT id FROM student_loan_sms_gateway WHERE name LIKE 'bench %%'")
    gateways = [row[0] for row in cr.fetchall()]
    if gateways:
        cr.execute("DELETE FROM sms_sms WHERE sl_gateway_id = ANY(%s)", [gateways])
        cr.execute("DELETE FROM student_loan_sms_recipient WHERE gateway_id = ANY(%s)", [gateways])
        cr.execute("DELETE FROM student_loan_sms_campaign WHERE gateway_id = ANY(%s) RETURNING id", [gateways])
        campaigns = [row[0] for row in cr.fetchall()]
        cr.execute(
            "DELETE FROM mail_message WHERE model = 'student.loan.sms.campaign' AND res_id = ANY(%s)", [campaigns]
        )
        cr.execute("DELETE FROM student_loan_sms_template_code WHERE gateway_id = ANY(%s)", [gateways])
        cr.execute("DELETE FROM student_loan_sms_gateway WHERE id = ANY(%s)", [gateways])
    cr.execute("DELETE FROM sms_template WHERE name->>'en_US' = 'bench'")
    cr.execute("DELETE FROM student_loan_student WHERE name LIKE 'BENCHSMS%%'")
    cr.execute("UPDATE student_loan_sms_gateway SET active = true WHERE id IN %s", [tuple(BENCH_DISABLED) or (0,)])
    cr.commit()


BENCH_DISABLED = []


def cpu_seconds(pids):
    """CPU seconds (user + system) used so far by this process ("odoo") and the processes ``pids``."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result = {"odoo": usage.ru_utime + usage.ru_stime}
    ticks = os.sysconf("SC_CLK_TCK")
    for name, pid in pids.items():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        result[name] = (int(fields[11]) + int(fields[12])) / ticks
    return result


def peak_rss_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main():
    args = parse_args()
    ensure_database(args.config, args.database)
    sys.path.insert(0, os.environ.get("ODOO_PATH", "/opt/odoo18"))
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = Registry(args.database)
    fake, base_url = start_fake_provider()
    try:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
            clean_up(env)  # what an interrupted earlier run left
            try:
                entry = run(env, args, base_url, fake.pid)
            finally:
                cr.rollback()
                clean_up(env)
    finally:
        fake.terminate()
        fake.wait(timeout=10)
    save_results("sms", entry)
    print(json.dumps(entry, indent=2, ensure_ascii=False))


def run(env, args, base_url, fake_pid):
    centre = env.ref("student_loan.centre_410181")  # 巩义市
    settings = dict(GATEWAYS[args.provider])
    path = settings.pop("path")
    others = env["student.loan.sms.gateway"].search([("centre_ids", "in", centre.ids)])
    BENCH_DISABLED.extend(others.ids)
    others.write({"active": False})
    gateway = env["student.loan.sms.gateway"].create(
        {
            **settings,
            "name": f"bench {args.provider}",
            "endpoint_url": base_url + path,
            "rate_limit": 0,
            "quiet_start": 0.0,
            "quiet_end": 0.0,
            "sign_name": "商水县学生资助中心",
            "centre_ids": [(6, 0, centre.ids)],
        }
    )
    template = False
    if args.provider != "http":
        template = env["sms.template"].create(
            {
                "name": "bench",
                "model_id": env["ir.model"]._get_id("student.loan.student"),
                "body": "{姓名}同学：请于{日期}携带{材料}到{中心}办理首次贷款。",
            }
        )
        env["student.loan.sms.template.code"].create(
            {
                "template_id": template.id,
                "gateway_id": gateway.id,
                "template_code": "SMS_153055065" if args.provider == "aliyun" else "1234567",
                "param_map": "name=姓名, date=日期, items=材料"
                if args.provider == "aliyun"
                else "1=姓名, 2=日期, 3=材料",
            }
        )
    print(f">>> inserting {args.recipients} students", flush=True)
    insert_students(env, args.recipients, centre)
    env.cr.commit()
    env.cr.execute("ANALYZE student_loan_student")
    env.invalidate_all()

    if args.tracemalloc:
        tracemalloc.start()
    rss_before = peak_rss_mb()
    env.cr.execute("SELECT pg_backend_pid()")
    pids = {"postgresql": env.cr.fetchone()[0], "fake_provider": fake_pid}
    cpu_before = cpu_seconds(pids)
    Campaign = env["student.loan.sms.campaign"]
    campaign = Campaign.create(
        {
            "name": "bench",
            "centre_id": centre.id,
            "audience_kind": "custom",
            "audience_domain": "[('name', '=like', 'BENCHSMS%')]",
            "gateway_id": gateway.id,
            "template_id": template and template.id,
            "body": template.body if template else "{姓名}同学：请于{日期}携带{材料}到{中心}办理首次贷款。",
            "message_date": "2024-08-15",
            "bring_items": "身份证、户口本、录取通知书",
        }
    )
    # the city above approves campaigns of more than 5,000 recipients (review tier): approved beforehand here
    env.cr.execute("UPDATE student_loan_sms_campaign SET approval_state = 'approved' WHERE id = %s", [campaign.id])
    campaign.invalidate_recordset(["approval_state"])
    print(">>> queueing", flush=True)
    started = time.perf_counter()
    campaign.action_send()
    env.flush_all()
    env.cr.commit()
    env.invalidate_all()
    queued_seconds = time.perf_counter() - started

    print(">>> dispatching", flush=True)
    started = time.perf_counter()
    calls = 0
    while True:
        handled = Campaign._cron_dispatch(limit=args.batch)
        # each cron run has a transaction and a cache of its own
        env.flush_all()
        env.cr.commit()
        env.invalidate_all()
        calls += 1
        if not handled:
            break
        if calls % 5 == 0:
            print(f"    {campaign.sent_count} sent", flush=True)
    dispatch_seconds = time.perf_counter() - started
    # peak memory of the sending itself (the figures below load every line of the campaign)
    peak_rss = peak_rss_mb()
    cpu_after = cpu_seconds(pids)
    cpu_by_process = {name: round(cpu_after[name] - cpu_before.get(name, 0), 2) for name in cpu_after}
    cpu = sum(cpu_by_process.values())
    traced_peak = None
    if args.tracemalloc:
        traced_peak = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()

    stats = fake_stats(base_url)
    campaign.invalidate_recordset()
    sent = campaign.sent_count
    total = queued_seconds + dispatch_seconds
    env.cr.execute(
        "SELECT count(*) FROM mail_message m JOIN student_loan_student s ON s.id = m.res_id "
        "WHERE m.model = 'student.loan.student' AND s.name LIKE 'BENCHSMS%%'"
    )
    chatter = env.cr.fetchone()[0]
    env.cr.execute(
        "SELECT count(*) FROM mail_message WHERE model = 'student.loan.sms.campaign' AND res_id = %s", [campaign.id]
    )
    campaign_messages = env.cr.fetchone()[0]
    entry = {
        "database": args.database,
        "provider": args.provider,
        "recipients": args.recipients,
        "sent": sent,
        "failed": campaign.failed_count,
        "state": campaign.state,
        "accepted_by_gateway": stats["accepted"],
        "distinct_numbers_at_gateway": stats["distinct_numbers"],
        "gateway_requests": stats["requests"],
        "chatter_messages": chatter,
        "campaign_chatter_messages": campaign_messages,
        "queue_seconds": round(queued_seconds, 2),
        "dispatch_seconds": round(dispatch_seconds, 2),
        "total_seconds": round(total, 2),
        "queue_messages_per_second": round(args.recipients / queued_seconds, 1),
        "dispatch_messages_per_second": round(sent / dispatch_seconds, 1) if dispatch_seconds else None,
        "messages_per_second": round(sent / total, 1),
        # the machine is shared: CPU seconds (Odoo, its PostgreSQL backend, the fake provider) tell what the
        # run costs whatever the load; on idle cores the steps run one after another at about this rate
        "cpu_seconds": round(cpu, 2),
        "cpu_seconds_by_process": cpu_by_process,
        "cpu_ms_per_message": round(1000 * cpu / max(sent, 1), 3),
        "messages_per_cpu_second": round(sent / cpu, 1) if cpu else None,
        "cron_calls": calls,
        "batch": args.batch,
        "peak_rss_mb": peak_rss,
        "rss_growth_mb": round(peak_rss - rss_before, 1),
        "tracemalloc_peak_mb": traced_peak,
        "summary": f"{sent} SMS queued+sent in {total:.0f}s ({sent / total:.0f}/s; {sent / cpu:.0f} per CPU-second), "
        f"RSS growth {peak_rss - rss_before:.0f} MB",
    }
    if stats["accepted"] != args.recipients or stats["distinct_numbers"] != args.recipients:
        entry["warning"] = "the gateway did not receive each recipient exactly once"
    return entry


if __name__ == "__main__":
    main()
