#!/usr/bin/env bash
# P1 intake over HTTP (closed-loop issue; issue 10): POST of located cases through registration
# and dispatch, 64 concurrent clients (wrk -t2 -c64), durable. In every run, one after the other:
#   1. ours on SQLite (WAL, synchronous=FULL), from a fresh copy of the same demo city;
#   2. raw SQLite inserts of the same rows (baseline.py: a case row and its three events per
#      transaction, same durability, 64 threads) — the baseline;
#   3. raw SQLite with batched commits of the same rows (baseline.py batched: one writer,
#      INTAKE_BATCH reports per transaction, same durability) — the ceiling of group commit;
#   4. ours on PostgreSQL (INTAKE_PG_URL), a fresh database per run made from a template seeded
#      with the same demo city (as bench/crash seeds its PostgreSQL part);
#   5. raw PostgreSQL inserts of the same rows (baseline.py pg: pgbench, 64 connections, one
#      transaction per report) in a scratch database.
# The raw SQLite runs insert as many reports as our SQLite run filed; raw PostgreSQL as many as
# our PostgreSQL run filed. For each of our runs the server's CPU time (utime + stime from
# /proc/<pid>/stat) is recorded: CPU per intake.
#
# Usage: bash bench/intake/run.sh [DURATION_S] [RUNS]   (default 20 s, 3 runs; installs wrk)
# Environment:
#   GONGZHI_BIN    the binary [default: a release build, cargo build --release -p gongzhi]
#   INTAKE_BATCH   reports per transaction of the batched baseline [default 64: the most a group
#                  commit can gather from 64 clients]
#   INTAKE_PG=0    skip the PostgreSQL rows (4 and 5)
#   INTAKE_PG_URL  PostgreSQL server [default postgres://postgres@127.0.0.1:5432]
# Prints ROW| lines (bench/run keeps them in ROWS); ratio is ours ÷ baseline as throughput.
set -euo pipefail
cd "$(dirname "$0")/../.."
DUR="${1:-20}"
RUNS="${2:-3}"
BATCH="${INTAKE_BATCH:-64}"
PG="${INTAKE_PG:-1}"
PG_BASE="${INTAKE_PG_URL:-postgres://postgres@127.0.0.1:5432}"
need() { command -v "$1" >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; }; }
need wrk wrk
need sqlite3 sqlite3
[ "$PG" = 0 ] || { need psql postgresql-client; need pgbench postgresql-contrib; }
bin="${GONGZHI_BIN:-}"
if [ -z "$bin" ]; then
  cargo build -q --release -p gongzhi
  bin="${CARGO_TARGET_DIR:-target}/release/gongzhi"
fi
bin="$(realpath "$bin")"
work="$(mktemp -d)"
# A copy: other builds may replace the binary while this runs.
cp "$bin" "$work/gongzhi"
bin_src="$bin"
bin="$work/gongzhi"
pid=
db_prefix="gongzhi_bench_$$"
pgq() { psql -X -q -At -v ON_ERROR_STOP=1 "$PG_BASE/postgres" -c "$1"; }
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  if [ "$PG" != 0 ]; then
    for d in $(pgq "select datname from pg_database where datname like '${db_prefix}%'" 2>/dev/null); do
      pgq "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1 || true
    done
  fi
  rm -rf "$work"
}
trap cleanup EXIT
export GONGZHI_DEMO_PASSWORD=bench2026pass
echo "binary $bin_src ($(stat -c %y "$bin_src" | cut -d. -f1)), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# Points inside the grid worker's grid ($1): its buildings' coordinates, from data dir $2.
points() {
  local grid="$1" dir="$2"; shift 2
  $bin --data-dir "$dir" "$@" export buildings "$work/b.csv" --grid "$grid" >/dev/null
  python3 - "$work/b.csv" "$work/points.txt" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
h = rows[0]
lon, lat = h.index("经度"), h.index("纬度")
open(sys.argv[2], "w").write("\n".join(f"{r[lon]},{r[lat]}" for r in rows[1:]) + "\n")
PY
}

$bin --data-dir "$work/seed" demo --households 5000 >/dev/null
token=$($bin --data-dir "$work/seed" token create --account grid 2>/dev/null)
grid=$(sqlite3 "$work/seed/gongzhi.db" "select scope from accounts where username='grid'" | cut -d: -f2)
points "$grid" "$work/seed"

if [ "$PG" != 0 ]; then
  # The same demo city in a template database; each run gets a fresh copy of it.
  pg_seed="${db_prefix}_seed"
  pgq "CREATE DATABASE $pg_seed" >/dev/null
  $bin --data-dir "$work/pgseed" --database "$PG_BASE/$pg_seed" demo --households 5000 >/dev/null
  pg_token=$($bin --data-dir "$work/pgseed" --database "$PG_BASE/$pg_seed" token create --account grid 2>/dev/null)
  pg_grid=$(psql -X -At "$PG_BASE/$pg_seed" -c "select scope from accounts where username='grid'" | cut -d: -f2)
  [ "$pg_grid" = "$grid" ] || { echo "the PostgreSQL demo's grid $pg_grid is not the SQLite demo's $grid" >&2; exit 1; }
fi

