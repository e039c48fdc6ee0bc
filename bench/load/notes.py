#!/usr/bin/env python3
"""Writes bench/load/NOTES.md (to stdout) from a load run's work dir: the streams' results, the
ROW lines and the server's RSS series (sampled every 10 s, shown per minute)."""

import os
import re
import subprocess
import sys
import time

work, dur, binary = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = open(os.path.join(work, "rows.txt")).read().strip().splitlines()
first, last, top, slope, growth, verdict, low = open(os.path.join(work, "rss-summary.txt")).read().split()
rss = [tuple(map(int, l.split())) for l in open(os.path.join(work, "rss.txt")) if len(l.split()) == 2]
streams = []
for name in ["report", "staff", "metrics", "map", "o311", "o311post"]:
    text = open(os.path.join(work, f"wrk-{name}.txt")).read()
    m = re.search(r"^STREAM .*$", text, re.M)
    streams.append(dict(re.findall(r"(\w+)=([^\s]+)", m.group(0))) | {"name": name})


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


commit = sh("git rev-parse --short HEAD")
server_cpu, load0, load1 = open(os.path.join(work, "cpu.txt")).read().strip().split("|")
total = int(os.environ.get("R_TOTAL") or 1000)
print(f"# Load test: {total:,} requests/s of mixed traffic")
print()
rate = os.environ.get("LOAD_RATE", "1000")
print(f"`{'' if rate == '1000' else f'LOAD_RATE={rate} '}bash bench/load/run.sh {dur}` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit {commit}, "
      f"release binary, SQLite (WAL, synchronous=FULL), demo city (default size), "
      f"{os.cpu_count()} cores shared with the load generators (one `wrk -t1` per stream).")
print()
print(f"The server used {server_cpu} cores on average; the machine's load average was {load0} before "
      f"and {load1} after (other work on the machine included).")
print()
print("Each stream runs at a fixed rate: `bench/load/stream.lua` gives every request the next slot")
print("of a fixed schedule through `delay()`, so the offered rate does not follow the latency.")
print("The staff stream walks the cases the report streams filed (ids from the first one of a")
print("300-case backlog): the department starts a case and reports it back, the street verifies")
print("and closes it, each step 5 s after the previous one on that case.")
print()
what = {
    "report": "POST /api/v1/cases as the grid worker, in categories the dispatch rules send to the "
              "staff stream's department (each is registered and dispatched on intake)",
    "staff": "POST /api/v1/cases/{id}/commands: start and report_back as the department, verify and "
             "close as the street",
    "metrics": "GET /api/v1/metrics?by=street as the district (dashboard)",
    "map": "GET /api/v1/grids.geojson?area=<street> and /api/v1/grids/{code}, alternately, as the street",
    "o311": "GET /open311/v2/services.json (4 in 9) and requests.json?page_size=20, ?page_size=50, "
            "?status=open&page_size=20 (5 in 9); one request in 100 is the default page (90 days, up "
            "to 1,000 requests)",
    "o311post": "POST /open311/v2/requests.json with an api_key (form-encoded, located in the grid)",
}
for st in streams:
    print(f"- **{st['name']}** ({float(st['rps']):.0f}/s): {what[st['name']]}")
print()
print("| stream | requests | rate/s | p50 ms | p90 ms | p99 ms | max ms | non-2xx | socket errors |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for s in streams:
    print(f"| {s['name']} | {int(s['requests']):,} | {float(s['rps']):.1f} | {s['p50_ms']} | {s['p90_ms']} | "
          f"{s['p99_ms']} | {s['max_ms']} | {s['non2xx']} | {s['socket_errors']} |")
print()
print("## Server memory (VmRSS, every 10 s)")
print()
print(f"{first} MB before the load (the first sample), {low} … {top} MB under it, last {last} MB; "
      f"least-squares slope over the last 5 minutes "
      f"{slope} MB/min ({growth}% over those 5 minutes): **{verdict}**.")
print()
print("| minute | RSS MB (min … max over the minute) |")
print("|---:|---|")
by_min = {}
for t, kb in rss:
    by_min.setdefault(t // 60, []).append(kb / 1024)
for m in sorted(by_min):
    v = by_min[m]
    print(f"| {m} | {min(v):.1f} … {max(v):.1f} |")
print()
print("Full series (seconds since the load started, RSS in kB):")
print()
print("```")
print(" ".join(f"{t}:{kb}" for t, kb in rss))
print("```")
print()
print("## Rows")
print()
print("```")
print("\n".join(rows))
print("```")
