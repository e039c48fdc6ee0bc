//! 身份证号 (GB 11643): `IdNumber::parse`. Properties: an accepted number prints back to its
//! trimmed input (lower-case x upper-cased) and parses again to the same value; its birth date,
//! sex and mask agree with the digits; `from_parts` rebuilds it; serde agrees with `parse`.
#![no_main]

use gongzhi_domain::codes::IdNumber;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = IdNumber::parse(text);
    let via_serde = serde_json::from_value::<IdNumber>(serde_json::Value::from(text));
    assert_eq!(
        parsed.is_ok(),
        via_serde.is_ok(),
        "serde and parse disagree on {text:?}"
    );
    let Ok(id) = parsed else {
        return;
    };
    assert_eq!(via_serde.unwrap(), id);

    let s = id.to_string();
    assert_eq!(s, text.trim().replace('x', "X"), "printed form of {text:?}");
    assert_eq!(s.len(), 18);
    assert_eq!(s.parse::<IdNumber>().expect("printed form parses"), id);
    assert_eq!(id.as_str(), s);
    assert_eq!(String::from(id), s);

    let (y, m, d) = id.birth_date();
    assert_eq!(format!("{y:04}{m:02}{d:02}"), &s[6..14]);
    assert!(y >= 1900 && (1..=12).contains(&m) && (1..=31).contains(&d));
    assert_eq!(id.is_male(), (s.as_bytes()[16] - b'0') % 2 == 1);
    let seq: u16 = s[14..17].parse().unwrap();
    assert_eq!(IdNumber::from_parts(&s[..6], y, m, d, seq), id);
    assert_eq!(IdNumber::check_digit(&s[..17]), s.chars().last().unwrap());

    let mask = id.mask();
    assert_eq!(mask.len(), 18);
    assert!(mask.starts_with(&s[..6]) && mask.ends_with(&s[16..]) && mask[6..16].bytes().all(|b| b == b'*'));
    assert!(
        !format!("{id:?}").contains(&s[6..14]),
        "Debug leaks the birth date"
    );

    let json = serde_json::to_string(&id).unwrap();
    assert_eq!(serde_json::from_str::<IdNumber>(&json).unwrap(), id);
});
