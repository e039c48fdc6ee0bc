//! Stored hashes and the incremental tree builder.
//!
//! A log keeps, for every leaf appended, the leaf hash followed by the hashes
//! of the complete subtrees that this leaf completes (first the one of height
//! 1, then 2, ...). These "stored hashes" are addressed by a single `u64`
//! index, their position in that append-only sequence; [`stored_hash_index`]
//! maps a node `(level, index)` of the tree (the complete subtree over leaves
//! `index << level .. (index + 1) << level`) to its position, and
//! [`split_stored_hash_index`] maps back. The root of any tree size and every
//! inclusion or consistency proof can be computed from stored hashes alone
//! (see [`crate::proof`]), and they are exactly the data of `tlog-tiles`.

use std::convert::Infallible;

use crate::hash::{Hash, empty_root, leaf_hash, node_hash};

/// Reads stored hashes by their stored-hash indexes (see the module docs).
///
/// Implementations return one hash per requested index, in the order asked.
/// A database-backed reader can answer a whole proof with one query, since
/// the proof functions always ask for every index they need at once.
pub trait HashReader {
    /// What can go wrong reading.
    type Error;
    /// The stored hashes at `indexes`, in the same order.
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Self::Error>;
}

impl<R: HashReader + ?Sized> HashReader for &R {
    type Error = R::Error;
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Self::Error> {
        (**self).read_hashes(indexes)
    }
}

/// Number of hashes stored for a tree of `size` leaves: `2·size − popcount(size)`.
pub fn stored_hash_count(size: u64) -> u64 {
    2 * size - u64::from(size.count_ones())
}

/// The stored-hash index of the complete subtree at `level` with `index`
/// (covering leaves `index << level .. (index + 1) << level`).
pub fn stored_hash_index(level: u8, index: u64) -> u64 {
    let last_leaf = ((index + 1) << level) - 1;
    stored_hash_count(last_leaf) + u64::from(level)
}

/// Inverse of [`stored_hash_index`]: the `(level, index)` stored at `stored`.
pub fn split_stored_hash_index(stored: u64) -> (u8, u64) {
    // stored_hash_count is increasing and stored_hash_count(stored / 2) <= stored;
    // the leaf whose hashes contain `stored` is at most 64 steps further.
    let mut leaf = stored / 2;
    while stored_hash_count(leaf + 1) <= stored {
        leaf += 1;
    }
    let level = (stored - stored_hash_count(leaf)) as u8;
    (level, leaf >> level)
}

/// The complete subtrees making up a tree of `size` leaves, left to right
/// (largest first), as `(level, index)` pairs: one per set bit of `size`.
pub fn frontier_nodes(size: u64) -> Vec<(u8, u64)> {
    let mut out = Vec::with_capacity(size.count_ones() as usize);
    let mut start = 0u64;
    for level in (0..64u8).rev() {
        if size & (1 << level) != 0 {
            out.push((level, start >> level));
            start += 1 << level;
        }
    }
    out
}

/// Folds the hashes of consecutive complete subtrees (left to right, sizes
/// decreasing) into the Merkle Tree Hash of their union, right to left as the
/// RFC 9162 recursion does.
pub(crate) fn fold_subtrees(hashes: &[Hash]) -> Hash {
    match hashes.split_last() {
        None => empty_root(),
        Some((last, rest)) => rest.iter().rev().fold(*last, |acc, h| node_hash(h, &acc)),
    }
}

/// The frontier of a tree could not be restored.
#[derive(Debug, thiserror::Error)]
pub enum ResumeError<E> {
    /// The reader failed.
    #[error("reading stored hashes: {0}")]
    Read(E),
    /// The number of frontier hashes does not match the tree size.
    #[error("tree of size {size} needs {expected} frontier hashes, got {got}")]
    FrontierLength {
        /// Tree size.
        size: u64,
        /// Hashes needed (one per set bit of the size).
        expected: usize,
        /// Hashes given.
        got: usize,
    },
}

