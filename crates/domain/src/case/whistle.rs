//! 街乡吹哨、部门报到: a street summons departments to a case it cannot solve alone, and each
//! summoned department must report (报到) — acknowledge, arrive at the meeting place, and stay
//! until its part is done ("事不完，人不走").
//!
//! ```text
//!  summoned ─acknowledge─▶ acknowledged ─arrive (within the radius)─▶ on site ─finish─▶ done
//!     │  (late when after the check-in deadline)        ▲                         │
//!     └─ reminder at 80% of the window, overdue at the deadline (the street is alerted)
//!                                                       └──── reopen (by the street) ┘
//! ```
//!
//! A whistle lives inside its [`super::Case`]: its facts are case events (so they appear on the
//! case timeline in order and on the transparency log), and the closure gate is a rule of
//! [`super::decide`]: a case with a summoned department's part still open cannot be verified,
//! closed, cancelled or merged. The two-way evaluation (吹哨报到双考核) is recorded per part:
//! the street's scores for the department, and the department's score for the street's
//! coordination.

use serde::{Deserialize, Serialize};

use crate::codes::AreaCode;

/// A map point in integer micro-degrees (WGS84), so that events stay free of floating point
/// (the transparency log's canonical form has none). 1 µ° is about 0.1 m.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GeoPoint {
    pub lon_e6: i64,
    pub lat_e6: i64,
}

impl GeoPoint {
    /// The point at `lon`, `lat` in degrees; `None` when either is not a finite coordinate in
    /// range.
    pub fn from_degrees(lon: f64, lat: f64) -> Option<GeoPoint> {
        let ok = lon.is_finite()
            && lat.is_finite()
            && (-180.0..=180.0).contains(&lon)
            && (-90.0..=90.0).contains(&lat);
        ok.then(|| GeoPoint {
            lon_e6: (lon * 1e6).round() as i64,
            lat_e6: (lat * 1e6).round() as i64,
        })
    }

    pub fn lon(self) -> f64 {
        self.lon_e6 as f64 / 1e6
    }

    pub fn lat(self) -> f64 {
        self.lat_e6 as f64 / 1e6
    }

    /// Great-circle distance in whole metres (see [`super::distance_m`]).
    pub fn distance_m(self, other: GeoPoint) -> i64 {
        super::distance_m(self.lon(), self.lat(), other.lon(), other.lat()).round() as i64
    }
}

/// A department named in a summons: its code, and its name as the street sees it (the server
/// fills the name from the department list; the domain shows the code when it is blank).
/// Deserialises from a bare code string as well as from `{"code", "name"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "SummonsRepr")]
pub struct Summons {
    pub code: String,
    #[serde(default)]
    pub name: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum SummonsRepr {
    Code(String),
    Full {
        code: String,
        #[serde(default)]
        name: String,
    },
}

impl From<SummonsRepr> for Summons {
    fn from(r: SummonsRepr) -> Summons {
        match r {
            SummonsRepr::Code(code) => Summons {
                code,
                name: String::new(),
            },
            SummonsRepr::Full { code, name } => Summons { code, name },
        }
    }
}

impl Summons {
    pub fn code(code: &str) -> Summons {
        Summons {
            code: code.to_string(),
            name: String::new(),
        }
    }
}

/// The street's four scores for a summoned department (街乡考核部门), each 1..=scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WhistleScores {
    /// 响应: how fast and how seriously it answered the summons.
    pub response: u8,
    /// 到场: whether the right people came, on time.
    pub arrival: u8,
    /// 配合: cooperation with the street and the other departments.
    pub cooperation: u8,
    /// 成效: the result of its part.
    pub result: u8,
}

impl WhistleScores {
    pub fn values(self) -> [u8; 4] {
        [self.response, self.arrival, self.cooperation, self.result]
    }

