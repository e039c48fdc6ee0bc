#!/usr/bin/env python3
"""Crash test driver (issue "Prove it holds", point 3); run through bench/crash/run.sh.

An intake client (stdlib http.client, one keep-alive connection per thread) posts located cases
as the demo grid worker and keeps every acknowledged one (a 2xx reply with its ticket and id).
Meanwhile the server is killed with SIGKILL (SQLite), or PostgreSQL is stopped in immediate
mode and started again under a server that must reconnect by itself. After every crash:

  * every acknowledged case is there, by ticket, with its report/registration/dispatch events;
  * nothing half-written is visible (checks.sqlite.sql / checks.pg.sql: every case has the
    events its version and state imply, every event its one log entry, no event without case);
  * (issue 10) no case is left without its registration and dispatch (auto-dispatch is on), and
    every acknowledged dispatch has its inbox notice and a queued delivery for the webhook this
    driver subscribes to 'dispatched' before the load (pointing at a small receiver of its own
    that answers 204); the final counts must be 0;
  * the sequencer runs again: the entries written after the crash get integrated and a signed
    checkpoint covers them;
  * `gongzhi verify` (the database against its signed log) passes.

One line per crash, a summary, and ROW| lines; exit status 1 on any loss or check failure.
"""

import argparse
import bisect
import http.client
import http.server
import json
import math
import os
import random
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CATEGORIES = ["E0102", "E0103", "E0105", "C0201", "E0501"]


def log(msg):
    print(msg, flush=True)


class Intake:
    """Posts cases from `threads` threads until stopped; remembers every acknowledged one."""

    def __init__(self, host, port, token, points, threads, acked_path, timeout=90.0):
        self.host, self.port, self.token = host, port, token
        self.points, self.threads, self.timeout = points, threads, timeout
        self.lock = threading.Lock()
        self.acked = []  # (ticket, id, version, state)
        self.ack_times = []  # time.monotonic() of each acknowledgement
        self.attempts = 0
        self.errors = {}
        self.stop_ev = threading.Event()
        # Set while the checks and `verify` run after a crash: without it the load kept
        # filing during ever longer checks (the whole log is verified each time) and the run
        # grew quadratically once intake became fast.
        self.paused = threading.Event()
        self.out = open(acked_path, "a", encoding="utf-8")
        self.workers = []

    def start(self):
        for n in range(self.threads):
            t = threading.Thread(target=self._run, args=(n,), daemon=True)
            t.start()
            self.workers.append(t)

    def stop(self):
        self.stop_ev.set()
        for t in self.workers:
            t.join(timeout=self.timeout + 5)
        self.out.close()

    def count(self):
        with self.lock:
            return len(self.acked)

    def snapshot(self):
        with self.lock:
            return list(self.acked)

    def first_ack_after(self, t):
        """When the first acknowledgement after monotonic time `t` arrived, or None."""
        with self.lock:
            i = bisect.bisect_right(self.ack_times, t)
            return self.ack_times[i] if i < len(self.ack_times) else None

    def _error(self, kind):
        with self.lock:
            self.errors[kind] = self.errors.get(kind, 0) + 1

    def _run(self, n):
        rnd = random.Random(os.getpid() * 100 + n)
        conn = None
        i = 0
        while not self.stop_ev.is_set():
            if self.paused.is_set():
                time.sleep(0.05)
                continue
            i += 1
            lon, lat = self.points[rnd.randrange(len(self.points))]
            body = json.dumps(
                {
                    "category": CATEGORIES[(n + i) % len(CATEGORIES)],
                    "lon": lon,
                    "lat": lat,
                    "address": f"崩溃测试地址{n}-{i}号",
                    "description": f"崩溃测试诉求 {n}-{i}：道路不洁需要清扫",
                    "channel": "grid_patrol",
                },
                ensure_ascii=False,
            ).encode()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
                with self.lock:
                    self.attempts += 1
                conn.request(
                    "POST",
                    "/api/v1/cases",
                    body=body,
                    headers={
                        "Content-Type": "application/json",
                        "Authorization": f"Bearer {self.token}",
                    },
                )
                r = conn.getresponse()
                data = r.read()
                if 200 <= r.status < 300:
                    c = json.loads(data)["case"]
                    row = (c["ticket"], int(c["id"]), int(c["version"]), str(c["state"]))
                    with self.lock:
                        self.acked.append(row)
                        self.ack_times.append(time.monotonic())
                        self.out.write("\t".join(map(str, row)) + "\n")
                        self.out.flush()
                else:
                    self._error(f"http_{r.status}")
                    if r.status >= 500:
                        time.sleep(0.1)
            except (OSError, http.client.HTTPException, ValueError, KeyError) as e:
                self._error(type(e).__name__)
                if conn is not None:
                    conn.close()
                    conn = None
                time.sleep(0.1)
        if conn is not None:
            conn.close()


