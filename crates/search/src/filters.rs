//! The grants and filters of a search as bits per segment, kept for the next search with the
//! same ones: a caller's grants and the filters a page offers repeat from one search to the
//! next, so the bits of a 20-million-document segment are worked out once, not at every
//! keystroke.

use crate::kept::Kept;
use std::sync::Arc;
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{BitSet, DocSet, Searcher, SegmentReader, TERMINATED, Term};

/// Groups of values a document must hold one of, per field; every group must hold.
pub(crate) struct Filter {
    groups: Vec<(Field, Vec<String>)>,
    key: String,
}

impl Filter {
    pub(crate) fn new(groups: Vec<(Field, Vec<String>)>) -> Filter {
        let key = groups
            .iter()
            .map(|(f, vs)| {
                let mut vs = vs.clone();
                vs.sort();
                format!("{}={}", f.field_id(), vs.join("\u{1}"))
            })
            .collect::<Vec<_>>()
            .join("\u{2}");
        Filter { groups, key }
    }

    /// Every group has a value every document of the segment holds (a caller who may see
    /// every case, over a segment of cases): no need to look at the documents.
    fn passes_all(&self, seg: &SegmentReader) -> tantivy::Result<bool> {
        for (field, values) in &self.groups {
            let inverted = seg.inverted_index(*field)?;
            let mut any = false;
            for v in values {
                if inverted.doc_freq(&Term::from_field_text(*field, v))? == seg.max_doc() {
                    any = true;
                    break;
                }
            }
            if !any {
                return Ok(false);
            }
        }
        Ok(true)
    }

    pub(crate) fn query(&self) -> BooleanQuery {
        let term = |f: Field, v: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(f, v),
                IndexRecordOption::Basic,
            ))
        };
        BooleanQuery::new(
            self.groups
                .iter()
                .map(|(f, vs)| {
                    let any: Box<dyn Query> = Box::new(BooleanQuery::new(
                        vs.iter().map(|v| (Occur::Should, term(*f, v))).collect(),
                    ));
                    (Occur::Must, any)
                })
                .collect(),
        )
    }
}

/// How many (segment, filter) pairs are kept: at 20 million documents a pair is 2.5 MB.
const KEPT: usize = 32;

/// `None`: the filter lets every document of the segment through.
pub(crate) type Entry = Arc<Option<BitSet>>;

pub(crate) struct Filters(Kept<String, Entry>);

impl Default for Filters {
    fn default() -> Self {
        Filters(Kept::new(KEPT))
    }
}

impl Filters {
    pub(crate) fn forget_all_but(&self, segments: &[SegmentReader]) {
        self.0.forget_all_but(segments);
    }

    /// The documents of `seg` that pass `filter`, deletions not applied.
    pub(crate) fn get(
        &self,
        searcher: &Searcher,
        seg: &SegmentReader,
        filter: &Filter,
    ) -> tantivy::Result<Entry> {
        if filter.passes_all(seg)? {
            return Ok(Arc::new(None));
        }
        self.0.get_or(seg, filter.key.clone(), || {
            let max_doc = seg.max_doc();
            let mut bits = BitSet::with_max_value(max_doc);
            let weight = filter
                .query()
                .weight(EnableScoring::disabled_from_searcher(searcher))?;
            let mut docs = weight.scorer(seg, 1.0)?;
            let mut d = docs.doc();
            while d != TERMINATED {
                bits.insert(d);
                d = docs.advance();
            }
            Ok(Arc::new((bits.len() < max_doc as usize).then_some(bits)))
        })
    }
}
