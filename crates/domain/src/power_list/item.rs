//! A power item as entered: its owner, number, name, type, legal basis, discretion, post,
//! risk factors, control measures and flowchart; and its life (draft → published → retired).

use super::{Flowchart, PowerError, RiskFactors};
use crate::access::{Action, Principal, Target, decide};
use crate::codes::{AreaCode, AreaLevel};
use crate::labelled_enum;
use serde::{Deserialize, Serialize};

pub const MAX_TEXT: usize = 2_000;
const MAX_NAME: usize = 120;
const MAX_POST: usize = 60;
pub const MAX_MEASURES: usize = 20;
const MAX_MEASURE: usize = 200;

labelled_enum! {
    /// The eleven kinds of administrative power of the appendix's lists.
    pub enum PowerType {
        Licensing = ("licensing", "行政许可", "Administrative licensing"),
        NonLicensingApproval = ("non_licensing_approval", "非行政许可审批", "Non-licensing approval"),
        Penalty = ("penalty", "行政处罚", "Administrative penalty"),
        Enforcement = ("enforcement", "行政强制", "Administrative enforcement"),
        Levy = ("levy", "行政征收", "Administrative levy"),
        Benefit = ("benefit", "行政给付", "Administrative benefit"),
        Inspection = ("inspection", "行政检查", "Administrative inspection"),
        Confirmation = ("confirmation", "行政确认", "Administrative confirmation"),
        Reward = ("reward", "行政奖励", "Administrative reward"),
        Adjudication = ("adjudication", "行政裁决", "Administrative adjudication"),
        Other = ("other", "其他", "Other"),
    }
}

impl PowerType {
    pub fn parse_or(s: &str) -> Result<PowerType, PowerError> {
        PowerType::parse(s)
            .ok_or_else(|| PowerError::UnknownType(s.trim().chars().take(20).collect()))
    }
}

labelled_enum! {
    pub enum PowerState {
        Draft = ("draft", "草稿", "Draft"),
        Published = ("published", "已公布", "Published"),
        Retired = ("retired", "已废止", "Retired"),
    }
}

impl PowerState {
    pub fn publish(self) -> Result<PowerState, PowerError> {
        match self {
            PowerState::Draft => Ok(PowerState::Published),
            s => Err(PowerError::WrongState {
                state: s,
                action: "published",
            }),
        }
    }

    /// Changing an item: a draft in place, a published item as a new version.
    pub fn change(self) -> Result<PowerState, PowerError> {
        match self {
            PowerState::Retired => Err(PowerError::WrongState {
                state: self,
                action: "changed",
            }),
            s => Ok(s),
        }
    }

    pub fn retire(self) -> Result<PowerState, PowerError> {
        match self {
            PowerState::Published => Ok(PowerState::Retired),
            s => Err(PowerError::WrongState {
                state: s,
                action: "retired",
            }),
        }
    }
}

/// Whose list an item is on: a department's, or a street's or district's (乡镇、县直).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "code", rename_all = "snake_case")]
pub enum PowerOwner {
    Department(String),
    Area(AreaCode),
}

