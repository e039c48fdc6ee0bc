//! The index: one tantivy index, one document per searchable thing, found by its words,
//! narrowed by the caller's grants and the filters, ranked by BM25 with ties broken by recency,
//! with HTML-escaped snippets whose matched words are marked `<b>`.

use crate::tokenize::{ChineseTokenizer, Segmenter, tokens};
use std::ops::Bound;
use std::path::Path;
use std::sync::Mutex;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query as TQuery, RangeQuery, TermQuery,
};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    Index, IndexReader, IndexWriter, ReloadPolicy, Score, SegmentReader, TantivyDocument, Term,
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
}

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
    pub total: usize,
    pub hits: Vec<Hit>,
}

#[derive(Clone, Copy)]
struct Fields {
    key: Field,
    kind: Field,
    id: Field,
    title: Field,
    body: Field,
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
    let text = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(seg.tokenizer())
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let f = Fields {
        key: b.add_text_field("key", STRING),
        kind: b.add_text_field("kind", STRING | STORED),
        id: b.add_text_field("id", STORED),
        title: b.add_text_field("title", text.clone()),
        body: b.add_text_field("body", text),
        grant: b.add_text_field("grant", STRING),
        area: b.add_text_field("area", STRING),
        category: b.add_text_field("category", STRING),
        state: b.add_text_field("state", STRING | STORED),
        at: b.add_i64_field("at", INDEXED | FAST | STORED),
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
        })
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        // A panic while holding the writer leaves nothing half-written that a commit would keep.
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds or replaces documents (by kind and id); visible after [`commit`](Self::commit).
    pub fn put(&self, docs: &[Doc]) -> Result<()> {
        let w = self.writer();
        let f = self.f;
        for d in docs {
            let key = format!("{}:{}", d.kind, d.id);
            w.delete_term(Term::from_field_text(f.key, &key));
            let mut t = TantivyDocument::default();
            t.add_text(f.key, &key);
            t.add_text(f.kind, &d.kind);
            t.add_text(f.id, &d.id);
            t.add_text(f.title, &d.title);
            t.add_text(f.body, &d.body);
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

    fn term(&self, field: Field, v: &str) -> Box<dyn TQuery> {
        Box::new(ConstScoreQuery::new(
            Box::new(TermQuery::new(
                Term::from_field_text(field, v),
                IndexRecordOption::Basic,
            )),
            0.0,
        ))
    }

    fn any_of(&self, field: Field, vs: &[String]) -> Box<dyn TQuery> {
        Box::new(BooleanQuery::new(
            vs.iter()
                .map(|v| (Occur::Should, self.term(field, v)))
                .collect(),
        ))
    }

    /// The words: each of the query's words in the title or the body.
    fn words(&self, text: &str) -> Option<Box<dyn TQuery>> {
        let mut words: Vec<String> = tokens(self.seg, text, true)
            .into_iter()
            .map(|t| t.0)
            .collect();
        words.dedup();
        if words.is_empty() {
            return None;
        }
        let f = self.f;
        let clauses = words
            .iter()
            .map(|w| {
                let either: Box<dyn TQuery> = Box::new(BooleanQuery::new(
                    [f.title, f.body]
                        .iter()
                        .map(|field| {
                            let q: Box<dyn TQuery> = Box::new(TermQuery::new(
                                Term::from_field_text(*field, w),
                                IndexRecordOption::WithFreqs,
                            ));
                            (Occur::Should, q)
                        })
                        .collect(),
                ));
                (Occur::Must, either)
            })
            .collect();
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// The page of hits the query asks for, and how many there are in all.
    pub fn search(&self, q: &Query) -> Result<Hits> {
        if q.grants.is_empty() {
            return Ok(Hits {
                total: 0,
                hits: vec![],
            });
        }
        let f = self.f;
        let words = self.words(&q.text);
        let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = vec![
            (
                Occur::Must,
                words
                    .as_ref()
                    .map_or_else(|| Box::new(AllQuery) as Box<dyn TQuery>, |w| w.box_clone()),
            ),
            (Occur::Must, self.any_of(f.grant, &q.grants)),
        ];
        if !q.kinds.is_empty() {
            clauses.push((Occur::Must, self.any_of(f.kind, &q.kinds)));
        }
        if let Some(a) = q.area.as_deref().filter(|a| !a.is_empty()) {
            clauses.push((Occur::Must, self.term(f.area, a)));
        }
        if !q.categories.is_empty() {
            clauses.push((Occur::Must, self.any_of(f.category, &q.categories)));
        }
        if !q.states.is_empty() {
            clauses.push((Occur::Must, self.any_of(f.state, &q.states)));
        }
        if q.from.is_some() || q.to.is_some() {
            let b = |v: Option<i64>| {
                v.map_or(Bound::Unbounded, |v| {
                    Bound::Included(Term::from_field_i64(f.at, v))
                })
            };
            clauses.push((Occur::Must, Box::new(RangeQuery::new(b(q.from), b(q.to)))));
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let limit = q.limit.clamp(1, 1000);
        // BM25 first; equal scores (and a search with no words) newest first.
        let top = TopDocs::with_limit(limit).and_offset(q.offset).tweak_score(
            move |seg: &SegmentReader| {
                let at = seg
                    .fast_fields()
                    .i64("at")
                    .ok()
                    .map(|c| c.first_or_default_col(0));
                move |doc, score: Score| (score, at.as_ref().map_or(0, |c| c.get_val(doc)))
            },
        );
        let (top, total) = searcher.search(&query, &(top, Count))?;
        let gens = match &words {
            Some(w) => Some((
                {
                    // A title is short: shown whole with its words marked, never cut.
                    let mut g = SnippetGenerator::create(&searcher, w.as_ref(), f.title)?;
                    g.set_max_num_chars(1_000);
                    g
                },
                {
                    let mut g = SnippetGenerator::create(&searcher, w.as_ref(), f.body)?;
                    g.set_max_num_chars(120);
                    g
                },
            )),
            None => None,
        };
        let mut hits = Vec::with_capacity(top.len());
        for ((score, at), addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text = |field: Field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            let title = text(f.title);
            let body = text(f.body);
            let (title_html, snippet_html) = match &gens {
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
                at,
                score,
                title,
                title_html,
                snippet_html: if snippet_html.is_empty() {
                    escape(&body.chars().take(120).collect::<String>())
                } else {
                    snippet_html
                },
            });
        }
        Ok(Hits { total, hits })
    }
}

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
