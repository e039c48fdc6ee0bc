//! Yuan as typed ("12,345.6", "12345元") to fen, and back for display.

/// Fen from a yuan amount: digits with an optional thousands separator, at most two decimals,
/// an optional trailing 元; `None` when it is not such an amount or too large.
pub fn parse_yuan(s: &str) -> Option<i64> {
    let t = s
        .trim()
        .trim_end_matches('元')
        .trim()
        .replace([',', '，'], "");
    if t.is_empty() {
        return None;
    }
    let (int, frac) = match t.split_once('.') {
        Some((i, f)) => (i, f),
        None => (t.as_str(), ""),
    };
    if int.is_empty()
        || int.len() > 13
        || frac.len() > 2
        || !int.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let yuan: i64 = int.parse().ok()?;
    let cents: i64 = format!("{frac:0<2}").parse().ok()?;
    yuan.checked_mul(100)?.checked_add(cents)
}

/// "12,345.60" for 1234560 fen.
pub fn fen_to_yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let f = fen.unsigned_abs();
    let yuan = (f / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in yuan.chars().enumerate() {
        if i > 0 && (yuan.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02}", f % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_to_fen_and_back() {
        assert_eq!(parse_yuan("12,345.6"), Some(1_234_560));
        assert_eq!(parse_yuan(" 800元 "), Some(80_000));
        assert_eq!(parse_yuan("0.05"), Some(5));
        for bad in ["", "-5", "1.234", "abc", "1e5", ".5"] {
            assert_eq!(parse_yuan(bad), None, "{bad}");
        }
        assert_eq!(fen_to_yuan(1_234_560), "12,345.60");
        assert_eq!(fen_to_yuan(5), "0.05");
        assert_eq!(fen_to_yuan(100_000_000), "1,000,000.00");
    }
}
