//! 协商议事会: a meeting of a community — temporary (临时), periodic (定期) or the standing
//! platform (议事平台) — on a day at a place, with the parties invited (departments by their
//! codes), an agenda of tabled topics, who came per party, and minutes that mark it held.

use super::{DeliberationError, clip, required};
use crate::calendar::Date;
use crate::codes::{AreaCode, AreaLevel};
use crate::labelled_enum;

labelled_enum! {
    /// The kinds of deliberation meeting.
    pub enum MeetingKind {
        Temporary = ("temporary", "临时议事会", "Temporary meeting"),
        Periodic = ("periodic", "定期议事会", "Periodic meeting"),
        Platform = ("platform", "议事平台", "Standing platform"),
    }
}

labelled_enum! {
    /// The parties invited to a meeting.
    pub enum Party {
        Residents = ("residents", "居民代表", "Residents"),
        PartyMembers = ("party_members", "党员", "Party members"),
        PropertyCompany = ("property_company", "物业公司", "Property company"),
        OwnersCommittee = ("owners_committee", "业主委员会", "Owners' committee"),
        Departments = ("departments", "职能部门", "Departments"),
    }
}

labelled_enum! {
    pub enum MeetingStatus {
        Scheduled = ("scheduled", "待召开", "Scheduled"),
        Held = ("held", "已召开", "Held"),
    }
}

impl MeetingKind {
    pub fn parse_or(s: &str) -> Result<MeetingKind, DeliberationError> {
        MeetingKind::parse(s).ok_or_else(|| DeliberationError::UnknownMeetingKind(clip(s)))
    }
}

impl Party {
    pub fn parse_or(s: &str) -> Result<Party, DeliberationError> {
        Party::parse(s).ok_or_else(|| DeliberationError::UnknownParty(clip(s)))
    }
}

pub const MAX_PLACE: usize = 100;
pub const MAX_MINUTES: usize = 5000;
/// The most people of one party a meeting records.
pub const MAX_ATTENDEES: u32 = 10_000;

/// A meeting as entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingDraft {
    pub community: AreaCode,
    pub kind: MeetingKind,
    pub title: String,
    pub held_on: Date,
    pub place: String,
    pub invited: Vec<Party>,
    /// Codes of the departments invited (when `invited` holds `Departments`).
    pub departments: Vec<String>,
}

impl MeetingDraft {
    /// Checks the texts and the parties: at least one invited, each once; departments named
    /// when departments are invited, and only then. A meeting is planned at most a year back.
    pub fn checked(self, today: Date) -> Result<MeetingDraft, DeliberationError> {
        if self.community.level() != AreaLevel::Community {
            return Err(DeliberationError::NotACommunity);
        }
        if self.held_on < today.add_days(-366) || self.held_on > today.add_days(366) {
            return Err(DeliberationError::DateOutOfRange("held_on"));
        }
        let mut invited = self.invited.clone();
        invited.sort();
        invited.dedup();
        if invited.is_empty() {
            return Err(DeliberationError::Blank("invited"));
        }
        let mut departments: Vec<String> = self
            .departments
            .iter()
            .map(|d| d.trim().to_string())
            .filter(|d| !d.is_empty())
            .collect();
        departments.sort();
        departments.dedup();
        let with_departments = invited.contains(&Party::Departments);
        if with_departments && departments.is_empty() {
            return Err(DeliberationError::Blank("departments"));
        }
        if !with_departments && !departments.is_empty() {
            return Err(DeliberationError::DepartmentsNotInvited);
        }
        Ok(MeetingDraft {
            title: required("title", &self.title, super::MAX_TITLE)?,
            place: required("place", &self.place, MAX_PLACE)?,
            invited,
            departments,
            ..self
        })
    }
}

/// Who came of one party.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceDraft {
    pub party: Party,
    pub count: u32,
    /// Who they were (units, roles; names as the minutes give them).
    pub note: String,
}

impl AttendanceDraft {
    /// A party the meeting invited, with a count in range.
    pub fn checked(self, invited: &[Party]) -> Result<AttendanceDraft, DeliberationError> {
        if !invited.contains(&self.party) {
            return Err(DeliberationError::PartyNotInvited(self.party));
        }
        if self.count > MAX_ATTENDEES {
            return Err(DeliberationError::TooMany("count", MAX_ATTENDEES));
        }
        let note = self.note.trim().to_string();
        if note.chars().count() > MAX_PLACE * 2 {
            return Err(DeliberationError::TooLong("note", MAX_PLACE * 2));
        }
        Ok(AttendanceDraft { note, ..self })
    }
}

/// Minutes of a meeting held on `held_on`, recorded on `today`: not before the day.
pub fn check_minutes(
    minutes: &str,
    held_on: Date,
    today: Date,
) -> Result<String, DeliberationError> {
    if held_on > today {
        return Err(DeliberationError::MeetingNotYetHeld);
    }
    required("minutes", minutes, MAX_MINUTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u8) -> Date {
        Date::new(2026, 11, d).unwrap()
    }

    fn draft() -> MeetingDraft {
        MeetingDraft {
            community: AreaCode::parse("320508019044").unwrap(),
            kind: MeetingKind::Temporary,
            title: "电动车充电议事会".into(),
            held_on: day(20),
            place: "社区党群服务中心二楼".into(),
            invited: vec![Party::Residents, Party::Departments, Party::Residents],
            departments: vec![" ZJ ".into()],
        }
    }

    #[test]
    fn parties_are_invited_once_and_departments_named() {
        let m = draft().checked(day(10)).unwrap();
        assert_eq!(m.invited, [Party::Residents, Party::Departments]);
        assert_eq!(m.departments, ["ZJ"]);
        let no_dept = MeetingDraft {
            departments: vec![],
            ..draft()
        };
        assert_eq!(
            no_dept.checked(day(10)),
            Err(DeliberationError::Blank("departments"))
        );
        let stray = MeetingDraft {
            invited: vec![Party::Residents],
            ..draft()
        };
        assert_eq!(
            stray.checked(day(10)),
            Err(DeliberationError::DepartmentsNotInvited)
        );
        let nobody = MeetingDraft {
            invited: vec![],
            departments: vec![],
            ..draft()
        };
        assert_eq!(
            nobody.checked(day(10)),
            Err(DeliberationError::Blank("invited"))
        );
    }

    #[test]
    fn attendance_of_invited_parties_minutes_after_the_day() {
        let invited = [Party::Residents];
        let a = AttendanceDraft {
            party: Party::Residents,
            count: 23,
            note: " 3号楼居民 ".into(),
        };
        assert_eq!(a.clone().checked(&invited).unwrap().note, "3号楼居民");
        let other = AttendanceDraft {
            party: Party::PropertyCompany,
            ..a
        };
        assert_eq!(
            other.checked(&invited),
            Err(DeliberationError::PartyNotInvited(Party::PropertyCompany))
        );
        assert_eq!(
            check_minutes("议定安装充电桩", day(20), day(19)),
            Err(DeliberationError::MeetingNotYetHeld)
        );
        assert!(check_minutes("议定安装充电桩", day(20), day(20)).is_ok());
    }
}