class Server:
    def __init__(self, cmd, env, log_path, host, port):
        self.cmd, self.env, self.log_path = cmd, env, log_path
        self.host, self.port = host, port
        self.proc = None

    def start(self):
        logf = open(self.log_path, "ab")
        logf.write(f"\n==== start {time.strftime('%H:%M:%S')} ====\n".encode())
        logf.flush()
        self.proc = subprocess.Popen(self.cmd, stdout=logf, stderr=logf, env=self.env)
        logf.close()

    def wait_healthy(self, timeout=60.0):
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited with {self.proc.returncode}; see {self.log_path}")
            if get(self.host, self.port, "/healthz", 2.0)[0] == 200:
                return time.monotonic() - t0
            time.sleep(0.05)
        raise SystemExit(f"server not healthy after {timeout:.0f} s; see {self.log_path}")

    def mark(self, what):
        """A line in the server's log, to read its messages against the test's events."""
        with open(self.log_path, "a", encoding="utf-8") as f:
            f.write(f"==== {time.strftime('%H:%M:%S')}.{int(time.time() * 1000) % 1000:03d} {what} ====\n")

    def kill9(self):
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class HookReceiver:
    """A tiny HTTP receiver for the webhook deliveries: answers 204 to every POST, counts them."""

    def __init__(self, host="127.0.0.1"):
        outer = self
        self.count = 0
        self.lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                if n:
                    self.rfile.read(n)
                with outer.lock:
                    outer.count += 1
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *a):
                pass

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                # The sender is killed mid-delivery on purpose: a reset connection is expected.
                pass

        self.httpd = Server((host, 0), Handler)
        self.url = f"http://{host}:{self.httpd.server_address[1]}/hook"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def subscribe_webhook(host, port, admin_token, url, name):
    """Creates an active webhook subscribed to 'dispatched' through the API (as the admin)."""
    body = json.dumps(
        {"name": name, "url": url, "format": "signed", "secret": "crash-test-secret-0123456789",
         "events": ["dispatched"]}
    ).encode()
    c = http.client.HTTPConnection(host, port, timeout=30)
    c.request("POST", "/api/v1/webhooks", body=body,
              headers={"Content-Type": "application/json", "Authorization": f"Bearer {admin_token}"})
    r = c.getresponse()
    data = r.read()
    c.close()
    if r.status != 201:
        raise SystemExit(f"creating the webhook failed: {r.status} {data[:500]!r}")
    hook = json.loads(data)
    log(f"webhook {hook['id']} subscribed to {hook['events']} → {url}")
    return hook["id"]


def now_ms():
    return int(time.time() * 1000)


def get(host, port, path, timeout):
    try:
        c = http.client.HTTPConnection(host, port, timeout=timeout)
        c.request("GET", path)
        r = c.getresponse()
        body = r.read()
        c.close()
        return r.status, body
    except (OSError, http.client.HTTPException):
        return 0, b""


def checkpoint_size(host, port):
    """The size of the served signed checkpoint (its second line), or -1."""
    status, body = get(host, port, "/ledger/checkpoint", 5.0)
    if status != 200:
        return -1
    lines = body.decode("utf-8", "replace").split("\n")
    try:
        return int(lines[1])
    except (IndexError, ValueError):
        return -1


