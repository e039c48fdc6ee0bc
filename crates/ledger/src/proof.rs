//! Inclusion and consistency proofs (RFC 9162 §2.1.3 and §2.1.4):
//! generation from stored hashes, and verification by the RFC's algorithms.

use crate::hash::{Hash, largest_power_of_two_below, node_hash};
use crate::tree::{HashReader, fold_subtrees, stored_hash_index};

/// Proof generation failed.
#[derive(Debug, thiserror::Error)]
pub enum ProofError<E> {
    /// The requested leaf index or sizes do not describe a proof.
    #[error("no proof for {what}")]
    Range {
        /// Which request, e.g. "leaf 9 in a tree of size 4".
        what: String,
    },
    /// The hash reader failed.
    #[error("reading stored hashes: {0}")]
    Read(E),
    /// The hash reader returned the wrong number of hashes.
    #[error("hash reader returned {got} hashes for {wanted} indexes")]
    ShortRead {
        /// Hashes asked for.
        wanted: usize,
        /// Hashes returned.
        got: usize,
    },
}

impl<E> ProofError<E> {
    /// Stable snake_case error code.
    pub fn code(&self) -> &'static str {
        match self {
            ProofError::Range { .. } => "ledger_proof_out_of_range",
            ProofError::Read(_) => "ledger_read_failed",
            ProofError::ShortRead { .. } => "ledger_short_read",
        }
    }
    /// Chinese message saying what is wrong.
    pub fn message_zh(&self) -> String {
        match self {
            ProofError::Range { what } => format!("无法生成证明：{what}"),
            ProofError::Read(_) => "读取日志存储哈希失败".to_string(),
            ProofError::ShortRead { wanted, got } => {
                format!("读取 {wanted} 个存储哈希，只得到 {got} 个")
            }
        }
    }
}

/// Appends the complete subtrees whose union is the leaf range `lo..hi`, left
/// to right. The range must be one that the RFC 9162 recursion produces: `lo`
/// a multiple of the largest power of two not below `hi - lo`.
fn range_nodes(lo: u64, hi: u64, out: &mut Vec<u64>) {
    let mut start = lo;
    let width = hi - lo;
    for level in (0..64u8).rev() {
        if width & (1 << level) != 0 {
            debug_assert_eq!(start % (1 << level), 0, "unaligned range {lo}..{hi}");
            out.push(stored_hash_index(level, start >> level));
            start += 1 << level;
        }
    }
}

/// Reads the stored hashes for `ranges` with one call and folds each range
/// into its Merkle Tree Hash.
fn hash_ranges<R: HashReader + ?Sized>(
    ranges: &[(u64, u64)],
    reader: &R,
) -> Result<Vec<Hash>, ProofError<R::Error>> {
    let mut indexes = Vec::new();
    let mut bounds = Vec::with_capacity(ranges.len());
    for &(lo, hi) in ranges {
        let start = indexes.len();
        range_nodes(lo, hi, &mut indexes);
        bounds.push(start..indexes.len());
    }
    let hashes = reader.read_hashes(&indexes).map_err(ProofError::Read)?;
    if hashes.len() != indexes.len() {
        return Err(ProofError::ShortRead {
            wanted: indexes.len(),
            got: hashes.len(),
        });
    }
    Ok(bounds
        .into_iter()
        .map(|b| fold_subtrees(&hashes[b]))
        .collect())
}

/// The leaf ranges whose hashes form the inclusion proof `PATH(index, D[size])`,
/// in proof order (the leaf's sibling first, the root's child last).
pub fn inclusion_proof_ranges(index: u64, size: u64) -> Vec<(u64, u64)> {
    let mut ranges = Vec::new();
    let (mut lo, mut hi) = (0, size);
    while hi - lo > 1 {
        let k = largest_power_of_two_below(hi - lo);
        if index < lo + k {
            ranges.push((lo + k, hi));
            hi = lo + k;
        } else {
            ranges.push((lo, lo + k));
            lo += k;
        }
    }
    ranges.reverse();
    ranges
}

