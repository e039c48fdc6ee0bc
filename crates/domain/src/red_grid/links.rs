//! 联户: how many households one red grid member serves. The text says 5–10 (就亲、就近、就便);
//! a city sets its own bounds. Past the maximum a link is refused; below the minimum it is kept
//! with a warning, because a member starts with one household and grows to five.

use serde::Serialize;

use super::RedGridError;

/// No city asks one member to serve more households than this.
pub const MAX_LIMIT: u32 = 50;

/// The bounds of one red grid member's households.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LinkSettings {
    pub min: u32,
    pub max: u32,
}

impl Default for LinkSettings {
    /// 5–10, as the text gives it.
    fn default() -> Self {
        LinkSettings { min: 5, max: 10 }
    }
}

/// Where a member's count of households stands against the bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Load {
    Below,
    InRange,
    /// Only after the maximum was lowered: new links are refused long before.
    Above,
}

impl Load {
    pub fn is_out_of_range(self) -> bool {
        self != Load::InRange
    }
}

/// Kept but worth saying: the member serves fewer households than the minimum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkWarning {
    pub holder: String,
    pub households: u32,
    pub min: u32,
    pub max: u32,
}

impl LinkWarning {
    pub fn zh(&self) -> String {
        format!(
            "红色网格员{}目前联系 {} 户，少于最少 {} 户（应为 {}–{} 户）",
            self.holder, self.households, self.min, self.min, self.max
        )
    }

    pub fn en(&self) -> String {
        format!(
            "red grid member {} serves {} households, fewer than the minimum of {} ({}–{} expected)",
            self.holder, self.households, self.min, self.min, self.max
        )
    }
}

impl LinkSettings {
    /// Bounds a city may set: 1 ≤ min ≤ max ≤ [`MAX_LIMIT`].
    pub fn checked(min: u32, max: u32) -> Result<LinkSettings, RedGridError> {
        if min == 0 || min > max || max > MAX_LIMIT {
            return Err(RedGridError::Settings { min, max });
        }
        Ok(LinkSettings { min, max })
    }

    /// The stored settings (`min_households`, `max_households` → value); a key absent or
    /// unreadable keeps the default, and a pair out of order falls back to the defaults whole.
    pub fn from_pairs(pairs: &[(String, String)]) -> LinkSettings {
        let get = |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == key)
                .and_then(|(_, v)| v.trim().parse::<u32>().ok())
        };
        let d = LinkSettings::default();
        LinkSettings::checked(get(MIN_KEY).unwrap_or(d.min), get(MAX_KEY).unwrap_or(d.max))
            .unwrap_or(d)
    }

    pub fn load(&self, households: u32) -> Load {
        if households < self.min {
            Load::Below
        } else if households > self.max {
            Load::Above
        } else {
            Load::InRange
        }
    }

    /// One more household for a member who serves `now`: refused at the maximum, kept with a
    /// warning while the member stays below the minimum.
    pub fn admit(&self, holder: &str, now: u32) -> Result<Option<LinkWarning>, RedGridError> {
        if now >= self.max {
            return Err(RedGridError::TooManyHouseholds {
                holder: holder.to_string(),
                max: self.max,
            });
        }
        Ok(self.warning(holder, now + 1))
    }

    /// The warning for a member serving `households`, when below the minimum.
    pub fn warning(&self, holder: &str, households: u32) -> Option<LinkWarning> {
        (self.load(households) == Load::Below).then(|| LinkWarning {
            holder: holder.to_string(),
            households,
            min: self.min,
            max: self.max,
        })
    }
}

/// The stored keys of the two bounds.
pub const MIN_KEY: &str = "min_households";
pub const MAX_KEY: &str = "max_households";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Bilingual;

    #[test]
    fn the_eleventh_household_is_refused_with_the_maximum_named() {
        let s = LinkSettings::default();
        for n in 0..9 {
            assert!(s.admit("张三", n).is_ok(), "{n}");
        }
        assert_eq!(s.admit("张三", 9).unwrap(), None, "the tenth is in range");
        let e = s.admit("张三", 10).unwrap_err();
        assert_eq!(e.code(), "too_many_households");
        assert!(
            e.message_zh().contains("最多联系 10 户"),
            "{}",
            e.message_zh()
        );
        assert!(e.message_en().contains("at most 10"), "{}", e.message_en());
        assert_eq!(e.field().as_deref(), Some("household"));
    }

    #[test]
    fn below_the_minimum_is_kept_with_a_warning() {
        let s = LinkSettings::default();
        let w = s.admit("李四", 2).unwrap().expect("3 < 5 warns");
        assert_eq!((w.households, w.min, w.max), (3, 5, 10));
        assert!(w.zh().contains("少于最少 5 户"), "{}", w.zh());
        assert_eq!(
            s.admit("李四", 4).unwrap(),
            None,
            "the fifth reaches the minimum"
        );
        assert_eq!(s.load(4), Load::Below);
        assert_eq!(s.load(5), Load::InRange);
        assert_eq!(s.load(10), Load::InRange);
        assert_eq!(s.load(11), Load::Above);
    }

    #[test]
    fn a_city_sets_its_own_bounds_within_reason() {
        let s = LinkSettings::checked(3, 8).unwrap();
        assert!(s.admit("王五", 8).is_err());
        assert_eq!(
            LinkSettings::checked(0, 8),
            Err(RedGridError::Settings { min: 0, max: 8 })
        );
        assert!(LinkSettings::checked(9, 8).is_err());
        assert!(LinkSettings::checked(5, 51).is_err());
        let stored = vec![
            (MIN_KEY.to_string(), "3".to_string()),
            (MAX_KEY.to_string(), " 12 ".to_string()),
        ];
        assert_eq!(
            LinkSettings::from_pairs(&stored),
            LinkSettings { min: 3, max: 12 }
        );
        let broken = vec![(MIN_KEY.to_string(), "20".to_string())];
        assert_eq!(LinkSettings::from_pairs(&broken), LinkSettings::default());
        assert_eq!(LinkSettings::from_pairs(&[]), LinkSettings::default());
    }
}
