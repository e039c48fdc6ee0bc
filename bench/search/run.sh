#!/usr/bin/env bash
# P6 search (issue 16): N synthetic Chinese case texts (the demo generator's phrases), our index
# (tantivy + jieba, and the same with character bigrams) vs SQLite FTS5 (trigram), PostgreSQL
# tsvector ('simple') and pg_trgm on the same texts and the same queries: 2-character words,
# 4-character words, two words, and words with an area filter; p50/p95 per class and the hits.
# Usage: bash bench/search/run.sh [N] [DIR] [RUNS]   (release build; the lead's run: 1000000,
# then 20000000 if the disk holds it). Postgres from GONGZHI_TEST_POSTGRES. BASE_RUNS: fewer runs
# for the baselines, whose scans of 2-character words take seconds each at 20 M texts.
# SEARCH_BENCH_ONLY=jieba leaves the bigram index out (n-gram indexing is compared at 1 M).
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-1000000}"
DIR="${2:-/tmp/gongzhi-bench-search}"
RUNS="${3:-50}"
PG="${SEARCH_BENCH_PG:-${GONGZHI_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}}"
PROFILE="${SEARCH_BENCH_PROFILE:-release}"
mkdir -p "$DIR"
if [ "$PROFILE" = release ]; then
  cargo build --release -p gongzhi-search --example search_bench >/dev/null 2>&1
else
  cargo build -p gongzhi-search --example search_bench >/dev/null 2>&1
fi
bin="${CARGO_TARGET_DIR:-target}/$PROFILE/examples/search_bench"
"$bin" "$N" "$DIR" "$RUNS" | tee "$DIR/ours.out"
python3 bench/search/baseline.py "$DIR" "${BASE_RUNS:-$RUNS}" "$PG" | tee "$DIR/baselines.out"
# Ratios: the baseline's p95 over ours (jieba), per class; > 1 means we are faster.
python3 - "$DIR" <<'PY'
import re, sys
d = sys.argv[1]
res = {}
for f in ("ours.out", "baselines.out"):
    for l in open(f"{d}/{f}", encoding="utf-8"):
        m = re.match(r"RESULT engine=(\S+) class=(\S+) p50=(\S+) p95=(\S+)", l)
        if m:
            res[(m[1], m[2])] = (float(m[3]), float(m[4]))
for cls in ["short", "long", "two", "area"]:
    ours = res[("jieba", cls)][1]
    for base in ["bigram", "fts5-trigram", "pg-tsvector", "pg-trgm"]:
        if (base, cls) in res:
            b = res[(base, cls)][1]
            goal = "goal p95 ≤ 50 ms, ≥ 5× FTS5" if base == "fts5-trigram" else ""
            print(f"ROW|P6 {cls} p95: jieba vs {base}|{ours:.2f} ms|{b:.2f} ms|{b / ours:.1f}×|{goal}|bash bench/search/run.sh")
PY
