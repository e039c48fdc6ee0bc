//! Why a population field was rejected.
//!
//! Name errors name the offending character and its position but never repeat the name: it is
//! personal data and errors reach logs.

use std::fmt;

use crate::Bilingual;

/// Which fixed list a label was looked up in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LabelKind {
    Relation,
    PoliticalStatus,
    HouseholdKind,
    Gender,
}

impl LabelKind {
    pub fn zh(self) -> &'static str {
        match self {
            LabelKind::Relation => "与户主关系",
            LabelKind::PoliticalStatus => "政治面貌",
            LabelKind::HouseholdKind => "户别",
            LabelKind::Gender => "性别",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            LabelKind::Relation => "relation to the head of household",
            LabelKind::PoliticalStatus => "political status",
            LabelKind::HouseholdKind => "household kind",
            LabelKind::Gender => "gender",
        }
    }

    fn error_code(self) -> &'static str {
        match self {
            LabelKind::Relation => "invalid_relation",
            LabelKind::PoliticalStatus => "invalid_political_status",
            LabelKind::HouseholdKind => "invalid_household_kind",
            LabelKind::Gender => "invalid_gender",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PopulationError {
    NameEmpty,
    /// Longer than 30 characters after normalising.
    NameTooLong {
        chars: usize,
    },
    /// `position` counts characters from 1 after trimming.
    NameDigit {
        position: usize,
        found: char,
    },
    NameChar {
        position: usize,
        found: char,
    },
    /// A middle dot at either end or next to another dot or space.
    NameDot,
    /// `input` is not one of `allowed` (pairs of Chinese label and English code).
    UnknownLabel {
        kind: LabelKind,
        input: String,
        allowed: &'static [(&'static str, &'static str)],
    },
}

/// Echoing a whole pasted paragraph back would bury the message.
fn shorten(input: &str) -> String {
    const MAX: usize = 20;
    if input.chars().count() <= MAX {
        input.to_owned()
    } else {
        format!("{}…", input.chars().take(MAX).collect::<String>())
    }
}

impl Bilingual for PopulationError {
    fn code(&self) -> &'static str {
        match self {
            PopulationError::UnknownLabel { kind, .. } => kind.error_code(),
            _ => "invalid_person_name",
        }
    }

    fn message_zh(&self) -> String {
        match self {
            PopulationError::NameEmpty => "姓名为空".into(),
            PopulationError::NameTooLong { chars } => {
                format!("姓名最多 30 个字，实际为 {chars} 个字")
            }
            PopulationError::NameDigit { position, found } => {
                format!("姓名第 {position} 个字符“{found}”是数字，姓名不能含数字")
            }
            PopulationError::NameChar { position, found } => format!(
                "姓名第 {position} 个字符“{found}”不允许：只能用汉字、拉丁字母、空格和间隔号·"
            ),
            PopulationError::NameDot => {
                "姓名中的间隔号·不能在开头或结尾，也不能与空格或另一个间隔号相邻".into()
            }
            PopulationError::UnknownLabel {
                kind,
                input,
                allowed,
            } => {
                let list: Vec<&str> = allowed.iter().map(|(zh, _)| *zh).collect();
                format!(
                    "“{}”不是有效的{}，可选：{}",
                    shorten(input),
                    kind.zh(),
                    list.join("、")
                )
            }
        }
    }

    fn message_en(&self) -> String {
        match self {
            PopulationError::NameEmpty => "name is empty".into(),
            PopulationError::NameTooLong { chars } => {
                format!("name must have at most 30 characters, got {chars}")
            }
            PopulationError::NameDigit { position, found } => {
                format!(
                    "name: character {position} ('{found}') is a digit; names cannot contain digits"
                )
            }
            PopulationError::NameChar { position, found } => format!(
                "name: character {position} ('{found}') is not allowed; use Chinese characters, Latin letters, spaces and the middle dot ·"
            ),
            PopulationError::NameDot => {
                "name: the middle dot · cannot start or end a name or touch a space or another dot"
                    .into()
            }
            PopulationError::UnknownLabel {
                kind,
                input,
                allowed,
            } => {
                let list: Vec<String> = allowed
                    .iter()
                    .map(|(zh, code)| format!("{zh} ({code})"))
                    .collect();
                format!(
                    "'{}' is not a valid {}; expected one of: {}",
                    shorten(input),
                    kind.en(),
                    list.join(", ")
                )
            }
        }
    }
}

impl fmt::Display for PopulationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for PopulationError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert_eq!(PopulationError::NameEmpty.code(), "invalid_person_name");
        let e = PopulationError::UnknownLabel {
            kind: LabelKind::HouseholdKind,
            input: "x".into(),
            allowed: &[("户籍", "registered")],
        };
        assert_eq!(e.code(), "invalid_household_kind");
        assert_eq!(e.to_string(), e.message_en());
    }

    #[test]
    fn long_input_is_shortened_in_messages() {
        let e = PopulationError::UnknownLabel {
            kind: LabelKind::Gender,
            input: "一".repeat(50),
            allowed: &[("男", "male"), ("女", "female")],
        };
        assert_eq!(
            e.message_zh(),
            format!("“{}…”不是有效的性别，可选：男、女", "一".repeat(20))
        );
        assert!(
            e.message_en()
                .ends_with("expected one of: 男 (male), 女 (female)")
        );
    }
}
