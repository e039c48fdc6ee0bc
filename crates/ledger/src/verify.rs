//! Full verification of a log: recompute the tree from every entry and check
//! it against a signed checkpoint, naming the first entry that differs.

use crate::checkpoint::{Checkpoint, CheckpointError};
use crate::hash::{Hash, leaf_hash, root_from_leaf_hashes};
use crate::note::Verifier;
use crate::tree::TreeBuilder;

/// The log does not match its signed checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FullVerifyError {
    /// The checkpoint is malformed or its signature does not verify.
    #[error("checkpoint: {0}")]
    Checkpoint(#[from] CheckpointError),
    /// There are more or fewer entries than the checkpoint's tree size.
    #[error(
        "the log has {found} entries but the checkpoint covers {expected}; first differing index {index}"
    )]
    EntryCount {
        /// Tree size in the checkpoint.
        expected: u64,
        /// Entries given.
        found: u64,
        /// First index where entries and checkpoint disagree.
        index: u64,
    },
    /// The entry at `index` is not the one the signed tree contains.
    #[error("entry {index} does not match the signed tree")]
    EntryMismatch {
        /// Index of the first mismatching entry.
        index: u64,
    },
    /// The recomputed root differs from the signed one, and no trusted leaf
    /// hashes were given (or they do not match the signed root either) to
    /// find which entry differs.
    #[error("recomputed root {computed} differs from the signed root {expected}")]
    RootMismatch {
        /// Root recomputed from the entries.
        computed: Hash,
        /// Root in the checkpoint.
        expected: Hash,
    },
}

impl FullVerifyError {
    /// Stable snake_case error code.
    pub fn code(&self) -> &'static str {
        match self {
            FullVerifyError::Checkpoint(e) => e.code(),
            FullVerifyError::EntryCount { .. } => "ledger_entry_count_mismatch",
            FullVerifyError::EntryMismatch { .. } => "ledger_entry_mismatch",
            FullVerifyError::RootMismatch { .. } => "ledger_root_mismatch",
        }
    }
    /// Chinese message saying what is wrong.
    pub fn message_zh(&self) -> String {
        match self {
            FullVerifyError::Checkpoint(e) => format!("检查点：{}", e.message_zh()),
            FullVerifyError::EntryCount {
                expected,
                found,
                index,
            } => format!(
                "日志有 {found} 条记录，检查点覆盖 {expected} 条；第一个不一致的序号为 {index}"
            ),
            FullVerifyError::EntryMismatch { index } => {
                format!("第 {index} 条日志记录与已签名的树不符")
            }
            FullVerifyError::RootMismatch { computed, expected } => {
                format!("重新计算的根哈希 {computed} 与已签名的根哈希 {expected} 不符")
            }
        }
    }

    /// The index of the first entry found to differ, if known.
    pub fn index(&self) -> Option<u64> {
        match self {
            FullVerifyError::EntryCount { index, .. }
            | FullVerifyError::EntryMismatch { index } => Some(*index),
            _ => None,
        }
    }
}

/// Level of the aligned chunks that worker threads hash: 16,384 entries.
const CHUNK_LEVEL: u8 = 14;

/// Verifies a whole log: the checkpoint's signature, then every entry, by
/// recomputing the tree of all `entries` and comparing its size and root
/// with the checkpoint. Streams the entries in batches; memory use does not
/// grow with the log. Uses one thread per available core (at most 8); see
/// [`full_verify_threads`].
///
/// `published_leaves` are the leaf hashes the log publishes (the level-0
/// tiles, concatenated). They are only trusted once they reproduce the
/// signed root, and then they locate the first entry whose leaf hash
/// differs. Without them a mismatch is reported as
/// [`FullVerifyError::RootMismatch`].
pub fn full_verify<'a, I>(
    entries: I,
    signed_checkpoint: &str,
    verifiers: &[Verifier],
    published_leaves: Option<&[Hash]>,
) -> Result<Checkpoint, FullVerifyError>
where
    I: IntoIterator<Item = &'a [u8]>,
{
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    full_verify_threads(
        entries,
        signed_checkpoint,
        verifiers,
        published_leaves,
        threads,
    )
}

