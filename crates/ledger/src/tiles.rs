//! C2SP tlog-tiles: tile coordinates, paths, tile data and entry bundles.
//!
//! A tile at level `L` with index `N` holds up to 256 consecutive hashes of
//! tree level `8·L`: the Merkle Tree Hashes of the complete subtrees of
//! `256^L` leaves numbered `N·256 ..`. Full tiles hold 256 hashes; the
//! rightmost tile of a level may be partial (1–255 hashes, path suffix
//! `.p/<W>`). Entry bundles hold the entries of the level-0 tile with the
//! same index, each as a big-endian `u16` length and the bytes.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;

use crate::hash::{HASH_SIZE, Hash, root_from_leaf_hashes};
use crate::tree::{HashReader, split_stored_hash_index, stored_hash_index};

/// Tree levels covered by one tile.
pub const TILE_HEIGHT: u8 = 8;
/// Hashes in a full tile.
pub const TILE_WIDTH: u32 = 256;
/// Largest entry an entry bundle can hold.
pub const MAX_ENTRY_SIZE: usize = u16::MAX as usize;

/// A tile path or tile data is malformed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TileError {
    /// The path is not a tlog-tiles path.
    #[error("malformed tile path {0:?}")]
    BadPath(String),
    /// Tile data is not a whole number of hashes, or has the wrong width.
    #[error("tile data of {len} bytes does not hold {width} hashes")]
    BadTileData {
        /// Bytes received.
        len: usize,
        /// Hashes expected.
        width: u32,
    },
    /// An entry does not fit the 16-bit length prefix.
    #[error("entry {index} of {len} bytes exceeds 65535 bytes")]
    EntryTooLarge {
        /// Position in the bundle.
        index: usize,
        /// Its size.
        len: usize,
    },
    /// An entry bundle ends in the middle of an entry.
    #[error("entry bundle is truncated")]
    TruncatedBundle,
    /// A bundle or tile would hold more than 256 items.
    #[error("a tile holds at most 256 items, got {0}")]
    TooWide(usize),
}

impl TileError {
    /// Stable snake_case error code.
    pub fn code(&self) -> &'static str {
        match self {
            TileError::BadPath(_) => "ledger_bad_tile_path",
            TileError::BadTileData { .. } => "ledger_bad_tile_data",
            TileError::EntryTooLarge { .. } => "ledger_entry_too_large",
            TileError::TruncatedBundle => "ledger_truncated_bundle",
            TileError::TooWide(_) => "ledger_tile_too_wide",
        }
    }
    /// Chinese message saying what is wrong.
    pub fn message_zh(&self) -> String {
        match self {
            TileError::BadPath(p) => format!("瓦片路径格式错误：{p:?}"),
            TileError::BadTileData { len, width } => {
                format!("瓦片数据 {len} 字节，不是 {width} 个哈希")
            }
            TileError::EntryTooLarge { index, len } => {
                format!("第 {index} 条日志条目 {len} 字节，超过 65535 字节")
            }
            TileError::TruncatedBundle => "条目包被截断".to_string(),
            TileError::TooWide(n) => format!("一个瓦片最多 256 项，实际 {n} 项"),
        }
    }
}

/// `256^level`, or `None` when it does not fit in a `u64` (level ≥ 8).
fn leaves_per_hash(level: u8) -> Option<u64> {
    1u64.checked_shl(u32::from(level) * u32::from(TILE_HEIGHT))
}

/// A Merkle tree tile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tile {
    /// Tile level `L` (its hashes are at tree level `8·L`).
    pub level: u8,
    /// Index `N` of the tile within its level.
    pub index: u64,
    /// Number of hashes, 1..=256 (256 for a full tile).
    pub width: u32,
}

impl Tile {
    /// Whether this is a partial tile (fewer than 256 hashes).
    pub fn is_partial(&self) -> bool {
        self.width < TILE_WIDTH
    }

    /// The tree level of the hashes in the tile.
    pub fn hash_level(&self) -> u8 {
        self.level * TILE_HEIGHT
    }

