//! The index: one tantivy index, one document per searchable thing, found by its words,
//! narrowed by the caller's grants and the filters, ranked by BM25 with ties broken by recency,
//! with HTML-escaped snippets whose matched words are marked `<b>`.

use crate::facts::{CHUNK, Facts};
use crate::filters::{Filter, Filters};
use crate::scan::{Segment, Top, Word};
use crate::tokenize::{ChineseTokenizer, Segmenter, tokens};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;
use tantivy::query::Bm25Weight;
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, Score, TantivyDocument, Term,
};

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index folder: {0}")]
    Folder(#[from] std::io::Error),
    #[error("search index folder: {0}")]
    Open(#[from] tantivy::directory::error::OpenDirectoryError),
}

type Result<T> = std::result::Result<T, SearchError>;

/// One searchable thing.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    /// `case`, `place`, `org`, `notice`, `power`.
    pub kind: String,
    /// Its id inside the kind (a case id, an area or grid code …).
    pub id: String,
    pub title: String,
    pub body: String,
    /// Who may see it: the caller must hold one of these (see the crate's doc).
    pub grants: Vec<String>,
    /// Every prefix of its area code, for the area filter (`area_prefixes`).
    pub areas: Vec<String>,
    pub categories: Vec<String>,
    pub state: String,
    /// When it happened (reported, published …), epoch milliseconds: the tie-break and the
    /// time filter.
    pub at: i64,
    /// Where a hit leads.
    pub link: String,
    /// A line under the title (category and area names …): shown, not searched.
    pub meta: String,
}

/// The prefixes a `LIKE 'prefix%'` on this code would match, each as a term.
pub fn area_prefixes(code: &str) -> Vec<String> {
    (1..=code.len())
        .filter(|n| code.is_char_boundary(*n))
        .map(|n| code[..n].to_string())
        .collect()
}

#[derive(Debug, Clone, Default)]
pub struct Query {
    pub text: String,
    /// The caller's grants; none finds nothing.
    pub grants: Vec<String>,
    pub kinds: Vec<String>,
    /// An area code prefix (as the case list filters).
    pub area: Option<String>,
    pub categories: Vec<String>,
    pub states: Vec<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub offset: usize,
    pub limit: usize,
    /// Matches counted exactly before the count may stop (`None`: [`COUNT_UP_TO`]).
    pub count_up_to: Option<usize>,
}

/// Matches a search counts exactly; past them it counts only where the page could still
/// change ("10,000+", as web search shows).
pub const COUNT_UP_TO: usize = 10_000;

#[derive(Debug, Clone)]
pub struct Hit {
    pub kind: String,
    pub id: String,
    pub title: String,
    pub link: String,
    pub meta: String,
    pub state: String,
    pub at: i64,
    pub score: f32,
    /// The title and the best passage of the body, HTML-escaped, matched words in `<b>`.
    pub title_html: String,
    pub snippet_html: String,
}

#[derive(Debug, Clone)]
pub struct Hits {
    /// How many match — exactly when `exact`; otherwise at least this many (a search stops
    /// counting past `Query::count_up_to` once the rest cannot reach the page).
    pub total: usize,
    pub exact: bool,
    pub hits: Vec<Hit>,
}

#[derive(Clone, Copy)]
struct Fields {
    key: Field,
    kind: Field,
    id: Field,
    title: Field,
    body: Field,
    text: Field,
    grant: Field,
    area: Field,
    category: Field,
    state: Field,
    at: Field,
    link: Field,
    meta: Field,
}

fn schema(seg: Segmenter) -> (Schema, Fields) {
    let mut b = Schema::builder();
    // The title and the body are searched as one text (BM25 over both, no positions: there
    // are no phrase queries) and shown from their stored copies (decision 042).
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(seg.tokenizer())
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let f = Fields {
        key: b.add_text_field("key", STRING),
        kind: b.add_text_field("kind", STRING | STORED),
        id: b.add_text_field("id", STORED),
        title: b.add_text_field("title", STORED),
        body: b.add_text_field("body", STORED),
        text: b.add_text_field("text", text),
        grant: b.add_text_field("grant", STRING),
        area: b.add_text_field("area", STRING),
        category: b.add_text_field("category", STRING),
        state: b.add_text_field("state", STRING | STORED),
        at: b.add_i64_field("at", FAST | STORED),
        link: b.add_text_field("link", STORED),
        meta: b.add_text_field("meta", STORED),
    };
    (b.build(), f)
}

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    f: Fields,
    seg: Segmenter,
    filters: Filters,
    facts: Facts,
    /// Documents per stretch ([`CHUNK`]; smaller in tests, to have many).
    chunk: tantivy::DocId,
}

