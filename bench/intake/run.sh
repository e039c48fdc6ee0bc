#!/usr/bin/env bash
# Intake benchmark (closed-loop issue): HTTP POST of located cases through registration and
# dispatch, durable, 64 concurrent clients (wrk), beside raw SQLite inserts of the same rows.
# Usage: bash bench/intake/run.sh [DURATION_S]   (release build; installs wrk from Debian)
set -euo pipefail
cd "$(dirname "$0")/../.."
DUR="${1:-20}"
command -v wrk >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
cargo build --release -p gongzhi >/dev/null
work="$(mktemp -d)"
bin="${CARGO_TARGET_DIR:-target}/release/gongzhi"
export GONGZHI_DEMO_PASSWORD=bench2026pass
$bin --data-dir "$work" demo --households 5000 >/dev/null
token=$($bin --data-dir "$work" token create --account grid 2>/dev/null)
# Points inside the grid worker's grid: its buildings' coordinates.
grid=$(sqlite3 "$work/gongzhi.db" "select scope from accounts where username='grid'" | cut -d: -f2)
$bin --data-dir "$work" export buildings "$work/b.csv" --grid "$grid" >/dev/null
python3 - "$work/b.csv" "$work/points.txt" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
h = rows[0]
lon, lat = h.index("经度"), h.index("纬度")
open(sys.argv[2], "w").write("\n".join(f"{r[lon]},{r[lat]}" for r in rows[1:]) + "\n")
PY
$bin --data-dir "$work" serve --listen 127.0.0.1:18777 2>"$work/serve.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fsS http://127.0.0.1:18777/healthz >/dev/null 2>&1 && break; sleep 0.2; done
ours=$(cd bench/intake && POINTS="$work/points.txt" TOKEN="$token" wrk -t2 -c64 -d"${DUR}s" --latency -s post.lua http://127.0.0.1:18777 | grep '^RESULT')
kill $pid; wait $pid 2>/dev/null || true
n=$(echo "$ours" | sed -E 's/.*requests=([0-9]+).*/\1/')
base=$(python3 bench/intake/baseline.py "$n" | grep '^RESULT')
echo "gongzhi  $ours"
echo "baseline $base"
python3 - "$ours" "$base" <<'PY'
import re, sys
o = dict(re.findall(r"(\w+)=([\d.]+)", sys.argv[1])); b = dict(re.findall(r"(\w+)=([\d.]+)", sys.argv[2]))
print(f"| intake over HTTP, 64 clients | {float(o['rps']):,.0f} cases/s, p50 {o['p50_ms']} ms, p99 {o['p99_ms']} ms | raw SQLite inserts {float(b['rps']):,.0f} rows/s, p50 {b['p50_ms']} ms, p99 {b['p99_ms']} ms | {float(o['rps'])/float(b['rps']):.2f}× |")
PY