    /// The path `tile/<L>/<N>[.p/<W>]`.
    pub fn path(&self) -> String {
        format!(
            "tile/{}/{}{}",
            self.level,
            encode_tile_index(self.index),
            width_suffix(self.width)
        )
    }

    /// Whether the tile's hashes are all complete subtrees of the tree of
    /// `size` leaves, i.e. the tile can be computed from that tree and will
    /// never change.
    pub fn within(&self, size: u64) -> bool {
        let Some(per_hash) = leaves_per_hash(self.level) else {
            return false;
        };
        if self.width == 0 || self.width > TILE_WIDTH {
            return false;
        }
        let end = u128::from(self.index) * 256 + u128::from(self.width);
        end * u128::from(per_hash) <= u128::from(size)
    }

    /// Stored-hash indexes of the tile's hashes, in order. Only meaningful
    /// for tiles [`within`](Tile::within) some tree.
    pub fn stored_hash_indexes(&self) -> Vec<u64> {
        let first = self.index * u64::from(TILE_WIDTH);
        (0..u64::from(self.width))
            .map(|i| stored_hash_index(self.hash_level(), first + i))
            .collect()
    }
}

impl fmt::Display for Tile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path())
    }
}

fn width_suffix(width: u32) -> String {
    if width < TILE_WIDTH {
        format!(".p/{width}")
    } else {
        String::new()
    }
}

/// Encodes a tile index as 3-digit path elements, all but the last prefixed
/// with `x`: 1234067 → `x001/x234/067`, 5 → `005`.
pub fn encode_tile_index(mut n: u64) -> String {
    let mut groups = vec![n % 1000];
    n /= 1000;
    while n > 0 {
        groups.push(n % 1000);
        n /= 1000;
    }
    let mut out = String::with_capacity(groups.len() * 5);
    for (i, g) in groups.iter().rev().enumerate() {
        if i > 0 {
            out.push('/');
        }
        if i + 1 < groups.len() {
            out.push('x');
        }
        out.push_str(&format!("{g:03}"));
    }
    out
}

/// An entry bundle: the entries of the level-0 tile with the same index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bundle {
    /// Index `N` of the bundle.
    pub index: u64,
    /// Number of entries, 1..=256 (256 for a full bundle).
    pub width: u32,
}

impl Bundle {
    /// The path `tile/entries/<N>[.p/<W>]`.
    pub fn path(&self) -> String {
        format!(
            "tile/entries/{}{}",
            encode_tile_index(self.index),
            width_suffix(self.width)
        )
    }

    /// Index of the first entry in the bundle.
    pub fn first_entry(&self) -> u64 {
        self.index * u64::from(TILE_WIDTH)
    }

    /// Whether this is a partial bundle.
    pub fn is_partial(&self) -> bool {
        self.width < TILE_WIDTH
    }

    /// The level-0 tile whose hashes are the leaf hashes of these entries.
    pub fn tile(&self) -> Tile {
        Tile {
            level: 0,
            index: self.index,
            width: self.width,
        }
    }
}

impl fmt::Display for Bundle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path())
    }
}

/// A parsed tlog-tiles resource path (relative to the log prefix).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TilePath {
    /// `tile/<L>/<N>[.p/<W>]`
    Hashes(Tile),
    /// `tile/entries/<N>[.p/<W>]`
    Entries(Bundle),
}

impl TilePath {
    /// Parses `tile/<L>/<N>[.p/<W>]` or `tile/entries/<N>[.p/<W>]` strictly:
    /// no leading zeroes in `L` or `W`, 3-digit index groups with `x` on all
    /// but the last, `L` at most 63, `W` in 1..=255.
    pub fn parse(path: &str) -> Result<TilePath, TileError> {
        let bad = || TileError::BadPath(path.to_string());
        let rest = path.strip_prefix("tile/").ok_or_else(bad)?;
        let (kind, rest) = rest.split_once('/').ok_or_else(bad)?;
        let (index_part, width) = match rest.split_once(".p/") {
            Some((idx, w)) => (idx, parse_width(w).ok_or_else(bad)?),
            None => (rest, TILE_WIDTH),
        };
        let index = parse_tile_index(index_part).ok_or_else(bad)?;
        if kind == "entries" {
            return Ok(TilePath::Entries(Bundle { index, width }));
        }
        let level = parse_plain_decimal(kind).ok_or_else(bad)?;
        if level > 63 {
            return Err(bad());
        }
        Ok(TilePath::Hashes(Tile {
            level: level as u8,
            index,
            width,
        }))
    }

