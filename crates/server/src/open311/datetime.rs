//! W3C datetimes (the ISO 8601 subset of the W3C note) as the spec requires: a time zone is
//! mandatory (`Z` or `±hh:mm`). Output is always Beijing time, `2026-11-27T08:00:00+08:00`.
//!
//! jiff reads and writes them; what is ours is the W3C profile, which is narrower than what
//! jiff reads (RFC 3339 and Temporal: see [`in_w3c_profile`]).

use gongzhi_domain::calendar::{CST, cst_datetime};
use jiff::Timestamp;
use jiff::fmt::strtime::BrokenDownTime;

pub const DAY_MS: i64 = 86_400_000;

/// Unix milliseconds → `YYYY-MM-DDThh:mm:ss+08:00` (sub-second part dropped).
pub fn format(millis: i64) -> String {
    let mut tm = BrokenDownTime::from(cst_datetime(millis));
    tm.set_offset(Some(CST));
    tm.to_string("%Y-%m-%dT%H:%M:%S%:z")
        .expect("a datetime with an offset has every field of this format")
}

/// `YYYY-MM-DDThh:mm[:ss[.fraction]](Z|±hh:mm)` → unix milliseconds; a fraction beyond
/// milliseconds is cut off.
///
/// A space where the offset sign belongs is read as `+`: an unescaped `+` in a query string
/// arrives as a space.
pub fn parse(s: &str) -> Option<i64> {
    let sign = s.len().checked_sub(6);
    let s = match sign {
        Some(i) if s.as_bytes()[i] == b' ' => format!("{}+{}", &s[..i], &s[i + 1..]),
        _ => s.to_string(),
    };
    if !in_w3c_profile(&s) {
        return None;
    }
    let at: Timestamp = s.parse().ok()?;
    i64::try_from(at.as_nanosecond().div_euclid(1_000_000)).ok()
}

/// True when `s` has the W3C note's shape, which jiff alone would not insist on: jiff also
/// reads `20261127` and `2026-11-27 08:00` or `t08:00`, an hour without minutes, a decimal
/// comma, second 60 (as 59), a lowercase `z`, offsets `+0800` and `+08`, and a bracketed time
/// zone after the offset.
fn in_w3c_profile(s: &str) -> bool {
    let b = s.as_bytes();
    let extended = b.len() >= 17 && b[4] == b'-' && b[7] == b'-' && b[10] == b'T' && b[13] == b':';
    let zone = b.ends_with(b"Z")
        || matches!(
            b[b.len().saturating_sub(6)..],
            [b'+' | b'-', _, _, b':', _, _]
        );
    extended && zone && b.get(16..19) != Some(b":60") && !s.contains(',')
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-11-27T00:00:00Z
    const T: i64 = 1_795_737_600_000;

    #[test]
    fn open311_datetime_parses_w3c_forms() {
        assert_eq!(parse("2026-11-27T00:00:00Z"), Some(T));
        assert_eq!(parse("2026-11-27T08:00:00+08:00"), Some(T));
        assert_eq!(parse("2026-11-26T19:00:00-05:00"), Some(T));
        assert_eq!(parse("2026-11-27T08:00+08:00"), Some(T));
        assert_eq!(parse("2026-11-27T08:00:00 08:00"), Some(T));
        assert_eq!(parse("2026-11-27T00:00:00.250Z"), Some(T + 250));
        assert_eq!(parse("2026-11-27T00:00:00.2Z"), Some(T + 200));
        assert_eq!(parse("2026-11-27T00:00:00.123456Z"), Some(T + 123));
        assert_eq!(
            parse("1994-11-05T08:15:30-05:00"),
            parse("1994-11-05T13:15:30Z")
        );
        assert_eq!(parse("2024-02-29T00:00:00Z").map(|v| v % DAY_MS), Some(0));
    }

    #[test]
    fn open311_datetime_rejects_malformed() {
        for bad in [
            "",
            "2026-11-27",
            "2026-11-27T00:00:00",
            "2026-11-27 00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-02-29T00:00:00Z",
            "2026-11-31T00:00:00Z",
            "2026-11-27T24:00:00Z",
            "2026-11-27T00:60:00Z",
            "2026-11-27T00:00:60Z",
            "2026-11-27T00:00:00.Z",
            "2026-11-27T00:00:00+0800",
            "2026-11-27T00:00:00+08:00x",
            "2026-11-27T00:00:00z",
            "２０２６-11-27T00:00:00Z",
            "tomorrow",
            // What jiff reads beyond the W3C profile.
            "20261127T000000Z",
            "2026-11-27t00:00:00Z",
            "2026-11-27T08Z",
            "2026-11-27T00:00:00,5Z",
            "2026-11-27T08:00:00+08",
            "2026-11-27T08:00:00+08:00[Asia/Shanghai]",
            "+002026-11-27T00:00:00Z",
            "2026-11-27T00:00:00+08:0中",
            "2026-11-27T00:00:00中文",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn open311_datetime_formats_beijing_time() {
        assert_eq!(format(T), "2026-11-27T08:00:00+08:00");
        assert_eq!(format(0), "1970-01-01T08:00:00+08:00");
        assert_eq!(format(T + 999), "2026-11-27T08:00:00+08:00");
        assert_eq!(format(-1), "1970-01-01T07:59:59+08:00");
        for v in [T, 0, 951_782_400_000, 4_102_444_800_000] {
            assert_eq!(parse(&format(v)), Some(v));
        }
    }
}
