#!/usr/bin/env bash
# City scale (issue "Prove it holds"): generation of a city and a year of cases (goal: 20,000,000
# cases in ≤ 15 min), P3 the three-rates dashboard by street and by month over those cases vs
# DuckDB and PostgreSQL GROUP BY street × month on the same rows, P7 cold start and memory.
# Usage: bash bench/city/run.sh [CASES] [DATA_DIR] [RUNS]   (release build; pip duckdb)
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-1000000}"
DIR="${2:-/tmp/gongzhi-bench-city}"
RUNS="${3:-7}"
PORT=18795
python3 -c 'import duckdb' 2>/dev/null || python3 -m pip install --quiet duckdb
command -v sqlite3 >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3 >/dev/null; }
cargo build --release -p gongzhi >/dev/null 2>&1
bin="$PWD/${CARGO_TARGET_DIR:-target}/release/gongzhi"
export GONGZHI_DEMO_PASSWORD=bench2026pass
cmd="gongzhi demo --scale city --cases $N"
if [ "${CITY_REUSE:-0}" = 1 ] && [ -f "$DIR/gongzhi.db" ]; then
  # Keep the stored city (it takes minutes), drop every case and log row, then add N cases.
  sqlite3 "$DIR/gongzhi.db" "DELETE FROM ledger_checkpoints; DELETE FROM ledger_hashes; DELETE FROM ledger_entries;
    DELETE FROM case_events; DELETE FROM case_tallies; DELETE FROM case_cube; DELETE FROM case_slices; DELETE FROM ticket_counters; DELETE FROM notifications;
    DELETE FROM cases; PRAGMA wal_checkpoint(TRUNCATE);"
  city_note="(city stored earlier: $(grep -a "演示城市已写入" "$DIR/gen.summary" | sed -E 's/.* in ([0-9.]+)s.*/\1/') s)"
else
  rm -rf "$DIR"; mkdir -p "$DIR"
  city_note=""
fi
/usr/bin/time -v "$bin" --data-dir "$DIR" demo --scale city ${CITY_HOUSEHOLDS:+--households "$CITY_HOUSEHOLDS"} --cases "$N" >"$DIR/gen.out" 2>"$DIR/gen.log"
{ [ -n "$city_note" ] && grep -a "演示城市已写入" "$DIR/gen.summary"; tr '\r' '\n' <"$DIR/gen.log" | grep -aE "演示城市已写入|案件已写入|账本已签署|Elapsed|Maximum resident"; } >"$DIR/gen.summary.new" || true
mv "$DIR/gen.summary.new" "$DIR/gen.summary"; cat "$DIR/gen.summary"
gen_wall=$(grep -a "Elapsed" "$DIR/gen.summary" | awk '{print $NF}')
gen_rss=$(grep -a "Maximum resident" "$DIR/gen.summary" | awk '{print $NF}')
city_s=$(grep -a "演示城市已写入" "$DIR/gen.summary" | sed -E 's/.* in ([0-9.]+)s.*/\1/')
city_what=$(grep -a "演示城市已写入" "$DIR/gen.summary" | sed -E 's/.*stored: ([0-9]+) areas, ([0-9]+) grids, ([0-9]+) buildings, ([0-9]+) households, ([0-9]+) residents.*/\2 grids, \4 households, \5 residents/')
cases_line=$(grep -a "案件已写入" "$DIR/gen.summary")
cases_s=$(echo "$cases_line" | sed -E 's/.* in ([0-9.]+)s \(([0-9]+) cases\/s\).*/\1/')
cases_rate=$(echo "$cases_line" | sed -E 's/.*\(([0-9]+) cases\/s\).*/\1/')
ledger_line=$(grep -a "账本已签署" "$DIR/gen.summary")
entries=$(echo "$ledger_line" | sed -E 's/.*签署 \/ ([0-9]+) log entries integrated in ([0-9.]+)s.*/\1/')
ledger_s=$(echo "$ledger_line" | sed -E 's/.*integrated in ([0-9.]+)s.*/\1/')
db_gb=$(du -b "$DIR/gongzhi.db" | awk '{printf "%.1f", $1/1e9}')
bytes_per_case=$(du -b "$DIR/gongzhi.db" | awk -v n="$N" '{printf "%.0f", $1/n}')

# P7: cold start (exec → /healthz answers) and memory, with N cases in the database.
token=$("$bin" --data-dir "$DIR" token create --account admin 2>/dev/null)
t0=$(date +%s.%N)
"$bin" --data-dir "$DIR" serve --listen 127.0.0.1:$PORT 2>"$DIR/serve.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; do sleep 0.05; done
t1=$(date +%s.%N)
cold_ms=$(python3 -c "print(round(($t1-$t0)*1000))")
rss_start=$(awk '/VmRSS/{print $2}' /proc/$pid/status)