impl PowerOwner {
    pub fn kind(&self) -> &'static str {
        match self {
            PowerOwner::Department(_) => "department",
            PowerOwner::Area(_) => "area",
        }
    }

    pub fn code(&self) -> String {
        match self {
            PowerOwner::Department(d) => d.clone(),
            PowerOwner::Area(a) => a.to_string(),
        }
    }

    /// From the stored pair; a community is no administrative organ and keeps no list.
    pub fn of(kind: &str, code: &str) -> Result<PowerOwner, PowerError> {
        match kind {
            "department" if !code.trim().is_empty() => {
                Ok(PowerOwner::Department(code.trim().into()))
            }
            "area" => {
                let a =
                    AreaCode::parse(code.trim()).map_err(|_| PowerError::BadOwner(code.into()))?;
                if a.level() == AreaLevel::Community {
                    return Err(PowerError::BadOwner(code.into()));
                }
                Ok(PowerOwner::Area(a))
            }
            _ => Err(PowerError::BadOwner(code.into())),
        }
    }

    pub fn target(&self) -> Target {
        match self {
            PowerOwner::Department(d) => Target::Department(d.clone()),
            PowerOwner::Area(a) => Target::Area(*a),
        }
    }

    /// Whether `p` keeps this owner's list — asked of the one policy.
    pub fn managed_by(&self, p: &Principal) -> bool {
        decide(p, Action::ManagePowerList, &self.target()).is_ok()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PowerItemDraft {
    pub owner: PowerOwner,
    /// The item's number within the owner's list (1, 2, …).
    pub number: i64,
    pub name: String,
    pub power_type: PowerType,
    /// 实施依据: the laws and articles.
    pub legal_basis: String,
    /// 自由裁量: how much leeway, and its bounds.
    pub discretion: String,
    /// 责任岗位.
    pub post: String,
    pub factors: RiskFactors,
    /// 防控措施, one per entry.
    pub measures: Vec<String>,
    pub flowchart: Flowchart,
}

fn text(field: &'static str, v: &str, max: usize, required: bool) -> Result<String, PowerError> {
    let t = v.replace("\r\n", "\n").trim().to_string();
    if required && t.is_empty() {
        Err(PowerError::Blank(field))
    } else if t.chars().count() > max {
        Err(PowerError::TooLong(field, max))
    } else {
        Ok(t)
    }
}

/// Control measures from text: one per line, or separated by 、 ; ；.
pub fn measures_of(s: &str) -> Vec<String> {
    s.split(['\n', '、', ';', '；'])
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(str::to_string)
        .collect()
}

impl PowerItemDraft {
    pub fn checked(self) -> Result<PowerItemDraft, PowerError> {
        if !(1..=9999).contains(&self.number) {
            return Err(PowerError::Number);
        }
        let measures: Vec<String> = self
            .measures
            .iter()
            .map(|m| m.trim().to_string())
            .filter(|m| !m.is_empty())
            .collect();
        if measures.is_empty() {
            return Err(PowerError::Blank("measures"));
        }
        if measures.len() > MAX_MEASURES {
            return Err(PowerError::TooMany("measures", MAX_MEASURES));
        }
        if measures.iter().any(|m| m.chars().count() > MAX_MEASURE) {
            return Err(PowerError::TooLong("measures", MAX_MEASURE));
        }
        Ok(PowerItemDraft {
            name: text("name", &self.name, MAX_NAME, true)?,
            legal_basis: text("legal_basis", &self.legal_basis, MAX_TEXT, true)?,
            discretion: text("discretion", &self.discretion, MAX_TEXT, false)?,
            post: text("post", &self.post, MAX_POST, true)?,
            factors: self.factors.checked()?,
            flowchart: self.flowchart.checked()?,
            measures,
            ..self
        })
    }

    /// The text hashed on the log: every field in a fixed order, separated by the unit
    /// separator (U+001F), which no field contains once trimmed of controls.
    pub fn canonical(&self) -> String {
        let f = self.factors.values().map(|v| v.to_string()).join(",");
        [
            self.owner.code(),
            self.number.to_string(),
            self.name.clone(),
            self.power_type.as_str().to_string(),
            self.legal_basis.clone(),
            self.discretion.clone(),
            self.post.clone(),
            f,
            self.measures.join("\n"),
        ]
        .join("\u{1f}")
    }
}

/// The reason an item is retired: required, shown with its history.
pub fn retire_reason(reason: &str) -> Result<String, PowerError> {
    text("reason", reason, 500, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{Principal, Role, Scope};
    use crate::power_list::flowchart::tests::LICENCE;

    fn draft() -> PowerItemDraft {
        PowerItemDraft {
            owner: PowerOwner::Department("SJ".into()),
            number: 1,
            name: " 食品经营许可 ".into(),
            power_type: PowerType::Licensing,
            legal_basis: "《中华人民共和国食品安全法》第三十五条".into(),
            discretion: String::new(),
            post: "许可审批岗".into(),
            factors: RiskFactors {
                importance: 4,
                discretion: 3,
                likelihood: 3,
                harm: 4,
            },
            measures: vec!["岗位教育".into(), " ".into(), "动态监控".into()],
            flowchart: Flowchart::parse(LICENCE).unwrap(),
        }
    }

    #[test]
    fn an_item_is_checked_field_by_field() {
        let d = draft().checked().unwrap();
        assert_eq!(d.name, "食品经营许可");
        assert_eq!(d.measures, vec!["岗位教育", "动态监控"]);
        let e = PowerItemDraft {
            legal_basis: " ".into(),
            ..draft()
        }
        .checked()
        .unwrap_err();
        assert_eq!(e, PowerError::Blank("legal_basis"));
        let e = PowerItemDraft {
            measures: vec![],
            ..draft()
        }
        .checked()
        .unwrap_err();
        assert_eq!(e, PowerError::Blank("measures"));
        let e = PowerItemDraft {
            number: 0,
            ..draft()
        }
        .checked()
        .unwrap_err();
        assert_eq!(e, PowerError::Number);
        assert_eq!(PowerType::parse("行政处罚"), Some(PowerType::Penalty));
        assert_eq!(PowerType::ALL.len(), 11);
        assert_eq!(
            measures_of("岗位教育、动态监控\n预警防范"),
            vec!["岗位教育", "动态监控", "预警防范"]
        );
    }

    #[test]
    fn an_item_lives_draft_published_retired() {
        let p = PowerState::Draft.publish().unwrap();
        assert_eq!(p.change(), Ok(PowerState::Published));
        let r = p.retire().unwrap();
        assert!(r.change().is_err() && r.publish().is_err() && r.retire().is_err());
        assert!(PowerState::Draft.retire().is_err());
    }

    fn who(role: Role, scope: Scope) -> Principal {
        Principal {
            account_id: 1,
            role,
            scope,
            can_unmask: false,
        }
    }

    #[test]
    fn a_department_keeps_its_own_list_and_a_community_none() {
        let area = |s| AreaCode::parse(s).unwrap();
        let dept = who(Role::Department, Scope::Department("SJ".into()));
        assert!(PowerOwner::Department("SJ".into()).managed_by(&dept));
        assert!(!PowerOwner::Department("CG".into()).managed_by(&dept));
        let street = who(Role::Street, Scope::Area(area("320508019000")));
        assert!(PowerOwner::Area(area("320508019000")).managed_by(&street));
        assert!(!PowerOwner::Area(area("320508020000")).managed_by(&street));
        assert!(PowerOwner::of("area", "320508019044").is_err());
        assert_eq!(
            PowerOwner::of("area", "320508019000"),
            Ok(PowerOwner::Area(area("320508019000")))
        );
    }
}
