//! 双找: members find their organisation (找组织 — a member registers with their residential
//! community) and the organisation finds its members (找党员 — among the residents whose
//! political status says 党员). The community matches a registration to a resident and
//! confirms it, which creates the member record or links the existing one; a resident found
//! by the community is confirmed the same way. Counts per compound feed the five steps' 找.

use serde::{Deserialize, Serialize};

use super::MemberStatus;
use super::error::{PartyError, optional, required};
use super::members::{MAX_NAME, MAX_TEXT, PartyMember, parse_gender};
use crate::calendar::Date;
use crate::codes::{AreaCode, AreaLevel, Phone};
use crate::labelled_enum;
use crate::population::PoliticalStatus;

labelled_enum! {
    /// Where a 找组织 registration stands.
    pub enum RegistrationState {
        Pending = ("pending", "待社区确认", "Awaiting the community"),
        Confirmed = ("confirmed", "已确认", "Confirmed"),
        Declined = ("declined", "未通过", "Declined"),
    }
}

/// 找组织: what a member tells their residential community.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Registration {
    pub name: String,
    pub gender: String,
    pub birth_date: Option<Date>,
    pub phone: Option<Phone>,
    pub community: AreaCode,
    /// Where they live, in their words (building and room).
    pub address: String,
    pub member_status: MemberStatus,
    pub joined_on: Date,
    /// The organisation their membership is in now (原所在党组织).
    pub prior_org: String,
    pub workplace: Option<String>,
}

impl Registration {
    pub fn checked(self, today: Date) -> Result<Registration, PartyError> {
        if self.community.level() != AreaLevel::Community {
            return Err(PartyError::AreaLevel("community"));
        }
        if self.joined_on > today {
            return Err(PartyError::DateOrder("joined_on"));
        }
        if self.birth_date.is_some_and(|b| b >= self.joined_on) {
            return Err(PartyError::DateOrder("joined_on"));
        }
        Ok(Registration {
            name: required("name", &self.name, MAX_NAME)?,
            gender: parse_gender(&self.gender)?.to_string(),
            address: required("address", &self.address, 200)?,
            prior_org: required("prior_org", &self.prior_org, MAX_TEXT)?,
            workplace: optional("workplace", self.workplace, MAX_TEXT)?,
            ..self
        })
    }

    /// The member record a confirmed registration makes, in `org`, living at `residence`
    /// (resident, household) when the community matched one.
    pub fn member(&self, org: Option<i64>, residence: Option<(i64, i64)>) -> PartyMember {
        PartyMember {
            name: self.name.clone(),
            gender: self.gender.clone(),
            birth_date: self.birth_date,
            status: self.member_status,
            joined_on: self.joined_on,
            full_on: None,
            org,
            resident: residence.map(|r| r.0),
            household: residence.map(|r| r.1),
            community: self.community,
            workplace: self.workplace.clone(),
            phone: self.phone.clone(),
            left_on: None,
        }
    }
}

/// A registration is decided once.
pub fn check_pending(state: RegistrationState) -> Result<(), PartyError> {
    match state {
        RegistrationState::Pending => Ok(()),
        _ => Err(PartyError::AlreadyDecided),
    }
}

/// What matching needs of a resident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResidentView {
    pub name: String,
    pub gender: String,
    pub birth_year: i64,
    pub political_status: PoliticalStatus,
}

labelled_enum! {
    /// How well a resident matches a registration.
    pub enum MatchStrength {
        /// Name, gender and (when given) birth year agree and the population base records
        /// the resident as a party member.
        Strong = ("strong", "高度吻合", "Strong"),
        /// Name and gender agree.
        Possible = ("possible", "可能吻合", "Possible"),
    }
}

/// Does `r` match the registration? Never when the names or genders differ or a given birth
/// year differs.
pub fn match_resident(reg: &Registration, r: &ResidentView) -> Option<MatchStrength> {
    if reg.name.trim() != r.name.trim() || reg.gender != r.gender {
        return None;
    }
    if reg
        .birth_date
        .is_some_and(|b| i64::from(b.year()) != r.birth_year)
    {
        return None;
    }
    let party = matches!(
        r.political_status,
        PoliticalStatus::PartyMember | PoliticalStatus::ProbationaryPartyMember
    );
    Some(if party {
        MatchStrength::Strong
    } else {
        MatchStrength::Possible
    })
}