/// [`full_verify`] with an explicit number of hashing threads. Aligned
/// chunks of 16,384 entries are hashed into complete subtrees in parallel,
/// then joined in order; the result does not depend on `threads`.
pub fn full_verify_threads<'a, I>(
    entries: I,
    signed_checkpoint: &str,
    verifiers: &[Verifier],
    published_leaves: Option<&[Hash]>,
    threads: usize,
) -> Result<Checkpoint, FullVerifyError>
where
    I: IntoIterator<Item = &'a [u8]>,
{
    let checkpoint = Checkpoint::open(signed_checkpoint, verifiers)?;
    let threads = threads.max(1);
    let chunk = 1usize << CHUNK_LEVEL;
    let mut builder = TreeBuilder::new();
    let mut first_leaf_mismatch: Option<u64> = None;
    let mut iter = entries.into_iter();
    let mut batch: Vec<&[u8]> = Vec::with_capacity(chunk * threads);
    loop {
        batch.clear();
        batch.extend(iter.by_ref().take(chunk * threads));
        let full_chunks = batch.len() / chunk;
        let base = builder.size();
        let results: Vec<(Hash, Option<u64>)> = if full_chunks <= 1 || threads == 1 {
            batch
                .chunks_exact(chunk)
                .enumerate()
                .map(|(k, c)| hash_chunk(c, base + (k * chunk) as u64, published_leaves))
                .collect()
        } else {
            std::thread::scope(|scope| {
                let workers: Vec<_> = batch
                    .chunks_exact(chunk)
                    .enumerate()
                    .map(|(k, c)| {
                        scope.spawn(move || {
                            hash_chunk(c, base + (k * chunk) as u64, published_leaves)
                        })
                    })
                    .collect();
                workers
                    .into_iter()
                    .map(|w| {
                        w.join()
                            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                    })
                    .collect()
            })
        };
        for (root, mismatch) in results {
            builder.push_subtree(CHUNK_LEVEL, root);
            first_leaf_mismatch = first_leaf_mismatch.or(mismatch);
        }
        let rest = &batch[full_chunks * chunk..];
        let (_, mismatch) = hash_leaves(rest, builder.size(), published_leaves, &mut builder);
        first_leaf_mismatch = first_leaf_mismatch.or(mismatch);
        if batch.len() < chunk * threads {
            break;
        }
    }
    let published_ok = || {
        published_leaves.is_some_and(|p| {
            p.len() as u64 == checkpoint.size && root_from_leaf_hashes(p) == checkpoint.root
        })
    };
    if builder.size() != checkpoint.size {
        let shorter = builder.size().min(checkpoint.size);
        let index = match first_leaf_mismatch {
            Some(i) if i < shorter && published_ok() => i,
            _ => shorter,
        };
        return Err(FullVerifyError::EntryCount {
            expected: checkpoint.size,
            found: builder.size(),
            index,
        });
    }
    let computed = builder.root();
    if computed != checkpoint.root {
        if let Some(index) = first_leaf_mismatch
            && published_ok()
        {
            return Err(FullVerifyError::EntryMismatch { index });
        }
        return Err(FullVerifyError::RootMismatch {
            computed,
            expected: checkpoint.root,
        });
    }
    Ok(checkpoint)
}

/// Hashes `entries` (starting at log index `start`) into `builder`; returns
/// the builder's root and the first index whose leaf hash differs from the
/// published one.
fn hash_leaves(
    entries: &[&[u8]],
    start: u64,
    published: Option<&[Hash]>,
    builder: &mut TreeBuilder,
) -> (Hash, Option<u64>) {
    let mut mismatch = None;
    for (i, entry) in entries.iter().enumerate() {
        let leaf = leaf_hash(entry);
        if mismatch.is_none()
            && let Some(p) = published
        {
            let index = start + i as u64;
            if usize::try_from(index).ok().and_then(|i| p.get(i)) != Some(&leaf) {
                mismatch = Some(index);
            }
        }
        builder.push_leaf(leaf);
    }
    (builder.root(), mismatch)
}

/// The root of one aligned chunk of `2^CHUNK_LEVEL` entries.
fn hash_chunk(entries: &[&[u8]], start: u64, published: Option<&[Hash]>) -> (Hash, Option<u64>) {
    let mut builder = TreeBuilder::new();
    hash_leaves(entries, start, published, &mut builder)
}

