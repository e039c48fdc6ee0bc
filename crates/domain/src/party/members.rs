//! 党员 (`PartyMember`): full or probationary with their dates, the organisation they belong
//! to, their residence (a resident of a household in the population base) and, when in
//! service, their workplace; transfers between organisations (组织关系转接) and becoming full
//! (转正).

use serde::{Deserialize, Serialize};

use super::MemberStatus;
use super::error::{PartyError, optional, required};
use crate::calendar::Date;
use crate::codes::{AreaCode, AreaLevel, Phone};

/// Longest name, in characters.
pub const MAX_NAME: usize = 30;
/// Longest workplace or reason, in characters.
pub const MAX_TEXT: usize = 100;

/// A member as written: `org`, `resident` and `household` are row ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartyMember {
    pub name: String,
    /// 男 / 女.
    pub gender: String,
    pub birth_date: Option<Date>,
    pub status: MemberStatus,
    /// 入党日期 (admitted as probationary).
    pub joined_on: Date,
    /// 转正日期, for a full member.
    pub full_on: Option<Date>,
    /// The organisation; `None` while found and not yet placed.
    pub org: Option<i64>,
    pub resident: Option<i64>,
    pub household: Option<i64>,
    /// The residential community.
    pub community: AreaCode,
    /// 在职党员: where the member works.
    pub workplace: Option<String>,
    pub phone: Option<Phone>,
    /// Left the community (transferred out of its organisations).
    pub left_on: Option<Date>,
}

/// 男 or 女 (also `male`/`female`, `m`/`f`).
pub fn parse_gender(s: &str) -> Result<&'static str, PartyError> {
    match s.trim() {
        "男" | "male" | "m" | "M" | "Male" => Ok("男"),
        "女" | "female" | "f" | "F" | "Female" => Ok("女"),
        other => Err(PartyError::Unknown(
            "gender",
            other.chars().take(20).collect(),
            "男、女".into(),
        )),
    }
}

impl PartyMember {
    /// Checks and trims: a name, a gender, a community-level residence, a probationary member
    /// without a full date, a full member's date on or after joining, a birth before joining.
    pub fn checked(self) -> Result<PartyMember, PartyError> {
        if self.community.level() != AreaLevel::Community {
            return Err(PartyError::AreaLevel("community"));
        }
        match (self.status, self.full_on) {
            (MemberStatus::Probationary, Some(_)) => {
                return Err(PartyError::ProbationaryWithFullDate);
            }
            (MemberStatus::Full, Some(f)) if f < self.joined_on => {
                return Err(PartyError::DateOrder("full_on"));
            }
            _ => {}
        }
        if self.birth_date.is_some_and(|b| b >= self.joined_on) {
            return Err(PartyError::DateOrder("joined_on"));
        }
        if self.left_on.is_some_and(|l| l < self.joined_on) {
            return Err(PartyError::DateOrder("left_on"));
        }
        Ok(PartyMember {
            name: required("name", &self.name, MAX_NAME)?,
            gender: parse_gender(&self.gender)?.to_string(),
            workplace: optional("workplace", self.workplace, MAX_TEXT)?,
            ..self
        })
    }

    /// Is the member still here (not left on or before `day`)?
    pub fn active_on(&self, day: Date) -> bool {
        self.left_on.is_none_or(|l| l > day)
    }
}

/// What a transfer or placement needs to know about the target organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgView {
    pub id: i64,
    pub name: String,
    pub dissolved: bool,
}

/// Placing a member in an organisation (on creating or confirming): never a dissolved one.
pub fn check_placement(to: Option<&OrgView>) -> Result<(), PartyError> {
    match to {
        Some(o) if o.dissolved => Err(PartyError::Dissolved(o.name.clone())),
        _ => Ok(()),
    }
}

/// 组织关系转接: a member moves from one organisation to another on a day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transfer {
    pub member: i64,
    pub from: Option<i64>,
    pub to: i64,
    pub on: Date,
    pub reason: String,
}