# P3 ours: the scorecard page's two reads (by street, by month) over the year of cases.
from=$(TZ=Asia/Shanghai date -d '-365 days' +%F); to=$(TZ=Asia/Shanghai date +%F)
q="from=$from&to=$to"
curl -fsS -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/api/v1/metrics?by=street&$q" -o "$DIR/street.json"
python3 - "$DIR/street.json" "$N" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
n = v["total"]["counters"]["reported"]
assert n == int(sys.argv[2]), f"scorecard counts {n} cases, expected {sys.argv[2]}"
print(f"scorecard: {len(v['groups'])} streets, {n} cases, satisfaction {v['total']['rates']['satisfaction_rate']}%")
PY
ours=()
for _ in $(seq 1 "$RUNS"); do
  a=$(curl -fsS -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/api/v1/metrics?by=street&$q")
  b=$(curl -fsS -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/api/v1/metrics?by=month&$q")
  ours+=("$(python3 -c "print(($a+$b)*1000)")")
done
ours_ms=$(printf '%s\n' "${ours[@]}" | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
# The same scorecard by category has no running tallies: every case is read and folded.
fold=$(curl -fsS -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/api/v1/metrics?by=category&$q")
fold_ms=$(python3 -c "print(round($fold*1000))")
rss_after=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
kill $pid; wait $pid 2>/dev/null || true
trap - EXIT

# Baselines on the same rows: one CSV row per case (street, month, rating flags).
sqlite3 -csv -header "$DIR/gongzhi.db" >"$DIR/cases.csv" <<'SQL'
SELECT CASE WHEN community_code IS NULL THEN '' ELSE substr(community_code, 1, 9) || '000' END AS street,
       strftime('%Y-%m', reported_at / 1000 + 8 * 3600, 'unixepoch') AS month,
       CASE WHEN json_extract(state_json, '$.rating') IS NULL THEN 0 ELSE 1 END AS valid,
       COALESCE(json_extract(state_json, '$.rating.contacted'), 0) AS contacted,
       COALESCE(json_extract(state_json, '$.rating.resolved'), 0) AS resolved,
       CASE WHEN json_extract(state_json, '$.rating.satisfaction') = 'satisfied' THEN 1 ELSE 0 END AS satisfied,
       CASE WHEN json_extract(state_json, '$.rating.satisfaction') = 'basically_satisfied' THEN 1 ELSE 0 END AS basically
FROM cases;
SQL
for _ in $(seq 1 120); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
base=$(python3 bench/city/baseline.py "$DIR/cases.csv" "$RUNS" | grep '^RESULT')
echo "baseline $base"
duck_ms=$(echo "$base" | sed -E 's/.*duckdb_ms=([0-9.]+).*/\1/')
pg_ms=$(echo "$base" | sed -E 's/.*postgres_ms=([0-9.]+).*/\1/')

rows=$(python3 - <<PY
n=$N; ours=$ours_ms; duck=$duck_ms; pg=$pg_ms; fold=$fold_ms
cases_rate=$cases_rate; gen_wall="$gen_wall"
h, m, s = ([0, 0] + [float(x) for x in gen_wall.split(':')])[-3:]
wall = h * 3600 + m * 60 + s
per20m = 20_000_000 / cases_rate
verdict = "met" if per20m <= 900 else f"**not met**: {per20m/60:.0f} min for 20,000,000 at this rate; and at $bytes_per_case B/case 20,000,000 cases need {20e6*$bytes_per_case/1e9:.0f} GB, more than this machine's free disk"
cmd = "bash bench/city/run.sh $N"
print(f"ROW|city generation: $city_what (\`$cmd\`)|city {float('$city_s'):.1f} s; {n:,} cases {float('$cases_s'):.1f} s ({cases_rate:,} cases/s); {int('$entries'):,} log entries integrated {float('$ledger_s'):.1f} s; total {wall:.0f} s; peak RSS {int('$gen_rss')//1024} MB; database {float('$db_gb')} GB|—|—|goal 20,000,000 cases ≤ 15 min: {verdict}|$cmd")
print(f"ROW|P3 three-rates dashboard (by street + by month) over {n:,} cases, vs DuckDB GROUP BY street × month|{ours:.1f} ms (running tallies)|DuckDB {duck:.1f} ms|{duck/ours:.2f}×|—|$cmd")
print(f"ROW|P3 same, vs PostgreSQL GROUP BY street × month|{ours:.1f} ms|PostgreSQL {pg:.1f} ms|{pg/ours:.2f}×|—|$cmd")
print(f"ROW|P3 scorecard by category (no tallies: reads every case) over {n:,} cases|{fold:,.0f} ms (one run)|DuckDB {duck:.1f} ms|{duck/fold:.3f}×|—|$cmd")
print(f"ROW|P7 cold start with {n:,} cases (exec → /healthz)|{$cold_ms} ms|—|—|—|$cmd")
print(f"ROW|P7 server memory with {n:,} cases|RSS {int('$rss_start')//1024} MB after start, {int('$rss_after')//1024} MB after the dashboards|—|—|—|$cmd")
PY
)
echo "$rows"
# bench/run keeps these lines in bench/city/ROWS.