    /// The path again.
    pub fn path(&self) -> String {
        match self {
            TilePath::Hashes(t) => t.path(),
            TilePath::Entries(b) => b.path(),
        }
    }
}

impl fmt::Display for TilePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path())
    }
}

/// A decimal with no sign and no leading zeroes ("0" itself is fine).
fn parse_plain_decimal(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0'))
    {
        return None;
    }
    s.parse().ok()
}

fn parse_width(s: &str) -> Option<u32> {
    let w = parse_plain_decimal(s)?;
    (1..u64::from(TILE_WIDTH)).contains(&w).then_some(w as u32)
}

fn parse_tile_index(s: &str) -> Option<u64> {
    let parts: Vec<&str> = s.split('/').collect();
    let mut n: u64 = 0;
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let digits = if last { *part } else { part.strip_prefix('x')? };
        if digits.len() != 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let g: u64 = digits.parse().ok()?;
        n = n.checked_mul(1000)?.checked_add(g)?;
    }
    // Reject non-canonical encodings such as x000/005 for 5.
    (encode_tile_index(n) == s).then_some(n)
}

/// Width of the partial tile at `level` for a tree of `size` leaves:
/// `floor(size / 256^level) mod 256` (0 when there is none).
pub fn partial_width(level: u8, size: u64) -> u32 {
    match leaves_per_hash(level) {
        Some(per) => ((size / per) % u64::from(TILE_WIDTH)) as u32,
        None => 0,
    }
}

/// The tiles of the tree of `size` leaves, level by level: the full tiles and
/// the partial tile (if any) of each level.
pub fn tiles_for_size(size: u64) -> Vec<Tile> {
    new_tiles(0, size)
}

/// The tiles that the tree of `new` leaves has and the tree of `old` leaves
/// does not: newly completed full tiles and the new partial tiles. These are
/// the tiles to store (or export) after growing the tree from `old` to `new`.
pub fn new_tiles(old: u64, new: u64) -> Vec<Tile> {
    let mut out = Vec::new();
    if new <= old {
        return out;
    }
    for level in 0..8u8 {
        let Some(per) = leaves_per_hash(level) else {
            break;
        };
        if per > new {
            break;
        }
        let (o, n) = (old / per, new / per);
        if o == n {
            continue;
        }
        let w = u64::from(TILE_WIDTH);
        for index in o / w..n / w {
            out.push(Tile {
                level,
                index,
                width: TILE_WIDTH,
            });
        }
        if n % w != 0 {
            out.push(Tile {
                level,
                index: n / w,
                width: (n % w) as u32,
            });
        }
    }
    out
}

/// The bundles of the tree of `new` leaves that the tree of `old` leaves
/// does not have.
pub fn new_bundles(old: u64, new: u64) -> Vec<Bundle> {
    new_tiles(old, new)
        .into_iter()
        .filter(|t| t.level == 0)
        .map(|t| Bundle {
            index: t.index,
            width: t.width,
        })
        .collect()
}

/// The tile data (concatenated 32-byte hashes) of `tile`, from stored hashes.
/// The tile must be [`within`](Tile::within) the stored tree.
pub fn read_tile<R: HashReader + ?Sized>(tile: &Tile, reader: &R) -> Result<Vec<u8>, R::Error> {
    let hashes = reader.read_hashes(&tile.stored_hash_indexes())?;
    Ok(tile_data(&hashes))
}

