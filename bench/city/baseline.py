"""P3 baselines: the three 接诉即办 rates by street × month over the same case rows, in DuckDB
(PyPI) and in PostgreSQL (a GROUP BY over a plain table), medians of RUNS timed runs each.

Usage: python3 bench/city/baseline.py CASES.csv RUNS
CSV columns: street, month, valid, contacted, resolved, satisfied, basically (one row per case).
Prints `RESULT duckdb_ms=… postgres_ms=… groups=…`.
"""
import statistics
import subprocess
import sys
import time

import duckdb

csv_path, runs = sys.argv[1], int(sys.argv[2])
QUERY = """
SELECT street, month, SUM(valid) AS valid,
       SUM(contacted) * 1.0 / NULLIF(SUM(valid), 0) AS response_rate,
       SUM(resolved) * 1.0 / NULLIF(SUM(valid), 0) AS resolution_rate,
       (SUM(satisfied) + 0.9 * SUM(basically)) / NULLIF(SUM(valid), 0) AS satisfaction_rate
FROM cases GROUP BY street, month ORDER BY street, month
"""


def median_ms(run):
    times = []
    out = None
    for _ in range(runs):
        t = time.perf_counter()
        out = run()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), out


con = duckdb.connect()
con.execute(
    f"CREATE TABLE cases AS SELECT * FROM read_csv('{csv_path}', header=true, "
    "columns={'street':'VARCHAR','month':'VARCHAR','valid':'INTEGER','contacted':'INTEGER',"
    "'resolved':'INTEGER','satisfied':'INTEGER','basically':'INTEGER'})"
)
duck_ms, duck_rows = median_ms(lambda: con.execute(QUERY).fetchall())

db = "gongzhi_bench_city"
psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-q"]
subprocess.run(psql + ["-d", "postgres", "-c", f"DROP DATABASE IF EXISTS {db}"], check=True)
subprocess.run(psql + ["-d", "postgres", "-c", f"CREATE DATABASE {db}"], check=True)
subprocess.run(
    psql + ["-d", db, "-c",
            "CREATE TABLE cases (street text, month text, valid int, contacted int, resolved int, "
            "satisfied int, basically int)"],
    check=True,
)
with open(csv_path, "rb") as f:
    subprocess.run(psql + ["-d", db, "-c", "\\copy cases FROM STDIN WITH (FORMAT csv, HEADER true)"],
                   stdin=f, check=True)
subprocess.run(psql + ["-d", db, "-c", "VACUUM ANALYZE cases"], check=True)


def pg_once():
    # One psql per run: \timing reports the server-side query time of the GROUP BY.
    out = subprocess.run(psql + ["-d", db, "-c", "\\timing on", "-c", QUERY.replace("\n", " ")],
                         check=True, capture_output=True, text=True).stdout
    line = [l for l in out.splitlines() if l.startswith("Time:")][-1]
    return float(line.split()[1])


pg_times = [pg_once() for _ in range(runs)]
subprocess.run(psql + ["-d", "postgres", "-c", f"DROP DATABASE IF EXISTS {db}"], check=True)
print(f"RESULT duckdb_ms={duck_ms:.1f} postgres_ms={statistics.median(pg_times):.1f} groups={len(duck_rows)}")
