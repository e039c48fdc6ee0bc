//! The caller's address: the connection's peer, or — only when the peer is a configured
//! reverse proxy — the address that proxy says it forwarded for (`X-Forwarded-For`).

use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// Reverse proxies whose `X-Forwarded-For` is believed. Empty by default: anyone can write
/// that header, so believing it from anyone would let every guess come from a new address.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpAddr>);

impl TrustedProxies {
    pub fn new(proxies: Vec<IpAddr>) -> Self {
        TrustedProxies(proxies)
    }

    /// A comma-separated list of IP addresses (`trusted_proxies`, `GONGZHI_TRUSTED_PROXIES`).
    pub fn parse(text: &str) -> Result<Self, String> {
        text.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<IpAddr>()
                    .map_err(|_| format!("not an IP address: {s}"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.contains(&ip)
    }

    /// The client of a request from `peer`: the peer itself, unless it is a trusted proxy;
    /// then the nearest address in `X-Forwarded-For` that is not one (read from the right,
    /// since a client may put anything on the left). An unreadable entry stops the walk at
    /// the proxy that added it.
    pub fn client(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> IpAddr {
        let Some(peer) = peer else {
            return IpAddr::V4(Ipv4Addr::UNSPECIFIED);
        };
        if !self.trusts(peer) {
            return peer;
        }
        let forwarded: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for entry in forwarded.iter().rev() {
            match entry.parse::<IpAddr>() {
                Ok(ip) => {
                    client = ip;
                    if !self.trusts(ip) {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
        client
    }
}

/// Extractor: the address a request's anonymous attempts are counted under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(ClientIp(
            state.throttle.proxies.client(peer, &parts.headers),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn xff(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", v.parse().unwrap());
        h
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_proxy() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client(Some(ip("203.0.113.7")), &xff("198.51.100.1")),
            ip("203.0.113.7")
        );
        let proxies = TrustedProxies::parse("10.0.0.1, 10.0.0.2").unwrap();
        assert_eq!(
            proxies.client(Some(ip("10.0.0.1")), &xff("198.51.100.1")),
            ip("198.51.100.1")
        );
        // A client's own entries on the left are not believed; proxies on the right are skipped.
        assert_eq!(
            proxies.client(
                Some(ip("10.0.0.1")),
                &xff("1.2.3.4, 198.51.100.1, 10.0.0.2")
            ),
            ip("198.51.100.1")
        );
        assert_eq!(
            proxies.client(Some(ip("10.0.0.1")), &xff("garbage")),
            ip("10.0.0.1")
        );
        assert_eq!(
            proxies.client(Some(ip("10.0.0.1")), &HeaderMap::new()),
            ip("10.0.0.1")
        );
        assert_eq!(
            proxies.client(None, &xff("1.2.3.4")),
            IpAddr::V4(Ipv4Addr::UNSPECIFIED)
        );
        assert!(TrustedProxies::parse("10.0.0.1, nope").is_err());
        assert!(TrustedProxies::parse("").unwrap().is_empty());
    }
}