/// Concatenates hashes into tile data.
pub fn tile_data(hashes: &[Hash]) -> Vec<u8> {
    let mut out = Vec::with_capacity(hashes.len() * HASH_SIZE);
    for h in hashes {
        out.extend_from_slice(&h.0);
    }
    out
}

/// Splits tile data into hashes, checking it holds exactly `width` of them.
pub fn parse_tile_data(data: &[u8], width: u32) -> Result<Vec<Hash>, TileError> {
    if data.len() != width as usize * HASH_SIZE {
        return Err(TileError::BadTileData {
            len: data.len(),
            width,
        });
    }
    Ok(data
        .chunks_exact(HASH_SIZE)
        .map(|c| Hash(c.try_into().expect("chunks are 32 bytes")))
        .collect())
}

/// Encodes an entry bundle: each entry as a big-endian `u16` length and the
/// entry bytes.
pub fn encode_bundle<E: AsRef<[u8]>>(entries: &[E]) -> Result<Vec<u8>, TileError> {
    if entries.len() > TILE_WIDTH as usize {
        return Err(TileError::TooWide(entries.len()));
    }
    let total: usize = entries.iter().map(|e| 2 + e.as_ref().len()).sum();
    let mut out = Vec::with_capacity(total);
    for (index, e) in entries.iter().enumerate() {
        let e = e.as_ref();
        let len = u16::try_from(e.len()).map_err(|_| TileError::EntryTooLarge {
            index,
            len: e.len(),
        })?;
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(e);
    }
    Ok(out)
}

/// Decodes an entry bundle into its entries.
pub fn decode_bundle(mut data: &[u8]) -> Result<Vec<&[u8]>, TileError> {
    let mut out = Vec::new();
    while !data.is_empty() {
        if data.len() < 2 {
            return Err(TileError::TruncatedBundle);
        }
        let len = usize::from(u16::from_be_bytes([data[0], data[1]]));
        let rest = &data[2..];
        if rest.len() < len {
            return Err(TileError::TruncatedBundle);
        }
        out.push(&rest[..len]);
        data = &rest[len..];
        if out.len() > TILE_WIDTH as usize {
            return Err(TileError::TooWide(out.len()));
        }
    }
    Ok(out)
}

/// Reading stored hashes through tiles failed.
#[derive(Debug, thiserror::Error)]
pub enum TileReadError<E> {
    /// Fetching a tile failed.
    #[error("fetching {tile}: {error}")]
    Fetch {
        /// The tile.
        tile: Tile,
        /// What went wrong.
        error: E,
    },
    /// A fetched tile had the wrong size.
    #[error("{tile}: {error}")]
    BadTile {
        /// The tile.
        tile: Tile,
        /// What is wrong with it.
        error: TileError,
    },
    /// The stored hash is not a complete subtree of the tree.
    #[error("stored hash {0} is not part of the tree")]
    NotInTree(u64),
}

impl<E> TileReadError<E> {
    /// Stable snake_case error code.
    pub fn code(&self) -> &'static str {
        match self {
            TileReadError::Fetch { .. } => "ledger_tile_fetch_failed",
            TileReadError::BadTile { .. } => "ledger_bad_tile_data",
            TileReadError::NotInTree(_) => "ledger_hash_not_in_tree",
        }
    }
    /// Chinese message saying what is wrong.
    pub fn message_zh(&self) -> String {
        match self {
            TileReadError::Fetch { tile, .. } => format!("获取瓦片 {tile} 失败"),
            TileReadError::BadTile { tile, error } => {
                format!("瓦片 {tile} 无效：{}", error.message_zh())
            }
            TileReadError::NotInTree(i) => format!("存储哈希 {i} 不在树中"),
        }
    }
}

/// A [`HashReader`] over the tiles of a tree of known size, for clients of a
/// tiled log: every stored hash is computed from the one tile that covers
/// it. Tile contents are not trusted by this reader; a root or proof computed
/// through it must be checked against a signed checkpoint, which any
/// tampered tile makes fail.
pub struct TileHashReader<F> {
    size: u64,
    fetch: F,
}

