//! A report as filed: category, the area it concerns (the policy's target), the unit reported
//! (a department or an area), the official as text, what happened and when, the channel it came
//! through, and the reporter's identity when given (anonymous allowed).

use super::ConductError;
use crate::calendar::Date;
use crate::codes::{AreaCode, Phone};
use crate::labelled_enum;
use serde::{Deserialize, Serialize};

pub const MAX_DESCRIPTION: usize = 5_000;
/// Short texts: the official's post and name, a reporter's name, reasons.
pub const MAX_TEXT: usize = 200;

labelled_enum! {
    /// How a report came in. The first three are the public form (the 1234 report box and the
    /// petition box are variants of it, `/conduct/report?box=…`).
    pub enum ReportChannel {
        Web = ("web", "网上举报", "Web form"),
        LivelihoodBox = ("livelihood_box", "民生监督举报箱", "Livelihood report box"),
        PetitionBox = ("petition_box", "群众诉求直通箱", "Petition box"),
        Hotline = ("hotline", "举报电话", "Hotline"),
        Referral = ("referral", "内部移交", "Internal referral"),
        Signal = ("signal", "数据线索", "Signal from the data"),
        SupervisionOverdue = ("supervision_overdue", "督办逾期", "Overdue supervision order"),
    }
}

impl ReportChannel {
    pub fn parse_or(s: &str) -> Result<ReportChannel, ConductError> {
        ReportChannel::parse(s)
            .ok_or_else(|| ConductError::UnknownChannel(s.trim().chars().take(30).collect()))
    }

    /// A channel of the public form: the reporter follows the report by lookup code.
    pub fn is_public(self) -> bool {
        matches!(
            self,
            ReportChannel::Web | ReportChannel::LivelihoodBox | ReportChannel::PetitionBox
        )
    }

    /// The public form's variant of `?box=`: `livelihood`, `petition`, otherwise the web form.
    pub fn of_box(b: Option<&str>) -> ReportChannel {
        match b.map(str::trim) {
            Some("livelihood") => ReportChannel::LivelihoodBox,
            Some("petition") => ReportChannel::PetitionBox,
            _ => ReportChannel::Web,
        }
    }

    /// Which channel an account files through: a supervisor taking a call or a signal, staff
    /// referring, a resident's own report (the web form). `investigates`: the filer may
    /// investigate in the report's area; `staff`: the filer is staff.
    pub fn open_to(self, investigates: bool, staff: bool) -> Result<(), ConductError> {
        let ok = match self {
            ReportChannel::Web | ReportChannel::LivelihoodBox | ReportChannel::PetitionBox => true,
            ReportChannel::Referral => staff,
            ReportChannel::Hotline | ReportChannel::Signal | ReportChannel::SupervisionOverdue => {
                investigates
            }
        };
        if ok {
            Ok(())
        } else {
            Err(ConductError::ChannelNotOpen(self))
        }
    }
}

/// The unit a report concerns: a department (by code) or an area (a street's or community's
/// office). Shown by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "code", rename_all = "snake_case")]
pub enum ReportedUnit {
    Department(String),
    Area(AreaCode),
}

impl ReportedUnit {
    pub fn kind(&self) -> &'static str {
        match self {
            ReportedUnit::Department(_) => "department",
            ReportedUnit::Area(_) => "area",
        }
    }

    pub fn code(&self) -> String {
        match self {
            ReportedUnit::Department(d) => d.clone(),
            ReportedUnit::Area(a) => a.to_string(),
        }
    }

    /// From its stored kind and code.
    pub fn of(kind: &str, code: &str) -> Option<ReportedUnit> {
        match kind {
            "department" => Some(ReportedUnit::Department(code.to_string())),
            "area" => AreaCode::parse(code).ok().map(ReportedUnit::Area),
            _ => None,
        }
    }
}

/// Who reported, when they said: kept encrypted, shown only to the assigned investigators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reporter {
    pub name: String,
    pub phone: Option<Phone>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportDraft {
    /// The category's code (checked against the configured categories by the caller).
    pub category: String,
    pub area: AreaCode,
    pub unit: ReportedUnit,
    /// The official's post and/or name, as text (never on the log).
    pub official: String,
    pub description: String,
    pub occurred_on: Option<Date>,
    pub reporter: Option<Reporter>,
}