# Our server on data dir $1 (extra flags after it), port 18777; wrk for DUR s. Prints the wrk
# RESULT line with the server's CPU seconds during the wrk run appended.
ours() {
  local dir="$1" tok="$2"; shift 2
  $bin --data-dir "$dir" "$@" serve --listen 127.0.0.1:18777 2>"$work/serve.log" &
  pid=$!
  for _ in $(seq 1 150); do curl -fsS http://127.0.0.1:18777/healthz >/dev/null 2>&1 && break; sleep 0.2; done
  local hz c0 c1 r
  hz=$(getconf CLK_TCK)
  c0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  r=$(cd bench/intake && POINTS="$work/points.txt" TOKEN="$tok" wrk -t2 -c64 -d"${DUR}s" --latency -s post.lua http://127.0.0.1:18777 | grep '^RESULT')
  c1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  kill $pid; wait $pid 2>/dev/null || true; pid=
  echo "$r cpu_s=$(awk -v a="$c0" -v b="$c1" -v hz="$hz" 'BEGIN { printf "%.2f", (b - a) / hz }')"
}

: >"$work/results"
for run in $(seq 1 "$RUNS"); do
  rm -rf "$work/run"; cp -a "$work/seed" "$work/run"   # every run starts from the same city
  o=$(ours "$work/run" "$token")
  n=$(echo "$o" | sed -E 's/.*requests=([0-9]+).*/\1/')
  b=$(python3 bench/intake/baseline.py "$n" | grep '^RESULT')
  k=$(python3 bench/intake/baseline.py "$n" batched "$BATCH" | grep '^RESULT')
  echo "run $run: gongzhi SQLite     $o"
  echo "run $run: raw SQLite         $b"
  echo "run $run: raw SQLite batched $k"
  { echo "OURS $o"; echo "BASE $b"; echo "BATCH $k"; } >>"$work/results"
  if [ "$PG" != 0 ]; then
    d="${db_prefix}_run$run"
    pgq "CREATE DATABASE $d TEMPLATE $pg_seed" >/dev/null
    rm -rf "$work/pgrun"; cp -a "$work/pgseed" "$work/pgrun"
    p=$(ours "$work/pgrun" "$pg_token" --database "$PG_BASE/$d")
    pgq "DROP DATABASE $d WITH (FORCE)" >/dev/null
    pn=$(echo "$p" | sed -E 's/.*requests=([0-9]+).*/\1/')
    pgq "CREATE DATABASE ${db_prefix}_raw" >/dev/null
    q=$(python3 bench/intake/baseline.py "$pn" pg "$PG_BASE/${db_prefix}_raw" | grep '^RESULT')
    pgq "DROP DATABASE ${db_prefix}_raw WITH (FORCE)" >/dev/null
    echo "run $run: gongzhi PostgreSQL $p"
    echo "run $run: raw PostgreSQL     $q"
    { echo "PG $p"; echo "PGBASE $q"; } >>"$work/results"
  fi
done
python3 - "$work/results" "$DUR $RUNS" "$BATCH" <<'PY'
import re, statistics, sys
rs = {}
for line in open(sys.argv[1]):
    kind, rest = line.split(" ", 1)
    rs.setdefault(kind, []).append({k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", rest)})
cmd = f"bench/intake/run.sh {sys.argv[2]}"
batch = int(sys.argv[3])
med = lambda kind, k: statistics.median(r[k] for r in rs[kind])
runs = lambda kind: "/".join(f"{r['rps']:,.0f}" for r in rs[kind])

def ours(kind):
    cpu = med(kind, "cpu_s")
    dur = med(kind, "duration_s")
    n = med(kind, "requests")
    errors = sum(r["errors"] for r in rs[kind])
    return (f"{med(kind, 'rps'):,.0f} cases/s (runs {runs(kind)}), p50 {med(kind, 'p50_ms'):.1f} ms, "
            f"p99 {med(kind, 'p99_ms'):.1f} ms, {errors:.0f} errors; server CPU {cpu:.1f} s in {dur:.0f} s "
            f"({1000 * cpu / n if n else 0:.2f} ms per intake)")

def base(kind, unit="rows/s"):
    return (f"{med(kind, 'rps'):,.0f} {unit} (runs {runs(kind)}), p50 {med(kind, 'p50_ms'):.2f} ms, "
            f"p99 {med(kind, 'p99_ms'):.1f} ms")

o_rps, o99 = med("OURS", "rps"), med("OURS", "p99_ms")
met = o_rps >= 5000 and o99 <= 50
verdict = "≥ 5,000 cases/s with p99 ≤ 50 ms: " + ("met" if met else "**not met**")
ratio = lambda a, b: f"{med(a, 'rps') / med(b, 'rps'):.2f}×"
print(f"ROW|P1 intake over HTTP, 64 clients, durable (vs raw SQLite inserts of the same rows, 64 threads)"
      f"|{ours('OURS')}|{base('BASE')}|{ratio('OURS', 'BASE')}|{verdict}|{cmd}")
print(f"ROW|P1 intake over HTTP, SQLite (vs raw SQLite, one writer committing {batch} reports per transaction: the ceiling)"
      f"|{ours('OURS')}|{base('BATCH', 'reports/s')}, {batch} per commit|{ratio('OURS', 'BATCH')}"
      f"|for information: how far group commit could go on this disk|{cmd}")
if "PG" in rs:
    print(f"ROW|P1 intake over HTTP on PostgreSQL, 64 clients (vs raw PostgreSQL inserts of the same rows, pgbench, 64 connections)"
          f"|{ours('PG')}|{base('PGBASE')}|{ratio('PG', 'PGBASE')}"
          f"|for information (the goal is SQLite's); our SQLite run: {o_rps:,.0f} cases/s; "
          f"vs raw SQLite per report {ratio('PG', 'BASE')}|{cmd}")
PY
