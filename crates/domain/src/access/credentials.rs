//! How long machine credentials live: bearer tokens (`gz_…`) act as an account, Open311 keys
//! (`o311_…`) let a client system file reports. Both expire; both can be revoked earlier.

use crate::Bilingual;

const DAY_MS: i64 = 86_400_000;

/// A credential's lifetime in whole days, from 1 to [`Lifetime::MAX_DAYS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lifetime {
    days: u32,
}

impl Lifetime {
    /// Bearer tokens: a quarter, so a forgotten token stops working by itself.
    pub const API_TOKEN_DEFAULT: Lifetime = Lifetime { days: 90 };
    /// Open311 keys belong to another agency's system (the 12345 hotline), which rotates
    /// them on its own schedule: a year.
    pub const API_KEY_DEFAULT: Lifetime = Lifetime { days: 365 };
    pub const MAX_DAYS: u32 = 3 * 365;

    pub fn days(days: u32) -> Result<Lifetime, BadLifetime> {
        if (1..=Self::MAX_DAYS).contains(&days) {
            Ok(Lifetime { days })
        } else {
            Err(BadLifetime { days })
        }
    }

    pub fn get_days(&self) -> u32 {
        self.days
    }

    /// The expiry of a credential issued at `now` (milliseconds since the epoch).
    pub fn expires_at(&self, now: i64) -> i64 {
        now + i64::from(self.days) * DAY_MS
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadLifetime {
    pub days: u32,
}

impl Bilingual for BadLifetime {
    fn code(&self) -> &'static str {
        "invalid_lifetime"
    }
    fn message_zh(&self) -> String {
        format!("有效期应为1至{}天，收到{}天", Lifetime::MAX_DAYS, self.days)
    }
    fn message_en(&self) -> String {
        format!(
            "a lifetime is 1 to {} days, got {}",
            Lifetime::MAX_DAYS,
            self.days
        )
    }
    fn field(&self) -> Option<String> {
        Some("days".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_are_bounded_days() {
        assert_eq!(Lifetime::API_TOKEN_DEFAULT.expires_at(0), 90 * DAY_MS);
        assert_eq!(Lifetime::days(30).unwrap().expires_at(5), 5 + 30 * DAY_MS);
        assert!(Lifetime::days(0).is_err());
        assert!(Lifetime::days(Lifetime::MAX_DAYS + 1).is_err());
        assert!(Lifetime::days(Lifetime::MAX_DAYS).is_ok());
    }
}
