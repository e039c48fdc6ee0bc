//! What a search works out about a segment and keeps for the next search: a segment never
//! changes once written (its deletions are checked apart), so what depends only on it is valid
//! until a merge replaces it.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, MutexGuard};
use tantivy::SegmentReader;
use tantivy::index::SegmentId;

/// Values per (segment, key), at most `most` of them (the map starts over when full).
pub(crate) struct Kept<K, V> {
    map: Mutex<HashMap<(SegmentId, K), V>>,
    most: usize,
}

impl<K: Hash + Eq, V: Clone> Kept<K, V> {
    pub(crate) fn new(most: usize) -> Self {
        Kept {
            map: Mutex::new(HashMap::new()),
            most,
        }
    }

    fn map(&self) -> MutexGuard<'_, HashMap<(SegmentId, K), V>> {
        // A cache only: a panic while holding it leaves nothing to repair.
        self.map.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The value kept for `key` in `seg`, or `make`'s, kept from now on.
    pub(crate) fn get_or<E>(
        &self,
        seg: &SegmentReader,
        key: K,
        make: impl FnOnce() -> Result<V, E>,
    ) -> Result<V, E> {
        let k = (seg.segment_id(), key);
        if let Some(v) = self.map().get(&k) {
            return Ok(v.clone());
        }
        let v = make()?;
        let mut map = self.map();
        if map.len() >= self.most {
            map.clear();
        }
        map.insert(k, v.clone());
        Ok(v)
    }

    /// Drops what belongs to segments the searcher no longer has (merged away).
    pub(crate) fn forget_all_but(&self, segments: &[SegmentReader]) {
        self.map()
            .retain(|(id, _), _| segments.iter().any(|s| s.segment_id() == *id));
    }
}
