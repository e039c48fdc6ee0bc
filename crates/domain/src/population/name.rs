//! Personal names as written in Chinese registers.
//!
//! Allowed: Chinese characters (all CJK ideograph blocks, since rare characters occur in
//! names), Latin letters (foreign nationals, Pinyin), spaces, and the middle dot that joins
//! the parts of transliterated names (买买提·艾力). Registers pad two-character names to line
//! them up ("张  三"), so whitespace between two Chinese characters is dropped; other runs of
//! whitespace become one space. `•` is stored as `·` (U+00B7, the GB 18030 form) so that the
//! same name typed on different keyboards compares equal.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::PopulationError;

const MAX_CHARS: usize = 30;
const DOT: char = '·';

/// A normalised personal name of 1–30 characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

enum Class {
    Han,
    Latin,
    Space,
    Dot,
}

fn classify(c: char) -> Option<Class> {
    match c {
        '\u{3007}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{323AF}' => Some(Class::Han),
        'A'..='Z' | 'a'..='z' => Some(Class::Latin),
        // Latin-1 Supplement to Latin Extended-B letters (José, Müller), minus × and ÷.
        '\u{C0}'..='\u{24F}' if c.is_alphabetic() => Some(Class::Latin),
        '·' | '•' => Some(Class::Dot),
        c if c.is_whitespace() => Some(Class::Space),
        _ => None,
    }
}

impl PersonName {
    pub fn parse(input: &str) -> Result<Self, PopulationError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(PopulationError::NameEmpty);
        }
        let mut out = String::with_capacity(s.len());
        let mut pending_space = false;
        let mut last: Option<Class> = None;
        for (i, c) in s.chars().enumerate() {
            let position = i + 1;
            let class = match classify(c) {
                Some(class) => class,
                None if c.is_numeric() => {
                    return Err(PopulationError::NameDigit { position, found: c });
                }
                None => return Err(PopulationError::NameChar { position, found: c }),
            };
            match class {
                Class::Space => {
                    if matches!(last, Some(Class::Dot)) {
                        return Err(PopulationError::NameDot);
                    }
                    pending_space = true;
                    continue;
                }
                Class::Dot => {
                    if pending_space || !matches!(last, Some(Class::Han | Class::Latin)) {
                        return Err(PopulationError::NameDot);
                    }
                    out.push(DOT);
                }
                Class::Han | Class::Latin => {
                    let between_han =
                        matches!(last, Some(Class::Han)) && matches!(class, Class::Han);
                    if pending_space && !between_han {
                        out.push(' ');
                    }
                    out.push(c);
                }
            }
            pending_space = false;
            last = Some(class);
        }
        if matches!(last, Some(Class::Dot)) {
            return Err(PopulationError::NameDot);
        }
        let chars = out.chars().count();
        if chars > MAX_CHARS {
            return Err(PopulationError::NameTooLong { chars });
        }
        Ok(PersonName(out))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for PersonName {
    type Err = PopulationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for PersonName {
    type Error = PopulationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<PersonName> for String {
    fn from(name: PersonName) -> String {
        name.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Bilingual;

    fn ok(s: &str) -> String {
        PersonName::parse(s)
            .unwrap_or_else(|e| panic!("{s}: {e}"))
            .0
    }

    fn err(s: &str) -> PopulationError {
        PersonName::parse(s).unwrap_err()
    }

    #[test]
    fn accepts_and_normalises() {
        let cases = [
            ("张三", "张三"),
            ("  李四 ", "李四"),
            ("张  三", "张三"),
            ("张\u{3000}三", "张三"),
            ("买买提·艾力", "买买提·艾力"),
            ("买买提•艾力", "买买提·艾力"),
            ("John  Smith", "John Smith"),
            ("José Müller", "José Müller"),
            ("李 John", "李 John"),
            ("王〇", "王〇"),
            ("𠀀", "𠀀"),
            ("A", "A"),
        ];
        for (input, normal) in cases {
            assert_eq!(ok(input), normal, "{input}");
        }
    }

    #[test]
    fn length_is_counted_in_characters() {
        assert_eq!(ok(&"张".repeat(30)).chars().count(), 30);
        assert_eq!(
            err(&"张".repeat(31)),
            PopulationError::NameTooLong { chars: 31 }
        );
        assert_eq!(err(" \t "), PopulationError::NameEmpty);
    }

    #[test]
    fn rejects_digits_and_symbols_with_position() {
        assert_eq!(
            err("张3"),
            PopulationError::NameDigit {
                position: 2,
                found: '3'
            }
        );
        assert_eq!(
            err("李四２"),
            PopulationError::NameDigit {
                position: 3,
                found: '２'
            }
        );
        assert_eq!(
            err("张@三"),
            PopulationError::NameChar {
                position: 2,
                found: '@'
            }
        );
        assert_eq!(
            err("张三（曾用名）"),
            PopulationError::NameChar {
                position: 3,
                found: '（'
            }
        );
        let e = err("张3");
        assert_eq!(e.code(), "invalid_person_name");
        assert_eq!(e.message_zh(), "姓名第 2 个字符“3”是数字，姓名不能含数字");
        assert!(!e.message_en().contains("张"));
    }

    #[test]
    fn dots_join_parts_only() {
        for bad in [
            "·艾力",
            "艾力·",
            "买买提··艾力",
            "买买提 ·艾力",
            "买买提· 艾力",
            "·",
        ] {
            assert_eq!(err(bad), PopulationError::NameDot, "{bad}");
        }
    }

    #[test]
    fn string_round_trip() {
        let n = PersonName::parse("买买提•艾力").unwrap();
        assert_eq!(n.to_string().parse::<PersonName>(), Ok(n.clone()));
        assert_eq!(PersonName::try_from(String::from(n.clone())), Ok(n));
    }
}
