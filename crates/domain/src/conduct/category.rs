//! `MisconductCategory`: the kinds of passive governance a report names. Kept in the database
//! and configurable (added, renamed, disabled) by discipline supervision; seeded with the twelve
//! of the appendix. A code never changes once given: reports and statistics keep it.

use super::ConductError;
use serde::{Deserialize, Serialize};

/// The appendix's twelve categories: code, Chinese, English — the seed of a new database.
pub const DEFAULT_CATEGORIES: [(&str, &str, &str); 12] = [
    ("bad_decision", "决策失误", "Wrong decisions"),
    ("poor_execution", "执行不力", "Poor execution"),
    ("lax_oversight", "监管缺位", "Lax oversight"),
    ("buck_passing", "推诿扯皮", "Passing the buck"),
    ("idleness", "庸懒无为", "Idleness"),
    ("misconduct", "行为失范", "Improper conduct"),
    ("inefficiency", "效率低下", "Inefficiency"),
    ("lax_discipline", "纪律松弛", "Lax discipline"),
    ("aloofness", "脱离群众", "Aloof from the people"),
    ("defiance", "顶风违纪", "Defying the rules"),
    ("exaction", "吃拿卡要", "Exacting favours"),
    ("bribery", "权钱交易", "Trading power for money"),
];

/// The category that a signal of passed-around cases opens a report in.
pub const BUCK_PASSING: &str = "buck_passing";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MisconductCategory {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub active: bool,
}

/// A category as typed: a new one (code and names) or a rename / enabling / disabling of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryDraft {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub active: bool,
}

const MAX_NAME: usize = 20;

impl CategoryDraft {
    pub fn checked(self) -> Result<CategoryDraft, ConductError> {
        let code = self.code.trim().to_string();
        let ok = (2..=32).contains(&code.len())
            && code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !ok {
            return Err(ConductError::BadCategoryCode(
                code.chars().take(40).collect(),
            ));
        }
        let name_zh = super::required_text("name", &self.name_zh, MAX_NAME)?;
        let name_en = self.name_en.trim().to_string();
        if name_en.chars().count() > 60 {
            return Err(ConductError::TooLong("name_en", 60));
        }
        Ok(CategoryDraft {
            code,
            name_en: if name_en.is_empty() {
                name_zh.clone()
            } else {
                name_en
            },
            name_zh,
            active: self.active,
        })
    }
}

impl MisconductCategory {
    /// The label in the page's language.
    pub fn label(&self, en: bool) -> &str {
        if en { &self.name_en } else { &self.name_zh }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Bilingual;

    #[test]
    fn the_twelve_have_distinct_codes_and_a_new_one_needs_a_code_and_a_name() {
        let mut codes: Vec<&str> = DEFAULT_CATEGORIES.iter().map(|c| c.0).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), 12);
        assert!(
            DEFAULT_CATEGORIES
                .iter()
                .any(|c| c.0 == BUCK_PASSING && c.1 == "推诿扯皮")
        );
        let d = CategoryDraft {
            code: " slow_reply ".into(),
            name_zh: " 回复拖延 ".into(),
            name_en: String::new(),
            active: true,
        }
        .checked()
        .unwrap();
        assert_eq!(
            (d.code.as_str(), d.name_en.as_str()),
            ("slow_reply", "回复拖延")
        );
        let bad = CategoryDraft {
            code: "慢".into(),
            ..d.clone()
        };
        assert_eq!(bad.checked().unwrap_err().field().as_deref(), Some("code"));
        let blank = CategoryDraft {
            name_zh: " ".into(),
            ..d
        };
        assert_eq!(blank.checked(), Err(ConductError::Blank("name")));
    }
}
