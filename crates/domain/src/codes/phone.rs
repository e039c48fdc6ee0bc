//! Mainland China phone numbers: mobile `1[3-9]` + 9 digits, or landline `0` + area code +
//! 7–8 digit local number.
//!
//! People write numbers many ways (`+86 138-0013-8000`, `(0512) 6512 3456`), so separators
//! and a country prefix are accepted and one normal form is stored: 11 digits for a mobile,
//! `0xxx-xxxxxxx` for a landline, which makes duplicates comparable.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{CodeError, CodeKind};

/// A valid, normalised phone number.
///
/// `Debug` prints the masked form, as for [`super::IdNumber`].
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    /// Accepts spaces, dashes and parentheses anywhere, and a `+86`, `86` or `0086` prefix.
    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let kind = CodeKind::Phone;
        let s = input.trim();
        let mut digits = String::with_capacity(s.len());
        let mut plus = false;
        for (i, c) in s.chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                // "(0512) 6512 3456" is the customary way to set off an area code.
                ' ' | '-' | '(' | ')' => {}
                '+' if i == 0 => plus = true,
                found => {
                    return Err(CodeError::NonDigit {
                        kind,
                        position: i + 1,
                        found,
                    });
                }
            }
        }
        // Domestic numbers start with 0 or 1, so a leading 86 can only be the country code.
        let after_country_code = if plus {
            Some(
                digits
                    .strip_prefix("86")
                    .ok_or(CodeError::PhoneCountryCode)?,
            )
        } else if let Some(rest) = digits.strip_prefix("0086") {
            Some(rest)
        } else if digits.starts_with("00") {
            return Err(CodeError::PhoneCountryCode);
        } else {
            digits.strip_prefix("86")
        };
        let national = match after_country_code {
            Some(rest) => restore_trunk_prefix(rest),
            None => digits.clone(),
        };
        match national.chars().next() {
            None => Err(CodeError::Empty { kind }),
            Some('1') => mobile(national),
            Some('0') => landline(&national),
            Some(found) => Err(CodeError::PhoneStart { found }),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_mobile(&self) -> bool {
        !self.0.contains('-')
    }

    /// Mobile `138****5678`; landline `0512-****3456`. Keeps what a caller needs to recognise
    /// the number (operator or city, last four) without making it dialable.
    pub fn mask(&self) -> String {
        let s = &self.0;
        let last4 = &s[s.len() - 4..];
        match s.split_once('-') {
            Some((area, _)) => format!("{area}-****{last4}"),
            None => format!("{}****{last4}", &s[..3]),
        }
    }
}

/// In international form a landline drops its leading 0 (`+86 512 …`); some people keep it
/// anyway (`+86 0512 …`). Mobile numbers never had one.
fn restore_trunk_prefix(rest: &str) -> String {
    let b = rest.as_bytes();
    let looks_mobile = b.first() == Some(&b'1') && !matches!(b.get(1), Some(b'0'..=b'2'));
    if rest.is_empty() || b[0] == b'0' || looks_mobile {
        rest.to_owned()
    } else {
        format!("0{rest}")
    }
}

fn mobile(digits: String) -> Result<Phone, CodeError> {
    if digits.len() != 11 {
        return Err(CodeError::MobileLength { got: digits.len() });
    }
    let second = char::from(digits.as_bytes()[1]);
    if !('3'..='9').contains(&second) {
        return Err(CodeError::MobilePrefix { second });
    }
    Ok(Phone(digits))
}

/// Area codes 010 and 02x are three digits with the 0; all others are four.
fn landline(digits: &str) -> Result<Phone, CodeError> {
    let area_len = match digits.as_bytes().get(1) {
        Some(b'1' | b'2') => 3,
        _ => 4,
    };
    let (area_code, local) = digits.split_at(area_len.min(digits.len()));
    if !(7..=8).contains(&local.len()) {
        return Err(CodeError::LandlineLength {
            area_code: area_code.to_owned(),
            got: local.len(),
        });
    }
    Ok(Phone(format!("{area_code}-{local}")))
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.mask())
    }
}

