"""Baselines for the intake benchmark: raw inserts of the same rows (a case row and its three
events per report), as durable as our intake. One RESULT line on stdout.

  python3 baseline.py N                 SQLite (WAL, synchronous=FULL), one transaction per report,
                                        from 64 threads like the 64 HTTP clients
  python3 baseline.py N batched [B]     SQLite, same durability, one writer committing B reports
                                        per transaction (default 64: the most one group commit
                                        can gather from 64 clients): the ceiling of group commit.
                                        Latency is the commit time of the batch a report is in.
  python3 baseline.py N pg URL          PostgreSQL (pgbench, 64 connections, one transaction per
                                        report, default synchronous_commit=on) in the database URL
"""
import glob, json, os, sqlite3, subprocess, sys, tempfile, threading, time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
MODE = sys.argv[2] if len(sys.argv) > 2 else "threads"
THREADS = 64
EVENTS = ["reported", "registered", "dispatched"]
CASE_SQL = ("INSERT INTO cases (ticket, state, category_code, lon, lat, address, description, reported_at, state_json) "
            "VALUES (?,?,?,?,?,?,?,?,?)")
EVENT_SQL = "INSERT INTO case_events (case_id, seq, kind, payload, at) VALUES (?,?,?,?,?)"


def case_row(i):
    return (f"20261127{i:07d}", "dispatched", "E0102", 120.6, 31.3, f"压测地址{i}号", f"压测诉求 {i}",
            int(time.time() * 1000), json.dumps({"state": "dispatched", "i": i}))


def result(n, dt, lat_ms, extra=""):
    lat_ms.sort()
    print(f"RESULT rows={n} rps={n/dt:.1f} p50_ms={lat_ms[len(lat_ms)//2]:.2f} "
          f"p99_ms={lat_ms[min(len(lat_ms) - 1, int(len(lat_ms)*0.99))]:.2f}{extra}")


def sqlite_db():
    path = os.path.join(tempfile.mkdtemp(), "baseline.db")
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("""CREATE TABLE cases (id INTEGER PRIMARY KEY, ticket TEXT UNIQUE, state TEXT, category_code TEXT,
      lon REAL, lat REAL, address TEXT, description TEXT, reported_at INTEGER, state_json TEXT)""")
    db.execute("CREATE TABLE case_events (id INTEGER PRIMARY KEY, case_id INTEGER, seq INTEGER, kind TEXT, payload TEXT, at INTEGER)")
    db.commit()
    db.close()
    return path


def threads_mode():
    path = sqlite_db()
    lat_ms = []
    lock = threading.Lock()
    counter = [0]

    def worker():
        con = sqlite3.connect(path, timeout=30, isolation_level=None)
        con.execute("PRAGMA synchronous=FULL")
        mine = []
        while True:
            with lock:
                if counter[0] >= N:
                    break
                counter[0] += 1
                i = counter[0]
            t0 = time.perf_counter()
            con.execute("BEGIN IMMEDIATE")
            cur = con.execute(CASE_SQL, case_row(i))
            for seq, kind in enumerate(EVENTS, 1):
                con.execute(EVENT_SQL, (cur.lastrowid, seq, kind, "{}", 0))
            con.execute("COMMIT")
            mine.append((time.perf_counter() - t0) * 1000)
        with lock:
            lat_ms.extend(mine)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for t in threads: t.start()
    for t in threads: t.join()
    result(N, time.perf_counter() - t0, lat_ms)


def batched_mode(batch):
    path = sqlite_db()
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA synchronous=FULL")
    lat_ms = []
    i = 0
    t0 = time.perf_counter()
    while i < N:
        b = min(batch, N - i)
        t1 = time.perf_counter()
        con.execute("BEGIN IMMEDIATE")
        for _ in range(b):
            i += 1
            cur = con.execute(CASE_SQL, case_row(i))
            con.executemany(EVENT_SQL, [(cur.lastrowid, seq, kind, "{}", 0) for seq, kind in enumerate(EVENTS, 1)])
        con.execute("COMMIT")
        lat_ms.extend([(time.perf_counter() - t1) * 1000] * b)
    result(N, time.perf_counter() - t0, lat_ms, f" batch={batch}")


PG_SCHEMA = """
DROP TABLE IF EXISTS case_events; DROP TABLE IF EXISTS cases; DROP SEQUENCE IF EXISTS tickets;
CREATE SEQUENCE tickets;
CREATE TABLE cases (id BIGSERIAL PRIMARY KEY, ticket TEXT UNIQUE DEFAULT ('20261127' || lpad(nextval('tickets')::text, 7, '0')),
  state TEXT, category_code TEXT, lon DOUBLE PRECISION, lat DOUBLE PRECISION, address TEXT, description TEXT,
  reported_at BIGINT, state_json TEXT);
CREATE TABLE case_events (id BIGSERIAL PRIMARY KEY, case_id BIGINT, seq BIGINT, kind TEXT, payload TEXT, at BIGINT);
"""
PG_SCRIPT = r"""\set i random(1, 1000000000)
BEGIN;
INSERT INTO cases (state, category_code, lon, lat, address, description, reported_at, state_json) VALUES ('dispatched', 'E0102', 120.6, 31.3, '压测地址' || :i || '号', '压测诉求 ' || :i, (extract(epoch from now()) * 1000)::bigint, '{"state":"dispatched","i":' || :i || '}') RETURNING id AS case_id \gset
INSERT INTO case_events (case_id, seq, kind, payload, at) VALUES (:case_id, 1, 'reported', '{}', 0);
INSERT INTO case_events (case_id, seq, kind, payload, at) VALUES (:case_id, 2, 'registered', '{}', 0);
INSERT INTO case_events (case_id, seq, kind, payload, at) VALUES (:case_id, 3, 'dispatched', '{}', 0);
COMMIT;
"""


def pg_mode(url):
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url], input=PG_SCHEMA, text=True,
                   check=True, capture_output=True)
    work = tempfile.mkdtemp()
    script = os.path.join(work, "intake.sql")
    open(script, "w").write(PG_SCRIPT)
    per = max(1, -(-N // THREADS))  # at least N reports in all
    t0 = time.perf_counter()
    p = subprocess.run(["pgbench", "-n", "-c", str(THREADS), "-j", "2", "-t", str(per), "-f", script,
                        "-l", "--log-prefix", os.path.join(work, "log"), url],
                       capture_output=True, text=True, cwd=work)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"pgbench failed: {p.stderr[-2000:]}")
    lat_ms = []
    for f in glob.glob(os.path.join(work, "log*")):
        for line in open(f):
            parts = line.split()
            if len(parts) >= 3:
                lat_ms.append(int(parts[2]) / 1000)
    n = per * THREADS
    # Throughput from pgbench itself (without connection set-up), latency from its log.
    tps = next((float(l.split("=")[1].split()[0]) for l in p.stdout.splitlines() if l.startswith("tps")), n / dt)
    lat_ms.sort()
    print(f"RESULT rows={n} rps={tps:.1f} p50_ms={lat_ms[len(lat_ms)//2]:.2f} "
          f"p99_ms={lat_ms[min(len(lat_ms) - 1, int(len(lat_ms)*0.99))]:.2f}")


if MODE == "threads":
    threads_mode()
elif MODE == "batched":
    batched_mode(int(sys.argv[3]) if len(sys.argv) > 3 else 64)
elif MODE == "pg":
    pg_mode(sys.argv[3])
else:
    sys.exit(__doc__)
