//! Account lockout: `max_failures` consecutive failed logins lock the account for
//! `lock_millis`. A success resets the count.
//!
//! The lock only slows guessing; the per-address limit ([`super::RateLimit::LOGIN`]) stops
//! it. While locked, a login is refused whatever the password and is not counted, so a
//! stranger cannot extend the lock. The lock is shorter than the time one address needs
//! to earn `max_failures` new attempts, so a single address cannot keep a name locked: the
//! account's owner, from another address, gets in between its locks (decision 012).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoginPolicy {
    pub max_failures: u32,
    pub lock_millis: i64,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        LoginPolicy {
            max_failures: 5,
            lock_millis: 60 * 1000,
        }
    }
}

impl LoginPolicy {
    pub fn is_locked(&self, locked_until: i64, now: i64) -> bool {
        locked_until > now
    }

    /// The end of the lock that the `failures`-th consecutive failure starts, if it starts one
    /// (the count then starts again from zero).
    pub fn lock_after(&self, failures: u32, now: i64) -> Option<i64> {
        (failures >= self.max_failures).then_some(now + self.lock_millis)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::RateLimit;

    #[test]
    fn fifth_failure_locks_for_a_minute() {
        let p = LoginPolicy::default();
        for failures in 1..5 {
            assert_eq!(p.lock_after(failures, 1_000), None);
        }
        let until = p.lock_after(5, 1_000).unwrap();
        assert_eq!(until, 1_000 + 60 * 1000);
        assert!(p.is_locked(until, 1_000 + 59 * 1000));
        assert!(!p.is_locked(until, 1_000 + 60 * 1000));
    }

    #[test]
    fn one_address_cannot_keep_an_account_locked() {
        // Attempts an address earns back while the account is locked must not suffice to lock
        // it again at once.
        let p = LoginPolicy::default();
        let earned = p.lock_millis / RateLimit::LOGIN.refill_ms;
        assert!(
            earned < i64::from(p.max_failures),
            "{earned} attempts per lock"
        );
    }
}
