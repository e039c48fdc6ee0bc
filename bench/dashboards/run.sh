#!/usr/bin/env bash
# P3 dashboards (issue 16): every grouping of /api/v1/metrics over a year of cases, timed
# through the server's API, beside DuckDB's and PostgreSQL's full-scan GROUP BY over the same
# cases' rows; medians of RUNS runs, and the ratio.
#
# What is in the database, plainly: the generated city (areas, grids, buildings, households,
# departments, categories, dispatch rules, accounts) and the rollup cube (decision 035: day
# rows `case_tallies`, month rows `case_cube`) holding CASES cases of the year before today.
# Each of those cases is decided by the domain step by step exactly as `demo --scale city`
# does, and folded into the cube by the same code a case write uses (`tallies::Deltas`) — but
# its case row, events and log entries are NOT written (`gongzhi cube synth`): writing 20 M
# real cases takes hours here (1,100 cases/s, issue 17) and more disk than the machine has.
# The dashboards answer from the cube alone, so they read exactly what they would read with
# the cases stored. The same cases' keys and 19 tally columns go to a CSV, one row per case,
# which DuckDB and PostgreSQL load and GROUP BY. Grid and handler (folded from the case rows)
# are not measured: there are no case rows.
#
# Usage: bash bench/dashboards/run.sh [CASES] [DATA_DIR] [RUNS]
#   CITY_GRIDS / CITY_HOUSEHOLDS: a smaller city (smoke runs; the cube holds no residents, so
#   the households only change the demo's size); BUILD=debug: the debug binary; SKIP_BUILD=1:
#   the binary as built; SKIP_SYNTH=1: keep the cube and CSV of the last run of this size.
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-1000000}"
DIR="${2:-/tmp/gongzhi-bench-dashboards}"
RUNS="${3:-7}"
PORT="${PORT:-18942}"
BUILD="${BUILD:-release}"
python3 -c 'import duckdb' 2>/dev/null || python3 -m pip install --quiet duckdb
if [ "$BUILD" = release ] && [ -z "${SKIP_BUILD:-}" ]; then
  cargo build --release -p gongzhi >/dev/null 2>&1
