#!/usr/bin/env bash
# Load test (issue "Prove it holds", point 6; issue 10 asks for 3,000/s): the demo city (SQLite)
# under LOAD_RATE requests/s (default 1,000) of mixed traffic for SECONDS (default 600), each
# stream at a fixed rate (one wrk per stream, paced by bench/load/stream.lua):
#   report    POST /api/v1/cases as the grid worker                      (intake, dispatch)
#   staff     POST /api/v1/cases/{id}/commands: the department starts and reports back, the
#             street verifies and closes, on the cases the report streams filed
#   metrics   GET /api/v1/metrics?by=street as the district               (dashboard)
#   map       GET /api/v1/grids.geojson?area=… and /api/v1/grids/{code}   (grid map page)
#   o311      GET /open311/v2/services.json and requests.json
#   o311post  POST /open311/v2/requests.json with an api_key
# Records requests, non-2xx and socket errors (both must be 0), p50/p90/p99 per stream (the
# goal: p99 ≤ LOAD_P99_MS, default 100 ms, shown in each stream's verdict), and the
# server's RSS every 10 s (VmRSS): first/last/max and the slope over the last 5 minutes.
# Afterwards `gongzhi verify` checks the transparency log against the database.
#
# Usage: bash bench/load/run.sh [SECONDS]   (release build; installs wrk and sqlite3 from Debian)
#   e.g. LOAD_RATE=3000 bash bench/load/run.sh 600   (issue 10's acceptance)
# LOAD_RATE: the total rate, requests/s [default 1000]; every stream is scaled from its share at
# 1,000/s (report 80, staff 80, metrics 100, map 250, o311 480, o311post 10); R_REPORT, R_STAFF,
# R_METRICS, R_MAP, R_O311, R_O311POST set one stream's rate instead. Each stream gets one
# connection per 8 requests/s (at least 4), so a request may take 125 ms before the schedule slips.
# LOAD_LOG: keep the server's log at this path.
# GONGZHI_BIN: the binary [default target/release/gongzhi, built if missing].
# A run of 600 s or more writes bench/load/ROWS and bench/load/NOTES.md (LOAD_SAVE=0: don't).
# LOAD_HOUSEHOLDS sets the demo city's size [default: the demo's default, 50,000].
set -euo pipefail
cd "$(dirname "$0")/../.."
DUR="${1:-600}"
need() { command -v "$1" >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; }; }
need wrk wrk
need sqlite3 sqlite3
bin="${GONGZHI_BIN:-${CARGO_TARGET_DIR:-target}/release/gongzhi}"
[ -x "$bin" ] || cargo build --release -p gongzhi >/dev/null
bin="$(realpath "$bin")"

# Requests per second per stream: the shares of 1,000/s scaled to LOAD_RATE (at least 1 each).
LOAD_RATE="${LOAD_RATE:-1000}"
[[ "$LOAD_RATE" =~ ^[0-9]+$ ]] && [ "$LOAD_RATE" -ge 1 ] || { echo "LOAD_RATE must be a whole number of requests/s" >&2; exit 2; }
share() { local r=$(( ($1 * LOAD_RATE + 500) / 1000 )); [ "$r" -lt 1 ] && r=1; echo "$r"; }
R_REPORT="${R_REPORT:-$(share 80)}"
R_STAFF="${R_STAFF:-$(share 80)}"
R_METRICS="${R_METRICS:-$(share 100)}"
R_MAP="${R_MAP:-$(share 250)}"
R_O311="${R_O311:-$(share 480)}"
R_O311POST="${R_O311POST:-$(share 10)}"
R_TOTAL=$(( R_REPORT + R_STAFF + R_METRICS + R_MAP + R_O311 + R_O311POST ))
export LOAD_RATE
export R_TOTAL
P99_MS="${LOAD_P99_MS:-100}"
# The staff stream moves a case one step every 5 s: 4 requests per round.
export LAG=$(( R_STAFF * 5 / 4 ))
PORT="${LOAD_PORT:-18800}"
base_url="http://127.0.0.1:$PORT"

