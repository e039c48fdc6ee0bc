#!/usr/bin/env bash
# Scale-out on one PostgreSQL (issue 17 item 6): case intake (POST of located cases, as
# bench/intake) and a dashboard read (the street scorecard of the analysis API) with one server
# and with two servers on the same database, each server behind its own wrk with half the
# clients. Every run starts from a fresh copy of the same demo city (a template database).
# Beside them, in the same run: raw PostgreSQL inserts of the same rows (pgbench, 64
# connections), the ceiling of the database alone.
#
# On a machine with two cores the servers, PostgreSQL and the load generators share them: the
# figures say what a second server costs or gains here, not what it gains on its own machine.
#
# Usage: bash bench/scale/run.sh [DURATION_S] [RUNS]   (default 20 s, 3 runs)
# Environment: GONGZHI_BIN (default: a release build), SCALE_PG_URL (default
# postgres://postgres@127.0.0.1:5432). Prints ROW| lines.
set -euo pipefail
cd "$(dirname "$0")/../.."
DUR="${1:-20}"
RUNS="${2:-3}"
PG_BASE="${SCALE_PG_URL:-postgres://postgres@127.0.0.1:5432}"
need() { command -v "$1" >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; }; }
need wrk wrk
need psql postgresql-client
need pgbench postgresql-contrib
bin="${GONGZHI_BIN:-}"
if [ -z "$bin" ]; then
  cargo build -q --release -p gongzhi
  bin="${CARGO_TARGET_DIR:-target}/release/gongzhi"