class Db:
    """Runs the SQL checks with the sqlite3 CLI or psql."""

    def __init__(self, kind, target):
        self.kind, self.target = kind, target
        # The last case the demo seeded before the load: the living demo's own cases wait at
        # 'reported' or 'registered' on purpose and are not the load's to account for.
        self.seeded = 0
        name = "checks.sqlite.sql" if kind == "sqlite" else "checks.pg.sql"
        with open(os.path.join(HERE, name), encoding="utf-8") as f:
            self.checks = f.read()

    def run(self, script):
        if self.kind == "sqlite":
            cmd = ["sqlite3", "-bail", "-batch", self.target]
            script = ".timeout 20000\n" + script
        else:
            cmd = ["psql", "-X", "-q", "-At", "-F", "|", "-v", "ON_ERROR_STOP=1", self.target]
        p = subprocess.run(cmd, input=script, capture_output=True, text=True, timeout=300)
        if p.returncode != 0:
            raise RuntimeError(f"{cmd[0]} failed ({p.returncode}): {p.stderr.strip()[:2000]}")
        return p.stdout

    def scalar(self, sql):
        return int(self.run(sql + "\n").strip().splitlines()[-1])

    def mark_seeded(self):
        self.seeded = self.scalar("SELECT COALESCE(MAX(id), 0) FROM cases;")

    def check(self, acked, cutoff_ms):
        begin = "BEGIN;" if self.kind == "sqlite" else "BEGIN ISOLATION LEVEL REPEATABLE READ;"
        parts = [
            begin,
            "CREATE TEMP TABLE acked (ticket TEXT PRIMARY KEY, id BIGINT NOT NULL, "
            "version BIGINT NOT NULL, state TEXT NOT NULL);",
            "CREATE TEMP TABLE params (cutoff BIGINT NOT NULL, seeded BIGINT NOT NULL); "
            f"INSERT INTO params VALUES ({int(cutoff_ms)}, {int(self.seeded)});",
        ]
        for k in range(0, len(acked), 500):
            rows = ",".join(
                f"('{t}', {i}, {v}, '{s}')" for t, i, v, s in acked[k : k + 500]
            )
            parts.append(f"INSERT INTO acked VALUES {rows};")
        parts.append(self.checks)
        parts.append("ROLLBACK;")
        out = self.run("\n".join(parts) + "\n")
        result = {}
        for line in out.splitlines():
            if "|" in line:
                k, v = line.split("|", 1)
                result[k.strip()] = int(v)
        return result


def verify(args, extra):
    cmd = [args.bin, "--data-dir", args.work_dir] + extra + ["verify"]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    text = (p.stdout + p.stderr).strip()
    return p.returncode == 0, text


