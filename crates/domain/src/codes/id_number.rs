//! Citizen identity numbers (公民身份号码, GB 11643-1999): address code(6) + birth date(8) +
//! sequence(3, odd for men) + check character (ISO 7064 MOD 11-2).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::digits::{first_non_digit, value};
use super::{CodeError, CodeKind, is_province_code};

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: [u8; 11] = *b"10X98765432";

/// A valid 18-character ID number with an upper-case X.
///
/// `Debug` prints the masked form so that a stray `{:?}` in a log line does not leak the
/// number; `Display`, `as_str` and serialisation give the full number on purpose.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdNumber([u8; 18]);

impl IdNumber {
    /// Accepts a lower-case x and surrounding whitespace; rejects 15-digit legacy numbers.
    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let kind = CodeKind::IdNumber;
        let s = input.trim();
        if s.is_empty() {
            return Err(CodeError::Empty { kind });
        }
        let got = s.chars().count();
        if got != 18 {
            return Err(CodeError::Length {
                kind,
                expected: &[18],
                got,
            });
        }
        let (first17, last) = s.split_at(s.char_indices().nth(17).map_or(s.len(), |(i, _)| i));
        first_non_digit(first17, kind)?;
        let got = match last.chars().next() {
            Some(c @ '0'..='9') => c,
            Some('x' | 'X') => 'X',
            Some(found) => return Err(CodeError::IdCheckChar { found }),
            None => unreachable!("length was checked to be 18"),
        };
        let d = first17.as_bytes();
        let province = value(&d[0..2]) as u8;
        if !is_province_code(province) {
            return Err(CodeError::UnknownProvince { kind, province });
        }
        let (year, month, day) = (value(&d[6..10]), value(&d[10..12]), value(&d[12..14]));
        let (month, day) = (month as u8, day as u8);
        if !is_calendar_date(year, month, day) {
            return Err(CodeError::IdBirthDate { year, month, day });
        }
        if year < 1900 {
            return Err(CodeError::IdBornBefore1900 { year });
        }
        let expected = Self::check_digit(first17);
        if expected != got {
            return Err(CodeError::IdCheckDigit { expected, got });
        }
        let mut bytes = [0u8; 18];
        bytes[..17].copy_from_slice(d);
        bytes[17] = got as u8;
        Ok(IdNumber(bytes))
    }

    /// Builds a valid number from its parts, computing the check character. For generators of
    /// demo and test data.
    ///
    /// # Panics
    /// When the parts do not make a valid number (area not 6 digits of a real province, date
    /// not a calendar date from 1900 on, `seq3` above 999): a generator producing those is a
    /// bug, not bad input.
    pub fn from_parts(area6: &str, y: i32, m: u8, d: u8, seq3: u16) -> IdNumber {
        assert!(
            area6.len() == 6 && area6.bytes().all(|b| b.is_ascii_digit()),
            "IdNumber::from_parts: area {area6:?} is not 6 digits"
        );
        assert!((0..=9999).contains(&y), "IdNumber::from_parts: year {y}");
        assert!(seq3 <= 999, "IdNumber::from_parts: sequence {seq3} > 999");
        let first17 = format!("{area6}{y:04}{m:02}{d:02}{seq3:03}");
        let full = format!("{first17}{}", Self::check_digit(&first17));
        Self::parse(&full).unwrap_or_else(|e| panic!("IdNumber::from_parts: {e}"))
    }

    /// The ISO 7064 MOD 11-2 check character ('0'–'9' or 'X') for the first 17 digits.
    ///
    /// # Panics
    /// When `first17` is not exactly 17 ASCII digits.
    pub fn check_digit(first17: &str) -> char {
        let d = first17.as_bytes();
        assert!(
            d.len() == 17 && d.iter().all(u8::is_ascii_digit),
            "IdNumber::check_digit needs 17 ASCII digits"
        );
        let sum: u32 = d
            .iter()
            .zip(WEIGHTS)
            .map(|(b, w)| u32::from(b - b'0') * w)
            .sum();
        char::from(CHECK_CHARS[(sum % 11) as usize])
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("IdNumber holds ASCII only")
    }

    /// First 6 + 10 asterisks + last 2, e.g. `110105**********2X`: keeps the issuing area and
    /// the digits read out to check a card in hand. Lists show the birth year and gender beside
    /// it; with the last 4 shown, month and day (≤ 366) were all that was left to guess and the
    /// check digit cut that to about 33 candidates. Hiding two more digits leaves about 3,300.
    pub fn mask(&self) -> String {
        let s = self.as_str();
        format!("{}**********{}", &s[..6], &s[16..])
    }

    /// (year, month, day) of birth.
    pub fn birth_date(&self) -> (i32, u8, u8) {
        let d = &self.0;
        (
            i32::from(value(&d[6..10])),
            value(&d[10..12]) as u8,
            value(&d[12..14]) as u8,
        )
    }

    /// The 17th digit is odd for men and even for women.
    pub fn is_male(&self) -> bool {
        (self.0[16] - b'0') % 2 == 1
    }
}