fi
work="$(mktemp -d)"
cp "$bin" "$work/gongzhi"
bin="$work/gongzhi"
pids=()
db_prefix="gongzhi_scale_$$"
pgq() { psql -X -q -At -v ON_ERROR_STOP=1 "$PG_BASE/postgres" -c "$1"; }
stop_servers() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}
cleanup() {
  stop_servers
  for d in $(pgq "select datname from pg_database where datname like '${db_prefix}%'" 2>/dev/null); do
    pgq "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
export GONGZHI_DEMO_PASSWORD=bench2026pass
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

seed="${db_prefix}_seed"
pgq "CREATE DATABASE $seed" >/dev/null
$bin --data-dir "$work/seed" --database "$PG_BASE/$seed" demo --households 5000 >/dev/null
token=$($bin --data-dir "$work/seed" --database "$PG_BASE/$seed" token create --account grid 2>/dev/null)
admin=$($bin --data-dir "$work/seed" --database "$PG_BASE/$seed" token create --account admin 2>/dev/null)
grid=$(psql -X -At "$PG_BASE/$seed" -c "select scope from accounts where username='grid'" | cut -d: -f2)
$bin --data-dir "$work/seed" --database "$PG_BASE/$seed" export buildings "$work/b.csv" --grid "$grid" >/dev/null
python3 - "$work/b.csv" "$work/points.txt" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
h = rows[0]
lon, lat = h.index("经度"), h.index("纬度")
open(sys.argv[2], "w").write("\n".join(f"{r[lon]},{r[lat]}" for r in rows[1:]) + "\n")
PY

# N servers (ports 18801…) on database $2; wrk with 64/N clients against each, all at once.
# Prints one line per wrk: requests, rps, p99.
load() {
  local n="$1" db="$2" what="$3"
  for i in $(seq 1 "$n"); do
    mkdir -p "$work/s$i"; cp -a "$work/seed/." "$work/s$i/"
    $bin --data-dir "$work/s$i" --database "$PG_BASE/$db" serve --listen "127.0.0.1:$((18800 + i))" 2>"$work/s$i.log" &
    pids+=($!)
  done
  for i in $(seq 1 "$n"); do
    for _ in $(seq 1 150); do curl -fsS "http://127.0.0.1:$((18800 + i))/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
  done
  local c=$((64 / n))
  for i in $(seq 1 "$n"); do
    if [ "$what" = intake ]; then
      (cd bench/intake && POINTS="$work/points.txt" TOKEN="$token" wrk -t1 -c"$c" -d"${DUR}s" --latency -s post.lua "http://127.0.0.1:$((18800 + i))" | grep '^RESULT') >"$work/w$i" &
    else
      wrk -t1 -c"$c" -d"${DUR}s" --latency -H "Authorization: Bearer $admin" \
        "http://127.0.0.1:$((18800 + i))/api/v1/metrics?by=street" >"$work/w$i" &
    fi
  done
  wait $(jobs -p | grep -v -F -x -f <(printf '%s\n' "${pids[@]}")) 2>/dev/null || true
  stop_servers
  for i in $(seq 1 "$n"); do
    if [ "$what" = intake ]; then
      sed -E 's/.*requests=([0-9]+).* rps=([0-9.]+).* p99_ms=([0-9.]+).*/\1 \2 \3/' "$work/w$i"
    else
      python3 - "$work/w$i" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
n = int(re.search(r"(\d+) requests in", t).group(1))
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
m = re.search(r"99%\s+([\d.]+)(us|ms|s)", t)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
if bad:
    sys.exit(f"dashboard: {bad.group(1)} failed responses")
print(n, rps, p99)
PY
    fi
  done
}

: >"$work/results"
for run in $(seq 1 "$RUNS"); do
  for n in 1 2; do
    for what in intake dashboard; do
      d="${db_prefix}_r${run}_${n}_${what}"
      pgq "CREATE DATABASE $d TEMPLATE $seed" >/dev/null
      load "$n" "$d" "$what" | awk -v n="$n" -v w="$what" '{ rps += $2; if ($3 > p) p = $3 } END { printf "%s %s %.1f %.1f\n", w, n, rps, p }' | tee -a "$work/results"
      pgq "DROP DATABASE $d WITH (FORCE)" >/dev/null
    done
  done
  raw="${db_prefix}_raw"
  pgq "CREATE DATABASE $raw" >/dev/null
  q=$(python3 bench/intake/baseline.py 20000 pg "$PG_BASE/$raw" | grep '^RESULT')
  pgq "DROP DATABASE $raw WITH (FORCE)" >/dev/null
  echo "raw 0 $(echo "$q" | sed -E 's/.*rps=([0-9.]+).*/\1/') 0" | tee -a "$work/results"
done
python3 - "$work/results" "$DUR $RUNS" <<'PY'
import statistics, sys
r = {}
for line in open(sys.argv[1]):
    w, n, rps, p99 = line.split()
    r.setdefault((w, int(n)), []).append((float(rps), float(p99)))
med = lambda k, i: statistics.median(x[i] for x in r[k])
runs = lambda k: "/".join(f"{x[0]:,.0f}" for x in r[k])
raw = med(("raw", 0), 0)
cmd = f"bench/scale/run.sh {sys.argv[2]}"
for w, unit, what in (("intake", "cases/s", "intake (POST of located cases)"),
                      ("dashboard", "answers/s", "street scorecard (GET /api/v1/metrics?by=street)")):
    one, two = med((w, 1), 0), med((w, 2), 0)
    base = f"raw PostgreSQL inserts (pgbench, 64 connections): {raw:,.0f} rows/s (runs {runs(('raw', 0))})" if w == "intake" else "one server"
    print(f"ROW|scale-out on one PostgreSQL: {what}, 64 clients, one server|{one:,.0f} {unit} (runs {runs((w, 1))}), p99 {med((w, 1), 1):.1f} ms|{base}|{one / raw if w == 'intake' else 1:.2f}×|for information|{cmd}")
    print(f"ROW|scale-out on one PostgreSQL: {what}, 64 clients, two servers on the same database|{two:,.0f} {unit} (runs {runs((w, 2))}), p99 {med((w, 2), 1):.1f} ms|one server: {one:,.0f} {unit}|{two / one:.2f}×|for information (two cores shared by both servers, PostgreSQL and wrk)|{cmd}")
PY