class Run:
    def __init__(self, name, args, db, server, intake, verify_extra, receiver=None):
        self.name, self.args, self.db = name, args, db
        self.receiver = receiver
        self.server, self.intake, self.verify_extra = server, intake, verify_extra
        self.failures = []
        self.lines = []
        self.max_recover = 0.0
        self.verified = 0
        self.crashes = 0
        self.reported_only = 0

    def fail(self, what):
        self.failures.append(what)
        log(f"  ✗ {self.name}: {what}")

    def wait_for_acks(self, after, timeout):
        """Seconds until the client gets an acknowledgement beyond `after`, or None."""
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            if self.intake.count() > after:
                return time.monotonic() - t0
            time.sleep(0.05)
        return None

    def wait_sequencer(self, timeout):
        """After new acks: every log entry now in the database gets integrated and a signed
        checkpoint covers it. Returns (entries, checkpoint size); a timeout is a failure."""
        entries = self.db.scalar("SELECT COUNT(*) FROM ledger_entries;")
        t0 = time.monotonic()
        size = -1
        while time.monotonic() - t0 < timeout:
            size = checkpoint_size(self.server.host, self.server.port)
            if size >= entries:
                return entries, size
            time.sleep(0.2)
        self.fail(f"sequencer stalled: checkpoint {size} < {entries} entries after {timeout:.0f} s")
        return entries, size

    def after_crash(self, n, total, label, recover_s, cp_before, crash_ms, timing=None):
        """The checks after crash `n` (at `crash_ms`, ms since the epoch); prints its line."""
        self.crashes += 1
        entries, cp_after = self.wait_sequencer(self.args.sequencer_timeout)
        if cp_after <= cp_before:
            self.fail(f"#{n}: checkpoint did not advance ({cp_before} → {cp_after})")
        acked = self.intake.snapshot()
        t_check = time.monotonic()
        r = self.db.check(acked, crash_ms)
        t_check = time.monotonic() - t_check
        bad = {k: v for k, v in r.items() if k.startswith("bad_") and v != 0}
        missing = r.get("bad_missing", -1)
        half = sum(v for k, v in r.items() if k.startswith("bad_") and k != "bad_missing")
        if bad:
            self.fail(f"#{n}: {bad}")
        if r.get("present") != len(acked):
            self.fail(f"#{n}: present {r.get('present')} ≠ acked {len(acked)}")
        t_verify = time.monotonic()
        ok, text = verify(self.args, self.verify_extra)
        t_verify = time.monotonic() - t_verify
        if ok:
            self.verified += 1
        else:
            self.fail(f"#{n}: verify failed:\n{text[-3000:]}")
        self.reported_only = r.get("reported_only", 0)
        self.max_recover = max(self.max_recover, recover_s)
        line = (
            f"{label} {n:>2}/{total}: acked {len(acked):>6}  present {r.get('present', -1):>6}  "
            f"missing {missing}  half-written {half}  cases {r.get('cases', -1)}  "
            f"events {r.get('events', -1)}  left-reported {r.get('reported_only', -1)}  "
            f"acked-without-notice {r.get('acked_without_notice', -1)}  "
            f"without-reg/dispatch {r.get('without_reg_dispatch', -1)}  "
            f"acked-without-notice/delivery {r.get('acked_without_notice_or_delivery', -1)}  "
            f"{timing or f'recovered {recover_s:.1f}s'}  checkpoint {cp_before}→{cp_after}  "
            f"verify {'ok' if ok else 'FAILED'}  (checks {t_check:.1f}s, verify {t_verify:.1f}s)"
        )
        self.lines.append(line)
        log(line)

    def final(self):
        """Stops the client and checks once more with the load quiet."""
        self.intake.stop()
        load_end = now_ms()
        acked = self.intake.snapshot()
        entries, cp = self.wait_sequencer(self.args.sequencer_timeout)
        r = self.db.check(acked, load_end)
        bad = {k: v for k, v in r.items() if k.startswith("bad_") and v != 0}
        if bad:
            self.fail(f"final: {bad}")
        if r.get("hooks", 0) < 1:
            self.fail("final: no active webhook subscribed to 'dispatched': the delivery check is empty")
        if r.get("without_reg_dispatch", -1) != 0:
            self.fail(f"final: {r.get('without_reg_dispatch')} cases without their registration and dispatch")
        if r.get("acked_without_notice_or_delivery", -1) != 0:
            self.fail(
                f"final: {r.get('acked_without_notice_or_delivery')} acknowledged cases without their "
                f"notice or webhook delivery ({r.get('acked_without_notice')} without notice, "
                f"{r.get('acked_without_delivery')} without delivery)"
            )
        ok, text = verify(self.args, self.verify_extra)
        if not ok:
            self.fail(f"final verify failed:\n{text[-3000:]}")
        verify_line = text.splitlines()[0] if text else ""
        self.summary = {
            "acked": len(acked),
            "present": r.get("present", -1),
            "missing": r.get("bad_missing", -1),
            "half": sum(v for k, v in r.items() if k.startswith("bad_") and k != "bad_missing"),
            "without_notice": r.get("acked_without_notice", -1),
            "reported_only": r.get("reported_only", -1),
            "without_reg_dispatch": r.get("without_reg_dispatch", -1),
            "without_delivery": r.get("acked_without_delivery", -1),
            "without_notice_or_delivery": r.get("acked_without_notice_or_delivery", -1),
            "dispatched_without_notice_or_delivery": r.get("dispatched_without_notice_or_delivery", -1),
            "hooks": r.get("hooks", -1),
            "deliveries": r.get("deliveries", -1),
            "hook_posts": self.receiver.count if self.receiver else -1,
            "cases": r.get("cases", -1),
            "events": r.get("events", -1),
            "attempts": self.intake.attempts,
            "errors": dict(sorted(self.intake.errors.items())),
            "checkpoint": cp,
            "entries": entries,
            "verify": "ok" if ok else "FAILED",
        }
        s = self.summary
        log(
            f"{self.name} final: acked {s['acked']}  present {s['present']}  missing {s['missing']}  "
            f"half-written {s['half']}  cases {s['cases']}  events {s['events']}  "
            f"left-reported {s['reported_only']}  acked-without-notice {s['without_notice']}  "
            f"without-reg/dispatch {s['without_reg_dispatch']}  "
            f"acked-without-notice/delivery {s['without_notice_or_delivery']} "
            f"(without delivery {s['without_delivery']}; of all dispatched cases "
            f"{s['dispatched_without_notice_or_delivery']})  "
            f"webhooks {s['hooks']}, deliveries queued {s['deliveries']}, received {s['hook_posts']}  "
            f"requests {s['attempts']}  failed requests {s['errors']}  "
            f"checkpoint {cp}/{entries} entries  verify {s['verify']}"
        )
        if verify_line:
            log(f"  {verify_line}")