/// The writer's memory budget: enough to batch a rebuild, small beside the server.
const WRITER_BYTES: usize = 64_000_000;

impl SearchIndex {
    /// The index in `dir` (created when missing or when it was built with another segmenter).
    pub fn open(dir: &Path, seg: Segmenter) -> Result<Self> {
        std::fs::create_dir_all(dir)?;
        let (schema, f) = schema(seg);
        let index = match Index::open_in_dir(dir) {
            Ok(i) if i.schema() == schema => i,
            _ => {
                // Another schema or segmenter: start over (the tail rebuilds it).
                for e in std::fs::read_dir(dir)? {
                    let p = e?.path();
                    if p.is_file() {
                        std::fs::remove_file(p)?;
                    }
                }
                Index::create_in_dir(dir, schema)?
            }
        };
        Self::ready(index, f, seg)
    }

    /// An index in memory (tests).
    pub fn in_ram(seg: Segmenter) -> Result<Self> {
        let (schema, f) = schema(seg);
        Self::ready(Index::create_in_ram(schema), f, seg)
    }

    fn ready(index: Index, f: Fields, seg: Segmenter) -> Result<Self> {
        index
            .tokenizers()
            .register(seg.tokenizer(), ChineseTokenizer::new(seg));
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let writer = index.writer_with_num_threads(1, WRITER_BYTES)?;
        Ok(SearchIndex {
            index,
            reader,
            writer: Mutex::new(writer),
            f,
            seg,
            filters: Filters::default(),
            facts: Facts::default(),
            chunk: CHUNK,
        })
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        // A panic while holding the writer leaves nothing half-written that a commit would keep.
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds or replaces documents (by kind and id); visible after [`commit`](Self::commit).
    pub fn put(&self, docs: &[Doc]) -> Result<()> {
        self.write(docs, true)
    }

    /// Adds documents known to be new (the benchmark's texts): no earlier copy is looked
    /// for. tantivy keeps every replacement's delete until the commit, a few hundred bytes
    /// each, which a load of millions of documents in one commit cannot afford.
    pub fn add(&self, docs: &[Doc]) -> Result<()> {
        self.write(docs, false)
    }

    fn write(&self, docs: &[Doc], replace: bool) -> Result<()> {
        let w = self.writer();
        let f = self.f;
        for d in docs {
            let key = format!("{}:{}", d.kind, d.id);
            if replace {
                w.delete_term(Term::from_field_text(f.key, &key));
            }
            let mut t = TantivyDocument::default();
            t.add_text(f.key, &key);
            t.add_text(f.kind, &d.kind);
            t.add_text(f.id, &d.id);
            t.add_text(f.title, &d.title);
            t.add_text(f.body, &d.body);
            t.add_text(f.text, &d.title);
            t.add_text(f.text, &d.body);
            for g in &d.grants {
                t.add_text(f.grant, g);
            }
            for a in &d.areas {
                t.add_text(f.area, a);
            }
            for c in &d.categories {
                t.add_text(f.category, c);
            }
            t.add_text(f.state, &d.state);
            t.add_i64(f.at, d.at);
            t.add_text(f.link, &d.link);
            t.add_text(f.meta, &d.meta);
            w.add_document(t)?;
        }
        Ok(())
    }

    /// Removes every document of a kind (before it is read again whole).
    pub fn remove_kind(&self, kind: &str) {
        self.writer()
            .delete_term(Term::from_field_text(self.f.kind, kind));
    }

    /// Removes everything (a rebuild).
    pub fn clear(&self) -> Result<()> {
        self.writer().delete_all_documents()?;
        Ok(())
    }

    /// Makes the changes durable and visible, with the tail's position saved in the same
    /// commit, so that a restart resumes exactly where the index is.
    pub fn commit(&self, cursor: &str) -> Result<()> {
        {
            let mut w = self.writer();
            let mut c = w.prepare_commit()?;
            c.set_payload(cursor);
            c.commit()?;
        }
        self.reader.reload()?;
        Ok(())
    }

    /// The tail position saved by the last commit.
    pub fn cursor(&self) -> Result<Option<String>> {
        Ok(self.index.load_metas()?.payload)
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn segmenter(&self) -> Segmenter {
        self.seg
    }

    /// The query's words, each once, in the order the query has them.
    fn words(&self, text: &str) -> Vec<String> {
        let mut words: Vec<String> = Vec::new();
        for (w, _, _) in tokens(self.seg, text, true) {
            if !words.contains(&w) {
                words.push(w);
            }
        }
        words
    }

    /// What every hit must satisfy besides the words and the time: the grants and the
    /// filters, each a field and the values of which a document must hold one.
    fn filter(&self, q: &Query) -> Filter {
        let f = self.f;
        let mut groups = vec![(f.grant, q.grants.clone())];
        if !q.kinds.is_empty() {
            groups.push((f.kind, q.kinds.clone()));
        }
        if let Some(a) = q.area.as_deref().filter(|a| !a.is_empty()) {
            groups.push((f.area, vec![a.to_string()]));
        }
        if !q.categories.is_empty() {
            groups.push((f.category, q.categories.clone()));
        }
        if !q.states.is_empty() {
            groups.push((f.state, q.states.clone()));
        }
        Filter::new(groups)
    }

    /// The page of hits the query asks for, and how many there are in all.
    pub fn search(&self, q: &Query) -> Result<Hits> {
        if q.grants.is_empty() {
            return Ok(Hits {
                total: 0,
                exact: true,
                hits: vec![],
            });
        }
        let f = self.f;
        let words = self.words(&q.text);
        let searcher = self.reader.searcher();
        let filter = self.filter(q);
        let weighted: Vec<(Term, Bm25Weight)> = words
            .iter()
            .map(|w| {
                let t = Term::from_field_text(f.text, w);
                let bm25 = Bm25Weight::for_terms(&searcher, std::slice::from_ref(&t))?;
                Ok((t, bm25))
            })
            .collect::<tantivy::Result<_>>()?;
        let range = (q.from.is_some() || q.to.is_some())
            .then(|| (q.from.unwrap_or(i64::MIN), q.to.unwrap_or(i64::MAX)));
        let limit = q.limit.clamp(1, 1000);
        let count_up_to = q.count_up_to.unwrap_or(COUNT_UP_TO);
        let mut top = Top::new(q.offset + limit);
        let readers = searcher.segment_readers();
        self.filters.forget_all_but(readers);
        self.facts.forget_all_but(readers);
        // Each segment's filter, times and bounds; then its stretches, newest first.
        let mut parts = Vec::with_capacity(readers.len());
        for (ord, seg) in readers.iter().enumerate() {
            if seg.max_doc() == 0 {
                continue;
            }
            let bits = self.filters.get(&searcher, seg, &filter)?;
            if bits.as_ref().as_ref().is_some_and(|b| b.len() == 0) {
                continue;
            }
            let inverted = seg.inverted_index(f.text)?;
            let mut held = true;
            for (t, _) in &weighted {
                held &= inverted.doc_freq(t)? > 0;
            }
            if !held {
                continue; // a word this segment does not hold
            }
            let at = seg.fast_fields().i64("at")?.first_or_default_col(0);
            let newest = self.facts.newest(seg, at.as_ref(), self.chunk)?;
            let norms = seg.get_fieldnorms_reader(f.text)?;
            let best = self.facts.best(seg, &weighted, &norms)?;
            let first = (0..newest.len()).max_by_key(|&c| newest[c]).unwrap_or(0);
            parts.push(Part {
                ord: ord as u32,
                seg,
                bits,
                at,
                newest,
                first,
                norms,
                best,
            });
        }
        // First each segment's newest stretch, newest segment first: the page fills with
        // recent matches and sets the bar. Then each segment's other stretches in document
        // order, with one cursor per word (a posting list only moves forward, and opening one
        // at a stretch deep inside a segment walks its skip list from the start), skipping
        // those that cannot reach the page.
        let mut order: Vec<usize> = (0..parts.len()).collect();
        order.sort_by_key(|&p| std::cmp::Reverse(parts[p].newest[parts[p].first]));
        let (mut total, mut exact) = (0, true);
        let mut rounds: Vec<(usize, Vec<usize>)> =
            order.iter().map(|&p| (p, vec![parts[p].first])).collect();
        rounds.extend(order.iter().map(|&p| {
            let first = parts[p].first;
            (
                p,
                (0..parts[p].newest.len()).filter(|&c| c != first).collect(),
            )
        }));
        for (p, stretches) in rounds {
            let Part {
                ord,
                seg,
                bits,
                at,
                newest,
                norms,
                best,
                ..
            } = &parts[p];
            let s = Segment {
                ord: *ord,
                filter: bits.as_ref().as_ref(),
                alive: seg.alive_bitset(),
                at: at.as_ref(),
                range,
            };
            let mut ws: Option<Vec<Word>> = None;
            for c in stretches {
                if total >= count_up_to && !top.could_enter(*best, newest[c]) {
                    // Nothing here could reach the page: counted no further.
                    exact = false;
                    continue;
                }
                let lo = c as u32 * self.chunk;
                let docs = lo..(lo + self.chunk).min(seg.max_doc());
                if weighted.is_empty() {
                    total += s.scan_all(docs, &mut top);
                    continue;
                }
                if ws.is_none() {
                    // Every word is in this segment (checked above).
                    let inverted = seg.inverted_index(f.text)?;
                    let mut opened = Vec::with_capacity(weighted.len());
                    for (t, bm25) in &weighted {
                        if let Some(postings) =
                            inverted.read_block_postings(t, IndexRecordOption::WithFreqs)?
                        {
                            opened.push(Word {
                                postings,
                                bm25: bm25.clone(),
                            });
                        }
                    }
                    ws = Some(opened);
                }
                let ws = ws.as_mut().expect("opened just above");
                for w in ws.iter_mut() {
                    w.postings.seek(lo);
                }
                total += s.scan_words(docs, ws, norms, &mut top);
            }
        }
        let snippets = if words.is_empty() {
            None
        } else {
            let mut marked = BTreeMap::new();
            for (t, _) in &weighted {
                let n = searcher.doc_freq(t)?;
                if n > 0 {
                    marked.insert(
                        t.value().as_str().unwrap_or_default().to_string(),
                        1.0 / (1.0 + n as Score),
                    );
                }
            }
            let analyzer = self.index.tokenizer_for_field(f.text)?;
            // A title is short: shown whole with its words marked, never cut.
            let tg = SnippetGenerator::new(marked.clone(), analyzer.clone(), f.title, 1_000);
            let bg = SnippetGenerator::new(marked, analyzer, f.body, 120);
            Some((tg, bg))
        };
        let mut hits = Vec::with_capacity(limit);
        for r in top.into_sorted().into_iter().skip(q.offset) {
            let doc: TantivyDocument = searcher.doc(DocAddress::new(r.seg, r.doc))?;
            let text = |field: Field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            let title = text(f.title);
            let body = text(f.body);
            let (title_html, snippet_html) = match &snippets {
                Some((tg, bg)) => {
                    let ts = tg.snippet(&title);
                    // A title without the words is shown whole (escaped), not cut.
                    let th = if ts.highlighted().is_empty() {
                        escape(&title)
                    } else {
                        ts.to_html()
                    };
                    (th, bg.snippet(&body).to_html())
                }
                None => (
                    escape(&title),
                    escape(&body.chars().take(120).collect::<String>()),
                ),
            };
            hits.push(Hit {
                kind: text(f.kind),
                id: text(f.id),
                link: text(f.link),
                meta: text(f.meta),
                state: text(f.state),
                at: r.at,
                score: r.score,
                title,
                title_html,
                snippet_html: if snippet_html.is_empty() {
                    escape(&body.chars().take(120).collect::<String>())
                } else {
                    snippet_html
                },
            });
        }
        Ok(Hits { total, exact, hits })
    }
}

/// A segment as a search sees it: its filter, times, per-stretch newest times, norms and the
/// best score a match in it could have.
struct Part<'a> {
    ord: u32,
    seg: &'a tantivy::SegmentReader,
    bits: crate::filters::Entry,
    at: std::sync::Arc<dyn tantivy::columnar::ColumnValues<i64>>,
    newest: std::sync::Arc<Vec<i64>>,
    /// The stretch holding the segment's newest document.
    first: usize,
    norms: tantivy::fieldnorm::FieldNormReader,
    best: Score,
}

#[cfg(test)]
mod agrees;

/// HTML-escapes text shown without highlights.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}
