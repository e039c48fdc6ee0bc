#!/usr/bin/env bash
# P2 point → grid over the 30,000-grid lattice: our R-tree (GridIndex::locate, in process, one
# thread) beside PostGIS ST_Contains with a GiST index on the same polygons and the same points,
# as one set-based join (best case) and as per-point prepared lookups from a client.
# Usage: bash bench/locate/run.sh [POINTS] [CLIENT_POINTS] [RUNS]
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust); installs postgresql-15-postgis-3
# from Debian and psycopg from PyPI if missing. Prints ROW| lines (bench/run keeps them in ROWS).
set -euo pipefail
cd "$(dirname "$0")/../.."
POINTS="${1:-100000}"
CLIENT="${2:-20000}"
RUNS="${3:-5}"
if ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15-postgis-3 >/dev/null
fi
python3 -c 'import psycopg' 2>/dev/null || pip install -q 'psycopg[binary]' >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo run -q --release -p gongzhi-geo --example locate_export -- "$work" "$POINTS" 30000 | tee "$work/ours.out"
python3 bench/locate/postgis.py "$work" "$CLIENT" "$RUNS" | tee "$work/postgis.out"
python3 - "$work/ours.out" "$work/postgis.out" "$POINTS $CLIENT $RUNS" <<'PY'
import re, sys
kv = lambda path: dict(re.findall(r"(\w+)=([\w./]+)", [l for l in open(path) if l.startswith("RESULT")][0]))
o, p = kv(sys.argv[1]), kv(sys.argv[2])
args = sys.argv[3]
ours = float(o["lookups_per_s"])
join, client = float(p["join_per_s"]), float(p["client_per_s"])
cmd = f"bench/locate/run.sh {args}"
pts, cpts = int(p["points"]), int(p["client_points"])
print(f"ROW|P2 point → grid, 30,000 grids, {pts:,} random points, one thread (vs PostGIS set-based join, GiST)"
      f"|{ours:,.0f} lookups/s (runs {o['runs']})|{join:,.0f} points/s (runs {p['join_runs']}, JIT {p['jit']}); same grid for {int(p['agree_join']):,} of {pts:,}"
      f"|{ours/join:.1f}×|none given beyond beating the baseline: {'met' if ours > join else '**not met**'}|{cmd}")
print(f"ROW|P2 point → grid, 30,000 grids, per-point lookup (vs PostGIS prepared statement from a client, one connection)"
      f"|{ours:,.0f} lookups/s (in process)|{client:,.0f} lookups/s (runs {p['client_runs']}); same grid for {int(p['agree_client']):,} of {cpts:,}"
      f"|{ours/client:.0f}×|none given beyond beating the baseline: {'met' if ours > client else '**not met**'}|{cmd}")
PY
