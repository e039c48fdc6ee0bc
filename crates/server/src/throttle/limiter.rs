//! One limit's buckets, one per address, in bounded memory.

use gongzhi_domain::access::{Bucket, RateLimit, Throttled};
use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Mutex;
use std::time::Instant;

/// Addresses remembered at most, per limiter. A full bucket is forgotten first (it is the
/// same as none); beyond that, arbitrary ones: only a flood from more addresses than this
/// within one refill period gets some of its attempts back.
const DEFAULT_CAPACITY: usize = 100_000;

pub struct Limiter {
    limit: RateLimit,
    capacity: usize,
    /// A monotonic clock: a wall-clock step must not refill or drain every bucket.
    epoch: Instant,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

/// The key an address is limited under. An IPv6 host usually holds a whole /64, so the /64
/// is one address here; an IPv4-mapped IPv6 address is its IPv4 address.
fn key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !((1u128 << 64) - 1))),
        },
    }
}

impl Limiter {
    pub fn new(limit: RateLimit) -> Self {
        Limiter::with_capacity(limit, DEFAULT_CAPACITY)
    }

    pub fn with_capacity(limit: RateLimit, capacity: usize) -> Self {
        Limiter {
            limit,
            capacity: capacity.max(1),
            epoch: Instant::now(),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    pub fn limit(&self) -> RateLimit {
        self.limit
    }

    fn now(&self) -> i64 {
        i64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(i64::MAX)
    }

    /// Spends one of `ip`'s attempts, or says how long it must wait. Taking (rather than
    /// checking, then counting a failure) means attempts that arrive together all count.
    pub fn take(&self, ip: IpAddr) -> Result<(), Throttled> {
        let now = self.now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let k = key(ip);
        if !buckets.contains_key(&k) && buckets.len() >= self.capacity {
            buckets.retain(|_, b| !b.is_full(now));
            if buckets.len() >= self.capacity {
                let drop: Vec<IpAddr> = buckets
                    .keys()
                    .take(self.capacity / 8 + 1)
                    .copied()
                    .collect();
                for d in drop {
                    buckets.remove(&d);
                }
            }
        }
        buckets.entry(k).or_default().take(self.limit, now)
    }

    /// Gives back an attempt that turned out honest.
    pub fn give_back(&self, ip: IpAddr) {
        let now = self.now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let k = key(ip);
        if let Some(b) = buckets.get_mut(&k) {
            b.give_back(self.limit, now);
            if b.is_full(now) {
                buckets.remove(&k);
            }
        }
    }

    /// Addresses currently remembered.
    pub fn len(&self) -> usize {
        self.buckets.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TIGHT: RateLimit = RateLimit {
        burst: 2,
        refill_ms: 3_600_000,
    };

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn addresses_have_their_own_buckets() {
        let l = Limiter::new(TIGHT);
        assert!(l.take(ip("10.0.0.1")).is_ok());
        assert!(l.take(ip("10.0.0.1")).is_ok());
        let refused = l.take(ip("10.0.0.1")).unwrap_err();
        assert!(refused.retry_after_secs() > 3_000);
        assert!(l.take(ip("10.0.0.2")).is_ok());
        l.give_back(ip("10.0.0.2"));
        assert_eq!(l.len(), 1, "a full bucket is forgotten");
    }

    #[test]
    fn an_ipv6_slash_64_is_one_address() {
        let l = Limiter::new(TIGHT);
        assert!(l.take(ip("2001:db8::1")).is_ok());
        assert!(l.take(ip("2001:db8::ffff:2")).is_ok());
        assert!(l.take(ip("2001:db8::3")).is_err());
        assert!(l.take(ip("2001:db8:0:1::1")).is_ok());
        assert!(l.take(ip("::ffff:10.0.0.9")).is_ok());
        assert!(l.take(ip("10.0.0.9")).is_ok());
        assert!(l.take(ip("10.0.0.9")).is_err());
    }

    #[test]
    fn memory_stays_bounded() {
        let l = Limiter::with_capacity(TIGHT, 64);
        for i in 0..10_000u32 {
            let _ = l.take(IpAddr::from(i.to_be_bytes()));
        }
        assert!(l.len() <= 64, "{}", l.len());
    }
}
