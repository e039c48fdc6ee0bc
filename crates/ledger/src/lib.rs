//! A transparency log library: RFC 9162 Merkle trees and proofs, and the
//! C2SP formats tlog-checkpoint, signed-note (Ed25519), tlog-tiles and
//! tlog-proof.
//!
//! It depends on no other gongzhi crate. Every error type has a stable
//! snake_case `code()` and a Chinese `message_zh()`; its `Display` is the
//! English message, so callers can wrap it into their bilingual errors.
//!
//! - [`hash`] — leaf and node hashing, the Merkle Tree Hash.
//! - [`tree`] — stored hashes, [`HashReader`], the incremental [`TreeBuilder`]
//!   and the in-memory [`MemoryTree`].
//! - [`proof`] — inclusion and consistency proofs, generation and verification.
//! - [`tiles`] — tile paths, tile data, entry bundles, reading through tiles.
//! - [`note`] — signed notes and Ed25519 keys.
//! - [`checkpoint`] — checkpoints.
//! - [`receipt`] — tlog-proof receipts.
//! - [`verify`] — full verification of a log against a signed checkpoint.

pub mod checkpoint;
pub mod hash;
pub mod note;
pub mod proof;
pub mod receipt;
pub mod tiles;
pub mod tree;
pub mod verify;

pub use checkpoint::{Checkpoint, CheckpointError};
pub use hash::{
    HASH_SIZE, Hash, HashParseError, empty_root, leaf_hash, node_hash, root_from_leaf_hashes,
};
pub use note::{Note, NoteError, NoteSignature, Signer, VerifiedNote, Verifier};
pub use proof::{
    ProofError, VerifyError, consistency_proof, inclusion_proof, root_from_inclusion_proof,
    tree_hash, verify_consistency, verify_inclusion,
};
pub use receipt::{Receipt, ReceiptBuildError, ReceiptError};
pub use tiles::{Bundle, Tile, TileError, TileHashReader, TilePath};
pub use tree::{
    HashReader, MemoryTree, MissingHash, TreeBuilder, split_stored_hash_index, stored_hash_count,
    stored_hash_index,
};
pub use verify::{FullVerifyError, full_verify, full_verify_threads};
