//! Rate limiting: a token bucket per client, kept by `governor` (keyed, lock-free GCRA).
//!
//! Each client may send `burst` requests at once, then `rate` (per second, minute or hour: a
//! [`Rate`]). A request that finds
//! its bucket empty is answered 429 (`rate-limited` problem) with `Retry-After`; every response
//! carries the IETF `RateLimit-Policy` and `RateLimit` headers
//! (draft-ietf-httpapi-ratelimit-headers: `"per-ip";q=<burst>;w=<seconds to refill>` and
//! `"per-ip";r=<remaining>;t=<seconds until full>`).
//!
//! The client is the TCP peer, unless the peer is one of the configured trusted proxies: then it
//! is found in `X-Forwarded-For` (see [`super::client_ip`]). IPv4-mapped IPv6 addresses
//! (`::ffff:192.0.2.1`) count as the IPv4 address, for peers, hops and trusted proxies alike.
//! An IPv6 client is counted by its /64 (one host usually holds a whole /64, so counting single
//! addresses would give it 2^64 buckets). The `Forwarded` header (RFC 7239) is ignored.
//!
//! CORS preflights are not counted: a browser sends one before some of its requests, and they
//! are answered without reaching the API.
//!
//! Off by default; when off, the middleware hands every request on and adds no header.

use std::net::{IpAddr, Ipv6Addr};
use std::num::NonZeroU32;
use std::sync::Arc;

use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::{Error, ResponseError};
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DashMapStateStore;
use governor::{Quota, RateLimiter as Governor};

use super::client_ip::client_ip;
use super::stage::{Before, Stage};
use crate::error::ApiError;

/// How fast a bucket refills: `count` tokens per `per_secs` seconds (`--rate-limit 20`,
/// `20/s`, `600/min`, `10000/h`). A count of 0 is rate limiting off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub count: u32,
    pub per_secs: u32,
}

impl Rate {
    pub const OFF: Rate = Rate { count: 0, per_secs: 1 };

    pub const fn per_second(count: u32) -> Rate {
        Rate { count, per_secs: 1 }
    }

    /// Seconds one token takes to come back.
    fn seconds_per_token(self) -> f64 {
        f64::from(self.per_secs) / f64::from(self.count.max(1))
    }
}

impl Default for Rate {
    fn default() -> Rate {
        Rate::OFF
    }
}

impl std::str::FromStr for Rate {
    type Err = String;

    fn from_str(s: &str) -> Result<Rate, String> {
        let (count, unit) = s.split_once('/').unwrap_or((s, "s"));
        let count = count.trim().parse().map_err(|_| format!("`{s}`: the count must be a whole number (e.g. 20/s)"))?;
        let per_secs = match unit.trim() {
            "s" | "sec" | "second" => 1,
            "m" | "min" | "minute" => 60,
            "h" | "hour" => 3600,
            other => return Err(format!("`{other}`: the unit must be s, min or h (e.g. 600/min)")),
        };
        Ok(Rate { count, per_secs })
    }
}

impl std::fmt::Display for Rate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.per_secs {
            _ if self.count == 0 => write!(f, "0"),
            1 => write!(f, "{}/s", self.count),
            60 => write!(f, "{}/min", self.count),
            _ => write!(f, "{}/h", self.count),
        }
    }
}

/// The limit every client gets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatePolicy {
    /// How fast a bucket refills.
    pub rate: Rate,
    /// The bucket's size: how many requests may come at once.
    pub burst: u32,
}

/// What a client's bucket said about one request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    pub allowed: bool,
    /// Whole requests left after this one.
    pub remaining: u32,
    /// Seconds until the bucket is full again.
    pub reset: u64,
    /// Seconds until the next request would be allowed (0 when allowed).
    pub retry_after: u64,
}

type Buckets<C> = Governor<IpAddr, DashMapStateStore<IpAddr>, C, StateInformationMiddleware>;

/// The middleware; its buckets are shared by every worker.
pub struct RateLimiter<C: Clock = DefaultClock> {
    policy: RatePolicy,
    /// The `RateLimit-Policy` value, the same on every response: built once.
    policy_header: HeaderValue,
    trusted_proxies: Arc<[IpAddr]>,
    /// `None` when rate limiting is off.
    buckets: Option<Arc<Buckets<C>>>,
    clock: C,
}

impl<C: Clock + Clone> Clone for RateLimiter<C> {
    fn clone(&self) -> Self {
        RateLimiter {
            policy: self.policy,
            policy_header: self.policy_header.clone(),
            trusted_proxies: Arc::clone(&self.trusted_proxies),
            buckets: self.buckets.clone(),
            clock: self.clock.clone(),
        }
    }
}

impl<C: Clock> std::fmt::Debug for RateLimiter<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimiter")
            .field("policy", &self.policy)
            .field("trusted_proxies", &self.trusted_proxies)
            .finish()
    }
}

impl RateLimiter {
    /// A `rate` of 0 is rate limiting off.
    pub fn new(rate: Rate, burst: u32, trusted_proxies: &[IpAddr]) -> RateLimiter {
        RateLimiter::with_clock(rate, burst, trusted_proxies, DefaultClock::default())
    }
}

