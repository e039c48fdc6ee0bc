//! Numbers people read over the phone: the ticket (受理编号) and the resident's lookup code.

use crate::calendar::Date;

/// The ticket of the `seq`-th case of `date` (CST): `YYYYMMDD` + a 5-digit daily sequence,
/// e.g. `2026112700001`. Digits only, so it can be read out on the hotline. A day beyond
/// 99,999 cases widens the sequence rather than wrapping, so tickets stay unique.
pub fn ticket(date: Date, seq: u32) -> String {
    format!("{}{seq:05}", date.compact())
}

/// Splits a ticket into its date and sequence; `None` unless it is 13 or more digits
/// starting with a valid date.
pub fn parse_ticket(input: &str) -> Option<(Date, u32)> {
    let s = input.trim();
    if s.len() < 13 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((Date::parse(&s[..8])?, s[8..].parse().ok()?))
}

/// The lookup code alphabet: digits and capitals without 0/O and 1/I, which are misread.
pub const LOOKUP_ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// Random bytes in a lookup code: 80 bits, 16 symbols of the alphabet.
pub const LOOKUP_CODE_BYTES: usize = 10;

/// Symbols of a lookup code (5 bits each), without its dashes.
pub const LOOKUP_CODE_LEN: usize = LOOKUP_CODE_BYTES * 8 / 5;

/// Symbols of a lookup code issued before codes grew to 80 bits; such codes still open
/// their cases.
const LEGACY_LOOKUP_LEN: usize = 8;

/// The lookup code for 80 random bits, grouped for reading aloud on the hotline:
/// `XXXX-XXXX-XXXX-XXXX`. The caller draws the bytes (the domain has no randomness). At the
/// per-address limit on guesses, finding any one of a million live cases' codes would take
/// longer than the age of the universe.
pub fn lookup_code_from_bytes(bytes: [u8; LOOKUP_CODE_BYTES]) -> String {
    let bits = bytes
        .iter()
        .fold(0u128, |acc, b| (acc << 8) | u128::from(*b));
    let mut out = String::with_capacity(19);
    for i in (0..LOOKUP_CODE_LEN).rev() {
        out.push(char::from(
            LOOKUP_ALPHABET[((bits >> (5 * i)) & 31) as usize],
        ));
        if i % 4 == 0 && i > 0 {
            out.push('-');
        }
    }
    out
}

/// A typed lookup code made canonical: spaces and dashes dropped, letters upper-cased;
/// `None` unless it is 16 characters of [`LOOKUP_ALPHABET`] (or 8, a code issued before
/// codes grew to 80 bits).
pub fn normalize_lookup_code(input: &str) -> Option<String> {
    let code: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let len_ok = code.len() == LOOKUP_CODE_LEN || code.len() == LEGACY_LOOKUP_LEN;
    (len_ok && code.bytes().all(|b| LOOKUP_ALPHABET.contains(&b))).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tickets() {
        let d = Date::new(2026, 11, 27).unwrap();
        assert_eq!(ticket(d, 1), "2026112700001");
        assert_eq!(ticket(d, 99_999), "2026112799999");
        assert_eq!(ticket(d, 100_000), "20261127100000");
        assert_eq!(parse_ticket("2026112700001"), Some((d, 1)));
        assert_eq!(parse_ticket(" 20261127100000 "), Some((d, 100_000)));
        assert_eq!(
            parse_ticket("2026113000001"),
            Some((Date::new(2026, 11, 30).unwrap(), 1))
        );
        assert_eq!(parse_ticket("2026113100001"), None);
        assert_eq!(parse_ticket("202611270001"), None);
        assert_eq!(parse_ticket("2026112700a01"), None);
    }

    #[test]
    fn lookup_codes() {
        assert_eq!(lookup_code_from_bytes([0; 10]), "2222-2222-2222-2222");
        assert_eq!(lookup_code_from_bytes([0xff; 10]), "ZZZZ-ZZZZ-ZZZZ-ZZZZ");
        // The last byte's low bits are the last symbol.
        let mut one = [0; 10];
        one[9] = 1;
        assert_eq!(lookup_code_from_bytes(one), "2222-2222-2222-2223");
        // Every 5-bit group is used.
        let bits: u128 = (0..16u128).fold(0, |acc, i| (acc << 5) | (i + 1));
        let bytes: [u8; 10] = bits.to_be_bytes()[6..].try_into().unwrap();
        assert_eq!(lookup_code_from_bytes(bytes), "3456-789A-BCDE-FGHJ");
        assert!(!LOOKUP_ALPHABET.iter().any(|b| b"01IO".contains(b)));
        let mut sorted = LOOKUP_ALPHABET.to_vec();
        sorted.dedup();
        assert_eq!(sorted.len(), 32);
    }

    #[test]
    fn typed_codes() {
        assert_eq!(
            normalize_lookup_code("k7mq-x2pa-3456-789a"),
            Some("K7MQX2PA3456789A".into())
        );
        assert_eq!(
            normalize_lookup_code(" K7MQ X2PA 3456 789A "),
            Some("K7MQX2PA3456789A".into())
        );
        assert_eq!(
            normalize_lookup_code("K7MQX2PA3456789A"),
            Some("K7MQX2PA3456789A".into())
        );
        // Codes issued before codes grew to 80 bits.
        assert_eq!(normalize_lookup_code("k7mq-x2pa"), Some("K7MQX2PA".into()));
        assert_eq!(normalize_lookup_code("K7MQX2P0"), None);
        assert_eq!(normalize_lookup_code("K7MQX2P"), None);
        assert_eq!(normalize_lookup_code("K7MQX2PAB"), None);
        assert_eq!(normalize_lookup_code("K7MQX2PA3456789"), None);
    }
}
