//! 三会一课: the members' assembly, the committee, the group meeting and the party lecture, and
//! how often each organisation must hold them. A period without its meeting is a cadence
//! warning (missed when the period is over, due while it runs).

use crate::calendar::Date;
use crate::labelled_enum;

use super::OrgLevel;

labelled_enum! {
    /// The four meetings of 三会一课.
    pub enum MeetingKind {
        /// 支部党员大会: every member of the branch.
        MembersAssembly = ("members_assembly", "党员大会", "Members' assembly"),
        /// 支部委员会 (党委会、总支委员会 above a branch).
        Committee = ("committee", "委员会会议", "Committee meeting"),
        /// 党小组会.
        Group = ("group", "党小组会", "Group meeting"),
        /// 党课.
        Lecture = ("lecture", "党课", "Party lecture"),
    }
}

/// How many months each meeting may go without being held: the shipped defaults are the text's
/// (members' meeting quarterly, committee monthly, group monthly, lecture at least quarterly).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CadenceRules {
    pub members_assembly_months: u8,
    pub committee_months: u8,
    pub group_months: u8,
    pub lecture_months: u8,
}

impl Default for CadenceRules {
    fn default() -> Self {
        CadenceRules {
            members_assembly_months: 3,
            committee_months: 1,
            group_months: 1,
            lecture_months: 3,
        }
    }
}

/// A cadence that does not divide the year into whole periods.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} cadence of {months} months does not divide the year (1, 2, 3, 4, 6 or 12)")]
pub struct BadCadence {
    pub kind: MeetingKind,
    pub months: u8,
}

impl crate::Bilingual for BadCadence {
    fn code(&self) -> &'static str {
        "invalid_cadence"
    }
    fn message_zh(&self) -> String {
        format!(
            "{}的间隔 {} 个月不能整分一年（可选 1、2、3、4、6、12）",
            self.kind.zh(),
            self.months
        )
    }
    fn message_en(&self) -> String {
        self.to_string()
    }
}

impl CadenceRules {
    pub fn months(&self, kind: MeetingKind) -> u8 {
        match kind {
            MeetingKind::MembersAssembly => self.members_assembly_months,
            MeetingKind::Committee => self.committee_months,
            MeetingKind::Group => self.group_months,
            MeetingKind::Lecture => self.lecture_months,
        }
    }

    /// Every cadence must cut the calendar year into whole periods.
    pub fn check(&self) -> Result<(), BadCadence> {
        for &kind in MeetingKind::ALL {
            let months = self.months(kind);
            if !matches!(months, 1 | 2 | 3 | 4 | 6 | 12) {
                return Err(BadCadence { kind, months });
            }
        }
        Ok(())
    }
}

/// The meetings an organisation must hold: a branch its members' assembly and lecture (and its
/// committee once it has one), a group its group meeting, a general branch or committee its
/// committee and a lecture.
pub fn required_meetings(level: OrgLevel, has_committee: bool) -> Vec<MeetingKind> {
    match level {
        OrgLevel::Group => vec![MeetingKind::Group],
        OrgLevel::Branch if has_committee => vec![
            MeetingKind::MembersAssembly,
            MeetingKind::Committee,
            MeetingKind::Lecture,
        ],
        OrgLevel::Branch => vec![MeetingKind::MembersAssembly, MeetingKind::Lecture],
        OrgLevel::GeneralBranch | OrgLevel::Committee => {
            vec![MeetingKind::Committee, MeetingKind::Lecture]
        }
    }
}

/// One period of a cadence: `months` months from the first of month `first_month`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Period {
    pub year: i32,
    pub first_month: u8,
    pub months: u8,
}

impl Period {
    /// The period of `months` months that holds `d`.
    pub fn of(d: Date, months: u8) -> Period {
        let months = months.clamp(1, 12);
        Period {
            year: d.year(),
            first_month: (d.month() - 1) / months * months + 1,
            months,
        }
    }

    pub fn start(self) -> Date {
        Date::new(self.year, self.first_month, 1).expect("first of a month")
    }

