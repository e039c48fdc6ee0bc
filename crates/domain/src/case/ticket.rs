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

/// The 8-character lookup code for 40 random bits. The caller draws the bytes (the domain
/// has no randomness); 2^40 codes make guessing a live case's code hopeless at any rate the
/// server allows.
pub fn lookup_code_from_bytes(bytes: [u8; 5]) -> String {
    let bits = bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    (0..8)
        .rev()
        .map(|i| char::from(LOOKUP_ALPHABET[((bits >> (5 * i)) & 31) as usize]))
        .collect()
}

/// A typed lookup code made canonical: spaces and dashes dropped, letters upper-cased;
/// `None` unless it is 8 characters of [`LOOKUP_ALPHABET`].
pub fn normalize_lookup_code(input: &str) -> Option<String> {
    let code: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == 8 && code.bytes().all(|b| LOOKUP_ALPHABET.contains(&b))).then_some(code)
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
        assert_eq!(lookup_code_from_bytes([0; 5]), "22222222");
        assert_eq!(lookup_code_from_bytes([0xff; 5]), "ZZZZZZZZ");
        // 0x0000000001 → last symbol is alphabet[1].
        assert_eq!(lookup_code_from_bytes([0, 0, 0, 0, 1]), "22222223");
        // Every 5-bit group is used: 0b00001_00010_00011_00100_00101_00110_00111_01000.
        let bits: u64 = 0b00001_00010_00011_00100_00101_00110_00111_01000;
        let bytes: [u8; 5] = bits.to_be_bytes()[3..].try_into().unwrap();
        assert_eq!(lookup_code_from_bytes(bytes), "3456789A");
        assert!(!LOOKUP_ALPHABET.iter().any(|b| b"01IO".contains(b)));
        let mut sorted = LOOKUP_ALPHABET.to_vec();
        sorted.dedup();
        assert_eq!(sorted.len(), 32);
    }

    #[test]
    fn typed_codes() {
        assert_eq!(normalize_lookup_code("k7mq-x2pa"), Some("K7MQX2PA".into()));
        assert_eq!(
            normalize_lookup_code(" K7MQ X2PA "),
            Some("K7MQX2PA".into())
        );
        assert_eq!(normalize_lookup_code("K7MQX2P0"), None);
        assert_eq!(normalize_lookup_code("K7MQX2P"), None);
        assert_eq!(normalize_lookup_code("K7MQX2PAB"), None);
    }
}
