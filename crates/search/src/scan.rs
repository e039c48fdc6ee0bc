//! The scan behind a search (decision 042): per segment, one pass over the rarest word's posting
//! blocks, the other words followed by a cursor that only moves forward, every match checked
//! against the filter's bits and the deletions, scored by BM25 straight from the term
//! frequency and the field norm, counted, and kept if it beats the weakest of the best `k`.
//!
//! tantivy's collectors do the same through nested boolean scorers, a tweaked score and a
//! second collector for the count — about 25 ns per match, 120 ms for the 4.7 million matches
//! of a common word over 20 million cases. Here a match costs a few nanoseconds and the time of
//! the match (the tie-break) is read only for a match that could enter the page.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::ops::Range;
use tantivy::columnar::ColumnValues;
use tantivy::fastfield::AliveBitSet;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::BlockSegmentPostings;
use tantivy::query::Bm25Weight;
use tantivy::{BitSet, DocId, Score};

/// A match's rank: BM25, then the newer first; equal ones in index order.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ranked {
    pub score: Score,
    pub at: i64,
    pub seg: u32,
    pub doc: DocId,
}

impl PartialEq for Ranked {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Ranked {
    fn cmp(&self, o: &Self) -> Ordering {
        self.score
            .total_cmp(&o.score)
            .then(self.at.cmp(&o.at))
            .then(o.seg.cmp(&self.seg))
            .then(o.doc.cmp(&self.doc))
    }
}

/// The best `k` matches so far; the weakest is on top of the heap and is the bar.
pub(crate) struct Top {
    k: usize,
    heap: BinaryHeap<Reverse<Ranked>>,
}

impl Top {
    pub(crate) fn new(k: usize) -> Top {
        Top {
            k,
            heap: BinaryHeap::with_capacity(k + 1),
        }
    }

    /// Whether a match with this score could enter (its time decides a tie with the bar).
    #[inline]
    fn may_enter(&self, score: Score) -> bool {
        self.heap.len() < self.k || self.heap.peek().is_some_and(|w| score >= w.0.score)
    }

    /// Whether anything scoring at most `score` and dated at most `at` could still enter.
    pub(crate) fn could_enter(&self, score: Score, at: i64) -> bool {
        if self.heap.len() < self.k {
            return true;
        }
        self.heap
            .peek()
            .is_some_and(|w| score > w.0.score || (score == w.0.score && at > w.0.at))
    }

    fn offer(&mut self, r: Ranked) {
        if self.k == 0 {
            return;
        }
        if self.heap.len() < self.k {
            self.heap.push(Reverse(r));
        } else if self.heap.peek().is_some_and(|w| r > w.0) {
            self.heap.pop();
            self.heap.push(Reverse(r));
        }
    }

    /// Best first.
    pub(crate) fn into_sorted(self) -> Vec<Ranked> {
        let mut v: Vec<Ranked> = self.heap.into_iter().map(|r| r.0).collect();
        v.sort_by(|a, b| b.cmp(a));
        v
    }
}

/// One word of the query in one segment: its posting blocks and its BM25 weight.
pub(crate) struct Word {
    pub postings: BlockSegmentPostings,
    pub bm25: Bm25Weight,
}

/// What a match must also satisfy, and where its time is read.
pub(crate) struct Segment<'a> {
    pub ord: u32,
    /// `None`: every document passes the filter.
    pub filter: Option<&'a BitSet>,
    pub alive: Option<&'a AliveBitSet>,
    pub at: &'a dyn ColumnValues<i64>,
    /// Inclusive bounds on the time; `None` when the query has none.
    pub range: Option<(i64, i64)>,
}