    /// Chinese and English names of the four scores, in [`WhistleScores::values`] order.
    pub const NAMES: [(&'static str, &'static str); 4] = [
        ("响应", "Response"),
        ("到场", "Arrival"),
        ("配合", "Cooperation"),
        ("成效", "Result"),
    ];
}

/// A department's acknowledgement of the summons (接哨).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acknowledgement {
    pub at: i64,
    /// The person answering for the department (负责人).
    pub officer: String,
    /// The account that acknowledged.
    pub account: Option<i64>,
    /// By the check-in deadline.
    pub on_time: bool,
}

/// A department's arrival at the meeting place (到场报到).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arrival {
    pub at: i64,
    pub location: GeoPoint,
    /// From the meeting place, in metres.
    pub distance_m: i64,
    pub on_time: bool,
}

/// A department's part reported done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartDone {
    pub at: i64,
    pub note: String,
    /// Photo ids (the case's photos) showing the result.
    pub photos: Vec<i64>,
}

/// Where one summoned department's part stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartState {
    /// Summoned, not yet acknowledged (待接哨).
    Summoned,
    /// Acknowledged, not yet on site (已接哨).
    Acknowledged,
    /// On site and working (已到场).
    OnSite,
    /// Its part is done (已办结).
    Done,
}

impl PartState {
    pub const ALL: [PartState; 4] = [
        PartState::Summoned,
        PartState::Acknowledged,
        PartState::OnSite,
        PartState::Done,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PartState::Summoned => "summoned",
            PartState::Acknowledged => "acknowledged",
            PartState::OnSite => "on_site",
            PartState::Done => "done",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            PartState::Summoned => "待接哨",
            PartState::Acknowledged => "已接哨",
            PartState::OnSite => "已到场",
            PartState::Done => "已办结",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            PartState::Summoned => "Summoned",
            PartState::Acknowledged => "Acknowledged",
            PartState::OnSite => "On site",
            PartState::Done => "Done",
        }
    }

    pub fn parse(s: &str) -> Option<PartState> {
        let s = s.trim();
        PartState::ALL
            .into_iter()
            .find(|p| s.eq_ignore_ascii_case(p.as_str()) || s == p.zh())
    }
}

/// One summoned department's part (报到) in a whistle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckIn {
    pub department: String,
    /// The department's name at the time of the summons (its code when unknown).
    pub name: String,
    pub summoned_at: i64,
    /// Acknowledge and arrive by then; later is recorded as late.
    pub deadline: i64,
    /// When the department is reminded if it has not arrived.
    pub remind_at: i64,
    pub acknowledged: Option<Acknowledgement>,
    pub arrived: Option<Arrival>,
    pub done: Option<PartDone>,
    /// Sent back by the street after reporting done (事不完，人不走), how many times.
    pub reopened: u32,
    /// The reminder before the deadline has gone out.
    pub reminded: bool,
    /// The deadline passed before the department arrived (the street has been alerted).
    pub overdue: bool,
    /// The street's scores for this department.
    pub rating: Option<WhistleScores>,
    /// The department's score for the street's coordination.
    pub coordination: Option<u8>,
}

impl CheckIn {
    pub fn state(&self) -> PartState {
        match (&self.acknowledged, &self.arrived, &self.done) {
            (_, _, Some(_)) => PartState::Done,
            (_, Some(_), None) => PartState::OnSite,
            (Some(_), None, None) => PartState::Acknowledged,
            (None, None, None) => PartState::Summoned,
        }
    }

    pub fn is_open(&self) -> bool {
        self.done.is_none()
    }

    /// Acknowledged or arrived after the deadline, or not arrived when it passed.
    pub fn is_late(&self) -> bool {
        self.overdue
            || self.acknowledged.as_ref().is_some_and(|a| !a.on_time)
            || self.arrived.as_ref().is_some_and(|a| !a.on_time)
    }

