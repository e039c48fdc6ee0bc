//! Login lockout: after `max_failures` wrong passwords in a row an account is locked for
//! `lock_millis`. A success resets the count.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoginPolicy {
    pub max_failures: u32,
    pub lock_millis: i64,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        LoginPolicy {
            max_failures: 5,
            lock_millis: 15 * 60 * 1000,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AfterFailure {
    /// Consecutive failures to store (0 again once a lock starts).
    pub failures: u32,
    pub locked_until: Option<i64>,
}

impl LoginPolicy {
    pub fn is_locked(&self, locked_until: i64, now: i64) -> bool {
        locked_until > now
    }

    pub fn after_failure(&self, failures_before: u32, now: i64) -> AfterFailure {
        let failures = failures_before.saturating_add(1);
        if failures >= self.max_failures {
            AfterFailure {
                failures: 0,
                locked_until: Some(now + self.lock_millis),
            }
        } else {
            AfterFailure {
                failures,
                locked_until: None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifth_failure_locks_for_fifteen_minutes() {
        let p = LoginPolicy::default();
        let mut failures = 0;
        for _ in 0..4 {
            let a = p.after_failure(failures, 1_000);
            assert_eq!(a.locked_until, None);
            failures = a.failures;
        }
        let a = p.after_failure(failures, 1_000);
        assert_eq!(a.locked_until, Some(1_000 + 15 * 60 * 1000));
        assert!(p.is_locked(a.locked_until.unwrap(), 1_000 + 14 * 60 * 1000));
        assert!(!p.is_locked(a.locked_until.unwrap(), 1_000 + 15 * 60 * 1000));
    }
}