impl Segment<'_> {
    #[inline]
    fn keeps(&self, d: DocId) -> bool {
        self.filter.is_none_or(|f| f.contains(d)) && self.alive.is_none_or(|a| a.is_alive(d))
    }

    #[inline]
    fn offer(&self, top: &mut Top, d: DocId, score: Score) -> bool {
        // The time is read only when the range needs it or the match could enter.
        let mut at = None;
        if let Some((from, to)) = self.range {
            let t = self.at.get_val(d);
            if t < from || t > to {
                return false;
            }
            at = Some(t);
        }
        if top.may_enter(score) {
            top.offer(Ranked {
                score,
                at: at.unwrap_or_else(|| self.at.get_val(d)),
                seg: self.ord,
                doc: d,
            });
        }
        true
    }

    /// Every document of `docs` that passes the filter (a search without words); returns how
    /// many matched.
    pub(crate) fn scan_all(&self, docs: Range<DocId>, top: &mut Top) -> usize {
        let mut n = 0;
        for d in docs {
            if self.keeps(d) && self.offer(top, d, 0.0) {
                n += 1;
            }
        }
        n
    }

    /// The documents holding every word; returns how many matched. The rarest word leads: a
    /// block of its postings becomes the candidates, and each other word in turn keeps those it
    /// also holds, by a merge of two sorted runs without a branch on the outcome (a match is
    /// as likely as not, and a mispredicted branch per posting was most of the time). The
    /// score sums the words in the query's order whichever leads, so that equal texts score
    /// exactly equal in every segment and their tie is decided by time alone.
    /// Only documents of `docs` are looked at; the words must stand at or before its start.
    pub(crate) fn scan_words(
        &self,
        docs: Range<DocId>,
        words: &mut [Word],
        norms: &FieldNormReader,
        top: &mut Top,
    ) -> usize {
        let Some(lead) = (0..words.len()).min_by_key(|&i| words[i].postings.doc_freq()) else {
            return 0;
        };
        // Where each word's cursor stands in its current block.
        let mut at = vec![0usize; words.len()];
        // Per word, its frequency in the candidate at that index of the lead's block.
        let mut tfs = vec![[0u32; BLOCK]; words.len()];
        let mut cand = Candidates::default();
        let mut n = 0;
        loop {
            let p = &words[lead].postings;
            let len = p.block_len();
            if len == 0 {
                return n;
            }
            let block = &p.docs()[..len];
            let from = block.partition_point(|&d| d < docs.start);
            let to = block.partition_point(|&d| d < docs.end);
            let mut last = to < len;
            // A filter is checked first: what it drops is never looked for in the other words.
            if self.filter.is_none() && self.alive.is_none() {
                cand.reset(&block[from..to], from);
            } else {
                cand.reset_kept(&block[from..to], from, |d| self.keeps(d));
            }
            tfs[lead][from..to].copy_from_slice(&p.freqs()[from..to]);
            let lead_freq = words[lead].postings.doc_freq();
            for j in (0..words.len()).filter(|&j| j != lead) {
                if cand.len == 0 {
                    break;
                }
                let (p, i, tf) = (&mut words[j].postings, &mut at[j], &mut tfs[j]);
                last |= if p.doc_freq() <= DENSE * lead_freq {
                    cand.keep_held_merging(p, i, tf)
                } else {
                    cand.keep_held_seeking(p, i, tf)
                };
            }
            let held = cand.docs[..cand.len].iter().zip(&cand.slot[..cand.len]);
            for (&d, &slot) in held {
                let k = slot as usize % BLOCK;
                let norm = norms.fieldnorm_id(d);
                let score = words
                    .iter()
                    .zip(&tfs)
                    .fold(0.0, |s, (w, tf)| s + w.bm25.score(norm, tf[k]));
                if self.offer(top, d, score) {
                    n += 1;
                }
            }
            if last {
                return n;
            }
            words[lead].postings.advance();
        }
    }
}

/// Documents in a full posting block (tantivy's `COMPRESSION_BLOCK_SIZE`, which it does not
/// export; a longer block would fail loudly on the first copy).
const BLOCK: usize = 128;

/// The lead block's documents still matching every word looked at so far, in order, each with
/// its index in the lead's block (where the words' frequencies are written).
struct Candidates {
    docs: [DocId; BLOCK],
    slot: [u8; BLOCK],
    len: usize,
}

impl Default for Candidates {
    fn default() -> Self {
        Candidates {
            docs: [0; BLOCK],
            slot: [0; BLOCK],
            len: 0,
        }
    }
}

impl Candidates {
    fn reset(&mut self, docs: &[DocId], first_slot: usize) {
        self.len = docs.len();
        self.docs[..docs.len()].copy_from_slice(docs);
        for (i, s) in self.slot[..docs.len()].iter_mut().enumerate() {
            *s = (first_slot + i) as u8;
        }
    }

