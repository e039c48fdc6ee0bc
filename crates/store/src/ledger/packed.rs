//! How a log entry is kept in the database: its canonical bytes (what the tree hashes and the
//! tiles serve) packed into a shorter, exactly reversible form (issue 17, decision 047).
//!
//! An entry is canonical JSON, so it is valid UTF-8 and never holds the bytes 0xF8–0xFF. Those
//! bytes mark tokens in the packed form; every other byte stands for itself:
//!
//! - `0xFF` + 32 bytes: the string `"sha256:<64 lowercase hex>"` (73 bytes become 33);
//! - `0xFE` + one byte `k`: [`FRAGMENTS`]`[k]`, a key or value every entry repeats;
//! - `0xFD` + LEB128 `n`: the decimal digits of `n` (a run of four or more digits with no
//!   leading zero: times, tickets, area codes).
//!
//! A packed entry starts with `0xFC`; a stored entry starting with anything else (`{`) is the
//! canonical text itself, as rows written before this format hold it. [`FRAGMENTS`] only ever
//! grows at its end: an index, once written, names the same text forever.

use std::sync::LazyLock;

const PACKED: u8 = 0xFC;
const NUMBER: u8 = 0xFD;
const FRAGMENT: u8 = 0xFE;
const HASH: u8 = 0xFF;
const HASH_PREFIX: &[u8] = b"\"sha256:";
/// `"sha256:` + 64 hex digits + `"`.
const HASH_TEXT_LEN: usize = HASH_PREFIX.len() + 64 + 1;
/// Shortest digit run worth a token (a marker and at least one LEB128 byte).
const MIN_DIGITS: usize = 4;

/// Text that entries repeat, in the order first written. Append only.
pub const FRAGMENTS: &[&str] = &[
    // The envelope, in canonical key order.
    "{\"actor\":",
    ",\"at\":",
    ",\"case\":\"",
    "\",\"data\":{",
    "},\"kind\":\"",
    "\",\"seq\":",
    ",\"v\":1}",
    "\",\"data\":{}",
    // Values.
    "null",
    "true",
    "false",
    "\"general\"",
    "\"urgent\"",
    "\"resident_web\"",
    "\"grid_worker\"",
    "\"hotline\"",
    "\"open311\"",
    // Event kinds.
    "reported",
    "registered",
    "cancelled",
    "merged",
    "dispatched",
    "redirected",
    "started",
    "reported_back",
    "verified",
    "reworked",
    "closed",
    "rated",
    "extension_requested",
    "extension_approved",
    "extension_rejected",
    "deferred",
    "resumed",
    "returned",
    "reopen_requested",
    "reopened",
    "reopen_rejected",
    "escalated",
    "supported",
    "deadline_warned",
    "marked_overdue",
    "whistle_blown",
    "department_summoned",
    "check_in_acknowledged",
    "check_in_arrived",
    "whistle_part_done",
    "whistle_part_reopened",
    "whistle_department_rated",
    "whistle_coordination_rated",
    "check_in_reminded",
    "check_in_overdue",
    // Keys inside `data`, each with its quotes and colon.
    "\"at\":",
    "\"by\":",
    "\"category\":",
    "\"channel\":",
    "\"community\":",
    "\"contacted\":",
    "\"deadline\":",
    "\"deadline_class\":",
    "\"department\":",
    "\"distance_m\":",
    "\"emergency\":",
    "\"from\":",
    "\"grid\":",
    "\"into\":",
    "\"is_override\":",
    "\"level\":",
    "\"on_time\":",
    "\"remind_at\":",
    "\"resolved\":",
    "\"satisfaction\":",
    "\"score\":",
    "\"scores\":",
    "\"street\":",
    "\"ticket\":",
    "\"to\":",
    "\"to_name\":",
    "\"urgent\":",
    "\"whistle\":",
    "\"address\":",
    "\"description\":",
    "\"location\":",
    "\"reporter\":",
    "\"reporter_phone\":",
    "\"note\":",
    "\"reason\":",
    "\"photos\":",
    "\"account\":",
    "\"officer\":",
    "\"comment\":",
    "\"result\":",
    "\"compound\":",
    "\"household\":",
    "\"kind\":",
    "\"member\":",
    "\"org\":",
    "\"org_level\":",
    "\"parent\":",
    "\"points\":",
    "\"purpose\":",
    "\"role\":",
    "\"stars\":",
    "\"status\":",
    "\"step\":",
    "\"year\":",
    "\"name\":",
    "\"working_days\":",
];

