//! What a search knows about a segment besides its filters, kept while the segment lives: the
//! newest time in each stretch of `CHUNK` documents, and for each word the highest term
//! frequency it reaches at each field-norm. From them, the best score any match in a stretch
//! could have and its newest time: a search whose page is full skips a stretch that could
//! not place a match on it (decision 042).

use crate::kept::Kept;
use std::sync::Arc;
use tantivy::columnar::ColumnValues;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::query::Bm25Weight;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Score, SegmentReader, Term};

/// Documents per stretch: a search visits stretches newest first and skips whole ones.
pub(crate) const CHUNK: DocId = 1 << 18;

/// Entries kept per map before it starts over (a word's entry is 1 kB).
const KEPT: usize = 20_000;

type TopTf = Arc<[u32; 256]>;

pub(crate) struct Facts {
    newest: Kept<(), Arc<Vec<i64>>>,
    top_tf: Kept<String, TopTf>,
}

impl Default for Facts {
    fn default() -> Self {
        Facts {
            newest: Kept::new(KEPT),
            top_tf: Kept::new(KEPT),
        }
    }
}

impl Facts {
    pub(crate) fn forget_all_but(&self, segments: &[SegmentReader]) {
        self.newest.forget_all_but(segments);
        self.top_tf.forget_all_but(segments);
    }

    /// The newest time in each stretch of `chunk` documents of the segment.
    pub(crate) fn newest(
        &self,
        seg: &SegmentReader,
        at: &dyn ColumnValues<i64>,
        chunk: DocId,
    ) -> tantivy::Result<Arc<Vec<i64>>> {
        self.newest.get_or(seg, (), || {
            let mut out = Vec::new();
            let mut buf = vec![0i64; chunk as usize];
            let mut start = 0;
            while start < seg.max_doc() {
                let n = chunk.min(seg.max_doc() - start) as usize;
                at.get_range(start as u64, &mut buf[..n]);
                out.push(buf[..n].iter().copied().max().unwrap_or(i64::MIN));
                start += chunk;
            }
            Ok(Arc::new(out))
        })
    }

    /// The best score a document holding every term can reach in the segment. BM25 grows
    /// with the term frequency and falls with the field norm, and a document has one norm for
    /// all its words: so the highest frequency of each word at each norm bounds it, whatever
    /// the index-wide statistics are by the time of the search.
    pub(crate) fn best(
        &self,
        seg: &SegmentReader,
        words: &[(Term, Bm25Weight)],
        norms: &FieldNormReader,
    ) -> tantivy::Result<Score> {
        let mut tops = Vec::with_capacity(words.len());
        for (term, _) in words {
            tops.push(self.top_tf(seg, term, norms)?);
        }
        let mut best: Score = 0.0;
        for norm in 0..256 {
            if tops.iter().any(|t| t[norm] == 0) {
                continue;
            }
            let mut s = 0.0;
            for ((_, bm25), t) in words.iter().zip(&tops) {
                s += bm25.score(norm as u8, t[norm]);
            }
            best = best.max(s);
        }
        Ok(best)
    }

    /// The highest frequency of `term` at each field norm in the segment.
    fn top_tf(
        &self,
        seg: &SegmentReader,
        term: &Term,
        norms: &FieldNormReader,
    ) -> tantivy::Result<TopTf> {
        let key = format!(
            "{}:{}",
            term.field().field_id(),
            term.value().as_str().unwrap_or_default()
        );
        self.top_tf.get_or(seg, key, || {
            let mut top = [0u32; 256];
            let inverted = seg.inverted_index(term.field())?;
            if let Some(mut p) = inverted.read_block_postings(term, IndexRecordOption::WithFreqs)? {
                loop {
                    let len = p.block_len();
                    if len == 0 {
                        break;
                    }
                    for (&d, &tf) in p.docs()[..len].iter().zip(&p.freqs()[..len]) {
                        let n = &mut top[norms.fieldnorm_id(d) as usize];
                        *n = (*n).max(tf);
                    }
                    p.advance();
                }
            }
            Ok(Arc::new(top))
        })
    }
}