impl<E> ResumeError<E> {
    /// Stable snake_case error code.
    pub fn code(&self) -> &'static str {
        match self {
            ResumeError::Read(_) => "ledger_read_failed",
            ResumeError::FrontierLength { .. } => "ledger_bad_frontier",
        }
    }
    /// Chinese message saying what is wrong.
    pub fn message_zh(&self) -> String {
        match self {
            ResumeError::Read(_) => "读取日志存储哈希失败".to_string(),
            ResumeError::FrontierLength {
                size,
                expected,
                got,
            } => format!("大小为 {size} 的树需要 {expected} 个边界哈希，实际为 {got} 个"),
        }
    }
}

/// Incremental Merkle tree: integrates leaf hashes one at a time, keeping
/// only the hashes of the complete subtrees on the right edge (at most 64),
/// and emits the stored hashes each new leaf produces.
///
/// Appending does not allocate once the frontier has grown to the tree's
/// height (capacity for 64 is reserved up front).
#[derive(Clone, Debug)]
pub struct TreeBuilder {
    size: u64,
    /// Complete subtrees, left to right; the last is the smallest.
    frontier: Vec<Hash>,
}

impl Default for TreeBuilder {
    fn default() -> Self {
        TreeBuilder::new()
    }
}

impl TreeBuilder {
    /// An empty tree.
    pub fn new() -> TreeBuilder {
        TreeBuilder {
            size: 0,
            frontier: Vec::with_capacity(64),
        }
    }

    /// Restores a builder from the frontier hashes of a tree of `size`
    /// (the hashes of [`frontier_nodes`]`(size)`, in that order).
    pub fn from_frontier(
        size: u64,
        frontier: &[Hash],
    ) -> Result<TreeBuilder, ResumeError<Infallible>> {
        let expected = size.count_ones() as usize;
        if frontier.len() != expected {
            return Err(ResumeError::FrontierLength {
                size,
                expected,
                got: frontier.len(),
            });
        }
        let mut v = Vec::with_capacity(64);
        v.extend_from_slice(frontier);
        Ok(TreeBuilder { size, frontier: v })
    }

    /// Restores a builder for a tree of `size` from stored hashes.
    pub fn resume<R: HashReader + ?Sized>(
        size: u64,
        reader: &R,
    ) -> Result<TreeBuilder, ResumeError<R::Error>> {
        let indexes: Vec<u64> = frontier_nodes(size)
            .into_iter()
            .map(|(l, i)| stored_hash_index(l, i))
            .collect();
        let hashes = reader.read_hashes(&indexes).map_err(ResumeError::Read)?;
        TreeBuilder::from_frontier(size, &hashes).map_err(|e| match e {
            ResumeError::FrontierLength {
                size,
                expected,
                got,
            } => ResumeError::FrontierLength {
                size,
                expected,
                got,
            },
            ResumeError::Read(never) => match never {},
        })
    }

    /// Number of leaves integrated so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Hashes of the complete subtrees making up the tree, left to right.
    pub fn frontier(&self) -> &[Hash] {
        &self.frontier
    }

    /// Integrates one leaf hash and appends to `stored` the hashes this leaf
    /// stores: the leaf hash, then each newly completed subtree, lowest first.
    /// Their stored-hash indexes start at `stored_hash_count(size_before)`.
    pub fn push(&mut self, leaf: Hash, stored: &mut Vec<Hash>) {
        stored.push(leaf);
        let mut h = leaf;
        let mut s = self.size;
        while s & 1 == 1 {
            let left = self
                .frontier
                .pop()
                .expect("frontier holds one hash per set bit");
            h = node_hash(&left, &h);
            stored.push(h);
            s >>= 1;
        }
        self.frontier.push(h);
        self.size += 1;
    }

    /// Integrates one leaf hash without reporting stored hashes (for
    /// verifiers that only need the root).
    pub fn push_leaf(&mut self, leaf: Hash) {
        let mut h = leaf;
        let mut s = self.size;
        while s & 1 == 1 {
            let left = self
                .frontier
                .pop()
                .expect("frontier holds one hash per set bit");
            h = node_hash(&left, &h);
            s >>= 1;
        }
        self.frontier.push(h);
        self.size += 1;
    }