/// The index of the first entry whose leaf hash differs from
/// `published_leaves` (or where one list ends before the other).
pub fn first_mismatch<'a, I>(entries: I, published_leaves: &[Hash]) -> Option<u64>
where
    I: IntoIterator<Item = &'a [u8]>,
{
    let mut n = 0u64;
    for entry in entries {
        if published_leaves.get(n as usize) != Some(&leaf_hash(entry)) {
            return Some(n);
        }
        n += 1;
    }
    (n != published_leaves.len() as u64).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::note::{NoteError, Signer};
    use crate::tree::MemoryTree;

    struct Log {
        entries: Vec<Vec<u8>>,
        leaves: Vec<Hash>,
        signed: String,
        verifier: Verifier,
    }

    fn log(n: u64) -> Log {
        let entries: Vec<Vec<u8>> = (0..n).map(|i| format!("event {i}").into_bytes()).collect();
        let mut t = MemoryTree::new();
        for e in &entries {
            t.append_entry(e);
        }
        let leaves = (0..n).map(|i| t.leaf_hash(i).unwrap()).collect();
        let signer = Signer::from_seed("gongzhi.test/ledger", [5; 32]).unwrap();
        let signed = Checkpoint::new("gongzhi.test/ledger", n, t.root())
            .sign(&signer)
            .unwrap();
        Log {
            entries,
            leaves,
            signed,
            verifier: signer.verifier(),
        }
    }

    fn run(
        entries: &[Vec<u8>],
        l: &Log,
        published: Option<&[Hash]>,
    ) -> Result<Checkpoint, FullVerifyError> {
        full_verify(
            entries.iter().map(|e| e.as_slice()),
            &l.signed,
            std::slice::from_ref(&l.verifier),
            published,
        )
    }

    #[test]
    fn intact_log_verifies() {
        let l = log(1234);
        assert_eq!(run(&l.entries, &l, None).unwrap().size, 1234);
        assert_eq!(run(&l.entries, &l, Some(&l.leaves)).unwrap().size, 1234);
        assert_eq!(
            first_mismatch(l.entries.iter().map(|e| e.as_slice()), &l.leaves),
            None
        );
        let empty = log(0);
        assert_eq!(run(&[], &empty, None).unwrap().size, 0);
    }

    #[test]
    fn edited_entry_is_named() {
        let l = log(1234);
        let mut edited = l.entries.clone();
        edited[777] = b"event 777 (edited)".to_vec();
        assert_eq!(
            run(&edited, &l, Some(&l.leaves)),
            Err(FullVerifyError::EntryMismatch { index: 777 })
        );
        assert!(matches!(
            run(&edited, &l, None),
            Err(FullVerifyError::RootMismatch { .. })
        ));
        assert_eq!(
            first_mismatch(edited.iter().map(|e| e.as_slice()), &l.leaves),
            Some(777)
        );
    }

    #[test]
    fn swapped_entries_are_named() {
        let l = log(100);
        let mut swapped = l.entries.clone();
        swapped.swap(10, 11);
        let err = run(&swapped, &l, Some(&l.leaves)).unwrap_err();
        assert_eq!(err.index(), Some(10));
    }

    #[test]
    fn deleted_and_added_entries_are_named() {
        let l = log(100);
        let mut deleted = l.entries.clone();
        deleted.remove(40);
        assert_eq!(
            run(&deleted, &l, Some(&l.leaves)),
            Err(FullVerifyError::EntryCount {
                expected: 100,
                found: 99,
                index: 40
            })
        );
        assert_eq!(run(&deleted, &l, None).unwrap_err().index(), Some(99));
        let mut added = l.entries.clone();
        added.push(b"extra".to_vec());
        assert_eq!(
            run(&added, &l, Some(&l.leaves)).unwrap_err().index(),
            Some(100)
        );
    }

    #[test]
    fn forged_published_leaves_are_not_trusted() {
        let l = log(100);
        let mut edited = l.entries.clone();
        edited[5] = b"forged".to_vec();
        // Published hashes rewritten along with the entry: they no longer
        // reproduce the signed root, so they cannot name an index.
        let mut forged = l.leaves.clone();
        forged[5] = leaf_hash(b"forged");
        forged[60] = leaf_hash(b"other");
        assert!(matches!(
            run(&edited, &l, Some(&forged)),
            Err(FullVerifyError::RootMismatch { .. })
        ));
    }

    #[test]
    fn chunked_verification_names_the_entry_across_chunks() {
        // Several 16,384-entry chunks plus a remainder, over two batches.
        let n = 5 * 16_384 + 123;
        let l = log(n);
        assert_eq!(run(&l.entries, &l, Some(&l.leaves)).unwrap().size, n);
        for index in [0usize, 16_383, 16_384, 3 * 16_384 + 7, 5 * 16_384 + 100] {
            let mut edited = l.entries.clone();
            edited[index].push(b'!');
            assert_eq!(
                run(&edited, &l, Some(&l.leaves)),
                Err(FullVerifyError::EntryMismatch {
                    index: index as u64
                }),
                "{index}"
            );
        }
        let mut deleted = l.entries.clone();
        deleted.remove(20_000);
        assert_eq!(
            run(&deleted, &l, Some(&l.leaves)).unwrap_err().index(),
            Some(20_000)
        );
    }

    #[test]
    fn bad_signature_fails_first() {
        let l = log(10);
        let other = Signer::from_seed("gongzhi.test/ledger", [6; 32])
            .unwrap()
            .verifier();
        assert_eq!(
            full_verify(
                l.entries.iter().map(|e| e.as_slice()),
                &l.signed,
                &[other],
                None
            ),
            Err(FullVerifyError::Checkpoint(CheckpointError::Note(
                NoteError::UnknownKey
            )))
        );
    }
}