impl<C: Clock + Clone> RateLimiter<C> {
    pub fn with_clock(rate: Rate, burst: u32, trusted_proxies: &[IpAddr], clock: C) -> RateLimiter<C> {
        let policy = RatePolicy { rate, burst: burst.max(1) };
        let period = std::time::Duration::from_secs_f64(rate.seconds_per_token());
        let buckets = (rate.count > 0).then(|| {
            let quota = Quota::with_period(period)
                .expect("a positive period")
                .allow_burst(NonZeroU32::new(policy.burst).expect("at least 1"));
            Arc::new(Governor::dashmap_with_clock(quota, clock.clone()).with_middleware::<StateInformationMiddleware>())
        });
        let trusted_proxies: Vec<IpAddr> = trusted_proxies.iter().map(IpAddr::to_canonical).collect();
        let window = (f64::from(policy.burst) * rate.seconds_per_token()).ceil() as u64;
        let policy_header = HeaderValue::from_str(&format!("\"per-ip\";q={};w={window}", policy.burst))
            .expect("digits are a valid header value");
        RateLimiter { policy, policy_header, trusted_proxies: trusted_proxies.into(), buckets, clock }
    }

    pub fn is_enabled(&self) -> bool {
        self.buckets.is_some()
    }

    /// Takes one token from `client`'s bucket, if it has one.
    pub fn check(&self, client: IpAddr) -> Decision {
        let Some(buckets) = &self.buckets else {
            return Decision { allowed: true, remaining: self.policy.burst, reset: 0, retry_after: 0 };
        };
        let per_token = self.policy.rate.seconds_per_token();
        let seconds = |tokens: u32| (f64::from(tokens) * per_token).ceil() as u64;
        match buckets.check_key(&bucket_key(client)) {
            Ok(state) => {
                let remaining = state.remaining_burst_capacity();
                Decision { allowed: true, remaining, reset: seconds(self.policy.burst - remaining), retry_after: 0 }
            }
            Err(not_until) => {
                let wait = not_until.wait_time_from(self.clock.now()).as_secs_f64();
                let retry_after = wait.ceil().max(1.0) as u64;
                let reset = (wait + f64::from(self.policy.burst - 1) * per_token).ceil() as u64;
                Decision { allowed: false, remaining: 0, reset, retry_after }
            }
        }
    }

    /// Forgets clients whose bucket is full again (they hold no information). Called
    /// periodically, off the request path.
    pub fn forget_idle(&self) {
        if let Some(buckets) = &self.buckets {
            buckets.retain_recent();
            buckets.shrink_to_fit();
        }
    }

    /// Clients with a bucket in memory.
    pub fn tracked_clients(&self) -> usize {
        self.buckets.as_ref().map_or(0, |b| b.len())
    }
}

/// The key of `client`'s bucket: the address itself for IPv4, its /64 for IPv6.
fn bucket_key(client: IpAddr) -> IpAddr {
    match client {
        IpAddr::V4(_) => client,
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from_bits(v6.to_bits() & !((1u128 << 64) - 1))),
    }
}

/// The middleware (`Staged::new(limiter)`). Off (the default), it hands every request on and
/// adds nothing.
impl Stage for RateLimiter {
    /// The headers to add to the answer: the policy and this request's decision (none when off,
    /// or when the client's address is unknown).
    type Carry = Option<(HeaderValue, Decision)>;

    fn before(&self, req: &mut ServiceRequest) -> Before<Self::Carry> {
        if !self.is_enabled() || super::cors::is_preflight(req) {
            return Before::Go(None);
        }
        let headers = req.headers();
        let forwarded_for = || headers.get_all(X_FORWARDED_FOR).map(|v| v.to_str().unwrap_or("?"));
        let peer = req.peer_addr().map(|a| a.ip());
        let Some(client) = client_ip(peer, forwarded_for, &self.trusted_proxies) else {
            return Before::Go(None);
        };
        let policy = self.policy_header.clone();
        let decision = self.check(client);
        if !decision.allowed {
            let mut res = ApiError::RateLimited { retry_after: decision.retry_after }.error_response();
            add_headers(res.headers_mut(), policy, decision);
            return Before::Answer(res);
        }
        Before::Go(Some((policy, decision)))
    }

    #[inline]
    fn after(
        &self,
        carry: Self::Carry,
        answer: Result<ServiceResponse<BoxBody>, Error>,
    ) -> Result<ServiceResponse<BoxBody>, Error> {
        let mut res = answer?;
        if let Some((policy, decision)) = carry {
            add_headers(res.headers_mut(), policy, decision);
        }
        Ok(res)
    }
}

const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
const RATELIMIT_POLICY: HeaderName = HeaderName::from_static("ratelimit-policy");
const RATELIMIT: HeaderName = HeaderName::from_static("ratelimit");