impl FromStr for Phone {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Phone {
    type Error = CodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Phone> for String {
    fn from(phone: Phone) -> String {
        phone.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Bilingual;

    fn ok(s: &str) -> String {
        Phone::parse(s)
            .unwrap_or_else(|e| panic!("{s}: {e}"))
            .as_str()
            .to_owned()
    }

    fn err(s: &str) -> CodeError {
        Phone::parse(s).unwrap_err()
    }

    #[test]
    fn mobile_forms_normalise_to_eleven_digits() {
        for s in [
            "13800138000",
            "138 0013 8000",
            "138-0013-8000",
            "+86 138 0013 8000",
            "+8613800138000",
            "8613800138000",
            "0086 13800138000",
            " 13800138000 ",
        ] {
            assert_eq!(ok(s), "13800138000", "{s}");
        }
        for second in '3'..='9' {
            assert!(Phone::parse(&format!("1{second}800138000")).is_ok());
        }
    }

    #[test]
    fn landline_forms_normalise_with_a_dash_after_the_area_code() {
        let cases = [
            ("0512-65123456", "0512-65123456"),
            ("051265123456", "0512-65123456"),
            ("0512 6512 3456", "0512-65123456"),
            ("+86 512 6512 3456", "0512-65123456"),
            ("+86 0512 65123456", "0512-65123456"),
            ("010-12345678", "010-12345678"),
            ("01012345678", "010-12345678"),
            ("+86 10 1234 5678", "010-12345678"),
            ("021 1234567", "021-1234567"),
            ("0755-1234567", "0755-1234567"),
            ("(0512) 6512 3456", "0512-65123456"),
        ];
        for (input, normal) in cases {
            assert_eq!(ok(input), normal, "{input}");
        }
    }

    #[test]
    fn masks() {
        let m = Phone::parse("13812345678").unwrap();
        assert!(m.is_mobile());
        assert_eq!(m.mask(), "138****5678");
        assert_eq!(format!("{m:?}"), "Phone(138****5678)");
        let l = Phone::parse("0512-65123456").unwrap();
        assert!(!l.is_mobile());
        assert_eq!(l.mask(), "0512-****3456");
        assert_eq!(Phone::parse("010-1234567").unwrap().mask(), "010-****4567");
    }

    #[test]
    fn rejects_with_the_reason() {
        assert_eq!(err("1380013800"), CodeError::MobileLength { got: 10 });
        assert_eq!(err("138001380001"), CodeError::MobileLength { got: 12 });
        assert_eq!(err("12800138000"), CodeError::MobilePrefix { second: '2' });
        assert_eq!(err("10086"), CodeError::MobileLength { got: 5 });
        assert_eq!(err("+1 415 555 0100"), CodeError::PhoneCountryCode);
        assert_eq!(err("00852 1234 5678"), CodeError::PhoneCountryCode);
        assert_eq!(err("5123456"), CodeError::PhoneStart { found: '5' });
        assert_eq!(
            err("0512-123456"),
            CodeError::LandlineLength {
                area_code: "0512".into(),
                got: 6
            }
        );
        assert_eq!(
            err("010-123456789"),
            CodeError::LandlineLength {
                area_code: "010".into(),
                got: 9
            }
        );
        assert_eq!(
            err("138.0013.8000"),
            CodeError::NonDigit {
                kind: CodeKind::Phone,
                position: 4,
                found: '.'
            }
        );
        assert_eq!(
            err("138+00138000"),
            CodeError::NonDigit {
                kind: CodeKind::Phone,
                position: 4,
                found: '+'
            }
        );
        assert_eq!(
            err(" - "),
            CodeError::Empty {
                kind: CodeKind::Phone
            }
        );
        assert_eq!(
            err("+86"),
            CodeError::Empty {
                kind: CodeKind::Phone
            }
        );
    }

    #[test]
    fn messages() {
        let e = err("12800138000");
        assert_eq!(e.code(), "invalid_phone");
        assert_eq!(e.message_zh(), "手机号第 2 位应为 3–9，实际为 2");
        assert_eq!(
            e.message_en(),
            "mobile number: second digit must be 3–9, got 2"
        );
        let e = err("0512-123456");
        assert_eq!(
            e.message_zh(),
            "固话区号 0512 后应有 7–8 位号码，实际为 6 位"
        );
    }

    #[test]
    fn string_round_trip() {
        let p = Phone::parse("+86 138 0013 8000").unwrap();
        assert_eq!(p.to_string().parse::<Phone>(), Ok(p.clone()));
        assert_eq!(Phone::try_from(String::from(p.clone())), Ok(p));
    }
}