    /// Like [`reset`](Self::reset), keeping only the documents `keep` passes.
    fn reset_kept(&mut self, docs: &[DocId], first_slot: usize, keep: impl Fn(DocId) -> bool) {
        self.len = 0;
        for (i, &d) in docs.iter().enumerate() {
            if keep(d) {
                self.docs[self.len] = d;
                self.slot[self.len] = (first_slot + i) as u8;
                self.len += 1;
            }
        }
    }

    /// Keeps the candidates `p` also holds, for a word about as common as the lead: one merge
    /// of the two sorted runs, written so that no branch depends on whether they meet (they
    /// meet about as often as not, and a mispredicted branch per posting was most of the time).
    /// `tf` receives `p`'s frequency at each kept candidate's slot; `i` is the cursor in `p`'s
    /// current block, moved forward. Returns whether `p` ran out (nothing after the candidates
    /// can match).
    fn keep_held_merging(
        &mut self,
        p: &mut BlockSegmentPostings,
        i: &mut usize,
        tf: &mut [u32; BLOCK],
    ) -> bool {
        let (mut a, mut kept) = (0, 0);
        let mut ran_out = false;
        while a < self.len {
            let len = p.block_len();
            if len == 0 || p.doc(len - 1) < self.docs[a] {
                *i = p.seek(self.docs[a]);
                if *i >= p.block_len() {
                    ran_out = true;
                    break;
                }
            }
            let (docs, freqs) = (&p.docs()[..p.block_len()], &p.freqs()[..p.block_len()]);
            while a < self.len && *i < docs.len() {
                let (x, y) = (self.docs[a], docs[*i]);
                // Written whatever the outcome; kept only when the two meet.
                self.docs[kept] = x;
                self.slot[kept] = self.slot[a];
                tf[self.slot[a] as usize % BLOCK] = freqs[*i];
                kept += usize::from(x == y);
                a += usize::from(x <= y);
                *i += usize::from(y <= x);
            }
        }
        self.len = kept;
        ran_out
    }

    /// The same for a word much more common than the lead: for each candidate, `p`'s blocks
    /// before it are skipped and its postings before it passed over by a loop whose branch is
    /// nearly always taken (a merge would spend a dependent step on each of them).
    fn keep_held_seeking(
        &mut self,
        p: &mut BlockSegmentPostings,
        i: &mut usize,
        tf: &mut [u32; BLOCK],
    ) -> bool {
        let mut kept = 0;
        let mut ran_out = false;
        for a in 0..self.len {
            let x = self.docs[a];
            let len = p.block_len();
            if len == 0 || p.doc(len - 1) < x {
                *i = p.seek(x);
                if *i >= p.block_len() {
                    ran_out = true;
                    break;
                }
            }
            // The block's last document is at or after `x`: the walk stops inside it.
            while p.doc(*i) < x {
                *i += 1;
            }
            let slot = self.slot[a];
            self.docs[kept] = x;
            self.slot[kept] = slot;
            tf[slot as usize % BLOCK] = p.freq(*i);
            kept += usize::from(p.doc(*i) == x);
        }
        self.len = kept;
        ran_out
    }
}

/// A word at most this many times as common as the lead is intersected by merging; a more
/// common one by seeking from candidate to candidate (where the two cost the same, from the
/// 20 M-text benchmark: a merge step is a few dependent cycles, a passed-over posting in the
/// seeking loop well under one, and a candidate there costs a mispredicted branch).
const DENSE: u32 = 2;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_top_keeps_the_best_newest_first_on_ties() {
        let mut t = Top::new(3);
        for (i, (s, at)) in [(1.0, 5), (2.0, 1), (1.0, 9), (1.0, 7), (0.5, 100)]
            .into_iter()
            .enumerate()
        {
            t.offer(Ranked {
                score: s,
                at,
                seg: 0,
                doc: i as u32,
            });
        }
        let got: Vec<(Score, i64)> = t.into_sorted().iter().map(|r| (r.score, r.at)).collect();
        assert_eq!(got, vec![(2.0, 1), (1.0, 9), (1.0, 7)]);
    }
}