/// 找党员: the member record of a resident the community found: full or probationary as the
/// population base says; `None` when the resident is not recorded as a party member.
pub fn member_from_resident(
    r: &ResidentView,
    community: AreaCode,
    residence: (i64, i64),
    org: Option<i64>,
    joined_on: Date,
) -> Option<PartyMember> {
    let status = match r.political_status {
        PoliticalStatus::PartyMember => MemberStatus::Full,
        PoliticalStatus::ProbationaryPartyMember => MemberStatus::Probationary,
        _ => return None,
    };
    Some(PartyMember {
        name: r.name.clone(),
        gender: r.gender.clone(),
        birth_date: None,
        status,
        joined_on,
        full_on: None,
        org,
        resident: Some(residence.0),
        household: Some(residence.1),
        community,
        workplace: None,
        phone: None,
        left_on: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u8, day: u8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    fn reg() -> Registration {
        Registration {
            name: " 李明 ".into(),
            gender: "男".into(),
            birth_date: Some(d(1975, 4, 2)),
            phone: None,
            community: AreaCode::parse("320508019044").unwrap(),
            address: "彩香新村 3 幢 201".into(),
            member_status: MemberStatus::Full,
            joined_on: d(2001, 7, 1),
            prior_org: "苏州某公司党支部".into(),
            workplace: None,
        }
    }

    fn resident(status: PoliticalStatus) -> ResidentView {
        ResidentView {
            name: "李明".into(),
            gender: "男".into(),
            birth_year: 1975,
            political_status: status,
        }
    }

    #[test]
    fn registrations_are_checked_and_decided_once() {
        let r = reg().checked(d(2026, 5, 1)).unwrap();
        assert_eq!(r.name, "李明");
        let future = Registration {
            joined_on: d(2027, 1, 1),
            ..reg()
        };
        assert_eq!(
            future.checked(d(2026, 5, 1)),
            Err(PartyError::DateOrder("joined_on"))
        );
        let blank = Registration {
            prior_org: " ".into(),
            ..reg()
        };
        assert_eq!(
            blank.checked(d(2026, 5, 1)),
            Err(PartyError::Blank("prior_org"))
        );
        assert_eq!(check_pending(RegistrationState::Pending), Ok(()));
        assert_eq!(
            check_pending(RegistrationState::Confirmed),
            Err(PartyError::AlreadyDecided)
        );
    }

    #[test]
    fn matching_needs_name_gender_and_birth_year() {
        let r = reg().checked(d(2026, 5, 1)).unwrap();
        assert_eq!(
            match_resident(&r, &resident(PoliticalStatus::PartyMember)),
            Some(MatchStrength::Strong)
        );
        assert_eq!(
            match_resident(&r, &resident(PoliticalStatus::Masses)),
            Some(MatchStrength::Possible)
        );
        let other_year = ResidentView {
            birth_year: 1976,
            ..resident(PoliticalStatus::PartyMember)
        };
        assert_eq!(match_resident(&r, &other_year), None);
        let other_gender = ResidentView {
            gender: "女".into(),
            ..resident(PoliticalStatus::PartyMember)
        };
        assert_eq!(match_resident(&r, &other_gender), None);
    }

    #[test]
    fn a_found_resident_becomes_a_member_as_the_population_base_says() {
        let c = AreaCode::parse("320508019044").unwrap();
        let m = member_from_resident(
            &resident(PoliticalStatus::ProbationaryPartyMember),
            c,
            (7, 3),
            Some(2),
            d(2026, 1, 1),
        )
        .unwrap();
        assert_eq!(
            (m.status, m.resident, m.household),
            (MemberStatus::Probationary, Some(7), Some(3))
        );
        assert!(m.checked().is_ok());
        assert!(
            member_from_resident(
                &resident(PoliticalStatus::Masses),
                c,
                (7, 3),
                None,
                d(2026, 1, 1)
            )
            .is_none()
        );
    }
}