/// The leaf ranges whose hashes form the consistency proof `PROOF(old, D[new])`
/// of RFC 9162 §2.1.4.1, in proof order (`0 < old < new`).
pub fn consistency_proof_ranges(old: u64, new: u64) -> Vec<(u64, u64)> {
    let mut ranges = Vec::new();
    let (mut lo, mut hi) = (0, new);
    let mut m = old;
    let mut whole_old_tree = true;
    loop {
        if m == hi - lo {
            if !whole_old_tree {
                ranges.push((lo, hi));
            }
            break;
        }
        let k = largest_power_of_two_below(hi - lo);
        if m <= k {
            ranges.push((lo + k, hi));
            hi = lo + k;
        } else {
            ranges.push((lo, lo + k));
            lo += k;
            m -= k;
            whole_old_tree = false;
        }
    }
    ranges.reverse();
    ranges
}

/// The root hash of the tree of `size` leaves, from stored hashes.
pub fn tree_hash<R: HashReader + ?Sized>(
    size: u64,
    reader: &R,
) -> Result<Hash, ProofError<R::Error>> {
    if size == 0 {
        return Ok(fold_subtrees(&[]));
    }
    Ok(hash_ranges(&[(0, size)], reader)?[0])
}

/// The inclusion proof for leaf `index` in the tree of `size` leaves.
pub fn inclusion_proof<R: HashReader + ?Sized>(
    index: u64,
    size: u64,
    reader: &R,
) -> Result<Vec<Hash>, ProofError<R::Error>> {
    if index >= size {
        return Err(ProofError::Range {
            what: format!("leaf {index} in a tree of size {size}"),
        });
    }
    hash_ranges(&inclusion_proof_ranges(index, size), reader)
}

/// The consistency proof from the tree of `old` leaves to the tree of `new`
/// leaves. Empty when `old` is 0 or equal to `new`.
pub fn consistency_proof<R: HashReader + ?Sized>(
    old: u64,
    new: u64,
    reader: &R,
) -> Result<Vec<Hash>, ProofError<R::Error>> {
    if old > new {
        return Err(ProofError::Range {
            what: format!("consistency from size {old} to smaller size {new}"),
        });
    }
    if old == 0 || old == new {
        return Ok(Vec::new());
    }
    hash_ranges(&consistency_proof_ranges(old, new), reader)
}

/// A proof did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The leaf index is not inside the tree.
    #[error("leaf index {index} is not in a tree of size {size}")]
    IndexOutOfRange {
        /// Leaf index.
        index: u64,
        /// Tree size.
        size: u64,
    },
    /// The newer tree is smaller than the older one.
    #[error("tree size went backwards from {old} to {new}")]
    SizeDecreased {
        /// Older size.
        old: u64,
        /// Newer size.
        new: u64,
    },
    /// The proof has the wrong number of hashes for these sizes.
    #[error("proof has the wrong shape for these tree sizes")]
    WrongProofLength,
    /// The proof leads to a different root.
    #[error("proof does not lead to the expected root hash")]
    RootMismatch,
}

impl VerifyError {
    /// Stable snake_case error code.
    pub fn code(&self) -> &'static str {
        match self {
            VerifyError::IndexOutOfRange { .. } => "ledger_index_out_of_range",
            VerifyError::SizeDecreased { .. } => "ledger_size_decreased",
            VerifyError::WrongProofLength => "ledger_bad_proof",
            VerifyError::RootMismatch => "ledger_root_mismatch",
        }
    }
    /// Chinese message saying what is wrong.
    pub fn message_zh(&self) -> String {
        match self {
            VerifyError::IndexOutOfRange { index, size } => {
                format!("叶子序号 {index} 不在大小为 {size} 的树中")
            }
            VerifyError::SizeDecreased { old, new } => {
                format!("树的大小从 {old} 倒退到 {new}")
            }
            VerifyError::WrongProofLength => "证明的哈希个数与树的大小不符".to_string(),
            VerifyError::RootMismatch => "证明计算出的根哈希与预期不符".to_string(),
        }
    }
}

