//! The scan against brute force: random documents over a few segments with replacements and
//! removals, random queries with every filter; the count and the page must be exactly what
//! checking every document with the same BM25 gives, and BM25 must be tantivy's own.

use super::*;
use crate::scan::Ranked;
use tantivy::collector::TopDocs;
use tantivy::postings::Postings;
use tantivy::query::{EnableScoring, Query as _, TermQuery};
use tantivy::{DocSet, TERMINATED};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, v: &'a [&'a str]) -> &'a str {
        v[self.below(v.len())]
    }
}

const WORDS: [&str; 8] = [
    "垃圾",
    "噪声",
    "路灯",
    "井盖",
    "小区",
    "夜间",
    "占道经营",
    "漏水",
];
const COMMUNITIES: [&str; 4] = [
    "110101001001",
    "110101001002",
    "110101002001",
    "110102001001",
];
const STATES: [&str; 3] = ["reported", "dispatched", "closed"];
const CATEGORIES: [&str; 3] = ["0101", "0102", "0201"];

fn doc(rng: &mut Rng, id: usize) -> Doc {
    let community = rng.pick(&COMMUNITIES);
    let body: String = (0..1 + rng.below(6))
        .map(|_| rng.pick(&WORDS))
        .collect::<Vec<_>>()
        .join("，");
    let mut grants = vec!["case/*".to_string()];
    grants.extend(
        area_prefixes(community)
            .into_iter()
            .map(|p| format!("case/area:{p}")),
    );
    if rng.below(3) == 0 {
        grants.push(format!("case/reporter:{}", rng.below(3)));
    }
    Doc {
        kind: if rng.below(10) == 0 { "notice" } else { "case" }.into(),
        id: id.to_string(),
        title: if rng.below(2) == 0 {
            rng.pick(&WORDS).to_string()
        } else {
            format!("案件{id}")
        },
        body,
        grants,
        areas: area_prefixes(community),
        categories: vec![rng.pick(&CATEGORIES).to_string()],
        state: rng.pick(&STATES).to_string(),
        // Few distinct times: ties on score and time both happen.
        at: rng.below(40) as i64,
        link: String::new(),
        meta: String::new(),
    }
}

fn query(rng: &mut Rng) -> Query {
    let n = rng.below(4);
    let text = (0..n)
        .map(|_| rng.pick(&WORDS))
        .collect::<Vec<_>>()
        .join(" ");
    let grants = match rng.below(4) {
        0 => vec!["case/*".to_string()],
        1 => vec!["public".into(), "case/area:110101".into()],
        2 => vec!["case/reporter:1".into(), "case/area:110102001".into()],
        _ => vec!["case/area:1101010010".into()],
    };
    let from = (rng.below(4) == 0).then(|| rng.below(40) as i64);
    Query {
        text,
        grants,
        kinds: if rng.below(4) == 0 {
            vec!["case".into()]
        } else {
            vec![]
        },
        area: (rng.below(4) == 0).then(|| "110101001".into()),
        categories: if rng.below(4) == 0 {
            vec!["0101".into(), "0201".into()]
        } else {
            vec![]
        },
        states: if rng.below(4) == 0 {
            vec![rng.pick(&STATES).to_string()]
        } else {
            vec![]
        },
        from,
        to: from.map(|f| f + rng.below(20) as i64),
        offset: rng.below(3) * 5,
        limit: 1 + rng.below(12),
        count_up_to: (rng.below(2) == 0).then(|| rng.below(30)),
    }
}