    /// The first day after the period.
    pub fn end(self) -> Date {
        let m = self.first_month + self.months;
        if m > 12 {
            Date::new(self.year + 1, m - 12, 1)
        } else {
            Date::new(self.year, m, 1)
        }
        .expect("first of a month")
    }

    pub fn next(self) -> Period {
        Period::of(self.end(), self.months)
    }

    pub fn contains(self, d: Date) -> bool {
        self.start() <= d && d < self.end()
    }

    /// 2026年5月, 2026年第3季度, 2026年上半年, 2026年.
    pub fn zh(self) -> String {
        let y = self.year;
        let i = (self.first_month - 1) / self.months + 1;
        match self.months {
            1 => format!("{y}年{}月", self.first_month),
            3 => format!("{y}年第{i}季度"),
            6 => format!("{y}年{}半年", if i == 1 { "上" } else { "下" }),
            12 => format!("{y}年"),
            n => format!("{y}年{}—{}月", self.first_month, self.first_month + n - 1),
        }
    }

    pub fn en(self) -> String {
        let y = self.year;
        let i = (self.first_month - 1) / self.months + 1;
        match self.months {
            1 => format!("{y}-{:02}", self.first_month),
            3 => format!("Q{i} {y}"),
            6 => format!("H{i} {y}"),
            12 => format!("{y}"),
            n => format!(
                "{y}-{:02}..{:02}",
                self.first_month,
                self.first_month + n - 1
            ),
        }
    }
}

/// Whether the period with no meeting is over or still running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lapse {
    /// The period ended without the meeting.
    Missed,
    /// The period runs and the meeting has not been held yet.
    Due,
}

/// A period an organisation went (or is going) without one of its meetings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CadenceWarning {
    pub kind: MeetingKind,
    pub period: Period,
    pub lapse: Lapse,
}

impl CadenceWarning {
    pub fn zh(&self) -> String {
        match self.lapse {
            Lapse::Missed => format!("{}未召开{}", self.period.zh(), self.kind.zh()),
            Lapse::Due => format!("{}尚未召开{}", self.period.zh(), self.kind.zh()),
        }
    }

    pub fn en(&self) -> String {
        match self.lapse {
            Lapse::Missed => format!(
                "no {} held in {}",
                self.kind.en().to_lowercase(),
                self.period.en()
            ),
            Lapse::Due => format!("{} not yet held in {}", self.kind.en(), self.period.en()),
        }
    }
}

/// What the cadence of one organisation is checked over.
#[derive(Debug, Clone)]
pub struct OrgMeetings<'a> {
    pub level: OrgLevel,
    pub has_committee: bool,
    pub founded_on: Date,
    pub dissolved_on: Option<Date>,
    /// The meetings held (kind, date), in any order.
    pub held: &'a [(MeetingKind, Date)],
}