    /// Still has to check in (arrive) at the meeting place.
    pub fn awaiting_check_in(&self) -> bool {
        self.arrived.is_none() && self.done.is_none()
    }

    /// "城管局（CG）", or the bare code when the name is unknown.
    pub fn label(&self) -> String {
        label(&self.department, &self.name)
    }
}

/// "城管局（CG）", or the bare code when the name is blank or the code itself.
pub fn label(code: &str, name: &str) -> String {
    if name.trim().is_empty() || name == code {
        code.to_string()
    } else {
        format!("{name}（{code}）")
    }
}

/// A street's summons on a case (吹哨).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Whistle {
    /// 1 for the case's first whistle, 2 for the next …
    pub no: u32,
    pub reason: String,
    /// Where the departments meet (a map point), and its description.
    pub meeting_place: GeoPoint,
    pub address: String,
    /// Urgent whistles have the short check-in window (30 minutes by default).
    pub urgent: bool,
    /// The street the whistle belongs to (whose board shows it, who is alerted).
    pub street: Option<AreaCode>,
    pub blown_at: i64,
    /// The account that blew it.
    pub blown_by: Option<i64>,
    pub parts: Vec<CheckIn>,
}

impl Whistle {
    /// Some summoned department's part is still open.
    pub fn is_open(&self) -> bool {
        self.parts.iter().any(CheckIn::is_open)
    }

    pub fn part(&self, department: &str) -> Option<&CheckIn> {
        self.parts.iter().find(|p| p.department == department)
    }

    pub fn part_mut(&mut self, department: &str) -> Option<&mut CheckIn> {
        self.parts.iter_mut().find(|p| p.department == department)
    }

    pub fn open_parts(&self) -> impl Iterator<Item = &CheckIn> {
        self.parts.iter().filter(|p| p.is_open())
    }
}

/// The settings of 吹哨报到, with the shipped defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhistleConfig {
    /// The check-in window of an urgent whistle, in ms (30 minutes).
    pub urgent_ms: i64,
    /// The check-in window of a normal whistle, in ms (24 hours).
    pub normal_ms: i64,
    /// Share of the check-in window, in percent, after which a department that has not arrived
    /// is reminded (80).
    pub remind_percent: u8,
    /// How far from the meeting place an arrival may be, in metres (500).
    pub radius_m: i64,
    /// The top of the rating scale (5: scores 1–5).
    pub rating_scale: u8,
    /// Communities whose staff may blow the whistle, as granted by their street: a community
    /// code grants that community, a street code all communities of the street. Street and
    /// district staff never need a grant.
    pub community_grants: Vec<AreaCode>,
}

impl Default for WhistleConfig {
    fn default() -> Self {
        WhistleConfig {
            urgent_ms: 30 * 60_000,
            normal_ms: 24 * crate::calendar::HOUR_MS,
            remind_percent: 80,
            radius_m: 500,
            rating_scale: 5,
            community_grants: Vec::new(),
        }
    }
}

impl WhistleConfig {
    /// The check-in window of a whistle.
    pub fn window_ms(&self, urgent: bool) -> i64 {
        if urgent {
            self.urgent_ms
        } else {
            self.normal_ms
        }
    }

    /// Has the street granted this community the whistle?
    pub fn community_may_blow(&self, community: &AreaCode) -> bool {
        self.community_grants.iter().any(|g| g.contains(community))
    }

    /// When a department summoned at `summoned_at` to check in by `deadline` gets its reminder:
    /// the percentage of the window, rounded up so that at the returned instant the share is
    /// reached. Fixed at the summons, like the deadline.
    pub fn remind_at(&self, summoned_at: i64, deadline: i64) -> i64 {
        let window = (deadline - summoned_at).max(0);
        let share = ((i128::from(window) * i128::from(self.remind_percent) + 99) / 100) as i64;
        summoned_at + share
    }
}