/// Every document checked: the count and the ranked matches.
fn brute(ix: &SearchIndex, q: &Query) -> (usize, Vec<Ranked>) {
    let searcher = ix.reader.searcher();
    let words = ix.words(&q.text);
    let terms: Vec<Term> = words
        .iter()
        .map(|w| Term::from_field_text(ix.f.text, w))
        .collect();
    let bm25: Vec<Bm25Weight> = terms
        .iter()
        .map(|t| Bm25Weight::for_terms(&searcher, std::slice::from_ref(t)).unwrap())
        .collect();
    let filter = ix
        .filter(q)
        .query()
        .weight(EnableScoring::disabled_from_searcher(&searcher))
        .unwrap();
    let mut all = Vec::new();
    for (ord, seg) in searcher.segment_readers().iter().enumerate() {
        let mut passes = std::collections::HashSet::new();
        let mut s = filter.scorer(seg, 1.0).unwrap();
        while s.doc() != TERMINATED {
            passes.insert(s.doc());
            s.advance();
        }
        let tfs: Vec<std::collections::HashMap<u32, u32>> = terms
            .iter()
            .map(|t| {
                let mut m = std::collections::HashMap::new();
                let inv = seg.inverted_index(ix.f.text).unwrap();
                if let Some(mut p) = inv.read_postings(t, IndexRecordOption::WithFreqs).unwrap() {
                    while p.doc() != TERMINATED {
                        m.insert(p.doc(), p.term_freq());
                        p.advance();
                    }
                }
                m
            })
            .collect();
        let norms = seg.get_fieldnorms_reader(ix.f.text).unwrap();
        let at = seg.fast_fields().i64("at").unwrap().first_or_default_col(0);
        for d in 0..seg.max_doc() {
            if !seg.alive_bitset().is_none_or(|a| a.is_alive(d)) || !passes.contains(&d) {
                continue;
            }
            if tfs.iter().any(|m| !m.contains_key(&d)) {
                continue;
            }
            let t = at.get_val(d);
            if q.from.is_some_and(|f| t < f) || q.to.is_some_and(|x| t > x) {
                continue;
            }
            let mut score = 0.0;
            for (w, m) in bm25.iter().zip(&tfs) {
                score += w.score(norms.fieldnorm_id(d), m[&d]);
            }
            all.push(Ranked {
                score,
                at: t,
                seg: ord as u32,
                doc: d,
            });
        }
    }
    all.sort_by(|a, b| b.cmp(a));
    (all.len(), all)
}

#[test]
fn the_scan_finds_what_checking_every_document_finds() {
    let mut ix = SearchIndex::in_ram(Segmenter::Jieba).unwrap();
    // Stretches of 64 documents: many per segment, so that skipping them is tried.
    ix.chunk = 64;
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let mut next = 0;
    for round in 0..6 {
        let docs: Vec<Doc> = (0..300)
            .map(|_| {
                // A third replace an earlier document (a deletion in an older segment).
                let id = if next > 0 && rng.below(3) == 0 {
                    rng.below(next)
                } else {
                    next += 1;
                    next - 1
                };
                doc(&mut rng, id)
            })
            .collect();
        ix.put(&docs).unwrap();
        if round == 4 {
            ix.remove_kind("notice");
        }
        ix.commit(&round.to_string()).unwrap();
    }
    let searcher = ix.reader.searcher();
    assert!(searcher.segment_readers().len() > 1, "several segments");
    let mut nonempty = 0;
    let mut skipped = 0;
    for _ in 0..400 {
        let q = query(&mut rng);
        let got = ix.search(&q).unwrap();
        let (total, ranked) = brute(&ix, &q);
        if got.exact {
            assert_eq!(got.total, total, "count of {q:?}");
        } else {
            let cap = q.count_up_to.unwrap_or(crate::COUNT_UP_TO);
            assert!(
                got.total >= cap && got.total <= total,
                "count of {q:?}: {} of {total}",
                got.total
            );
            skipped += 1;
        }
        let want: Vec<(u32, i64)> = ranked
            .iter()
            .skip(q.offset)
            .take(q.limit)
            .map(|r| (r.score.to_bits(), r.at))
            .collect();
        let have: Vec<(u32, i64)> = got.hits.iter().map(|h| (h.score.to_bits(), h.at)).collect();
        assert_eq!(have, want, "page of {q:?}");
        if !have.is_empty() {
            nonempty += 1;
        }
    }
    assert!(nonempty > 100, "most queries find something ({nonempty})");
    assert!(
        skipped > 20,
        "stretches were skipped in some searches ({skipped})"
    );
}

#[test]
fn bm25_is_tantivys() {
    let ix = SearchIndex::in_ram(Segmenter::Jieba).unwrap();
    let mut rng = Rng(42);
    ix.put(&(0..500).map(|i| doc(&mut rng, i)).collect::<Vec<_>>())
        .unwrap();
    ix.commit("1").unwrap();
    let searcher = ix.reader.searcher();
    for w in ["垃圾", "路灯", "夜间"] {
        let q = TermQuery::new(
            Term::from_field_text(ix.f.text, w),
            IndexRecordOption::WithFreqs,
        );
        let theirs = searcher
            .search(&q, &TopDocs::with_limit(5).order_by_score())
            .unwrap();
        let ours = ix
            .search(&Query {
                text: w.into(),
                grants: vec!["case/*".into(), "public".into()],
                limit: 500,
                ..Default::default()
            })
            .unwrap();
        let best = ours.hits.first().map(|h| h.score).unwrap();
        assert!(
            (theirs[0].0 - best).abs() < 1e-5,
            "{w}: {} vs {best}",
            theirs[0].0
        );
    }
}