    /// Integrates the root of a complete subtree of `2^level` leaves, as if
    /// its leaves had been pushed one by one (for verifiers that hash
    /// aligned chunks of the log in parallel).
    ///
    /// # Panics
    ///
    /// If `level` is 64 or more, or the tree size is not a multiple of
    /// `2^level`.
    pub fn push_subtree(&mut self, level: u8, hash: Hash) {
        assert!(
            level < 64 && self.size.is_multiple_of(1 << level),
            "a subtree of level {level} cannot start at leaf {}",
            self.size
        );
        let mut h = hash;
        let mut s = self.size >> level;
        while s & 1 == 1 {
            let left = self
                .frontier
                .pop()
                .expect("frontier holds one hash per set bit");
            h = node_hash(&left, &h);
            s >>= 1;
        }
        self.frontier.push(h);
        self.size += 1 << level;
    }

    /// Hashes an entry as a leaf and integrates it.
    pub fn push_entry(&mut self, entry: &[u8]) {
        self.push_leaf(leaf_hash(entry));
    }

    /// The Merkle Tree Hash of the current tree.
    pub fn root(&self) -> Hash {
        fold_subtrees(&self.frontier)
    }
}

/// A stored hash asked of a [`MemoryTree`] does not exist yet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("stored hash {index} does not exist (only {count} stored)")]
pub struct MissingHash {
    /// The index asked for.
    pub index: u64,
    /// How many hashes are stored.
    pub count: u64,
}

/// A whole log tree in memory: the builder plus every stored hash.
/// Useful for tests, tools and small logs; a server keeps the stored hashes
/// (or the tiles) in its database instead.
#[derive(Clone, Debug, Default)]
pub struct MemoryTree {
    builder: TreeBuilder,
    hashes: Vec<Hash>,
}

impl MemoryTree {
    /// An empty tree.
    pub fn new() -> MemoryTree {
        MemoryTree::default()
    }

    /// An empty tree with room for `leaves` leaves without reallocating.
    pub fn with_capacity(leaves: u64) -> MemoryTree {
        MemoryTree {
            builder: TreeBuilder::new(),
            hashes: Vec::with_capacity(usize::try_from(stored_hash_count(leaves)).unwrap_or(0)),
        }
    }

    /// Number of leaves.
    pub fn size(&self) -> u64 {
        self.builder.size()
    }

    /// Root of the current tree.
    pub fn root(&self) -> Hash {
        self.builder.root()
    }

    /// Appends a leaf hash; returns its index.
    pub fn append_leaf_hash(&mut self, leaf: Hash) -> u64 {
        let index = self.builder.size();
        self.builder.push(leaf, &mut self.hashes);
        index
    }

    /// Hashes `entry` as a leaf and appends it; returns its index.
    pub fn append_entry(&mut self, entry: &[u8]) -> u64 {
        self.append_leaf_hash(leaf_hash(entry))
    }

    /// All stored hashes, in stored-hash-index order.
    pub fn stored_hashes(&self) -> &[Hash] {
        &self.hashes
    }

    /// The leaf hash at `index`, if present.
    pub fn leaf_hash(&self, index: u64) -> Option<Hash> {
        if index >= self.size() {
            return None;
        }
        self.hashes
            .get(usize::try_from(stored_hash_index(0, index)).ok()?)
            .copied()
    }

    /// The builder (for its frontier).
    pub fn builder(&self) -> &TreeBuilder {
        &self.builder
    }
}

