#!/usr/bin/env bash
# P5 importing the national division table (about 645,000 areas, all five levels) into a fresh
# installation, and 1,000,000 residents: `gongzhi import residents FILE` (parse and check every row,
# resolve households, encrypt 身份证号 and phone, blind indexes, all or nothing in one
# transaction) into a demo city seeded with the households they belong to, from .csv and from
# .xlsx, beside `sqlite3 .import` of the same CSV into a plain table, run by run.
# Usage: bash bench/import/run.sh [ROWS] [RUNS] [HOUSEHOLDS]   (default 1000000 3 100000)
# Installs sqlite3 (Debian) and openpyxl (PyPI) if missing. The generated files are kept in
# target/bench-import/ between runs. Prints ROW| lines (bench/run keeps them in ROWS).
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-1000000}"
RUNS="${2:-3}"
HH="${3:-100000}"
command -v sqlite3 >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3 >/dev/null; }
python3 -c 'import openpyxl' 2>/dev/null || pip install -q openpyxl >/dev/null
cargo build -q --release -p gongzhi
tdir="${CARGO_TARGET_DIR:-target}"
[[ "$tdir" = /* ]] || tdir="$PWD/$tdir"
bin="$tdir/release/gongzhi"
cache="$tdir/bench-import"
mkdir -p "$cache"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export GONGZHI_DEMO_PASSWORD=bench2026pass
echo "seeding a demo city with $HH households"
$bin --data-dir "$work/seed" demo --households "$HH" >/dev/null
$bin --data-dir "$work/seed" export households "$work/households.csv" >/dev/null
seeded=$(sqlite3 "$work/seed/gongzhi.db" "select count(*) from residents")
if ! cmp -s "$work/households.csv" "$cache/households-$HH.csv" || [ ! -s "$cache/residents-$N.xlsx" ]; then
  echo "writing $N residents as .csv and .xlsx"
  python3 bench/import/make_residents.py "$work/households.csv" "$N" "$cache/residents-$N.csv" "$cache/residents-$N.xlsx"
  cp "$work/households.csv" "$cache/households-$HH.csv"
fi
csv="$cache/residents-$N.csv"
xlsx="$cache/residents-$N.xlsx"
ls -l "$csv" "$xlsx"
sync
: >"$work/results"
measure() { # LABEL COMMAND… : appends "LABEL seconds maxrss_kb"
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>&1 || { cat "$work/out"; exit 1; }
  echo "$label $(cat "$work/time")" | tee -a "$work/results"
}
areas="$cache/areas.csv"
[ -s "$areas" ] || python3 bench/import/make_areas.py "$areas"
n_areas=$(($(wc -l <"$areas") - 1))
for run in $(seq 1 "$RUNS"); do
  rm -rf "$work/fresh"; mkdir -p "$work/fresh"
  # A fresh installation: its own key; `stats` creates the database so migrations are not timed.
  key=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
  GONGZHI_MASTER_KEY=$key $bin --data-dir "$work/fresh" stats >/dev/null
  sync
  measure ours_areas env GONGZHI_MASTER_KEY="$key" "$bin" --data-dir "$work/fresh" import areas "$areas"
  got=$(sqlite3 "$work/fresh/gongzhi.db" "select count(*) from areas")
  [ "$got" -ge "$n_areas" ] || { echo "expected $n_areas areas, found $got"; exit 1; }
  rm -f "$work/base.db"; sync
  measure sqlite3_areas sqlite3 "$work/base.db" ".mode csv" ".import $areas areas"
done
for run in $(seq 1 "$RUNS"); do
  rm -rf "$work/run"; cp -a "$work/seed" "$work/run"; sync
  measure ours_csv "$bin" --data-dir "$work/run" import residents "$csv"
  got=$(sqlite3 "$work/run/gongzhi.db" "select count(*) from residents")
  [ "$got" -eq $((seeded + N)) ] || { echo "expected $((seeded + N)) residents, found $got"; exit 1; }
  rm -f "$work/base.db"; sync
  measure sqlite3_csv sqlite3 "$work/base.db" ".mode csv" ".import $csv residents"
  got=$(sqlite3 "$work/base.db" "select count(*) from residents")
  [ "$got" -eq "$N" ] || { echo "sqlite3 imported $got rows"; exit 1; }
  rm -rf "$work/run"; cp -a "$work/seed" "$work/run"; sync
  measure ours_xlsx "$bin" --data-dir "$work/run" import residents "$xlsx"
  got=$(sqlite3 "$work/run/gongzhi.db" "select count(*) from residents")
  [ "$got" -eq $((seeded + N)) ] || { echo "expected $((seeded + N)) residents, found $got"; exit 1; }
done
python3 - "$work/results" "$N $RUNS $HH" "$seeded" "$n_areas" <<'PY'
import statistics, sys
t = {}
for line in open(sys.argv[1]):
    label, s, kb = line.split()
    t.setdefault(label, []).append((float(s), int(kb)))
args, seeded, n_areas = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
n, runs, hh = (int(x) for x in args.split())
med = lambda label: statistics.median(s for s, _ in t[label])
rss = lambda label: max(kb for _, kb in t[label]) / 1024
j = lambda label: "/".join(f"{s:.1f}" for s, _ in t[label])
a, ab = med("ours_areas"), med("sqlite3_areas")
print(f"ROW|P5 import the division table: {n_areas:,} areas (five levels) from .csv into a fresh installation"
      f"|{a:.2f} s = {n_areas/a:,.0f} rows/s (runs {j('ours_areas')} s), peak {rss('ours_areas'):,.0f} MB"
      f"|`sqlite3 .import` of the same CSV into a plain table: {ab:.2f} s (runs {j('sqlite3_areas')} s)"
      f"|{ab/a:.2f}×|within 2× of `sqlite3 .import`: {'met' if a <= 2 * ab else '**not met**'}|bench/import/run.sh {args}")
base = med("sqlite3_csv")
b = f"`sqlite3 .import` of the same CSV into a plain table: {base:.1f} s = {n/base:,.0f} rows/s (runs {j('sqlite3_csv')} s)"
for label, what, times in (("ours_csv", ".csv", 2), ("ours_xlsx", ".xlsx", 3)):
    s = med(label)
    goal = f"within {times}× of `sqlite3 .import` (issue 17), peak ≤ 300 MB: "
    met = s <= times * base and rss(label) <= 300
    print(f"ROW|P5 import {n:,} residents from {what} into a city of {hh:,} households ({seeded:,} residents already)"
          f"|{s:.1f} s = {n/s:,.0f} rows/s (runs {j(label)} s), peak {rss(label):,.0f} MB|{b}|{base/s:.2f}×"
          f"|{goal}{'met' if met else '**not met**'}|bench/import/run.sh {args}")
PY
