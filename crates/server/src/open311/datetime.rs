//! W3C datetimes (the ISO 8601 subset of the W3C note) as the spec requires: a time zone is
//! mandatory (`Z` or `±hh:mm`). Output is always Beijing time, `2026-11-27T08:00:00+08:00`.

const BEIJING_OFFSET_S: i64 = 8 * 3600;
pub const DAY_MS: i64 = 86_400_000;

/// Unix milliseconds → `YYYY-MM-DDThh:mm:ss+08:00` (sub-second part dropped).
pub fn format(millis: i64) -> String {
    let secs = millis.div_euclid(1000) + BEIJING_OFFSET_S;
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+08:00",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// `YYYY-MM-DDThh:mm[:ss[.fraction]](Z|±hh:mm)` → unix milliseconds.
///
/// A space where the offset sign belongs is read as `+`: an unescaped `+` in a query string
/// arrives as a space.
pub fn parse(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 17 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    let year = digits(&b[0..4])?;
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    let hour = digits(&b[11..13])?;
    let minute = digits(&b[14..16])?;
    let mut i = 16;
    let mut second = 0;
    let mut millis = 0;
    if b.get(i) == Some(&b':') {
        second = digits(b.get(i + 1..i + 3)?)?;
        i += 3;
        if b.get(i) == Some(&b'.') {
            let start = i + 1;
            let mut end = start;
            while b.get(end).is_some_and(u8::is_ascii_digit) {
                end += 1;
            }
            if end == start {
                return None;
            }
            for (k, c) in b[start..end].iter().take(3).enumerate() {
                millis += i64::from(c - b'0') * [100, 10, 1][k];
            }
            i = end;
        }
    }
    let offset_s = match &b[i..] {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-' | b' '), h1, h2, b':', m1, m2] => {
            let oh = digits(&[*h1, *h2])?;
            let om = digits(&[*m1, *m2])?;
            if oh > 23 || om > 59 {
                return None;
            }
            let v = oh * 3600 + om * 60;
            if *sign == b'-' { -v } else { v }
        }
        _ => return None,
    };
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_s;
    Some(secs * 1000 + millis)
}

fn digits(b: &[u8]) -> Option<i64> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |acc, c| acc * 10 + i64::from(c - b'0')))
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// (year, month, day) → days since 1970-01-01, proleptic Gregorian (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
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
