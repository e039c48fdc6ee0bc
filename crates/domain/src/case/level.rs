//! Handling levels and the escalation chain (六级闭环处置机制): a problem is solved at the
//! lowest level that can, and rises one level when it cannot or its deadline passes.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Bilingual;

/// A handling level, 1 (lowest, 微网格 by default) to 6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Level(u8);

impl Level {
    pub const LOWEST: Level = Level(1);
    pub const HIGHEST: Level = Level(6);

    pub fn new(n: u8) -> Option<Level> {
        (1..=6).contains(&n).then_some(Level(n))
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl TryFrom<u8> for Level {
    type Error = EscalationError;
    fn try_from(n: u8) -> Result<Self, Self::Error> {
        Level::new(n).ok_or(EscalationError::LevelOutOfRange { level: n })
    }
}

impl From<Level> for u8 {
    fn from(l: Level) -> u8 {
        l.0
    }
}

/// The names of the levels from the lowest up; configurable, 1 to 6 levels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<String>", into = "Vec<String>")]
pub struct EscalationChain {
    names: Vec<String>,
}

impl Default for EscalationChain {
    /// 微网格 → 网格 → 社区 → 街道 → 区 → 市.
    fn default() -> Self {
        EscalationChain {
            names: ["微网格", "网格", "社区", "街道", "区", "市"]
                .map(String::from)
                .to_vec(),
        }
    }
}

impl EscalationChain {
    /// A chain of 1–6 non-blank, distinct level names, lowest first.
    pub fn new(names: Vec<String>) -> Result<EscalationChain, EscalationError> {
        let names: Vec<String> = names.into_iter().map(|n| n.trim().to_string()).collect();
        if names.is_empty() || names.len() > 6 {
            return Err(EscalationError::Length { len: names.len() });
        }
        if let Some(i) = names.iter().position(|n| n.is_empty()) {
            return Err(EscalationError::BlankName { level: i as u8 + 1 });
        }
        for (i, n) in names.iter().enumerate() {
            if names[..i].contains(n) {
                return Err(EscalationError::DuplicateName { name: n.clone() });
            }
        }
        Ok(EscalationChain { names })
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The level new cases start at.
    pub fn lowest(&self) -> Level {
        Level::LOWEST
    }

    /// The last level of this chain.
    pub fn top(&self) -> Level {
        Level(self.names.len() as u8)
    }

    /// The level above `level`, or `None` at (or beyond) the top.
    pub fn next(&self, level: Level) -> Option<Level> {
        (level < self.top()).then(|| Level(level.0 + 1))
    }

    /// The level's name, e.g. 社区 for level 3 of the default chain; a level beyond a shortened
    /// chain is shown as the top level.
    pub fn name(&self, level: Level) -> &str {
        let i = usize::from(level.0.min(self.top().0)) - 1;
        &self.names[i]
    }
}

impl TryFrom<Vec<String>> for EscalationChain {
    type Error = EscalationError;
    fn try_from(names: Vec<String>) -> Result<Self, Self::Error> {
        EscalationChain::new(names)
    }
}

impl From<EscalationChain> for Vec<String> {
    fn from(c: EscalationChain) -> Vec<String> {
        c.names
    }
}

/// A rejected level or chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EscalationError {
    LevelOutOfRange { level: u8 },
    Length { len: usize },
    BlankName { level: u8 },
    DuplicateName { name: String },
}

impl Bilingual for EscalationError {
    fn code(&self) -> &'static str {
        "invalid_escalation_chain"
    }

    fn message_zh(&self) -> String {
        match self {
            EscalationError::LevelOutOfRange { level } => {
                format!("处置层级 {level} 无效，应为 1–6")
            }
            EscalationError::Length { len } => format!("升级链应有 1–6 级，实际 {len} 级"),
            EscalationError::BlankName { level } => format!("升级链第 {level} 级名称为空"),
            EscalationError::DuplicateName { name } => format!("升级链中“{name}”重复"),
        }
    }

    fn message_en(&self) -> String {
        match self {
            EscalationError::LevelOutOfRange { level } => {
                format!("handling level {level} is invalid; expected 1–6")
            }
            EscalationError::Length { len } => {
                format!("an escalation chain has 1–6 levels, not {len}")
            }
            EscalationError::BlankName { level } => {
                format!("level {level} of the escalation chain has no name")
            }
            EscalationError::DuplicateName { name } => {
                format!("'{name}' appears twice in the escalation chain")
            }
        }
    }
}

impl fmt::Display for EscalationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for EscalationError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_chain_rises_to_the_city() {
        let c = EscalationChain::default();
        let mut names = vec![c.name(c.lowest()).to_string()];
        let mut l = c.lowest();
        while let Some(up) = c.next(l) {
            names.push(c.name(up).to_string());
            l = up;
        }
        assert_eq!(names, ["微网格", "网格", "社区", "街道", "区", "市"]);
        assert_eq!(l, Level::HIGHEST);
        assert_eq!(c.top(), Level::HIGHEST);
    }

    #[test]
    fn configured_chains() {
        let c = EscalationChain::new(vec!["网格".into(), " 社区 ".into(), "街道".into()]).unwrap();
        assert_eq!(c.top(), Level::new(3).unwrap());
        assert_eq!(c.name(Level::new(2).unwrap()), "社区");
        assert_eq!(c.name(Level::new(5).unwrap()), "街道");
        assert_eq!(c.next(Level::new(3).unwrap()), None);
        assert_eq!(
            EscalationChain::new(vec![]),
            Err(EscalationError::Length { len: 0 })
        );
        assert_eq!(
            EscalationChain::new(vec!["a".into(), " ".into()]),
            Err(EscalationError::BlankName { level: 2 })
        );
        let e = EscalationChain::new(vec!["社区".into(), "社区".into()]).unwrap_err();
        assert_eq!(e.message_zh(), "升级链中“社区”重复");
        assert_eq!(Level::new(0), None);
        assert_eq!(Level::new(7), None);
        assert_eq!(
            Level::try_from(9).unwrap_err().code(),
            "invalid_escalation_chain"
        );
    }
}