impl<F, E> TileHashReader<F>
where
    F: Fn(&Tile) -> Result<Vec<u8>, E>,
{
    /// A reader for the tree of `size` leaves; `fetch` returns a tile's data.
    pub fn new(size: u64, fetch: F) -> Self {
        TileHashReader { size, fetch }
    }

    /// The tile (with the width it has in this tree) and the range of its
    /// hashes covering the stored hash `stored`.
    fn locate(&self, stored: u64) -> Option<(Tile, usize, usize)> {
        let (level, n) = split_stored_hash_index(stored);
        let tile_level = level / TILE_HEIGHT;
        let sub = level % TILE_HEIGHT;
        let first = n.checked_shl(u32::from(sub))?;
        let count = 1u64 << sub;
        let index = first / u64::from(TILE_WIDTH);
        let start = (first % u64::from(TILE_WIDTH)) as usize;
        let end = start + count as usize;
        let full = Tile {
            level: tile_level,
            index,
            width: TILE_WIDTH,
        };
        let tile = if full.within(self.size) {
            full
        } else {
            let width = partial_width(tile_level, self.size);
            let partial = Tile { width, ..full };
            if width == 0
                || !partial.within(self.size)
                || (self.size / leaves_per_hash(tile_level)?) / 256 != index
            {
                return None;
            }
            partial
        };
        (end <= tile.width as usize).then_some((tile, start, end))
    }
}