work="$(mktemp -d)"
# A copy: other builds may replace the binary while this runs.
cp "$bin" "$work/gongzhi"
bin_src="$bin"
bin="$work/gongzhi"
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  # LOAD_LOG=FILE keeps the server's log (WAL truncates, warnings) for a look afterwards.
  [ -n "${LOAD_LOG:-}" ] && [ -f "$work/serve.log" ] && cp "$work/serve.log" "$LOAD_LOG"
  [ -n "${sampler:-}" ] && kill "$sampler" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export GONGZHI_DEMO_PASSWORD=load2026pass
g() { "$bin" --data-dir "$work" "$@"; }
db="$work/gongzhi.db"

echo "seeding the demo city…"
if [ -n "${LOAD_HOUSEHOLDS:-}" ]; then g demo --households "$LOAD_HOUSEHOLDS" >/dev/null; else g demo >/dev/null; fi
scope() { sqlite3 "$db" "select scope from accounts where username='$1'" | cut -d: -f2; }
GRID=$(scope grid); STREET=$(scope street); DEPT=$(scope department)
TOKEN_GRID=$(g token create --account grid 2>/dev/null)
TOKEN_DEPT=$(g token create --account department 2>/dev/null)
TOKEN_STREET=$(g token create --account street 2>/dev/null)
TOKEN_DISTRICT=$(g token create --account district 2>/dev/null)
API_KEY=$(g apikey create --name load-test 2>/dev/null)
g export buildings "$work/b.csv" --grid "$GRID" >/dev/null
python3 - "$work/b.csv" "$work/points.txt" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
h = rows[0]
lon, lat = h.index("经度"), h.index("纬度")
open(sys.argv[2], "w").write("\n".join(f"{r[lon]},{r[lat]}" for r in rows[1:]) + "\n")
PY

"$bin" --data-dir "$work" serve --listen "127.0.0.1:$PORT" 2>"$work/serve.log" &
pid=$!
for _ in $(seq 1 200); do curl -fsS "$base_url/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
# The categories (seeded at first start) that go to the staff stream's department by default,
# with no dispatch rule sending them elsewhere: every case filed goes to that department.
CATEGORIES=$(sqlite3 "$db" "select code from categories c where parent_code is not null and active = 1
  and default_department = '$DEPT' and not exists (select 1 from dispatch_rules r where r.category_code = c.code)
  order by code" | paste -sd, -)
[ -n "$CATEGORIES" ] || { echo "no category goes to department $DEPT" >&2; exit 1; }
CASE_BASE=$(sqlite3 "$db" "select coalesce(max(id), 0) + 1 from cases")
export GRID STREET DEPT TOKEN_GRID TOKEN_DEPT TOKEN_STREET TOKEN_DISTRICT API_KEY CATEGORIES CASE_BASE
export POINTS="$work/points.txt"
# A backlog for the staff stream: it walks case ids from CASE_BASE and must stay behind intake.
python3 - "$base_url" <<'PY'
import http.client, json, os, sys, urllib.parse
u = urllib.parse.urlparse(sys.argv[1])
c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
pts = [l.strip().split(",") for l in open(os.environ["POINTS"]) if l.strip()]
cats = os.environ["CATEGORIES"].split(",")
for i in range(300):
    lon, lat = pts[i % len(pts)]
    body = json.dumps({"category": cats[i % len(cats)], "lon": float(lon), "lat": float(lat),
                       "address": f"积压地址{i}号", "description": f"积压诉求 {i}", "channel": "grid_patrol"})
    c.request("POST", "/api/v1/cases", body=body, headers={"Content-Type": "application/json",
              "Authorization": "Bearer " + os.environ["TOKEN_GRID"]})
    r = c.getresponse(); d = json.loads(r.read())
    if r.status != 201 or d["case"]["department"] != os.environ["DEPT"]:
        sys.exit(f"backlog case {i}: {r.status} {d}")
PY
echo "city: grid $GRID, street $STREET, department $DEPT ($(echo "$CATEGORIES" | tr , '\n' | wc -l) categories), $(wc -l <"$POINTS") points; server pid $pid"

# RSS every 10 s from the start of the load; the server's CPU time and the machine's load
# average before and after.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
cpu0=$(cpu_ticks); load0=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date +%s)
( while kill -0 "$pid" 2>/dev/null; do
    echo "$(( $(date +%s) - started )) $(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")" >>"$work/rss.txt"; sleep 10; done ) &