/// A fragment's index and bytes.
type Fragment = (u8, &'static [u8]);

/// For each first byte, the fragments starting with it, longest first.
static BY_FIRST_BYTE: LazyLock<Vec<Vec<Fragment>>> = LazyLock::new(|| {
    let mut table = vec![Vec::new(); 256];
    for (k, f) in FRAGMENTS.iter().enumerate() {
        let bytes = f.as_bytes();
        table[usize::from(bytes[0])].push((k as u8, bytes));
    }
    for list in &mut table {
        list.sort_by_key(|(_, b)| std::cmp::Reverse(b.len()));
    }
    table
});

/// The packed form of canonical entry bytes.
pub fn pack(entry: &[u8]) -> Vec<u8> {
    // Entries are canonical JSON text. Other bytes are kept as they are: they read back
    // unchanged unless they begin with the packed marker, which no text does.
    if std::str::from_utf8(entry).is_err() {
        return entry.to_vec();
    }
    let mut out = Vec::with_capacity(entry.len() / 2 + 1);
    out.push(PACKED);
    let mut i = 0;
    while i < entry.len() {
        let rest = &entry[i..];
        if let Some(hash) = hash_at(rest) {
            out.push(HASH);
            out.extend_from_slice(&hash);
            i += HASH_TEXT_LEN;
            continue;
        }
        if let Some((k, len)) = BY_FIRST_BYTE[usize::from(rest[0])]
            .iter()
            .find(|(_, f)| rest.starts_with(f))
            .map(|(k, f)| (*k, f.len()))
        {
            out.push(FRAGMENT);
            out.push(k);
            i += len;
            continue;
        }
        if let Some((n, len)) = number_at(rest) {
            out.push(NUMBER);
            leb128(n, &mut out);
            i += len;
            continue;
        }
        out.push(rest[0]);
        i += 1;
    }
    out
}

/// The canonical entry bytes of a stored entry, packed or not.
pub fn unpack(stored: &[u8]) -> Result<Vec<u8>, Unpack> {
    let Some((&PACKED, body)) = stored.split_first() else {
        return Ok(stored.to_vec());
    };
    let mut out = Vec::with_capacity(body.len() * 3);
    let mut i = 0;
    while i < body.len() {
        match body[i] {
            HASH => {
                let raw = body.get(i + 1..i + 33).ok_or(Unpack::Truncated(i))?;
                out.extend_from_slice(HASH_PREFIX);
                for b in raw {
                    out.push(HEX[usize::from(b >> 4)]);
                    out.push(HEX[usize::from(b & 0xF)]);
                }
                out.push(b'"');
                i += 33;
            }
            FRAGMENT => {
                let k = *body.get(i + 1).ok_or(Unpack::Truncated(i))?;
                let f = FRAGMENTS.get(usize::from(k)).ok_or(Unpack::Fragment(k))?;
                out.extend_from_slice(f.as_bytes());
                i += 2;
            }
            NUMBER => {
                let (n, len) = read_leb128(&body[i + 1..]).ok_or(Unpack::Truncated(i))?;
                out.extend_from_slice(n.to_string().as_bytes());
                i += 1 + len;
            }
            b @ 0xF8..=0xFC => return Err(Unpack::Marker(b, i)),
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    Ok(out)
}

/// A stored entry that does not unpack: the database was damaged or written by a newer version.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unpack {
    #[error("packed entry ends inside a token at byte {0}")]
    Truncated(usize),
    #[error("packed entry names fragment {0}, which this version does not know")]
    Fragment(u8),
    #[error("packed entry holds unknown marker {0:#x} at byte {1}")]
    Marker(u8, usize),
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    }
}

/// The 32 bytes of a `"sha256:<hex>"` string at the start of `rest` (lowercase hex only, so
/// that unpacking writes back exactly what was there).
fn hash_at(rest: &[u8]) -> Option<[u8; 32]> {
    if rest.len() < HASH_TEXT_LEN
        || !rest.starts_with(HASH_PREFIX)
        || rest[HASH_TEXT_LEN - 1] != b'"'
    {
        return None;
    }
    let hex = &rest[HASH_PREFIX.len()..HASH_TEXT_LEN - 1];
    let mut out = [0u8; 32];
    for (k, pair) in hex.chunks_exact(2).enumerate() {
        out[k] = (hex_value(pair[0])? << 4) | hex_value(pair[1])?;
    }
    Some(out)
}

/// A run of decimal digits at the start of `rest` that prints back the same: no leading zero,
/// at least [`MIN_DIGITS`] long, and within `u64`.
fn number_at(rest: &[u8]) -> Option<(u64, usize)> {
    let len = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if len < MIN_DIGITS || rest[0] == b'0' || len > 19 {
        return None;
    }
    let mut n: u64 = 0;
    for &d in &rest[..len] {
        n = n * 10 + u64::from(d - b'0');
    }
    Some((n, len))
}

fn leb128(mut n: u64, out: &mut Vec<u8>) {
    loop {
        let byte = (n & 0x7F) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn read_leb128(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut n: u64 = 0;
    for (k, &b) in bytes.iter().enumerate().take(10) {
        n |= u64::from(b & 0x7F).checked_shl(7 * k as u32)?;
        if b & 0x80 == 0 {
            return Some((n, k + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENTRY: &str = r#"{"actor":"sha256:3f1b0c9e8d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c","at":1777000000000,"case":"2026050100001","data":{"category":"E0102","channel":"resident_web","community":"320508019044","deadline_class":"general","description":"sha256:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff","emergency":false,"grid":null,"level":1},"kind":"reported","seq":1,"v":1}"#;

    #[test]
    fn a_real_entry_packs_to_under_two_fifths_and_back_exactly() {
        let packed = pack(ENTRY.as_bytes());
        assert_eq!(unpack(&packed).unwrap(), ENTRY.as_bytes());
        assert!(
            packed.len() * 5 < ENTRY.len() * 2,
            "{} of {}",
            packed.len(),
            ENTRY.len()
        );
    }

    #[test]
    fn unpacked_rows_read_as_they_are() {
        assert_eq!(unpack(ENTRY.as_bytes()).unwrap(), ENTRY.as_bytes());
    }

    #[test]
    fn near_misses_stay_literal() {
        for text in [
            // Uppercase hex, one digit short, no closing quote: not the canonical hash form.
            r#"{"a":"sha256:3F1B0C9E8D7A6B5C4D3E2F1A0B9C8D7E6F5A4B3C2D1E0F9A8B7C6D5E4F3A2B1C"}"#,
            r#"{"a":"sha256:3f1b0c9e8d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1"}"#,
            r#"{"a":"sha256:3f1b0c9e8d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0"}"#,
            // Leading zeros, a number past u64, digits inside text.
            r#"{"a":"00012345","b":123456789012345678901234,"c":"路12号1234"}"#,
            "",
            "{",
        ] {
            assert_eq!(
                unpack(&pack(text.as_bytes())).unwrap(),
                text.as_bytes(),
                "{text}"
            );
        }
    }

    #[test]
    fn random_text_round_trips() {
        // Text built from pieces entries are made of, so that tokens meet and overlap.
        let pieces: &[&str] = &[
            "{",
            "}",
            "\"",
            ":",
            ",",
            "0",
            "7",
            "1234",
            "99999999999999999999",
            "sha256:",
            "\"sha256:",
            "ab",
            "3f1b0c9e8d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c",
            "null",
            "reported",
            "\"at\":",
            "{\"actor\":",
            "养育巷",
            "\\u0001",
            "é",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            let mut text = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let n = state % 40;
            for _ in 0..n {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            assert_eq!(
                unpack(&pack(text.as_bytes())).unwrap(),
                text.as_bytes(),
                "{text}"
            );
        }
    }

    #[test]
    fn damaged_packed_entries_are_refused() {
        let mut packed = pack(ENTRY.as_bytes());
        packed.truncate(10);
        assert!(unpack(&packed).is_err() || unpack(&packed).unwrap() != ENTRY.as_bytes());
        assert_eq!(unpack(&[PACKED, HASH, 1, 2]), Err(Unpack::Truncated(0)));
        assert_eq!(unpack(&[PACKED, FRAGMENT, 255]), Err(Unpack::Fragment(255)));
        assert_eq!(unpack(&[PACKED, b'a', 0xF9]), Err(Unpack::Marker(0xF9, 1)));
        assert_eq!(unpack(&[PACKED, NUMBER, 0x80]), Err(Unpack::Truncated(0)));
    }

    #[test]
    fn fragments_are_distinct_and_fit_one_byte() {
        assert!(FRAGMENTS.len() <= 256);
        let mut seen = std::collections::HashSet::new();
        for f in FRAGMENTS {
            assert!(seen.insert(f), "{f} twice");
            assert!(!f.is_empty());
        }
    }
}
