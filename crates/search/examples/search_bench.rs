//! P6 (ours): N synthetic case texts from the demo generator's phrases, indexed once with jieba
//! and once with character bigrams; the same queries on both, p50/p95 and hits. Writes the
//! texts and the queries for the baselines (bench/search/baseline.py).
//!
//! Usage: search_bench N DIR [RUNS]

use gongzhi_domain::case::categories::CATEGORIES;
use gongzhi_search::{Doc, Query, SearchIndex, Segmenter, area_prefixes};
use std::io::Write;
use std::time::Instant;

const ROADS: [&str; 12] = [
    "人民路",
    "干将路",
    "十全街",
    "凤凰街",
    "临顿路",
    "平江路",
    "东环路",
    "西园路",
    "桐泾北路",
    "三香路",
    "养育巷",
    "学士街",
];

/// The queries by class: (class, words, area prefix).
const QUERIES: [(&str, &str, &str); 16] = [
    ("short", "垃圾", ""),
    ("short", "噪声", ""),
    ("short", "路灯", ""),
    ("short", "井盖", ""),
    ("long", "占道经营", ""),
    ("long", "安全隐患", ""),
    ("long", "居民出行", ""),
    ("long", "私搭乱建", ""),
    ("two", "垃圾 小区", ""),
    ("two", "噪声 夜间", ""),
    ("two", "井盖 危险", ""),
    ("two", "路灯 居民", ""),
    ("area", "垃圾", "320508019"),
    ("area", "占道经营", "320508019"),
    ("area", "噪声 夜间", "320508020"),
    ("area", "安全隐患", "320508021"),
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*: the same texts every run.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn texts(n: usize) -> Vec<(String, String, String)> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let d = gongzhi_demo::DESCRIPTIONS;
    (0..n)
        .map(|_| {
            // A few categories make most reports, as in the demo year.
            let top = rng.below(CATEGORIES.len()) + 1;
            let c = &CATEGORIES[rng.below(top)];
            let community = format!("320508{:03}{:03}", 19 + rng.below(8), 1 + rng.below(18));
            let address = format!("{}{}号", ROADS[rng.below(ROADS.len())], 1 + rng.below(300));
            let text = format!(
                "{}：{}{}",
                c.name,
                d[rng.below(d.len())],
                d[rng.below(d.len())]
            );
            (community, address, text)
        })
        .collect()
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn dir_bytes(p: &std::path::Path) -> u64 {
    std::fs::read_dir(p)
        .map(|r| {
            r.flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let dir = std::path::PathBuf::from(
        args.get(2)
            .cloned()
            .unwrap_or("/tmp/gongzhi-bench-search".into()),
    );
    let runs: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(50);
    std::fs::create_dir_all(&dir).unwrap();
    let all = texts(n);
    let mut f = std::io::BufWriter::new(std::fs::File::create(dir.join("texts.tsv")).unwrap());
    for (i, (community, address, text)) in all.iter().enumerate() {
        writeln!(f, "{}\t{community}\t{address}\t{text}", i + 1).unwrap();
    }
    drop(f);
    let mut q = std::fs::File::create(dir.join("queries.tsv")).unwrap();
    for (class, words, area) in QUERIES {
        writeln!(q, "{class}\t{words}\t{area}").unwrap();
    }
    // SEARCH_BENCH_ONLY=jieba: the bigram index (n-gram indexing, measured at 1 M) left out.
    let only = std::env::var("SEARCH_BENCH_ONLY").unwrap_or_default();
    for seg in [Segmenter::Jieba, Segmenter::Bigram]
        .into_iter()
        .filter(|s| only.is_empty() || only == s.name())
    {
        let path = dir.join(format!("index-{}", seg.name()));
        // SEARCH_BENCH_REUSE=1 queries an index a run of the same N left (profiling the
        // queries without the quarter of an hour of indexing 20 M texts).
        let reuse = std::env::var("SEARCH_BENCH_REUSE").is_ok_and(|v| v == "1")
            && SearchIndex::open(&path, seg)
                .ok()
                .and_then(|ix| ix.cursor().ok().flatten())
                == Some(n.to_string());
        if !reuse {
            let _ = std::fs::remove_dir_all(&path);
        }
        let ix = SearchIndex::open(&path, seg).unwrap();
        let t = Instant::now();
        for (chunk_no, chunk) in all.chunks(10_000).enumerate().filter(|_| !reuse) {
            let docs: Vec<Doc> = chunk
                .iter()
                .enumerate()
                .map(|(j, (community, address, text))| {
                    let id = chunk_no * 10_000 + j + 1;
                    Doc {
                        kind: "case".into(),
                        id: id.to_string(),
                        title: address.clone(),
                        body: text.clone(),
                        grants: vec!["case/*".into()],
                        areas: area_prefixes(community),
                        at: id as i64,
                        ..Default::default()
                    }
                })
                .collect();
            ix.add(&docs).unwrap();
        }
        if !reuse {
            ix.commit(&n.to_string()).unwrap();
        }
        let build_s = t.elapsed().as_secs_f64();
        let size_mb = dir_bytes(&path) as f64 / 1e6;
        println!(
            "ROW|index {} ({n} texts)|{build_s:.1} s, {size_mb:.1} MB|||",
            seg.name()
        );
        for class in ["short", "long", "two", "area"] {
            let mut times = Vec::new();
            let mut hits = Vec::new();
            for (_, words, area) in QUERIES.iter().filter(|x| x.0 == class) {
                let query = Query {
                    text: words.to_string(),
                    grants: vec!["case/*".into()],
                    area: (!area.is_empty()).then(|| area.to_string()),
                    limit: 20,
                    ..Default::default()
                };
                let total = ix.search(&query).unwrap().total;
                hits.push(format!(
                    "{words}{}={total}",
                    if area.is_empty() { "" } else { "@area" }
                ));
                for _ in 0..runs {
                    let t = Instant::now();
                    let h = ix.search(&query).unwrap();
                    times.push(t.elapsed().as_secs_f64() * 1000.0);
                    assert_eq!(h.total, total);
                }
            }
            let p50 = percentile(&mut times, 0.5);
            let p95 = percentile(&mut times, 0.95);
            println!(
                "ROW|search {} {class} p50/p95|{p50:.2} / {p95:.2} ms|hits {}||",
                seg.name(),
                hits.join(" ")
            );
            println!(
                "RESULT engine={} class={class} p50={p50:.3} p95={p95:.3}",
                seg.name()
            );
        }
    }
}