fn add_headers(headers: &mut HeaderMap, policy: HeaderValue, decision: Decision) {
    headers.insert(RATELIMIT_POLICY, policy);
    // `"per-ip";r=<remaining>;t=<reset>`, written with `itoa` into the value's own buffer: it goes
    // on every response while limiting is on, and `format!` cost more than the bucket itself.
    let mut value = Vec::with_capacity(40);
    value.extend_from_slice(b"\"per-ip\";r=");
    value.extend_from_slice(itoa::Buffer::new().format(decision.remaining).as_bytes());
    value.extend_from_slice(b";t=");
    value.extend_from_slice(itoa::Buffer::new().format(decision.reset).as_bytes());
    if let Ok(value) = HeaderValue::try_from(value) {
        headers.insert(RATELIMIT, value);
    }
    if !decision.allowed {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(decision.retry_after));
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use governor::clock::FakeRelativeClock;

    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn a_bucket_allows_its_burst_then_refills_at_the_rate() {
        let clock = FakeRelativeClock::default();
        let limiter = RateLimiter::with_clock(Rate::per_second(2), 3, &[], clock.clone());
        let client = ip("192.0.2.1");
        let decisions: Vec<Decision> = (0..4).map(|_| limiter.check(client)).collect();
        assert_eq!(decisions.iter().map(|d| d.allowed).collect::<Vec<_>>(), [true, true, true, false]);
        assert_eq!(decisions[0], Decision { allowed: true, remaining: 2, reset: 1, retry_after: 0 });
        assert_eq!(decisions[2], Decision { allowed: true, remaining: 0, reset: 2, retry_after: 0 });
        assert_eq!(decisions[3], Decision { allowed: false, remaining: 0, reset: 2, retry_after: 1 });
        // Half a second later, one token (rate 2/s) is back.
        clock.advance(Duration::from_millis(500));
        assert!(limiter.check(client).allowed);
        assert!(!limiter.check(client).allowed);
        // Another client has its own bucket.
        assert!(limiter.check(ip("192.0.2.2")).allowed);
        // Full buckets are forgotten; a bucket in use is kept.
        assert_eq!(limiter.tracked_clients(), 2);
        clock.advance(Duration::from_secs(1));
        limiter.check(client);
        limiter.forget_idle();
        assert_eq!(limiter.tracked_clients(), 1);
    }

    #[test]
    fn ipv6_clients_share_a_bucket_per_64() {
        let limiter = RateLimiter::with_clock(Rate::per_second(1), 1, &[], FakeRelativeClock::default());
        assert!(limiter.check(ip("2001:db8:1:2::1")).allowed);
        assert!(!limiter.check(ip("2001:db8:1:2:ffff::9")).allowed);
        assert!(limiter.check(ip("2001:db8:1:3::1")).allowed);
    }

    #[test]
    fn rates_are_per_second_minute_or_hour() {
        assert_eq!("20".parse(), Ok(Rate { count: 20, per_secs: 1 }));
        assert_eq!("20/s".parse(), Ok(Rate { count: 20, per_secs: 1 }));
        assert_eq!("600/min".parse(), Ok(Rate { count: 600, per_secs: 60 }));
        assert_eq!("1/h".parse(), Ok(Rate { count: 1, per_secs: 3600 }));
        assert_eq!("0".parse(), Ok(Rate::OFF));
        assert_eq!("5/day".parse::<Rate>(), Err("`day`: the unit must be s, min or h (e.g. 600/min)".to_owned()));
        assert_eq!("x/s".parse::<Rate>(), Err("`x/s`: the count must be a whole number (e.g. 20/s)".to_owned()));
        assert_eq!(Rate { count: 600, per_secs: 60 }.to_string(), "600/min");
    }

    #[test]
    fn an_hourly_rate_refills_one_token_an_hour() {
        let clock = FakeRelativeClock::default();
        let limiter = RateLimiter::with_clock("2/h".parse().unwrap(), 2, &[], clock.clone());
        assert_eq!(limiter.policy_header.to_str().unwrap(), "\"per-ip\";q=2;w=3600");
        let client = ip("192.0.2.1");
        assert_eq!(limiter.check(client), Decision { allowed: true, remaining: 1, reset: 1800, retry_after: 0 });
        assert_eq!(limiter.check(client), Decision { allowed: true, remaining: 0, reset: 3600, retry_after: 0 });
        assert_eq!(limiter.check(client), Decision { allowed: false, remaining: 0, reset: 3600, retry_after: 1800 });
        clock.advance(Duration::from_secs(1800));
        assert!(limiter.check(client).allowed);
    }

    #[test]
    fn zero_rate_is_off() {
        assert!(!RateLimiter::new(Rate::OFF, 10, &[]).is_enabled());
        assert!(RateLimiter::new(Rate::per_second(1), 10, &[]).is_enabled());
    }

    #[test]
    fn a_trusted_proxy_given_in_mapped_form_is_its_ipv4_address() {
        // A trusted proxy given in mapped form is trusted for its IPv4 peers, through the limiter.
        let limiter = RateLimiter::new(Rate::per_second(1), 1, &[ip("::ffff:127.0.0.1")]);
        assert_eq!(
            client_ip(Some(ip("127.0.0.1")), || ["198.51.100.1"].into_iter(), &limiter.trusted_proxies),
            Some(ip("198.51.100.1"))
        );
    }
}