impl<F, E> HashReader for TileHashReader<F>
where
    F: Fn(&Tile) -> Result<Vec<u8>, E>,
{
    type Error = TileReadError<E>;

    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Self::Error> {
        let mut cache: HashMap<Tile, Vec<Hash>> = HashMap::new();
        let mut out = Vec::with_capacity(indexes.len());
        for &stored in indexes {
            let (tile, start, end) = self
                .locate(stored)
                .ok_or(TileReadError::NotInTree(stored))?;
            let hashes = match cache.entry(tile) {
                Entry::Occupied(e) => e.into_mut(),
                Entry::Vacant(e) => {
                    let data = (self.fetch)(&tile)
                        .map_err(|error| TileReadError::Fetch { tile, error })?;
                    let hashes = parse_tile_data(&data, tile.width)
                        .map_err(|error| TileReadError::BadTile { tile, error })?;
                    e.insert(hashes)
                }
            };
            out.push(root_from_leaf_hashes(&hashes[start..end]));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proof::{consistency_proof, inclusion_proof, tree_hash};
    use crate::tree::MemoryTree;

    #[test]
    fn index_encoding() {
        assert_eq!(encode_tile_index(0), "000");
        assert_eq!(encode_tile_index(5), "005");
        assert_eq!(encode_tile_index(999), "999");
        assert_eq!(encode_tile_index(1000), "x001/000");
        assert_eq!(encode_tile_index(1_234_067), "x001/x234/067");
        assert_eq!(parse_tile_index("x001/x234/067"), Some(1_234_067));
        assert_eq!(
            parse_tile_index(&encode_tile_index(u64::MAX)),
            Some(u64::MAX)
        );
    }

    #[test]
    fn paths_format_and_parse() {
        let t = Tile {
            level: 0,
            index: 1_234_067,
            width: 256,
        };
        assert_eq!(t.path(), "tile/0/x001/x234/067");
        let p = Tile {
            level: 2,
            index: 1,
            width: 17,
        };
        assert_eq!(p.path(), "tile/2/001.p/17");
        let b = Bundle {
            index: 3,
            width: 112,
        };
        assert_eq!(b.path(), "tile/entries/003.p/112");
        for path in [
            "tile/0/000",
            "tile/0/x001/x234/067",
            "tile/2/001.p/17",
            "tile/63/005.p/255",
            "tile/entries/003.p/112",
            "tile/entries/x001/000",
        ] {
            assert_eq!(TilePath::parse(path).unwrap().path(), path);
        }
        assert_eq!(
            TilePath::parse("tile/1/002.p/1").unwrap(),
            TilePath::Hashes(Tile {
                level: 1,
                index: 2,
                width: 1
            })
        );
        assert_eq!(
            TilePath::parse("tile/entries/010").unwrap(),
            TilePath::Entries(Bundle {
                index: 10,
                width: 256
            })
        );
    }

    #[test]
    fn bad_paths_are_rejected() {
        for path in [
            "",
            "tile/",
            "tile/0",
            "tile/0/",
            "tile/00/000",
            "tile/64/000",
            "tile/-1/000",
            "tile/0/5",
            "tile/0/0005",
            "tile/0/x005",
            "tile/0/001/002",
            "tile/0/x000/005",
            "tile/0/000.p/0",
            "tile/0/000.p/256",
            "tile/0/000.p/017",
            "tile/0/000.p/",
            "tile/data/000",
            "tiles/0/000",
            "tile/0/x1000/000",
            "tile/entries/00a",
        ] {
            assert!(TilePath::parse(path).is_err(), "{path:?} accepted");
        }
    }

    #[test]
    fn tiles_of_the_spec_examples() {
        // Size 70,000: 273 full level-0 tiles, a partial of width 112, one
        // full level-1 tile, a partial level-1 tile of width 17, a partial
        // level-2 tile of width 1.
        let tiles = tiles_for_size(70_000);
        let count = |level: u8, width: u32| {
            tiles
                .iter()
                .filter(|t| t.level == level && t.width == width)
                .count()
        };
        assert_eq!(count(0, 256), 273);
        assert!(tiles.contains(&Tile {
            level: 0,
            index: 273,
            width: 112
        }));
        assert_eq!(count(1, 256), 1);
        assert!(tiles.contains(&Tile {
            level: 1,
            index: 1,
            width: 17
        }));
        assert!(tiles.contains(&Tile {
            level: 2,
            index: 0,
            width: 1
        }));
        assert_eq!(tiles.len(), 273 + 1 + 1 + 1 + 1);
        assert_eq!(partial_width(0, 70_000), 112);
        assert_eq!(partial_width(1, 70_000), 17);
        assert_eq!(partial_width(2, 70_000), 1);
        assert_eq!(partial_width(3, 70_000), 0);
        // Size 256: one full level-0 tile and a level-1 tile of width 1.
        assert_eq!(
            tiles_for_size(256),
            vec![
                Tile {
                    level: 0,
                    index: 0,
                    width: 256
                },
                Tile {
                    level: 1,
                    index: 0,
                    width: 1
                }
            ]
        );
        assert_eq!(tiles_for_size(0), vec![]);
    }

    #[test]
    fn new_tiles_are_the_difference() {
        for (old, new) in [
            (0u64, 1u64),
            (1, 2),
            (255, 256),
            (256, 257),
            (1000, 70_000),
            (65_535, 65_536),
            (5, 5),
        ] {
            let before = tiles_for_size(old);
            let after = tiles_for_size(new);
            let want: Vec<Tile> = after
                .iter()
                .filter(|t| !before.contains(t))
                .copied()
                .collect();
            assert_eq!(new_tiles(old, new), want, "{old}->{new}");
        }
        assert_eq!(
            new_bundles(200, 600),
            vec![
                Bundle {
                    index: 0,
                    width: 256
                },
                Bundle {
                    index: 1,
                    width: 256
                },
                Bundle {
                    index: 2,
                    width: 88
                }
            ]
        );
    }

    #[test]
    fn within_checks_the_tree_size() {
        let full = Tile {
            level: 0,
            index: 1,
            width: 256,
        };
        assert!(!full.within(511));
        assert!(full.within(512));
        let partial = Tile {
            level: 1,
            index: 0,
            width: 2,
        };
        assert!(!partial.within(511));
        assert!(partial.within(512));
        assert!(
            !Tile {
                level: 8,
                index: 0,
                width: 1
            }
            .within(u64::MAX)
        );
        assert!(
            !Tile {
                level: 0,
                index: 0,
                width: 0
            }
            .within(10)
        );
    }

    #[test]
    fn bundles_round_trip() {
        let entries: Vec<Vec<u8>> = vec![vec![], b"a".to_vec(), vec![7; 300], vec![1; 65_535]];
        let data = encode_bundle(&entries).unwrap();
        assert_eq!(&data[..5], &[0, 0, 0, 1, b'a']);
        let back = decode_bundle(&data).unwrap();
        assert_eq!(back.len(), 4);
        for (a, b) in back.iter().zip(&entries) {
            assert_eq!(*a, b.as_slice());
        }
        assert_eq!(
            decode_bundle(&data[..data.len() - 1]),
            Err(TileError::TruncatedBundle)
        );
        assert_eq!(decode_bundle(&[0]), Err(TileError::TruncatedBundle));
        assert_eq!(
            encode_bundle(&[vec![0u8; 65_536]]),
            Err(TileError::EntryTooLarge {
                index: 0,
                len: 65_536
            })
        );
        assert_eq!(
            encode_bundle(&vec![b"x"; 257]),
            Err(TileError::TooWide(257))
        );
        assert_eq!(decode_bundle(&[]).unwrap(), Vec::<&[u8]>::new());
    }

    fn tree(size: u64) -> MemoryTree {
        let mut t = MemoryTree::new();
        for i in 0..size {
            t.append_entry(&i.to_le_bytes());
        }
        t
    }

    #[test]
    fn tile_data_from_stored_hashes() {
        let t = tree(70_000);
        let tile = Tile {
            level: 1,
            index: 1,
            width: 17,
        };
        let data = read_tile(&tile, &t).unwrap();
        let hashes = parse_tile_data(&data, 17).unwrap();
        // Hash i of a level-1 tile is the root of 256 leaves.
        // Hash 0 of level-1 tile 1 covers leaves 256·256 .. 257·256.
        let first = 256 * 256u64;
        let leaves: Vec<Hash> = (first..first + 256)
            .map(|i| t.leaf_hash(i).unwrap())
            .collect();
        assert_eq!(hashes[0], root_from_leaf_hashes(&leaves));
        assert!(parse_tile_data(&data[1..], 17).is_err());
        let l0 = read_tile(
            &Tile {
                level: 0,
                index: 2,
                width: 256,
            },
            &t,
        )
        .unwrap();
        assert_eq!(&l0[..32], t.leaf_hash(512).unwrap().as_bytes());
    }

    #[test]
    fn proofs_through_tiles_match_stored_hashes() {
        let t = tree(70_000);
        for size in [1u64, 255, 256, 257, 65_536, 66_000, 70_000] {
            let reader = TileHashReader::new(size, |tile: &Tile| {
                assert!(tile.within(size), "fetched {tile} outside {size}");
                read_tile(tile, &t)
            });
            assert_eq!(
                tree_hash(size, &reader).unwrap(),
                tree_hash(size, &t).unwrap(),
                "root {size}"
            );
            for index in [0, size / 3, size - 1] {
                assert_eq!(
                    inclusion_proof(index, size, &reader).unwrap(),
                    inclusion_proof(index, size, &t).unwrap()
                );
            }
            for old in [1, size / 2, size - 1] {
                if old == 0 {
                    continue;
                }
                assert_eq!(
                    consistency_proof(old, size, &reader).unwrap(),
                    consistency_proof(old, size, &t).unwrap()
                );
            }
        }
    }

    #[test]
    fn tile_reader_rejects_hashes_outside_the_tree() {
        let t = tree(300);
        let reader = TileHashReader::new(300, |tile: &Tile| read_tile(tile, &t));
        // Node (1, 150) covers leaves 300..302: not in a tree of 300.
        assert!(matches!(
            reader.read_hashes(&[stored_hash_index(1, 150)]),
            Err(TileReadError::NotInTree(_))
        ));
        let bad = TileHashReader::new(300, |_: &Tile| {
            Ok::<_, std::convert::Infallible>(vec![0u8; 5])
        });
        assert!(matches!(
            bad.read_hashes(&[0]),
            Err(TileReadError::BadTile { .. })
        ));
    }
}
