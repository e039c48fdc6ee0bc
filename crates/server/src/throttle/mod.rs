//! Per-address limits on what anyone may try without an account (decision 012): failed
//! logins, lookup codes that open nothing, reports from the public form. The limits are the
//! domain's (`gongzhi_domain::access::RateLimit`); this module keeps one bucket per address
//! in memory and finds the caller's address.
//!
//! Authenticated traffic (bearer tokens, sessions, Open311 keys) never passes through these
//! limits: they sit only on the anonymous routes.

mod client;
mod limiter;

pub use client::{ClientIp, TrustedProxies};
pub use limiter::Limiter;

use gongzhi_domain::access::RateLimit;

/// The server's limiters, one per kind of anonymous attempt.
pub struct Throttles {
    /// `/login`, `POST /api/v1/session`: taken before the password is checked, given back
    /// when it was right.
    pub login: Limiter,
    /// `/track…`, `/api/v1/public/cases/{code}…`: given back when the code opens a case.
    pub lookup: Limiter,
    /// `POST /report`, `POST /report/follow`.
    pub report: Limiter,
    /// `GET /api/v1/places/search`.
    pub search: Limiter,
    pub proxies: TrustedProxies,
}

impl Throttles {
    pub fn new(proxies: TrustedProxies) -> Self {
        Throttles {
            login: Limiter::new(RateLimit::LOGIN),
            lookup: Limiter::new(RateLimit::LOOKUP),
            report: Limiter::new(RateLimit::ANONYMOUS_REPORT),
            search: Limiter::new(RateLimit::PLACE_SEARCH),
            proxies,
        }
    }
}