sampler=$!

conns() { local c=$(( $1 / 8 )); [ "$c" -lt 4 ] && c=4; echo "$c"; }
echo "running ${DUR}s at $R_TOTAL requests/s: report $R_REPORT/s, staff $R_STAFF/s, metrics $R_METRICS/s, map $R_MAP/s, o311 $R_O311/s, o311post $R_O311POST/s"
for s in report:$R_REPORT staff:$R_STAFF metrics:$R_METRICS map:$R_MAP o311:$R_O311 o311post:$R_O311POST; do
  name=${s%%:*}; rate=${s##*:}
  STREAM=$name RATE=$rate wrk -t1 -c"$(conns "$rate")" -d"${DUR}s" --timeout 10s -s bench/load/stream.lua "$base_url" \
    >"$work/wrk-$name.txt" 2>"$work/wrk-$name.err" &
done
wait $(jobs -p | grep -v "^$sampler$" | grep -v "^$pid$") 2>/dev/null || true
elapsed=$(( $(date +%s) - started ))
cpu1=$(cpu_ticks); load1=$(cut -d' ' -f1-3 /proc/loadavg)
server_cpu=$(python3 -c "print(f'{($cpu1 - $cpu0) / $(getconf CLK_TCK) / $elapsed:.2f}')")
echo "server CPU: $server_cpu cores on average; machine load average $load0 before, $load1 after"
echo "$server_cpu|$load0|$load1" >"$work/cpu.txt"
# Stop the sampler (its samples are all under load but the first), then the server, and check
# the log against the database.
kill "$sampler" 2>/dev/null || true
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
# The whole output first (a `| head -1` here could end verify by SIGPIPE and read as a failure).
verify_out=$(g verify 2>&1) && verify_ok=1 || { verify_ok=0; echo "verify exited $?: $verify_out" | head -20; }
verify=$(head -1 <<<"$verify_out")
cases=$(sqlite3 "$db" "select count(*) || ' cases, ' || sum(state = 'closed') || ' closed' from cases")
errlog=$(grep -c "ERROR" "$work/serve.log" || true)
for f in "$work"/wrk-*.err; do if [ -s "$f" ]; then echo "== $f"; head -20 "$f"; fi; done

status=0
python3 - "$work" "$DUR" "$elapsed" "$verify_ok" "$verify" "$cases" "$errlog" "$R_TOTAL" "$P99_MS" "${LOAD_RATE}" <<'PY' || status=$?
import glob, os, re, sys
work, dur, elapsed, verify_ok, verify, cases, errlog = sys.argv[1:8]
target, p99_goal, load_rate = int(sys.argv[8]), float(sys.argv[9]), sys.argv[10]
names = {"report": "case reports POST /api/v1/cases", "staff": "staff commands (start/report back/verify/close)",
         "metrics": "dashboard GET /api/v1/metrics?by=street", "map": "map GET grids.geojson + grids/{code}",
         "o311": "Open311 GET services.json + requests.json", "o311post": "Open311 POST requests.json"}
streams, total, errors = [], 0, 0
for name in names:
    text = open(os.path.join(work, f"wrk-{name}.txt")).read()
    m = re.search(r"^STREAM .*$", text, re.M)
    if not m:
        sys.exit(f"no result from stream {name}:\n{text}")
    d = dict(re.findall(r"(\w+)=([^\s]+)", m.group(0)))
    streams.append((name, d))
    total += int(d["requests"]); errors += int(d["non2xx"]) + int(d["socket_errors"])
rss = [tuple(map(int, l.split())) for l in open(os.path.join(work, "rss.txt")) if len(l.split()) == 2]
def slope(pts):  # least squares, KB per second
    n = len(pts); mx = sum(p[0] for p in pts) / n; my = sum(p[1] for p in pts) / n
    den = sum((p[0] - mx) ** 2 for p in pts)
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / den if den else 0.0
end = rss[-1][0]
# The last 5 minutes under load (never the sample taken before it).
last5 = [p for p in rss if p[0] >= max(10, end - 300)] or rss[-2:]
s5 = slope(last5) * 60 / 1024  # MB per minute
first, last, top = rss[0][1] / 1024, rss[-1][1] / 1024, max(p[1] for p in rss) / 1024
loaded = [p[1] / 1024 for p in rss if p[0] >= 10]
low = min(loaded) if loaded else last
growth5 = s5 * 5 / (last or 1)
# A leak grows; memory given back (mimalloc returns freed pages in bursts) is not a leak. RSS
# under load swings ±10 MB around a base of ~80 MB, so a 5-minute slope can pass 5% on a dip
# alone: it also counts as flat when the last 5 minutes never rose 5% above the earlier peak
# (a leak raises every later peak).
earlier = [p[1] for p in rss if 10 <= p[0] < end - 300]
peak_before, peak_last = (max(earlier) if earlier else 0), max(p[1] for p in last5)
no_new_peak = bool(earlier) and peak_last <= peak_before * 1.05
flat = growth5 < 0.05 or no_new_peak
rate = total / float(elapsed)
cmd = f"bash bench/load/run.sh {dur}" if load_rate == "1000" else f"LOAD_RATE={load_rate} bash bench/load/run.sh {dur}"
rows = [f"ROW|load: {target:,} req/s mixed for {dur} s (SQLite, 6 streams)|{total:,} requests, {rate:,.0f} req/s, "
        f"{errors} errors (non-2xx + socket); {cases}; log verify {'ok' if verify_ok == '1' else 'FAILED'}|—|—|"
        f"0 errors → {'met' if errors == 0 and verify_ok == '1' else 'NOT MET'}|{cmd}"]
for name, d in streams:
    e = int(d["non2xx"]) + int(d["socket_errors"])
    fast = float(d["p99_ms"]) <= p99_goal
    rows.append(f"ROW|load stream: {names[name]} at {float(d['rps']):,.0f}/s|p50 {d['p50_ms']} ms, p90 {d['p90_ms']} ms, "
                f"p99 {d['p99_ms']} ms, max {d['max_ms']} ms; {int(d['requests']):,} requests, {e} errors|—|—|"
                f"0 errors, p99 ≤ {p99_goal:g} ms → {'met' if e == 0 and fast else 'NOT MET'}|{cmd}")
rows.append(f"ROW|load: server RSS every 10 s over {dur} s|{first:.0f} MB before the load, {low:.0f}–{top:.0f} MB under it, "
            f"last {last:.0f} MB; "
            f"last 5 min slope {s5:+.2f} MB/min ({growth5 * 100:+.1f}% over 5 min)|—|—|"
            f"memory flat (5-min growth under 5%, or the last 5 min peak ({peak_last / 1024:.0f} MB) within 5% of the earlier peak ({peak_before / 1024:.0f} MB)) → {'met' if flat else 'NOT MET'}|{cmd}")
print(f"\nverify: {verify}")
print(f"server log ERROR lines: {errlog}")
for name, d in streams:
    print(f"{name:9} {d['requests']:>8} req  {float(d['rps']):7.1f}/s  p50 {d['p50_ms']:>7} ms  p90 {d['p90_ms']:>7} ms  "
          f"p99 {d['p99_ms']:>7} ms  max {d['max_ms']:>8} ms  non2xx {d['non2xx']}  socket {d['socket_errors']}  codes {d['codes']}")
print(f"RSS (MB): first {first:.1f}  last {last:.1f}  max {top:.1f}  slope last 5 min {s5:+.3f} MB/min")
print("\n".join(rows))
with open(os.path.join(work, "rows.txt"), "w") as f:
    f.write("\n".join(rows) + "\n")
with open(os.path.join(work, "rss-summary.txt"), "w") as f:
    f.write(f"{first:.1f} {last:.1f} {top:.1f} {s5:+.3f} {growth5 * 100:+.2f} {'flat' if flat else 'growing'} {low:.1f}\n")
sys.exit(0 if errors == 0 and verify_ok == "1" and flat else 1)
PY
if [ "$DUR" -ge 600 ] && [ "${LOAD_SAVE:-1}" != 0 ]; then
  cp "$work/rows.txt" bench/load/ROWS
  python3 bench/load/notes.py "$work" "$DUR" "$bin" >bench/load/NOTES.md
fi
exit $status
