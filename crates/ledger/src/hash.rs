//! RFC 9162 §2.1 hashing: the Merkle Tree Hash (MTH) over SHA-256 with
//! domain separation between leaves (`0x00`) and interior nodes (`0x01`).

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use sha2::{Digest, Sha256};

/// Size in bytes of every hash in the tree.
pub const HASH_SIZE: usize = 32;

/// A SHA-256 hash: a leaf hash, an interior node hash or a tree root.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Hash(pub [u8; HASH_SIZE]);

/// A byte string was not a valid 32-byte hash in the expected encoding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid {encoding} SHA-256 hash")]
pub struct HashParseError {
    /// The encoding that was expected ("hex", "base64" or "binary").
    pub encoding: &'static str,
}

impl HashParseError {
    /// Stable snake_case error code.
    pub fn code(&self) -> &'static str {
        "invalid_hash"
    }
    /// Chinese message saying what is wrong.
    pub fn message_zh(&self) -> String {
        format!("不是有效的 {} 编码 SHA-256 哈希", self.encoding)
    }
}

impl Hash {
    /// The hash as bytes.
    pub fn as_bytes(&self) -> &[u8; HASH_SIZE] {
        &self.0
    }

    /// Builds a hash from exactly 32 bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Hash, HashParseError> {
        <[u8; HASH_SIZE]>::try_from(bytes)
            .map(Hash)
            .map_err(|_| HashParseError { encoding: "binary" })
    }

    /// Lowercase hex, 64 characters.
    pub fn to_hex(&self) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut s = String::with_capacity(2 * HASH_SIZE);
        for b in self.0 {
            s.push(DIGITS[usize::from(b >> 4)] as char);
            s.push(DIGITS[usize::from(b & 15)] as char);
        }
        s
    }

    /// Parses 64 hex digits (either case).
    pub fn from_hex(s: &str) -> Result<Hash, HashParseError> {
        let err = HashParseError { encoding: "hex" };
        let bytes = s.as_bytes();
        if bytes.len() != 2 * HASH_SIZE {
            return Err(err);
        }
        let mut out = [0u8; HASH_SIZE];
        for (i, pair) in bytes.chunks_exact(2).enumerate() {
            let hi = hex_value(pair[0]).ok_or(err.clone())?;
            let lo = hex_value(pair[1]).ok_or(err.clone())?;
            out[i] = (hi << 4) | lo;
        }
        Ok(Hash(out))
    }

    /// Standard (RFC 4648 §4, padded) base64.
    pub fn to_base64(&self) -> String {
        BASE64.encode(self.0)
    }

    /// Parses standard padded base64 of exactly 32 bytes.
    pub fn from_base64(s: &str) -> Result<Hash, HashParseError> {
        let err = HashParseError { encoding: "base64" };
        let bytes = BASE64.decode(s).map_err(|_| err.clone())?;
        Hash::from_slice(&bytes).map_err(|_| err)
    }
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash({})", self.to_hex())
    }
}

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl From<[u8; HASH_SIZE]> for Hash {
    fn from(bytes: [u8; HASH_SIZE]) -> Hash {
        Hash(bytes)
    }
}

impl AsRef<[u8]> for Hash {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// SHA-256 of arbitrary bytes (no domain-separation prefix).
pub fn sha256(data: &[u8]) -> Hash {
    Hash(Sha256::digest(data).into())
}

/// The root of the empty tree: `MTH({}) = SHA-256()`.
pub fn empty_root() -> Hash {
    sha256(&[])
}

/// Leaf hash: `SHA-256(0x00 || data)`.
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(data);
    Hash(h.finalize().into())
}

/// Interior node hash: `SHA-256(0x01 || left || right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut buf = [0u8; 1 + 2 * HASH_SIZE];
    buf[0] = 1;
    buf[1..1 + HASH_SIZE].copy_from_slice(&left.0);
    buf[1 + HASH_SIZE..].copy_from_slice(&right.0);
    Hash(Sha256::digest(buf).into())
}

/// The Merkle Tree Hash of a list of leaf hashes, by the recursive definition
/// of RFC 9162 §2.1.1: split at the largest power of two smaller than `n`.
///
/// This is the reference definition, used to check the incremental code; it
/// does no allocation but recurses `log2(n)` deep.
pub fn root_from_leaf_hashes(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => empty_root(),
        1 => leaves[0],
        n => {
            let k = largest_power_of_two_below(n as u64) as usize;
            node_hash(
                &root_from_leaf_hashes(&leaves[..k]),
                &root_from_leaf_hashes(&leaves[k..]),
            )
        }
    }
}

/// The largest power of two strictly smaller than `n` (`n >= 2`).
pub(crate) fn largest_power_of_two_below(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1u64 << (63 - (n - 1).leading_zeros())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_tree_root_is_sha256_of_nothing() {
        assert_eq!(
            empty_root().to_hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(root_from_leaf_hashes(&[]), empty_root());
    }

    #[test]
    fn leaf_of_empty_entry() {
        // RFC 6962 test data: the hash of the empty leaf.
        assert_eq!(
            leaf_hash(b"").to_hex(),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
        );
    }

    #[test]
    fn node_is_prefixed_with_one() {
        let l = leaf_hash(b"l");
        let r = leaf_hash(b"r");
        let mut data = vec![1u8];
        data.extend_from_slice(&l.0);
        data.extend_from_slice(&r.0);
        assert_eq!(node_hash(&l, &r), sha256(&data));
        assert_ne!(node_hash(&l, &r), node_hash(&r, &l));
    }

    #[test]
    fn hex_and_base64_round_trip() {
        let h = leaf_hash(b"abc");
        assert_eq!(Hash::from_hex(&h.to_hex()), Ok(h));
        assert_eq!(Hash::from_hex(&h.to_hex().to_uppercase()), Ok(h));
        assert_eq!(Hash::from_base64(&h.to_base64()), Ok(h));
        assert!(Hash::from_hex("00").is_err());
        assert!(Hash::from_hex(&"zz".repeat(32)).is_err());
        assert!(Hash::from_base64("AAAA").is_err());
        assert!(Hash::from_slice(&[0; 31]).is_err());
    }

    #[test]
    fn powers_of_two() {
        assert_eq!(largest_power_of_two_below(2), 1);
        assert_eq!(largest_power_of_two_below(3), 2);
        assert_eq!(largest_power_of_two_below(4), 2);
        assert_eq!(largest_power_of_two_below(5), 4);
        assert_eq!(largest_power_of_two_below(8), 4);
        assert_eq!(largest_power_of_two_below(9), 8);
        assert_eq!(largest_power_of_two_below(u64::MAX), 1 << 63);
    }
}