def read_points(path):
    pts = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                lon, lat = line.split(",")
                pts.append((float(lon), float(lat)))
    if not pts:
        raise SystemExit(f"no points in {path}")
    return pts


def sqlite_part(args, points, token, receiver):
    host, port = "127.0.0.1", args.port
    env = dict(os.environ)
    env.pop("GONGZHI_DATABASE_URL", None)
    server = Server(
        [args.bin, "--data-dir", args.work_dir, "serve", "--listen", f"{host}:{port}"],
        env,
        os.path.join(args.work_dir, "serve-sqlite.log"),
        host,
        port,
    )
    db = Db("sqlite", os.path.join(args.work_dir, "gongzhi.db"))
    server.start()
    server.wait_healthy()
    db.mark_seeded()
    subscribe_webhook(host, port, args.admin_token, receiver.url, "crash test (SQLite)")
    intake = Intake(host, port, token, points, args.threads, os.path.join(args.work_dir, "acked-sqlite.tsv"))
    run = Run("SQLite", args, db, server, intake, [], receiver)
    rnd = random.Random(args.seed)
    intake.start()
    try:
        run.wait_for_acks(0, args.recover_timeout)
        for n in range(1, args.kills + 1):
            time.sleep(rnd.uniform(1.0, 5.0))
            cp_before = checkpoint_size(host, port)
            crash_ms = now_ms()
            server.kill9()
            t0 = time.monotonic()
            server.start()
            server.wait_healthy()
            if run.wait_for_acks(intake.count(), args.recover_timeout) is None:
                run.fail(f"#{n}: no case acknowledged within {args.recover_timeout:.0f} s of the restart")
                break
            intake.paused.set()
            run.after_crash(n, args.kills, "kill -9", time.monotonic() - t0, cp_before, crash_ms)
            intake.paused.clear()
        run.final()
    finally:
        if not intake.stop_ev.is_set():
            intake.stop()
        server.stop()
    return run


def pg_ctl(args, what):
    cmd = (args.pg_stop if what == "stop" else args.pg_start).split()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {p.stderr.strip()}")


