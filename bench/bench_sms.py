#!/usr/bin/env python3
"""Time an SMS campaign to many students: queueing and dispatch by queue jobs to a local gateway.

    .venv/bin/python bench/bench_sms.py DATABASE [-c build/odoo.conf] [-n 100000]
        [--provider aliyun,tencent] [--batch 5000] [--tracemalloc]

The database is created (student_loan + student_loan_sms, no demo data) when missing, and
student_loan_sms is updated in it otherwise. For each provider, ``-n`` students are inserted with SQL
under one county centre, then a campaign to all of them is approved, queued (recipient lines in bulk,
one summary in the campaign's chatter) and sent by its queue jobs (OCA queue_job, channel
root.student_loan.sms), performed one after another as the job runner's worker does, to the local
fake provider (``student_loan_sms/tests/fake_providers.py``, a process of its own). Alibaba Cloud
gets per-student parameters (SendBatchSms, 100 numbers a request), Tencent Cloud one parameter set
(multi-number SendSms, 200 numbers a request). Nothing leaves 127.0.0.1.

The floor, measured in the same run: the same number of messages sent by the provider client alone
(``smslib``, no Odoo, no database) to a fresh fake provider. The ratio is the campaign's rate to it.

Each step commits as the real ones do; the bench's students, gateway, campaign, lines, SMS and jobs
are deleted at the end, so the database is left as it was. Figures (messages per second, CPU per
message, RSS growth, ratio to the floor) are merged into bench/results.json under "sms".
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
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
ADDONS = ("student_loan", "student_loan_sms")
FAKE = ROOT / "student_loan_sms" / "tests" / "fake_providers.py"
# Alibaba: the name per student (SendBatchSms); Tencent: one text for all (multi-number SendSms)
TEMPLATES = {
    "aliyun": (
        "{姓名}同学：请于{日期}携带{材料}到{中心}办理首次贷款。",
        "SMS_153055065",
        "name=姓名, date=日期, items=材料",
    ),
    "tencent": ("请于{日期}前到{中心}办理续贷手续。", "7654321", "1=日期, 2=中心"),
    "http": ("{姓名}同学：请于{日期}携带{材料}到{中心}办理首次贷款。", False, False),
}
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
    parser.add_argument(
        "--provider", default="aliyun,tencent", help=f"comma-separated, among {', '.join(sorted(GATEWAYS))}"
    )
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
    cr.execute("DELETE FROM queue_job WHERE model_name = 'student.loan.sms.campaign' AND name LIKE '%%bench%%'")
    cr.execute("DELETE FROM sms_template WHERE name->>'en_US' = 'bench'")
    cr.execute("DELETE FROM student_loan_student WHERE name LIKE 'BENCHSMS%%'")
    cr.execute("UPDATE student_loan_sms_gateway SET active = true WHERE id IN %s", [tuple(BENCH_DISABLED) or (0,)])
    if BENCH_PARAM:
        env["ir.config_parameter"].set_param("student_loan_sms.dispatch_batch", BENCH_PARAM.pop() or False)
    cr.commit()


BENCH_DISABLED = []
BENCH_PARAM = []  # the dispatch batch size before the run


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


def backend_pids(env):
    """{"postgresql:<pid>": pid} of every PostgreSQL backend connected to the bench's database."""
    env.cr.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
    return {f"postgresql:{pid}": pid for (pid,) in env.cr.fetchall()}


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
    entries = {}
    for provider in [name.strip() for name in args.provider.split(",") if name.strip()]:
        floor = measure_floor(provider, args.recipients)
        fake, base_url = start_fake_provider()
        try:
            with registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
                clean_up(env)  # what an interrupted earlier run left
                try:
                    entry = run(env, args, provider, base_url, fake.pid)
                finally:
                    cr.rollback()
                    clean_up(env)
        finally:
            fake.terminate()
            fake.wait(timeout=10)
        entry["floor_messages_per_second"] = floor
        entry["ratio_to_floor"] = round(entry["messages_per_second"] / floor, 2) if floor else None
        entry["summary"] += f"; floor (provider client alone) {floor:.0f}/s, ratio {entry['ratio_to_floor']}"
        entries[provider] = entry
        print(json.dumps(entry, indent=2, ensure_ascii=False), flush=True)
    first = next(iter(entries.values()))
    keys = ("messages_per_second", "cpu_ms_per_message", "rss_growth_mb", "ratio_to_floor")
    save_results(
        "sms",
        {
            "recipients": args.recipients,
            "target_messages_per_second": 2000,
            "target_rss_growth_mb": 150,
            **{key: min(entry[key] for entry in entries.values()) for key in keys if key != "cpu_ms_per_message"},
            "cpu_ms_per_message": max(entry["cpu_ms_per_message"] for entry in entries.values()),
            "providers": entries,
            "summary": " | ".join(f"{name}: {entry['summary']}" for name, entry in entries.items()),
            "target": ">= 2,000 messages/s end to end, RSS growth < 150 MB, every number received once",
            "ok": all(
                entry["messages_per_second"] >= 2000 and entry["rss_growth_mb"] < 150 and "warning" not in entry
                for entry in entries.values()
            ),
            "database": first["database"],
        },
    )