fn is_calendar_date(year: u16, month: u8, day: u8) -> bool {
    crate::calendar::Date::new(year.into(), month, day).is_some()
}

impl fmt::Display for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdNumber({})", self.mask())
    }
}

impl FromStr for IdNumber {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for IdNumber {
    type Error = CodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<IdNumber> for String {
    fn from(id: IdNumber) -> String {
        id.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Bilingual;

    const SAMPLE: &str = "11010519491231002X";

    fn err(s: &str) -> CodeError {
        IdNumber::parse(s).unwrap_err()
    }

    #[test]
    fn parses_the_standard_sample() {
        let id = IdNumber::parse(SAMPLE).unwrap();
        assert_eq!(id.as_str(), SAMPLE);
        assert_eq!(id.birth_date(), (1949, 12, 31));
        assert!(!id.is_male());
        assert_eq!(id.mask(), "110105**********2X");
    }

    /// What a reader of a masked list can narrow a number down to: every ID with the mask's
    /// digits, the listed birth year and the listed gender. The old mask (last 4 shown) left
    /// about 33; the current one must leave thousands.
    #[test]
    fn mask_birth_year_and_gender_leave_thousands_of_candidates() {
        let id = IdNumber::parse(SAMPLE).unwrap();
        let (year, _, _) = id.birth_date();
        let shown = id.mask();
        let mut candidates = 0;
        for month in 1..=12u8 {
            for day in 1..=31u8 {
                for seq in 0..1000u16 {
                    if crate::calendar::Date::new(year, month, day).is_none() {
                        continue;
                    }
                    let guess = IdNumber::from_parts(&SAMPLE[..6], year, month, day, seq);
                    if guess.mask() == shown && guess.is_male() == id.is_male() {
                        candidates += 1;
                    }
                }
            }
        }
        assert!(candidates > 2_000, "{candidates} candidates");
    }

    #[test]
    fn lower_case_x_is_normalised() {
        let id = IdNumber::parse(" 11010519491231002x ").unwrap();
        assert_eq!(id.as_str(), SAMPLE);
    }

    #[test]
    fn check_digit_by_hand() {
        // 1·7+1·9+0·10+1·5+0·8+5·4+1·2+9·1+4·6+9·3+1·7+2·9+3·10+1·5+0·8+0·4+2·2 = 167;
        // 167 mod 11 = 2 → 'X'.
        assert_eq!(IdNumber::check_digit("11010519491231002"), 'X');
        // 3·7+2·9+5·5+8·4+1·2+9·1+9·6+3·9+7·5+1·8+2·4+3·2 = 245; 245 mod 11 = 3 → '9'.
        assert_eq!(IdNumber::check_digit("32050819900307123"), '9');
    }

    #[test]
    fn every_check_character_occurs_and_round_trips() {
        let mut seen = std::collections::BTreeSet::new();
        for seq in 0..=999 {
            let id = IdNumber::from_parts("320508", 1990, 3, 7, seq);
            seen.insert(id.as_str().as_bytes()[17]);
            assert_eq!(IdNumber::parse(id.as_str()), Ok(id));
            assert_eq!(id.is_male(), seq % 2 == 1);
            assert_eq!(id.birth_date(), (1990, 3, 7));
        }
        assert_eq!(seen.len(), 11);
    }

    #[test]
    fn a_wrong_check_character_says_which_was_expected() {
        let e = err("110105194912310021");
        assert_eq!(
            e,
            CodeError::IdCheckDigit {
                expected: 'X',
                got: '1'
            }
        );
        assert_eq!(e.code(), "invalid_id_number");
        assert_eq!(
            e.message_en(),
            "ID number check digit is wrong: expected X, got 1"
        );
    }

    #[test]
    fn reports_length_position_and_check_char() {
        assert_eq!(
            err("110105491231002"),
            CodeError::Length {
                kind: CodeKind::IdNumber,
                expected: &[18],
                got: 15
            }
        );
        assert_eq!(
            err("1101051949O231002X"),
            CodeError::NonDigit {
                kind: CodeKind::IdNumber,
                position: 11,
                found: 'O'
            }
        );
        assert_eq!(
            err("11010519491231002Y"),
            CodeError::IdCheckChar { found: 'Y' }
        );
        assert_eq!(
            err("11010519491231002１"),
            CodeError::IdCheckChar { found: '１' }
        );
        assert_eq!(
            err("X1010519491231002X"),
            CodeError::NonDigit {
                kind: CodeKind::IdNumber,
                position: 1,
                found: 'X'
            }
        );
        assert_eq!(
            err(""),
            CodeError::Empty {
                kind: CodeKind::IdNumber
            }
        );
    }

    #[test]
    fn province_must_exist() {
        let first17 = "99010519491231002";
        let s = format!("{first17}{}", IdNumber::check_digit(first17));
        assert_eq!(
            err(&s),
            CodeError::UnknownProvince {
                kind: CodeKind::IdNumber,
                province: 99
            }
        );
    }

    fn with_date(date: &str) -> Result<IdNumber, CodeError> {
        let first17 = format!("320508{date}123");
        IdNumber::parse(&format!("{first17}{}", IdNumber::check_digit(&first17)))
    }

    #[test]
    fn birth_dates_follow_the_calendar() {
        for ok in ["20000229", "19040229", "19000101", "20241231", "19900430"] {
            assert!(with_date(ok).is_ok(), "{ok}");
        }
        let bad = [
            ("19000229", 1900, 2, 29),
            ("20230229", 2023, 2, 29),
            ("19900431", 1990, 4, 31),
            ("19901301", 1990, 13, 1),
            ("19900001", 1990, 0, 1),
            ("19900100", 1990, 1, 0),
        ];
        for (s, year, month, day) in bad {
            assert_eq!(
                with_date(s),
                Err(CodeError::IdBirthDate { year, month, day }),
                "{s}"
            );
        }
        assert_eq!(
            with_date("18991231"),
            Err(CodeError::IdBornBefore1900 { year: 1899 })
        );
        let e = with_date("19900431").unwrap_err();
        assert_eq!(
            e.message_zh(),
            "身份证号中的出生日期 1990-04-31 不是有效日期"
        );
    }

    #[test]
    fn messages_never_repeat_the_number() {
        for s in [
            "110105194912310021",
            "11010519491231002Y",
            "110105194913310020",
        ] {
            let e = err(s);
            assert!(!e.message_en().contains(&s[..14]), "{e}");
            assert!(!e.message_zh().contains(&s[..14]), "{e}");
        }
    }

    #[test]
    fn debug_is_masked() {
        let id = IdNumber::parse(SAMPLE).unwrap();
        assert_eq!(format!("{id:?}"), "IdNumber(110105**********2X)");
        assert_eq!(id.to_string(), SAMPLE);
        assert_eq!(String::from(id), SAMPLE);
    }

    #[test]
    #[should_panic(expected = "not a valid date")]
    fn from_parts_panics_on_an_impossible_date() {
        IdNumber::from_parts("320508", 1990, 2, 30, 1);
    }

    #[test]
    #[should_panic(expected = "17 ASCII digits")]
    fn check_digit_panics_on_short_input() {
        IdNumber::check_digit("1234");
    }
}
