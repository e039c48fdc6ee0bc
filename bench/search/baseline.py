"""P6 baselines on the texts and queries search_bench wrote: SQLite FTS5 (trigram tokenizer),
PostgreSQL tsvector ('simple') and pg_trgm (GIN, LIKE), each query counted (the hits) RUNS
times; p50/p95 per query class, and the hits, printed as ROW and RESULT lines.

Usage: python3 bench/search/baseline.py DIR RUNS POSTGRES_URL
A word of fewer than three characters cannot use a trigram index: FTS5 and pg_trgm then scan
(that is what they do with 2-character Chinese words, the commonest kind of query).
"""
import sqlite3
import statistics
import subprocess
import sys
import time

dir_, runs, pg = sys.argv[1], int(sys.argv[2]), sys.argv[3]
queries = [l.rstrip("\n").split("\t") for l in open(f"{dir_}/queries.tsv", encoding="utf-8")]
CLASSES = ["short", "long", "two", "area"]


def pct(v, p):
    v = sorted(v)
    return v[round((len(v) - 1) * p)]


def report(engine, per_class):
    for cls in CLASSES:
        times, hits = per_class[cls]
        p50, p95 = pct(times, 0.5), pct(times, 0.95)
        print(f"ROW|search {engine} {cls} p50/p95|{p50:.2f} / {p95:.2f} ms|hits {' '.join(hits)}||")
        print(f"RESULT engine={engine} class={cls} p50={p50:.3f} p95={p95:.3f}")


# SQLite FTS5, trigram.
db = sqlite3.connect(f"{dir_}/fts5.db")
db.execute("DROP TABLE IF EXISTS t")
db.execute("CREATE VIRTUAL TABLE t USING fts5(community UNINDEXED, address, body, tokenize='trigram')")
t0 = time.perf_counter()
with open(f"{dir_}/texts.tsv", encoding="utf-8") as f:
    db.executemany(
        "INSERT INTO t(rowid, community, address, body) VALUES (?, ?, ?, ?)",
        (l.rstrip("\n").split("\t") for l in f),
    )
db.commit()
print(f"ROW|index fts5-trigram|{time.perf_counter() - t0:.1f} s|||")


def fts_sql(words, area):
    conds, args = [], []
    long_words = [w for w in words.split() if len(w) >= 3]
    if long_words:
        conds.append("t MATCH ?")
        args.append(" AND ".join(f'"{w}"' for w in long_words))
    for w in words.split():
        if len(w) < 3:
            conds.append("(address LIKE ? OR body LIKE ?)")
            args += [f"%{w}%", f"%{w}%"]
    if area:
        # Not LIKE: on an FTS5 trigram table LIKE goes to the index, which holds no
        # UNINDEXED column, and matches nothing.
        conds.append("substr(community, 1, ?) = ?")
        args += [len(area), area]
    return "SELECT count(*) FROM t WHERE " + " AND ".join(conds), args


per = {c: ([], []) for c in CLASSES}
for cls, words, area in queries:
    sql, args = fts_sql(words, area)
    n = db.execute(sql, args).fetchone()[0]
    per[cls][1].append(f"{words}{'@area' if area else ''}={n}")
    for _ in range(runs):
        t = time.perf_counter()
        db.execute(sql, args).fetchone()
        per[cls][0].append((time.perf_counter() - t) * 1000)
report("fts5-trigram", per)

if pg == "none":
    # SEARCH_BENCH_PG=none: SQLite only (the 20 M run, where PostgreSQL's two GIN builds take
    # most of an hour here).
    sys.exit(0)


# PostgreSQL: one psql session, \timing, the same counts.
def psql(script):
    return subprocess.run(["psql", pg, "-qAt", "-v", "ON_ERROR_STOP=1"], input=script, text=True,
                          capture_output=True, check=True).stdout


psql(f"""
DROP TABLE IF EXISTS bench_texts;
CREATE TABLE bench_texts (id bigint PRIMARY KEY, community text, address text, body text);
\\copy bench_texts FROM '{dir_}/texts.tsv'
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX bench_texts_tsv ON bench_texts USING gin (to_tsvector('simple', address || ' ' || body));
CREATE INDEX bench_texts_trgm ON bench_texts USING gin ((address || ' ' || body) gin_trgm_ops);
ANALYZE bench_texts;
""")


def pg_sql(engine, words, area):
    conds = []
    for w in words.split():
        if engine == "pg-tsvector":
            conds.append(f"to_tsvector('simple', address || ' ' || body) @@ plainto_tsquery('simple', '{w}')")
        else:
            conds.append(f"(address || ' ' || body) LIKE '%{w}%'")
    if area:
        conds.append(f"community LIKE '{area}%'")
    return "SELECT count(*) FROM bench_texts WHERE " + " AND ".join(conds) + ";"


for engine in ["pg-tsvector", "pg-trgm"]:
    per = {c: ([], []) for c in CLASSES}
    for cls, words, area in queries:
        sql = pg_sql(engine, words, area)
        n = int(psql(sql).strip())
        per[cls][1].append(f"{words}{'@area' if area else ''}={n}")
        out = psql("\\timing on\n" + (sql + "\n") * runs)
        per[cls][0].extend(float(l.split()[1]) for l in out.splitlines() if l.startswith("Time:"))
    report(engine, per)
psql("DROP TABLE bench_texts;")