def wait_pg_ready(url, out, timeout=120.0):
    """Polls PostgreSQL until it accepts a query; stores the monotonic time in out["at"]."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        p = subprocess.run(["psql", "-X", "-At", "-c", "SELECT 1", url], capture_output=True, text=True)
        if p.returncode == 0:
            out["at"] = time.monotonic()
            return
        time.sleep(0.05)


def pg_part(args, points, token, url, receiver):
    host, port = "127.0.0.1", args.port + 1
    env = dict(os.environ)
    env["GONGZHI_DATABASE_URL"] = url
    server = Server(
        [args.bin, "--data-dir", args.work_dir, "serve", "--listen", f"{host}:{port}"],
        env,
        os.path.join(args.work_dir, "serve-pg.log"),
        host,
        port,
    )
    db = Db("pg", url)
    server.start()
    server.wait_healthy()
    db.mark_seeded()
    subscribe_webhook(host, port, args.admin_token, receiver.url, "crash test (PostgreSQL)")
    intake = Intake(host, port, token, points, args.threads, os.path.join(args.work_dir, "acked-pg.tsv"))
    run = Run("PostgreSQL", args, db, server, intake, ["--database", url], receiver)
    rnd = random.Random(args.seed + 1)
    restarts = args.pg_restarts
    intake.start()
    try:
        run.wait_for_acks(0, args.recover_timeout)
        for n in range(1, restarts + 1):
            time.sleep(rnd.uniform(1.0, 5.0))
            cp_before = checkpoint_size(host, port)
            crash_ms = now_ms()
            pg_ctl(args, "stop")
            t0 = time.monotonic()
            server.mark(f"PostgreSQL stopped (#{n})")
            ready = {}
            poller = threading.Thread(target=wait_pg_ready, args=(url, ready), daemon=True)
            poller.start()
            time.sleep(rnd.uniform(0.5, 2.0))
            pg_ctl(args, "start")
            server.mark(f"PostgreSQL started again (#{n}) after {time.monotonic() - t0:.1f} s")
            poller.join(timeout=args.recover_timeout)
            if server.proc.poll() is not None:
                run.fail(f"#{n}: the server exited ({server.proc.returncode}) when PostgreSQL stopped")
                break
            if run.wait_for_acks(intake.count(), args.recover_timeout) is None and intake.first_ack_after(t0) is None:
                run.fail(f"#{n}: server did not recover within {args.recover_timeout:.0f} s")
                break
            first = intake.first_ack_after(t0)
            t_ready = ready.get("at", first)
            lag = max(0.0, first - t_ready)
            server.mark(f"first case acknowledged after the restart (#{n}), {lag:.2f} s after PostgreSQL accepted connections")
            run.max_outage = max(getattr(run, "max_outage", 0.0), t_ready - t0)
            intake.paused.set()
            run.after_crash(
                n, restarts, "pg restart", lag, cp_before, crash_ms,
                f"PostgreSQL down {t_ready - t0:.1f}s, served again {lag:.2f}s after it came back",
            )
            intake.paused.clear()
        run.final()
    finally:
        if not intake.stop_ev.is_set():
            intake.stop()
        server.stop()
    return run


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--work-dir", required=True)
    ap.add_argument("--mode", choices=["sqlite", "pg"], required=True)
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--pg-restarts", type=int, default=10)
    ap.add_argument("--pg-url", default="")
    ap.add_argument("--pg-stop", default="pg_ctlcluster --skip-systemctl-redirect 15 main stop -m immediate")
    ap.add_argument("--pg-start", default="pg_ctlcluster --skip-systemctl-redirect 15 main start")
    ap.add_argument("--token", required=True)
    ap.add_argument("--admin-token", required=True, help="bearer token of an admin, to create the webhook")
    ap.add_argument("--points", required=True)
    ap.add_argument("--threads", type=int, default=24)
    ap.add_argument("--port", type=int, default=18790)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--recover-timeout", type=float, default=60.0)
    ap.add_argument("--sequencer-timeout", type=float, default=30.0)
    ap.add_argument("--result", required=True, help="file to write the summary (JSON) to")
    args = ap.parse_args()
    points = read_points(args.points)
    log(f"seed {args.seed}, {args.threads} client threads, {len(points)} points")
    t0 = time.monotonic()
    receiver = HookReceiver()
    try:
        if args.mode == "sqlite":
            run = sqlite_part(args, points, args.token, receiver)
            crashes = args.kills
        else:
            run = pg_part(args, points, args.token, args.pg_url, receiver)
            crashes = args.pg_restarts
    finally:
        receiver.stop()
    s = getattr(run, "summary", {})
    s.update(
        {
            "mode": args.mode,
            "crashes": crashes,
            "crashes_done": run.crashes,
            "verified": run.verified,
            "max_recover_s": round(run.max_recover, 2),
            "max_outage_s": round(getattr(run, "max_outage", 0.0), 1),
            "seconds": round(time.monotonic() - t0, 1),
            "failures": run.failures,
        }
    )
    with open(args.result, "w", encoding="utf-8") as f:
        json.dump(s, f, ensure_ascii=False)
    if run.failures:
        log(f"{run.name}: {len(run.failures)} FAILURE(S)")
        sys.exit(1)


if __name__ == "__main__":
    main()
