//! Escalation in minutes: the level responsible for an emergency has its configured minutes to
//! acknowledge; when they pass unacknowledged, the next level up the chain becomes responsible
//! and is alerted again. The city is the last level.

use super::{EmergencyError, Place, Tier};

/// One minute in milliseconds: the unit of the settings. The job passes its own `now`, so
/// tests drive the clock instead of waiting.
pub const MINUTE_MS: i64 = 60_000;

/// Minutes each level of the chain (grid, community, street, district) has before the next
/// one takes over; the city has no next.
pub const DEFAULT_MINUTES: [u32; 4] = [5, 10, 15, 30];

/// The city's escalation settings (应急升级时限).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Minutes(pub [u32; 4]);

impl Default for Minutes {
    fn default() -> Self {
        Minutes(DEFAULT_MINUTES)
    }
}

/// The field names of the four settings, lowest level first.
pub const MINUTE_FIELDS: [&str; 4] = [
    "grid_minutes",
    "community_minutes",
    "street_minutes",
    "district_minutes",
];

impl Minutes {
    /// 1 to 240 minutes each: an emergency that waits four hours at one level is no longer
    /// handled in minutes.
    pub fn new(m: [u32; 4]) -> Result<Minutes, EmergencyError> {
        for (i, v) in m.iter().enumerate() {
            if !(1..=240).contains(v) {
                return Err(EmergencyError::Setting(MINUTE_FIELDS[i], 1, 240));
            }
        }
        Ok(Minutes(m))
    }

    /// Minutes `tier` has before escalation; `None` for the city and the department.
    pub fn of(&self, tier: Tier) -> Option<u32> {
        match tier {
            Tier::City | Tier::Department => None,
            t => t.chain_index().map(|i| self.0[i]),
        }
    }

    /// `"5,10,15,30"`, as stored.
    pub fn to_text(self) -> String {
        self.0.map(|m| m.to_string()).join(",")
    }

    pub fn from_text(s: &str) -> Option<Minutes> {
        let v: Vec<u32> = s.split(',').filter_map(|p| p.trim().parse().ok()).collect();
        let arr: [u32; 4] = v.try_into().ok()?;
        Minutes::new(arr).ok()
    }
}

/// The first responsible level: the lowest of the chain the place has.
pub fn first_stage(place: &Place) -> Tier {
    Tier::CHAIN
        .into_iter()
        .find(|t| place.recipient(*t).is_some())
        .unwrap_or(Tier::City)
}

/// Why escalation stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The responsible level acknowledged.
    Acknowledged,
    /// The city is responsible: there is no higher level.
    Top,
}

/// When the emergency escalates next and to whom, from the responsible level `stage`
/// (responsible since `since`), or why it does not. Levels the place lacks are skipped; a
/// level that already acknowledged is not alerted again, the one after it is.
pub fn next_stage(
    place: &Place,
    stage: Tier,
    since: i64,
    acknowledged: &[Tier],
    minutes: Minutes,
) -> Result<(i64, Tier), Stop> {
    if acknowledged.contains(&stage) {
        return Err(Stop::Acknowledged);
    }
    let Some(wait) = minutes.of(stage) else {
        return Err(Stop::Top);
    };
    let from = stage.chain_index().unwrap_or(Tier::CHAIN.len());
    let next = Tier::CHAIN[from + 1..]
        .iter()
        .copied()
        .find(|t| place.recipient(*t).is_some());
    match next {
        Some(t) => Ok((since + i64::from(wait) * MINUTE_MS, t)),
        None => Err(Stop::Top),
    }
}
