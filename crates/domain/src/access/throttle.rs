//! Per-address limits on what anyone may try without an account: logging in, guessing lookup
//! codes, filing reports from the public form. Each address has a bucket of `burst`
//! attempts that refills by one every `refill_ms` (a token bucket, kept as the generic cell
//! rate algorithm's one timestamp). The server keeps the buckets; this module decides.

use crate::Bilingual;

/// A bucket's shape: `burst` attempts at once, then one more every `refill_ms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    pub burst: u32,
    pub refill_ms: i64,
}

impl RateLimit {
    /// Failed logins per address (a success gives its attempt back): 10 at once, then 2 a
    /// minute. Checked before any password is hashed.
    pub const LOGIN: RateLimit = RateLimit {
        burst: 10,
        refill_ms: 30_000,
    };
    /// Lookup codes that open no case, per address (a code that opens one gives its attempt
    /// back): 20 at once, then 6 a minute.
    pub const LOOKUP: RateLimit = RateLimit {
        burst: 20,
        refill_ms: 10_000,
    };
    /// Reports and follows from the public form, per address: 20 at once, then 2 a minute.
    pub const ANONYMOUS_REPORT: RateLimit = RateLimit {
        burst: 20,
        refill_ms: 30_000,
    };
    /// Address searches from the public report page, per address: typing asks on every pause,
    /// so 60 at once, then 2 a second.
    pub const PLACE_SEARCH: RateLimit = RateLimit {
        burst: 60,
        refill_ms: 500,
    };

    /// How far ahead of now a bucket's clock may run: the burst less the one being spent.
    fn tolerance(&self) -> i64 {
        i64::from(self.burst.saturating_sub(1)) * self.refill_ms
    }
}

/// One address's bucket: the time at which it will be full again (never earlier than now
/// means full).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Bucket {
    full_at: i64,
}

impl Bucket {
    /// Spends one attempt, or says how long until one is available.
    pub fn take(&mut self, limit: RateLimit, now: i64) -> Result<(), Throttled> {
        let start = self.full_at.max(now);
        let ahead = start - now;
        if ahead > limit.tolerance() || limit.burst == 0 {
            return Err(Throttled {
                retry_after_ms: (ahead - limit.tolerance()).max(1),
            });
        }
        self.full_at = start + limit.refill_ms;
        Ok(())
    }

    /// Returns an attempt that turned out honest (a login that succeeded, a code that opened
    /// its case).
    pub fn give_back(&mut self, limit: RateLimit, now: i64) {
        self.full_at = (self.full_at - limit.refill_ms).max(now);
    }

    /// A full bucket is the same as none: the server may forget it.
    pub fn is_full(&self, now: i64) -> bool {
        self.full_at <= now
    }
}

/// Too many attempts from one address; try again after `retry_after_ms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Throttled {
    pub retry_after_ms: i64,
}

impl Throttled {
    /// Whole seconds to wait (`Retry-After`), at least one.
    pub fn retry_after_secs(&self) -> u64 {
        u64::try_from((self.retry_after_ms + 999) / 1000)
            .unwrap_or(1)
            .max(1)
    }
}

impl Bilingual for Throttled {
    fn code(&self) -> &'static str {
        "too_many_requests"
    }
    fn message_zh(&self) -> String {
        format!("尝试次数过多，请{}秒后再试", self.retry_after_secs())
    }
    fn message_en(&self) -> String {
        format!(
            "too many attempts from your address; try again in {} seconds",
            self.retry_after_secs()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const L: RateLimit = RateLimit {
        burst: 3,
        refill_ms: 1_000,
    };

    #[test]
    fn a_burst_then_one_per_interval() {
        let mut b = Bucket::default();
        for _ in 0..3 {
            b.take(L, 10_000).unwrap();
        }
        let refused = b.take(L, 10_000).unwrap_err();
        assert_eq!(refused.retry_after_ms, 1_000);
        assert_eq!(refused.retry_after_secs(), 1);
        assert!(b.take(L, 10_999).is_err());
        b.take(L, 11_000).unwrap();
        assert!(b.take(L, 11_000).is_err());
        assert!(!b.is_full(12_000));
        assert!(!b.is_full(13_999));
        assert!(b.is_full(14_000));
        // A long pause refills no more than the burst.
        for _ in 0..3 {
            b.take(L, 100_000).unwrap();
        }
        assert!(b.take(L, 100_000).is_err());
    }

    #[test]
    fn an_honest_attempt_is_given_back() {
        let mut b = Bucket::default();
        for _ in 0..10 {
            b.take(L, 5_000).unwrap();
            b.give_back(L, 5_000);
        }
        assert!(b.is_full(5_000));
        // Giving back never banks attempts beyond the burst.
        b.give_back(L, 5_000);
        for _ in 0..3 {
            b.take(L, 5_000).unwrap();
        }
        assert!(b.take(L, 5_000).is_err());
    }

    #[test]
    fn a_thousand_guesses_get_the_burst_and_the_refill() {
        let mut b = Bucket::default();
        let limit = RateLimit::LOOKUP;
        // 1,000 guesses over ten seconds.
        let allowed = (0..1000).filter(|i| b.take(limit, i * 10).is_ok()).count();
        assert_eq!(allowed, 20);
    }

    #[test]
    fn messages_name_the_wait() {
        let t = Throttled {
            retry_after_ms: 29_001,
        };
        assert_eq!(t.retry_after_secs(), 30);
        assert!(t.message_zh().contains("30秒"));
        assert!(t.message_en().contains("30 seconds"));
    }
}