/// The periods from `since` up to `today` in which `org` did not hold a meeting it must hold.
/// A period counts only when the organisation existed for the whole of it (a branch founded
/// mid-quarter owes its first assembly the quarter after), and a dissolved one owes nothing
/// after it was dissolved.
pub fn cadence_warnings(
    org: &OrgMeetings<'_>,
    rules: &CadenceRules,
    since: Date,
    today: Date,
) -> Vec<CadenceWarning> {
    let mut out = Vec::new();
    for kind in required_meetings(org.level, org.has_committee) {
        let months = rules.months(kind);
        let mut p = Period::of(since.max(org.founded_on), months);
        if p.start() < org.founded_on || p.start() < since {
            p = p.next();
        }
        while p.start() <= today {
            if org.dissolved_on.is_some_and(|d| d < p.end()) {
                break;
            }
            let held = org
                .held
                .iter()
                .any(|&(k, d)| k == kind && p.contains(d) && d <= today);
            if !held {
                let lapse = if p.end() <= today {
                    Lapse::Missed
                } else {
                    Lapse::Due
                };
                out.push(CadenceWarning {
                    kind,
                    period: p,
                    lapse,
                });
            }
            p = p.next();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn branch(held: &[(MeetingKind, Date)]) -> OrgMeetings<'_> {
        OrgMeetings {
            level: OrgLevel::Branch,
            has_committee: true,
            founded_on: d("2025-01-01"),
            dissolved_on: None,
            held,
        }
    }

    #[test]
    fn periods_are_calendar_months_and_quarters() {
        let q = Period::of(d("2026-08-17"), 3);
        assert_eq!((q.start(), q.end()), (d("2026-07-01"), d("2026-10-01")));
        assert_eq!(q.zh(), "2026年第3季度");
        assert_eq!(Period::of(d("2026-12-31"), 3).end(), d("2027-01-01"));
        assert_eq!(Period::of(d("2026-05-02"), 1).zh(), "2026年5月");
        assert_eq!(Period::of(d("2026-09-30"), 6).zh(), "2026年下半年");
    }

    #[test]
    fn a_branch_that_skipped_a_quarter_and_a_month_is_warned() {
        use MeetingKind::*;
        let mut held = vec![
            (MembersAssembly, d("2026-02-10")),
            (MembersAssembly, d("2026-08-10")),
            (Lecture, d("2026-03-01")),
            (Lecture, d("2026-05-01")),
            (Lecture, d("2026-09-01")),
        ];
        for m in 1..=8u8 {
            if m != 6 {
                held.push((Committee, Date::new(2026, m, 5).unwrap()));
            }
        }
        let w = cadence_warnings(
            &branch(&held),
            &CadenceRules::default(),
            d("2026-01-01"),
            d("2026-09-20"),
        );
        let got: Vec<(MeetingKind, String, Lapse)> =
            w.iter().map(|w| (w.kind, w.period.zh(), w.lapse)).collect();
        assert_eq!(
            got,
            vec![
                (MembersAssembly, "2026年第2季度".into(), Lapse::Missed),
                (Committee, "2026年6月".into(), Lapse::Missed),
                (Committee, "2026年9月".into(), Lapse::Due),
            ]
        );
        assert_eq!(w[0].zh(), "2026年第2季度未召开党员大会");
    }

    #[test]
    fn a_group_meets_monthly_and_a_branch_without_committee_owes_none() {
        let group = OrgMeetings {
            level: OrgLevel::Group,
            has_committee: false,
            founded_on: d("2026-01-01"),
            dissolved_on: None,
            held: &[(MeetingKind::Group, d("2026-01-09"))],
        };
        let w = cadence_warnings(
            &group,
            &CadenceRules::default(),
            d("2026-01-01"),
            d("2026-03-15"),
        );
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].zh(), "2026年2月未召开党小组会");
        assert_eq!(w[1].lapse, Lapse::Due);
        assert_eq!(
            required_meetings(OrgLevel::Branch, false),
            vec![MeetingKind::MembersAssembly, MeetingKind::Lecture]
        );
    }

    #[test]
    fn founding_and_dissolution_bound_what_is_owed() {
        let org = OrgMeetings {
            level: OrgLevel::Branch,
            has_committee: false,
            founded_on: d("2026-05-20"),
            dissolved_on: Some(d("2026-11-15")),
            held: &[],
        };
        // Founded mid-Q2: Q3 is the first quarter owed; dissolved in Q4: nothing owed there.
        let w = cadence_warnings(
            &org,
            &CadenceRules::default(),
            d("2026-01-01"),
            d("2026-12-20"),
        );
        let periods: Vec<String> = w.iter().map(|w| w.period.zh()).collect();
        assert_eq!(periods, vec!["2026年第3季度", "2026年第3季度"]);
    }

    #[test]
    fn cadences_must_divide_the_year() {
        let rules = CadenceRules {
            lecture_months: 5,
            ..Default::default()
        };
        assert_eq!(
            rules.check().unwrap_err(),
            BadCadence {
                kind: MeetingKind::Lecture,
                months: 5
            }
        );
        assert!(CadenceRules::default().check().is_ok());
    }
}