/// Recomputes the root from an inclusion proof (RFC 9162 §2.1.3.2, steps 1–5
/// without the final root comparison).
pub fn root_from_inclusion_proof(
    leaf_hash: &Hash,
    index: u64,
    size: u64,
    proof: &[Hash],
) -> Result<Hash, VerifyError> {
    // 1. leaf_index must be inside the tree.
    if index >= size {
        return Err(VerifyError::IndexOutOfRange { index, size });
    }
    // 2. fn = leaf_index, sn = tree_size - 1.
    let mut f = index;
    let mut s = size - 1;
    // 3. r = hash.
    let mut r = *leaf_hash;
    // 4. For each p in the inclusion path:
    for p in proof {
        // a. sn == 0: the path is too long.
        if s == 0 {
            return Err(VerifyError::WrongProofLength);
        }
        // b. LSB(fn) set, or fn == sn: p is a left sibling.
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            // Skip the levels where this node has no right sibling.
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        // c. Shift both once.
        f >>= 1;
        s >>= 1;
    }
    // 5. sn must have reached 0.
    if s != 0 {
        return Err(VerifyError::WrongProofLength);
    }
    Ok(r)
}

/// Verifies that `leaf_hash` is leaf `index` of the tree of `size` leaves with
/// root `root` (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(
    leaf_hash: &Hash,
    index: u64,
    size: u64,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), VerifyError> {
    if root_from_inclusion_proof(leaf_hash, index, size, proof)? == *root {
        Ok(())
    } else {
        Err(VerifyError::RootMismatch)
    }
}

/// Verifies that the tree of `new_size` leaves with root `new_root` extends
/// the tree of `old_size` leaves with root `old_root` (RFC 9162 §2.1.4.2).
///
/// As in RFC 9162 the proof between equal sizes is empty and the roots must
/// be equal, and any tree is consistent with the empty tree (`old_size` 0)
/// with an empty proof.
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> Result<(), VerifyError> {
    if old_size > new_size {
        return Err(VerifyError::SizeDecreased {
            old: old_size,
            new: new_size,
        });
    }
    if old_size == new_size {
        if !proof.is_empty() {
            return Err(VerifyError::WrongProofLength);
        }
        return if old_root == new_root {
            Ok(())
        } else {
            Err(VerifyError::RootMismatch)
        };
    }
    if old_size == 0 {
        return if proof.is_empty() {
            Ok(())
        } else {
            Err(VerifyError::WrongProofLength)
        };
    }
    // 1. An empty path fails.
    let Some((first, rest)) = proof.split_first() else {
        return Err(VerifyError::WrongProofLength);
    };
    // 2. If first is an exact power of 2, first_hash is prepended to the path.
    let (start, rest) = if old_size.is_power_of_two() {
        (old_root, proof)
    } else {
        (first, rest)
    };
    // 3. fn = first - 1, sn = second - 1.
    let mut f = old_size - 1;
    let mut s = new_size - 1;
    // 4. While LSB(fn) is set, shift both.
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    // 5. fr = sr = first value of the path.
    let mut fr = *start;
    let mut sr = *start;
    // 6. For each subsequent value c:
    for c in rest {
        // a. sn == 0: the path is too long.
        if s == 0 {
            return Err(VerifyError::WrongProofLength);
        }
        // b. LSB(fn) set or fn == sn: c is a left sibling in both trees.
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            // Otherwise c is a right sibling that only the new tree has.
            sr = node_hash(&sr, c);
        }
        // c. Shift both once.
        f >>= 1;
        s >>= 1;
    }
    // 7. sn must be 0 and both roots must match.
    if s != 0 {
        return Err(VerifyError::WrongProofLength);
    }
    if fr != *old_root || sr != *new_root {
        return Err(VerifyError::RootMismatch);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
