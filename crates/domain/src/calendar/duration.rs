//! How long something may take: natural hours, or working time on the calendar.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Whether a span is measured on the wall clock or in working time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeBasis {
    /// Every hour counts: emergencies and utility failures do not wait for Monday.
    Natural,
    /// Only time inside workdays counts (see the module docs).
    Working,
}

/// A time limit. Serialised as `{"working_days": 7}` and so on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Duration {
    /// Wall-clock hours, weekends and holidays included.
    NaturalHours(u32),
    /// Hours of working time (24 per workday).
    WorkingHours(u32),
    /// Workdays; exactly `WorkingHours(24 × n)`, see [`super::WorkCalendar::add`].
    WorkingDays(u32),
}

impl Duration {
    pub fn basis(self) -> TimeBasis {
        match self {
            Duration::NaturalHours(_) => TimeBasis::Natural,
            Duration::WorkingHours(_) | Duration::WorkingDays(_) => TimeBasis::Working,
        }
    }

    /// Length in milliseconds of its own basis (working milliseconds for working time).
    pub fn millis(self) -> i64 {
        match self {
            Duration::NaturalHours(h) | Duration::WorkingHours(h) => i64::from(h) * super::HOUR_MS,
            Duration::WorkingDays(d) => i64::from(d) * super::DAY_MS,
        }
    }

    pub fn is_zero(self) -> bool {
        self.millis() == 0
    }

    /// "2小时", "24个工作小时", "7个工作日".
    pub fn zh(self) -> String {
        match self {
            Duration::NaturalHours(h) => format!("{h}小时"),
            Duration::WorkingHours(h) => format!("{h}个工作小时"),
            Duration::WorkingDays(d) => format!("{d}个工作日"),
        }
    }

    /// "2 hours", "24 working hours", "7 working days".
    pub fn en(self) -> String {
        let plural = |n: u32| if n == 1 { "" } else { "s" };
        match self {
            Duration::NaturalHours(h) => format!("{h} hour{}", plural(h)),
            Duration::WorkingHours(h) => format!("{h} working hour{}", plural(h)),
            Duration::WorkingDays(d) => format!("{d} working day{}", plural(d)),
        }
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_lengths() {
        assert_eq!(Duration::NaturalHours(2).zh(), "2小时");
        assert_eq!(Duration::WorkingDays(7).zh(), "7个工作日");
        assert_eq!(Duration::WorkingHours(1).en(), "1 working hour");
        assert_eq!(Duration::WorkingDays(15).en(), "15 working days");
        assert_eq!(Duration::WorkingDays(1).millis(), 86_400_000);
        assert_eq!(Duration::NaturalHours(2).basis(), TimeBasis::Natural);
        assert_eq!(Duration::WorkingHours(2).basis(), TimeBasis::Working);
        assert!(Duration::WorkingDays(0).is_zero());
    }

    #[test]
    fn serde_shape() {
        use serde::de::IntoDeserializer;
        use serde::de::value::{Error, MapAccessDeserializer, MapDeserializer};
        let map = MapDeserializer::<_, Error>::new(
            [("working_days", 7u32)]
                .into_iter()
                .map(|(k, v)| (k.into_deserializer(), v.into_deserializer())),
        );
        let d = Duration::deserialize(MapAccessDeserializer::new(map));
        assert_eq!(d, Ok(Duration::WorkingDays(7)));
    }
}