/// A required text: trimmed, not blank, at most `max` characters.
pub fn required_text(field: &'static str, v: &str, max: usize) -> Result<String, ConductError> {
    let t = v.trim();
    if t.is_empty() {
        Err(ConductError::Blank(field))
    } else if t.chars().count() > max {
        Err(ConductError::TooLong(field, max))
    } else {
        Ok(t.to_string())
    }
}

fn optional_text(field: &'static str, v: &str, max: usize) -> Result<String, ConductError> {
    let t = v.trim();
    if t.chars().count() > max {
        Err(ConductError::TooLong(field, max))
    } else {
        Ok(t.to_string())
    }
}

impl ReportDraft {
    /// Texts trimmed and bounded, the date not in the future, a blank reporter anonymous.
    pub fn checked(self, today: Date) -> Result<ReportDraft, ConductError> {
        let description = required_text("description", &self.description, MAX_DESCRIPTION)?;
        let official = optional_text("official", &self.official, MAX_TEXT)?;
        if self.occurred_on.is_some_and(|d| d > today) {
            return Err(ConductError::FutureDate("occurred_on"));
        }
        let reporter = match self.reporter {
            None => None,
            Some(r) => {
                let name = optional_text("reporter_name", &r.name, 50)?;
                if name.is_empty() && r.phone.is_none() {
                    None
                } else {
                    Some(Reporter {
                        name,
                        phone: r.phone,
                    })
                }
            }
        };
        Ok(ReportDraft {
            category: self.category.trim().to_string(),
            description,
            official,
            reporter,
            ..self
        })
    }
}

/// A reporter's identity is shown to the report's assigned investigators only — not to other
/// supervisors, not to an administrator.
pub fn may_see_reporter(account_id: i64, investigators: &[i64]) -> bool {
    investigators.contains(&account_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ReportDraft {
        ReportDraft {
            category: " idleness ".into(),
            area: AreaCode::parse("320508019044").unwrap(),
            unit: ReportedUnit::Department("CG".into()),
            official: " 某科科长 ".into(),
            description: " 办事窗口多次无人 ".into(),
            occurred_on: Date::new(2026, 10, 1),
            reporter: Some(Reporter {
                name: " ".into(),
                phone: None,
            }),
        }
    }

    #[test]
    fn a_report_is_trimmed_and_a_blank_reporter_is_anonymous() {
        let today = Date::new(2026, 10, 9).unwrap();
        let r = draft().checked(today).unwrap();
        assert_eq!(
            (r.category.as_str(), r.official.as_str(), r.reporter),
            ("idleness", "某科科长", None)
        );
        let blank = ReportDraft {
            description: "  ".into(),
            ..draft()
        };
        assert_eq!(
            blank.checked(today),
            Err(ConductError::Blank("description"))
        );
        let future = ReportDraft {
            occurred_on: Date::new(2026, 10, 10),
            ..draft()
        };
        assert_eq!(
            future.checked(today),
            Err(ConductError::FutureDate("occurred_on"))
        );
        let named = ReportDraft {
            reporter: Some(Reporter {
                name: "张三".into(),
                phone: Some(Phone::parse("13800138000").unwrap()),
            }),
            ..draft()
        };
        assert!(named.checked(today).unwrap().reporter.is_some());
    }

    #[test]
    fn channels_are_open_to_whom_they_belong() {
        assert_eq!(
            ReportChannel::of_box(Some("livelihood")),
            ReportChannel::LivelihoodBox
        );
        assert_eq!(ReportChannel::of_box(Some("x")), ReportChannel::Web);
        assert!(ReportChannel::Web.is_public() && !ReportChannel::Hotline.is_public());
        assert!(ReportChannel::Hotline.open_to(false, true).is_err());
        assert!(ReportChannel::Hotline.open_to(true, true).is_ok());
        assert!(ReportChannel::Referral.open_to(false, false).is_err());
        assert!(ReportChannel::Referral.open_to(false, true).is_ok());
        assert!(may_see_reporter(7, &[3, 7]) && !may_see_reporter(8, &[3, 7]));
        assert_eq!(
            ReportedUnit::of("area", "320508019044"),
            Some(ReportedUnit::Area(AreaCode::parse("320508019044").unwrap()))
        );
    }
}