fi
target="${CARGO_TARGET_DIR:-target}"
case "$target" in /*) ;; *) target="$PWD/$target" ;; esac
bin="$target/$BUILD/gongzhi"
export GONGZHI_DEMO_PASSWORD=bench2026pass

# The city (kept between runs of the same size: it takes minutes), then a fresh cube.
city="${CITY_GRIDS:-default}-${CITY_HOUSEHOLDS:-default}"
if [ ! -f "$DIR/gongzhi.db" ] || [ "$(cat "$DIR/city" 2>/dev/null)" != "$city" ]; then
  rm -rf "$DIR"; mkdir -p "$DIR"
  "$bin" --data-dir "$DIR" demo --scale city ${CITY_GRIDS:+--grids "$CITY_GRIDS"} \
    ${CITY_HOUSEHOLDS:+--households "$CITY_HOUSEHOLDS"} >"$DIR/city.log" 2>&1
  echo "$city" >"$DIR/city"
fi
if [ -n "${SKIP_SYNTH:-}" ] && [ -f "$DIR/cases.csv" ]; then
  # SKIP_SYNTH=1: the cube and CSV the last run of this size left (the 20 M synth takes
  # half an hour); everything measured is measured again.
  synth_s="(kept from the previous run: $(grep -o 'in [0-9.]*s' "$DIR/synth.log" || echo '?'))"
else
  t0=$(date +%s.%N)
  "$bin" --data-dir "$DIR" cube synth --cases "$N" --csv "$DIR/cases.csv" 2>"$DIR/synth.log" >/dev/null \
    || { tail -5 "$DIR/synth.log"; exit 1; }
  synth_s=$(python3 -c "import time; print(round(time.time() - $t0, 1))")
fi
db_bytes=$(du -b "$DIR/gongzhi.db" | awk '{print $1}')
rows=$(sqlite3 "$DIR/gongzhi.db" "SELECT (SELECT COUNT(*) FROM case_cube) || ' month rows, ' || (SELECT COUNT(*) FROM case_tallies) || ' day rows'" 2>/dev/null || echo "?")

token=$("$bin" --data-dir "$DIR" token create --account admin 2>/dev/null)
"$bin" --data-dir "$DIR" serve --listen 127.0.0.1:$PORT 2>"$DIR/serve.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; do sleep 0.1; done

# The year before today: the range cuts a month at each end (day rows for those two).
# Every synthetic case is inside (a few are reported just after midnight of either end).
from=$(TZ=Asia/Shanghai date -d '-366 days' +%F); to=$(TZ=Asia/Shanghai date -d '+1 day' +%F)
QUERIES=(
  "street|by=street"
  "community|by=community"
  "department|by=department"
  "category|by=category"
  "major|by=major"
  "channel|by=channel"
  "month|by=month"
  "week|by=week"
  "day|by=day"
  "category in one department|by=category&department=CG"
  "street for one channel|by=street&channel=hotline"
  "department in one major category|by=department&category=E01"
)
api="http://127.0.0.1:$PORT/api/v1/metrics"
curl -fsS -H "Authorization: Bearer $token" "$api?by=street&from=$from&to=$to" -o "$DIR/street.json"
python3 - "$DIR/street.json" "$N" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
n = v["total"]["counters"]["reported"]
assert n == int(sys.argv[2]), f"the dashboard counts {n} cases, expected {sys.argv[2]} (a city with its own cases?)"
PY
# A server just started indexes the city's places for search and runs its first jobs: the
# dashboards are timed after that settles, each after one untimed run (a reader's page cache).
sleep 10
: >"$DIR/ours.txt"
for q in "${QUERIES[@]}"; do
  name="${q%%|*}"; query="${q#*|}"
  curl -fsS -o /dev/null -H "Authorization: Bearer $token" "$api?$query&from=$from&to=$to"
  times=()
  for _ in $(seq 1 "$RUNS"); do
    times+=("$(curl -fsS -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $token" "$api?$query&from=$from&to=$to")")
  done
  med=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END{printf "%.1f", a[int((NR+1)/2)]*1000}')
  echo "$name|$med" >>"$DIR/ours.txt"
done
rss=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
kill $pid; wait $pid 2>/dev/null || true
trap - EXIT

for _ in $(seq 1 120); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
python3 bench/dashboards/baseline.py "$DIR/cases.csv" "$RUNS" "$from" "$to" >"$DIR/base.txt"
python3 - "$DIR/ours.txt" "$DIR/base.txt" "$N" "$synth_s" "$db_bytes" "$rows" "$rss" <<'PY'
import sys
ours = dict(l.strip().split("|") for l in open(sys.argv[1]) if l.strip())
base = {}
for l in open(sys.argv[2]):
    if l.startswith("BASE|"):
        _, name, duck, pg = l.strip().split("|")
        base[name] = (float(duck), float(pg))
n, synth_s, db, rows, rss = int(sys.argv[3]), sys.argv[4], int(sys.argv[5]), sys.argv[6], int(sys.argv[7])
cmd = f"bash bench/dashboards/run.sh {n}"
print(f"ROW|P3 cube for {n:,} synthetic cases (`cube synth`: domain-decided, folded, no case rows)|{synth_s} s; {rows}; database {db/1e9:.2f} GB; server RSS {rss//1024} MB after the dashboards|—|—|—|{cmd}")
worst = 0.0
for name, ms in ours.items():
    ms = float(ms)
    worst = max(worst, ms)
    duck, pg = base[name]
    goal = "met" if ms <= 50 and duck / ms >= 10 else "**not met**"
    print(f"ROW|P3 dashboard by {name} over {n:,} cases (year before today, two cut months)|{ms:.1f} ms|DuckDB {duck:.1f} ms, PostgreSQL {pg:.1f} ms|{duck/ms:.2f}× DuckDB, {pg/ms:.2f}× PostgreSQL|goal ≤ 50 ms and ≥ 10× DuckDB: {goal}|{cmd}")
print(f"SUMMARY slowest dashboard {worst:.1f} ms")
PY
