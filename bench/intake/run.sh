#!/usr/bin/env bash
# P1 intake over HTTP (closed-loop issue): POST of located cases through registration and
# dispatch, durable (SQLite WAL, synchronous=FULL), 64 concurrent clients (wrk -t2 -c64), beside
# raw SQLite inserts of the same rows (baseline.py: a case row and its three events per
# transaction, same durability, 64 threads), each baseline run right after one of ours.
# Usage: bash bench/intake/run.sh [DURATION_S] [RUNS]   (default 20 s, 3 runs; installs wrk)
# Prints ROW| lines (bench/run keeps them in ROWS).
set -euo pipefail
cd "$(dirname "$0")/../.."
DUR="${1:-20}"
RUNS="${2:-3}"
command -v wrk >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
command -v sqlite3 >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3 >/dev/null; }
cargo build -q --release -p gongzhi
work="$(mktemp -d)"
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT
bin="${CARGO_TARGET_DIR:-target}/release/gongzhi"
export GONGZHI_DEMO_PASSWORD=bench2026pass
$bin --data-dir "$work/seed" demo --households 5000 >/dev/null
token=$($bin --data-dir "$work/seed" token create --account grid 2>/dev/null)
# Points inside the grid worker's grid: its buildings' coordinates.
grid=$(sqlite3 "$work/seed/gongzhi.db" "select scope from accounts where username='grid'" | cut -d: -f2)
$bin --data-dir "$work/seed" export buildings "$work/b.csv" --grid "$grid" >/dev/null
python3 - "$work/b.csv" "$work/points.txt" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
h = rows[0]
lon, lat = h.index("经度"), h.index("纬度")
open(sys.argv[2], "w").write("\n".join(f"{r[lon]},{r[lat]}" for r in rows[1:]) + "\n")
PY
: >"$work/results"
for run in $(seq 1 "$RUNS"); do
  rm -rf "$work/run"; cp -a "$work/seed" "$work/run"   # every run starts from the same city
  $bin --data-dir "$work/run" serve --listen 127.0.0.1:18777 2>"$work/serve.log" &
  pid=$!
  for _ in $(seq 1 100); do curl -fsS http://127.0.0.1:18777/healthz >/dev/null 2>&1 && break; sleep 0.2; done
  ours=$(cd bench/intake && POINTS="$work/points.txt" TOKEN="$token" wrk -t2 -c64 -d"${DUR}s" --latency -s post.lua http://127.0.0.1:18777 | grep '^RESULT')
  kill $pid; wait $pid 2>/dev/null || true; pid=
  n=$(echo "$ours" | sed -E 's/.*requests=([0-9]+).*/\1/')
  base=$(python3 bench/intake/baseline.py "$n" | grep '^RESULT')
  echo "run $run: gongzhi  $ours"
  echo "run $run: baseline $base"
  echo "OURS $ours" >>"$work/results"
  echo "BASE $base" >>"$work/results"
done
python3 - "$work/results" "$DUR $RUNS" <<'PY'
import re, statistics, sys
ours, base = [], []
for line in open(sys.argv[1]):
    d = {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", line)}
    (ours if line.startswith("OURS") else base).append(d)
med = lambda rs, k: statistics.median(r[k] for r in rs)
runs = lambda rs: "/".join(f"{r['rps']:,.0f}" for r in rs)
o_rps, o50, o99 = med(ours, "rps"), med(ours, "p50_ms"), med(ours, "p99_ms")
b_rps, b50, b99 = med(base, "rps"), med(base, "p50_ms"), med(base, "p99_ms")
errors = sum(r["errors"] for r in ours)
met = o_rps >= 5000 and o99 <= 50
verdict = "≥ 5,000 cases/s with p99 ≤ 50 ms: " + ("met" if met else "**not met**")
print(f"ROW|P1 intake over HTTP, 64 clients, durable (vs raw SQLite inserts of the same rows, 64 threads)"
      f"|{o_rps:,.0f} cases/s (runs {runs(ours)}), p50 {o50:.1f} ms, p99 {o99:.1f} ms, {errors:.0f} errors"
      f"|{b_rps:,.0f} rows/s (runs {runs(base)}), p50 {b50:.2f} ms, p99 {b99:.1f} ms"
      f"|{o_rps/b_rps:.2f}×|{verdict}|bench/intake/run.sh {sys.argv[2]}")
PY
