"""Baseline for the intake benchmark: raw SQLite inserts of the same rows, durable the same way
(WAL, synchronous=FULL, one transaction per report), from 64 threads like the 64 HTTP clients."""
import json, os, sqlite3, statistics, sys, tempfile, threading, time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
THREADS = 64
path = os.path.join(tempfile.mkdtemp(), "baseline.db")
db = sqlite3.connect(path)
db.execute("PRAGMA journal_mode=WAL")
db.execute("""CREATE TABLE cases (id INTEGER PRIMARY KEY, ticket TEXT UNIQUE, state TEXT, category_code TEXT,
  lon REAL, lat REAL, address TEXT, description TEXT, reported_at INTEGER, state_json TEXT)""")
db.execute("CREATE TABLE case_events (id INTEGER PRIMARY KEY, case_id INTEGER, seq INTEGER, kind TEXT, payload TEXT, at INTEGER)")
db.commit()
db.close()
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
        cur = con.execute("INSERT INTO cases (ticket, state, category_code, lon, lat, address, description, reported_at, state_json) VALUES (?,?,?,?,?,?,?,?,?)",
                          (f"20261127{i:05d}", "dispatched", "E0102", 120.6, 31.3, f"压测地址{i}号", f"压测诉求 {i}", int(time.time()*1000), json.dumps({"state": "dispatched", "i": i})))
        for seq, kind in enumerate(["reported", "registered", "dispatched"], 1):
            con.execute("INSERT INTO case_events (case_id, seq, kind, payload, at) VALUES (?,?,?,?,?)", (cur.lastrowid, seq, kind, "{}", 0))
        con.execute("COMMIT")
        mine.append((time.perf_counter() - t0) * 1000)
    with lock:
        lat_ms.extend(mine)

t0 = time.perf_counter()
threads = [threading.Thread(target=worker) for _ in range(THREADS)]
for t in threads: t.start()
for t in threads: t.join()
dt = time.perf_counter() - t0
lat_ms.sort()
print(f"RESULT rows={N} rps={N/dt:.1f} p50_ms={lat_ms[len(lat_ms)//2]:.2f} p99_ms={lat_ms[int(len(lat_ms)*0.99)]:.2f}")