impl CheckIn {
    /// The next instant the check-in clock must look at this part: its reminder, then the first
    /// instant past its deadline; `None` once it has arrived or been marked overdue. The store
    /// keeps it in a column so the job's query is an index range scan.
    pub fn clock_at(&self) -> Option<i64> {
        if !self.awaiting_check_in() || self.overdue {
            None
        } else if !self.reminded {
            Some(self.remind_at.min(self.deadline + 1))
        } else {
            Some(self.deadline + 1)
        }
    }

    /// The check-in clock command due at `now`, if any: overdue first (it implies the
    /// reminder), then the reminder.
    pub fn due(&self, now: i64) -> Option<super::Command> {
        if !self.awaiting_check_in() || self.overdue {
            return None;
        }
        let department = self.department.clone();
        if now > self.deadline {
            Some(super::Command::MarkCheckInOverdue { department })
        } else if !self.reminded && now >= self.remind_at {
            Some(super::Command::RemindCheckIn { department })
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_are_integers_and_distances_whole_metres() {
        let a = GeoPoint::from_degrees(120.6004, 31.3004).unwrap();
        assert_eq!(
            a,
            GeoPoint {
                lon_e6: 120_600_400,
                lat_e6: 31_300_400
            }
        );
        let b = GeoPoint::from_degrees(120.6004, 31.3008).unwrap();
        assert_eq!(a.distance_m(b), 44);
        assert!(GeoPoint::from_degrees(181.0, 0.0).is_none());
        assert!(GeoPoint::from_degrees(f64::NAN, 0.0).is_none());
        assert_eq!((a.lon(), a.lat()), (120.6004, 31.3004));
    }

    #[test]
    fn summons_read_from_a_bare_code() {
        use serde::de::IntoDeserializer;
        use serde::de::value::Error;
        let s: Result<Summons, Error> = Summons::deserialize("CG".into_deserializer());
        assert_eq!(s, Ok(Summons::code("CG")));
        assert_eq!(label("CG", ""), "CG");
        assert_eq!(label("ZJ", "住建局"), "住建局（ZJ）");
    }

    #[test]
    fn grants_cover_a_community_or_a_whole_street() {
        let c = AreaCode::parse("320508019044").unwrap();
        let mut cfg = WhistleConfig::default();
        assert!(!cfg.community_may_blow(&c));
        cfg.community_grants = vec![AreaCode::parse("320508019000").unwrap()];
        assert!(cfg.community_may_blow(&c));
        cfg.community_grants = vec![AreaCode::parse("320508019045").unwrap()];
        assert!(!cfg.community_may_blow(&c));
    }

    #[test]
    fn the_check_in_clock_reminds_then_marks_overdue() {
        let cfg = WhistleConfig::default();
        let mut p = CheckIn {
            department: "CG".into(),
            name: String::new(),
            summoned_at: 0,
            deadline: cfg.urgent_ms,
            remind_at: cfg.remind_at(0, cfg.urgent_ms),
            acknowledged: None,
            arrived: None,
            done: None,
            reopened: 0,
            reminded: false,
            overdue: false,
            rating: None,
            coordination: None,
        };
        // 80% of 30 minutes: 24 minutes.
        assert_eq!(p.remind_at, 24 * 60_000);
        assert_eq!(p.clock_at(), Some(24 * 60_000));
        assert_eq!(p.due(24 * 60_000 - 1), None);
        assert!(matches!(
            p.due(24 * 60_000),
            Some(super::super::Command::RemindCheckIn { .. })
        ));
        p.reminded = true;
        assert_eq!(p.clock_at(), Some(cfg.urgent_ms + 1));
        assert_eq!(p.due(cfg.urgent_ms), None);
        assert!(matches!(
            p.due(cfg.urgent_ms + 1),
            Some(super::super::Command::MarkCheckInOverdue { .. })
        ));
        p.overdue = true;
        assert_eq!(p.clock_at(), None);
        assert!(p.is_late());
    }
}