impl HashReader for MemoryTree {
    type Error = MissingHash;
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, MissingHash> {
        let count = self.hashes.len() as u64;
        indexes
            .iter()
            .map(|&index| {
                usize::try_from(index)
                    .ok()
                    .and_then(|i| self.hashes.get(i))
                    .copied()
                    .ok_or(MissingHash { index, count })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::root_from_leaf_hashes;

    #[test]
    fn stored_hash_layout_matches_append_order() {
        // Leaves 0..5 store: L0 | L1 N(1,0) | L2 | L3 N(1,1) N(2,0) | L4 | L5 N(1,2)
        let want: &[(u8, u64)] = &[
            (0, 0),
            (0, 1),
            (1, 0),
            (0, 2),
            (0, 3),
            (1, 1),
            (2, 0),
            (0, 4),
            (0, 5),
            (1, 2),
        ];
        for (i, &(level, index)) in want.iter().enumerate() {
            assert_eq!(
                stored_hash_index(level, index),
                i as u64,
                "({level},{index})"
            );
            assert_eq!(split_stored_hash_index(i as u64), (level, index));
        }
    }

    #[test]
    fn split_inverts_index_far_out() {
        for level in 0..40u8 {
            for index in [0u64, 1, 2, 3, 255, 256, 1_000_003, 1 << 20] {
                let s = stored_hash_index(level, index);
                assert_eq!(split_stored_hash_index(s), (level, index));
            }
        }
        for s in 0..5000u64 {
            let (l, i) = split_stored_hash_index(s);
            assert_eq!(stored_hash_index(l, i), s);
        }
    }

    #[test]
    fn builder_emits_stored_hashes_and_right_roots() {
        let mut b = TreeBuilder::new();
        let mut stored = Vec::new();
        let mut leaves = Vec::new();
        assert_eq!(b.root(), empty_root());
        for i in 0..300u32 {
            let leaf = leaf_hash(&i.to_be_bytes());
            let before = stored.len() as u64;
            assert_eq!(before, stored_hash_count(b.size()));
            b.push(leaf, &mut stored);
            leaves.push(leaf);
            assert_eq!(stored.len() as u64, stored_hash_count(b.size()));
            assert_eq!(b.root(), root_from_leaf_hashes(&leaves));
        }
        // Every stored hash is the MTH of the leaves under it.
        for (s, h) in stored.iter().enumerate() {
            let (level, index) = split_stored_hash_index(s as u64);
            let lo = (index << level) as usize;
            let hi = ((index + 1) << level) as usize;
            assert_eq!(*h, root_from_leaf_hashes(&leaves[lo..hi]));
        }
    }

    #[test]
    fn resume_from_stored_hashes() {
        let mut t = MemoryTree::new();
        for i in 0..77u32 {
            t.append_entry(&i.to_le_bytes());
        }
        let mut b = TreeBuilder::resume(77, &t).unwrap();
        assert_eq!(b.root(), t.root());
        assert_eq!(b.frontier(), t.builder().frontier());
        b.push_entry(b"next");
        t.append_entry(b"next");
        assert_eq!(b.root(), t.root());
        assert!(matches!(
            TreeBuilder::from_frontier(3, &[t.root()]),
            Err(ResumeError::FrontierLength { expected: 2, .. })
        ));
    }

    #[test]
    fn push_subtree_equals_pushing_its_leaves() {
        let leaves: Vec<Hash> = (0..40u32).map(|i| leaf_hash(&i.to_be_bytes())).collect();
        let mut one_by_one = TreeBuilder::new();
        for l in &leaves {
            one_by_one.push_leaf(*l);
        }
        let mut chunked = TreeBuilder::new();
        for c in leaves[..32].chunks(8) {
            chunked.push_subtree(3, root_from_leaf_hashes(c));
        }
        chunked.push_subtree(2, root_from_leaf_hashes(&leaves[32..36]));
        for l in &leaves[36..] {
            chunked.push_leaf(*l);
        }
        assert_eq!(chunked.size(), 40);
        assert_eq!(chunked.root(), one_by_one.root());
        assert_eq!(chunked.frontier(), one_by_one.frontier());
    }

    #[test]
    #[should_panic(expected = "cannot start at leaf 1")]
    fn push_subtree_must_be_aligned() {
        let mut b = TreeBuilder::new();
        b.push_leaf(leaf_hash(b"x"));
        b.push_subtree(1, leaf_hash(b"y"));
    }

    #[test]
    fn frontier_nodes_cover_the_tree() {
        assert_eq!(frontier_nodes(0), vec![]);
        assert_eq!(frontier_nodes(1), vec![(0, 0)]);
        assert_eq!(frontier_nodes(6), vec![(2, 0), (1, 2)]);
        assert_eq!(frontier_nodes(7), vec![(2, 0), (1, 2), (0, 6)]);
    }

    #[test]
    fn memory_tree_reader_reports_missing() {
        let mut t = MemoryTree::new();
        t.append_entry(b"a");
        assert_eq!(t.read_hashes(&[0]).unwrap(), vec![leaf_hash(b"a")]);
        assert_eq!(t.read_hashes(&[1]), Err(MissingHash { index: 1, count: 1 }));
        assert_eq!(t.leaf_hash(0), Some(leaf_hash(b"a")));
        assert_eq!(t.leaf_hash(1), None);
    }
}
