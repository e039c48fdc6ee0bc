"""P3 dashboards' baselines: the same groupings as bench/dashboards/run.sh asks the server for,
as full-scan GROUP BYs over one row per case (the keys and the 19 tally columns written by
`gongzhi cube synth`), in DuckDB (PyPI) and in PostgreSQL (a plain table, VACUUM ANALYZEd);
medians of RUNS timed runs each.

Usage: python3 bench/dashboards/baseline.py CASES.csv RUNS FROM TO
Prints `BASE|<name>|<duckdb ms>|<postgres ms>` per grouping.
"""
import statistics
import subprocess
import sys
import time

import duckdb

csv_path, runs, day_from, day_to = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
COLS = ["reported", "registered", "dispatched", "dispatched_accurately", "due_handling",
        "handled_on_time", "handled_late", "due_closing", "closed", "closed_on_time", "reworked",
        "extended", "deferred", "valid", "contacted", "resolved", "satisfied",
        "basically_satisfied", "unsatisfied"]
KEYS = ["day", "month", "street", "community", "department", "category", "major", "channel"]
SUMS = ", ".join(f"SUM({c}) AS {c}" for c in COLS)
# name → (group key expression, extra filter); the same list as run.sh.
QUERIES = [
    ("street", "street", ""),
    ("community", "community", ""),
    ("department", "department", ""),
    ("category", "category", ""),
    ("major", "major", ""),
    ("channel", "channel", ""),
    ("month", "month", ""),
    ("week", "date_trunc('week', CAST(day AS DATE))", ""),
    ("day", "day", ""),
    ("category in one department", "category", "AND department = 'CG'"),
    ("street for one channel", "street", "AND channel = 'hotline'"),
    ("department in one major category", "department", "AND major = 'E01'"),
]


def sql(key, extra):
    return (f"SELECT {key} AS k, {SUMS} FROM cases WHERE day >= '{day_from}' AND day <= '{day_to}' "
            f"{extra} GROUP BY k ORDER BY k")


def median_ms(run):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        run()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


con = duckdb.connect()
types = {k: "VARCHAR" for k in KEYS}
types.update({c: "INTEGER" for c in COLS})
cols = ", ".join(f"'{k}': '{v}'" for k, v in types.items())
con.execute(f"CREATE TABLE cases AS SELECT * FROM read_csv('{csv_path}', header=true, columns={{{cols}}})")
duck = {name: median_ms(lambda: con.execute(sql(k, x)).fetchall()) for name, k, x in QUERIES}

db = "gongzhi_bench_dashboards"
psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-q"]
subprocess.run(psql + ["-d", "postgres", "-c", f"DROP DATABASE IF EXISTS {db}"], check=True)
subprocess.run(psql + ["-d", "postgres", "-c", f"CREATE DATABASE {db}"], check=True)
ddl = ", ".join([f"{k} text" for k in KEYS] + [f"{c} int" for c in COLS])
subprocess.run(psql + ["-d", db, "-c", f"CREATE TABLE cases ({ddl})"], check=True)
with open(csv_path, "rb") as f:
    subprocess.run(psql + ["-d", db, "-c", "\\copy cases FROM STDIN WITH (FORMAT csv, HEADER true)"],
                   stdin=f, check=True)
subprocess.run(psql + ["-d", db, "-c", "VACUUM ANALYZE cases"], check=True)


def pg_ms(q):
    # One psql per run: \timing reports the server-side time of the GROUP BY.
    out = subprocess.run(psql + ["-d", db, "-c", "\\timing on", "-c", q.replace("\n", " ")],
                         check=True, capture_output=True, text=True).stdout
    return float([l for l in out.splitlines() if l.startswith("Time:")][-1].split()[1])


for name, k, x in QUERIES:
    # PostgreSQL's date_trunc takes a timestamp.
    k = k.replace("CAST(day AS DATE)", "CAST(day AS timestamp)")
    pg = statistics.median(pg_ms(sql(k, x)) for _ in range(runs))
    print(f"BASE|{name}|{duck[name]:.1f}|{pg:.1f}")
subprocess.run(psql + ["-d", "postgres", "-c", f"DROP DATABASE IF EXISTS {db}"], check=True)