def measure_floor(provider, count):
    """Messages per second of the provider client alone (no Odoo, no database) to a fresh fake provider."""
    from odoo.addons.student_loan_sms.smslib import providers

    settings = dict(GATEWAYS[provider])
    path = settings.pop("path")
    body, code, param_map = TEMPLATES[provider]
    fake, base_url = start_fake_provider()
    try:
        config = providers.GatewayConfig(
            provider=provider,
            endpoint=base_url + path,
            access_key_id=settings.get("access_key_id", ""),
            access_key_secret=settings.get("access_key_secret", ""),
            api_token=settings.get("api_token", ""),
            sdk_app_id=settings.get("sdk_app_id", ""),
            sign_name="商水县学生资助中心",
            batch_size=settings["batch_size"],
            timeout=30,
        )
        pairs = [pair.split("=") for pair in param_map.split(",")] if param_map else []
        values = {
            "姓名": "",
            "日期": "2024年8月15日",
            "材料": "身份证、户口本、录取通知书",
            "中心": "巩义市学生资助中心",
        }
        messages = []
        for index in range(count):
            values["姓名"] = f"BENCHSMS{index}"
            messages.append(
                {
                    "uuid": f"floor{index}",
                    "number": f"+8615{index:09d}",
                    "body": body,
                    "template_code": code or "",
                    "params": [(variable.strip(), values[placeholder.strip()]) for variable, placeholder in pairs],
                }
            )
        import requests

        started = time.perf_counter()
        with requests.Session() as session:
            results = providers.make_client(config, session).send(messages)
        seconds = time.perf_counter() - started
        sent = sum(1 for result in results if result.status == providers.SENT)
        if sent != count:
            raise SystemExit(f"floor: {sent} of {count} accepted")
        return round(count / seconds, 1)
    finally:
        fake.terminate()
        fake.wait(timeout=10)


def run_jobs(env):
    """Perform the campaign's pending jobs one after another, as the job runner's worker does
    (``/queue_job/runjob``: enqueued → started and committed, performed, done and committed)."""
    from odoo.addons.queue_job.controllers.main import RunJobController

    performed = 0
    while True:
        env.cr.execute(
            "SELECT uuid FROM queue_job WHERE channel = 'root.student_loan.sms' AND state = 'pending' "
            "AND (eta IS NULL OR eta <= now() AT TIME ZONE 'UTC') ORDER BY priority, date_created, id LIMIT 1"
        )
        row = env.cr.fetchone()
        if not row:
            return performed
        env.cr.execute(
            "UPDATE queue_job SET state = 'enqueued', date_enqueued = now() AT TIME ZONE 'UTC' WHERE uuid = %s", row
        )
        env.cr.commit()
        job = RunJobController._acquire_job(env, row[0])
        RunJobController._try_perform_job(env, job)
        env.cr.commit()
        env.invalidate_all()
        performed += 1


def run(env, args, provider, base_url, fake_pid):
    centre = env.ref("student_loan.centre_410181")  # 巩义市
    settings = dict(GATEWAYS[provider])
    path = settings.pop("path")
    others = env["student.loan.sms.gateway"].search([("centre_ids", "in", centre.ids)])
    BENCH_DISABLED.extend(others.ids)
    others.write({"active": False})
    gateway = env["student.loan.sms.gateway"].create(
        {
            **settings,
            "name": f"bench {provider}",
            "endpoint_url": base_url + path,
            "rate_limit": 0,
            "quiet_start": 0.0,
            "quiet_end": 0.0,
            "sign_name": "商水县学生资助中心",
            "centre_ids": [(6, 0, centre.ids)],
        }
    )
    body, code, param_map = TEMPLATES[provider]
    template = False
    if code:
        template = env["sms.template"].create(
            {"name": "bench", "model_id": env["ir.model"]._get_id("student.loan.student"), "body": body}
        )
        env["student.loan.sms.template.code"].create(
            {"template_id": template.id, "gateway_id": gateway.id, "template_code": code, "param_map": param_map}
        )
    BENCH_PARAM.append(env["ir.config_parameter"].get_param("student_loan_sms.dispatch_batch"))
    env["ir.config_parameter"].set_param("student_loan_sms.dispatch_batch", args.batch)
    print(f">>> inserting {args.recipients} students", flush=True)
    insert_students(env, args.recipients, centre)
    env.cr.commit()
    env.cr.execute("ANALYZE student_loan_student")
    env.invalidate_all()

    if args.tracemalloc:
        tracemalloc.start()
    rss_before = peak_rss_mb()
    pids = {"fake_provider": fake_pid, **backend_pids(env)}
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
            "body": body,
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

    print(">>> dispatching (queue jobs)", flush=True)
    started = time.perf_counter()
    calls = run_jobs(env)
    dispatch_seconds = time.perf_counter() - started
    # peak memory of the sending itself (the figures below load every line of the campaign)
    peak_rss = peak_rss_mb()
    # the jobs commit in cursors of their own: every backend of the database counts (new ones from zero)
    cpu_after = cpu_seconds({"fake_provider": fake_pid, **backend_pids(env)})
    cpu_by_process = defaultdict(float)
    for name, seconds in cpu_after.items():
        cpu_by_process[name.split(":")[0]] += seconds - cpu_before.get(name, 0)
    cpu_by_process = {name: round(seconds, 2) for name, seconds in cpu_by_process.items()}
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
        "provider": provider,
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
        "jobs": calls,
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
