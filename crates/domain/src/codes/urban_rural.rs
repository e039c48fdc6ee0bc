//! 城乡分类代码: the three digits the statistical division table gives each community and
//! village (统计上划分城乡的规定). The first digit is town (1) or country (2); the second and
//! third say where inside it.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Bilingual;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum UrbanRural {
    /// 111 主城区
    MainUrban,
    /// 112 城乡结合区
    UrbanFringe,
    /// 121 镇中心区
    TownCentre,
    /// 122 镇乡结合区
    TownFringe,
    /// 123 特殊区域 (industrial and mining areas, development zones, farms …)
    Special,
    /// 210 乡中心区
    TownshipCentre,
    /// 220 村庄
    Village,
}

impl UrbanRural {
    pub const ALL: [UrbanRural; 7] = [
        UrbanRural::MainUrban,
        UrbanRural::UrbanFringe,
        UrbanRural::TownCentre,
        UrbanRural::TownFringe,
        UrbanRural::Special,
        UrbanRural::TownshipCentre,
        UrbanRural::Village,
    ];

    pub fn code(self) -> &'static str {
        match self {
            UrbanRural::MainUrban => "111",
            UrbanRural::UrbanFringe => "112",
            UrbanRural::TownCentre => "121",
            UrbanRural::TownFringe => "122",
            UrbanRural::Special => "123",
            UrbanRural::TownshipCentre => "210",
            UrbanRural::Village => "220",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            UrbanRural::MainUrban => "主城区",
            UrbanRural::UrbanFringe => "城乡结合区",
            UrbanRural::TownCentre => "镇中心区",
            UrbanRural::TownFringe => "镇乡结合区",
            UrbanRural::Special => "特殊区域",
            UrbanRural::TownshipCentre => "乡中心区",
            UrbanRural::Village => "村庄",
        }
    }

    /// Town (城镇) for 1xx, country (乡村) for 2xx.
    pub fn is_urban(self) -> bool {
        self.code().starts_with('1')
    }

    /// The three digits, or the Chinese name as the table prints it beside them
    /// ("121", "镇中心区", "121(镇中心区)").
    pub fn parse(input: &str) -> Result<Self, UrbanRuralError> {
        let s = input.trim();
        let digits = s.get(..3).filter(|d| d.bytes().all(|b| b.is_ascii_digit()));
        let found = UrbanRural::ALL.into_iter().find(|u| match digits {
            Some(d) => {
                let rest = s[3..].trim_matches(|c: char| "()（） ".contains(c));
                d == u.code() && (rest.is_empty() || rest == u.zh())
            }
            None => s == u.zh(),
        });
        found.ok_or_else(|| UrbanRuralError(s.to_string()))
    }
}

impl fmt::Display for UrbanRural {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl TryFrom<String> for UrbanRural {
    type Error = UrbanRuralError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<UrbanRural> for String {
    fn from(u: UrbanRural) -> String {
        u.code().to_string()
    }
}

/// A value that is not one of the seven classes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrbanRuralError(pub String);

impl Bilingual for UrbanRuralError {
    fn code(&self) -> &'static str {
        "invalid_urban_rural_code"
    }

    fn message_zh(&self) -> String {
        format!(
            "城乡分类代码“{}”无效：应为 111 主城区、112 城乡结合区、121 镇中心区、122 镇乡结合区、123 特殊区域、210 乡中心区或 220 村庄",
            self.0
        )
    }

    fn message_en(&self) -> String {
        format!(
            "urban-rural code '{}' is invalid: one of 111 main urban area, 112 urban fringe, 121 town centre, 122 town fringe, 123 special area, 210 township centre, 220 village",
            self.0
        )
    }
}

impl fmt::Display for UrbanRuralError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for UrbanRuralError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seven_classes_by_code_name_or_both() {
        for u in UrbanRural::ALL {
            assert_eq!(UrbanRural::parse(u.code()), Ok(u));
            assert_eq!(UrbanRural::parse(u.zh()), Ok(u));
            assert_eq!(
                UrbanRural::parse(&format!("{}({})", u.code(), u.zh())),
                Ok(u)
            );
            assert_eq!(
                UrbanRural::parse(&format!(" {}（{}） ", u.code(), u.zh())),
                Ok(u)
            );
        }
        assert!(UrbanRural::TownFringe.is_urban());
        assert!(!UrbanRural::Village.is_urban());
    }

    #[test]
    fn others_are_refused_naming_the_classes() {
        for bad in ["113", "220(主城区)", "村", "", "2200"] {
            let e = UrbanRural::parse(bad).unwrap_err();
            assert!(e.message_zh().contains("220 村庄"), "{bad}");
        }
    }
}