/// May the member (in `from`, joined on `joined_on`, left on `left_on`) move to `to` on `on`
/// for `reason`? Not to a dissolved organisation, not to the one they are in, not after they
/// left, not before they joined.
pub fn check_transfer(
    member: &PartyMember,
    from: Option<i64>,
    to: &OrgView,
    on: Date,
    reason: &str,
) -> Result<String, PartyError> {
    if member.left_on.is_some() {
        return Err(PartyError::MemberLeft);
    }
    if from == Some(to.id) {
        return Err(PartyError::SameOrg);
    }
    check_placement(Some(to))?;
    if on < member.joined_on {
        return Err(PartyError::DateOrder("on"));
    }
    required("reason", reason, MAX_TEXT)
}

/// 转正: a probationary member becomes full on `on`, not before joining.
pub fn become_full(member: &PartyMember, on: Date) -> Result<PartyMember, PartyError> {
    if member.status == MemberStatus::Full {
        return Err(PartyError::AlreadyFull);
    }
    if member.left_on.is_some() {
        return Err(PartyError::MemberLeft);
    }
    if on < member.joined_on {
        return Err(PartyError::DateOrder("full_on"));
    }
    Ok(PartyMember {
        status: MemberStatus::Full,
        full_on: Some(on),
        ..member.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u8, day: u8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    pub(crate) fn member() -> PartyMember {
        PartyMember {
            name: " 王芳 ".into(),
            gender: "女".into(),
            birth_date: Some(d(1980, 3, 2)),
            status: MemberStatus::Probationary,
            joined_on: d(2025, 6, 1),
            full_on: None,
            org: Some(3),
            resident: Some(10),
            household: Some(4),
            community: AreaCode::parse("320508019044").unwrap(),
            workplace: Some(" ".into()),
            phone: None,
            left_on: None,
        }
    }

    #[test]
    fn members_are_checked() {
        let m = member().checked().unwrap();
        assert_eq!((m.name.as_str(), m.workplace), ("王芳", None));
        let p = PartyMember {
            full_on: Some(d(2026, 6, 1)),
            ..member()
        };
        assert_eq!(p.checked(), Err(PartyError::ProbationaryWithFullDate));
        let f = PartyMember {
            status: MemberStatus::Full,
            full_on: Some(d(2025, 1, 1)),
            ..member()
        };
        assert_eq!(f.checked(), Err(PartyError::DateOrder("full_on")));
        let g = PartyMember {
            gender: "x".into(),
            ..member()
        };
        assert_eq!(g.checked().unwrap_err().code(), "unknown_label");
        let street = PartyMember {
            community: AreaCode::parse("320508019000").unwrap(),
            ..member()
        };
        assert_eq!(street.checked(), Err(PartyError::AreaLevel("community")));
    }

    use crate::Bilingual;

    #[test]
    fn transfers_refuse_the_impossible() {
        let m = member();
        let to = OrgView {
            id: 5,
            name: "第二网格党支部".into(),
            dissolved: false,
        };
        assert_eq!(
            check_transfer(&m, Some(3), &to, d(2026, 1, 1), " 搬家 "),
            Ok("搬家".into())
        );
        assert_eq!(
            check_transfer(&m, Some(5), &to, d(2026, 1, 1), "搬家"),
            Err(PartyError::SameOrg)
        );
        let gone = OrgView {
            dissolved: true,
            ..to.clone()
        };
        assert!(matches!(
            check_transfer(&m, Some(3), &gone, d(2026, 1, 1), "搬家"),
            Err(PartyError::Dissolved(_))
        ));
        assert_eq!(
            check_transfer(&m, Some(3), &to, d(2024, 1, 1), "搬家"),
            Err(PartyError::DateOrder("on"))
        );
        assert_eq!(
            check_transfer(&m, Some(3), &to, d(2026, 1, 1), " "),
            Err(PartyError::Blank("reason"))
        );
        let left = PartyMember {
            left_on: Some(d(2025, 12, 1)),
            ..member()
        };
        assert_eq!(
            check_transfer(&left, Some(3), &to, d(2026, 1, 1), "x"),
            Err(PartyError::MemberLeft)
        );
    }

    #[test]
    fn a_probationary_member_becomes_full_once() {
        let m = become_full(&member(), d(2026, 6, 1)).unwrap();
        assert_eq!(
            (m.status, m.full_on),
            (MemberStatus::Full, Some(d(2026, 6, 1)))
        );
        assert_eq!(become_full(&m, d(2026, 7, 1)), Err(PartyError::AlreadyFull));
        assert_eq!(
            become_full(&member(), d(2025, 1, 1)),
            Err(PartyError::DateOrder("full_on"))
        );
    }
}
