//! Rate limiting: a token bucket per client IP address.
//!
//! Each client may send `burst` requests at once, then `rate` per second. A request that finds
//! its bucket empty is answered 429 (`rate-limited` problem) with `Retry-After`; every response
//! carries the IETF `RateLimit-Policy` and `RateLimit` headers
//! (draft-ietf-httpapi-ratelimit-headers: `"per-ip";q=<burst>;w=<seconds to refill>` and
//! `"per-ip";r=<remaining>;t=<seconds until full>`).
//!
//! The client is the TCP peer, unless the peer is one of the configured trusted proxies: then it
//! is the right-most `X-Forwarded-For` address that is not itself a trusted proxy (a client
//! can prepend anything to that header, but not what the proxies append).
//!
//! Off by default; when off, the middleware is not wrapped at all (see [`crate::startup`]).

use std::collections::HashMap;
use std::future::{Ready, ready};
use std::net::IpAddr;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::{Error, ResponseError};
use futures_util::future::LocalBoxFuture;

use crate::error::ApiError;

/// Buckets kept before idle (full) ones are dropped.
const MAX_TRACKED_CLIENTS: usize = 100_000;

/// The limit every client gets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatePolicy {
    /// Tokens added per second.
    pub rate: u32,
    /// The bucket's size: how many requests may come at once.
    pub burst: u32,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
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

/// The middleware; its buckets are shared by every worker.
#[derive(Debug, Clone)]
pub struct RateLimiter {
    policy: RatePolicy,
    trusted_proxies: Arc<[IpAddr]>,
    buckets: Arc<Mutex<HashMap<IpAddr, Bucket>>>,
}

impl RateLimiter {
    /// A `rate` of 0 is rate limiting off.
    pub fn new(rate: u32, burst: u32, trusted_proxies: &[IpAddr]) -> RateLimiter {
        RateLimiter {
            policy: RatePolicy { rate, burst: burst.max(1) },
            trusted_proxies: trusted_proxies.into(),
            buckets: Arc::default(),
        }
    }

    pub fn is_enabled(&self) -> bool {
        self.policy.rate > 0
    }

    /// Takes one token from `client`'s bucket, if it has one.
    pub fn check(&self, client: IpAddr, now: Instant) -> Decision {
        take(&self.buckets, self.policy, client, now)
    }
}

fn take(buckets: &Mutex<HashMap<IpAddr, Bucket>>, policy: RatePolicy, client: IpAddr, now: Instant) -> Decision {
    let rate = f64::from(policy.rate);
    let burst = f64::from(policy.burst);
    let mut buckets = buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if buckets.len() >= MAX_TRACKED_CLIENTS && !buckets.contains_key(&client) {
        // A full bucket holds no information: forget those first.
        buckets.retain(|_, b| b.tokens + now.saturating_duration_since(b.updated).as_secs_f64() * rate < burst);
    }
    let bucket = buckets.entry(client).or_insert(Bucket { tokens: burst, updated: now });
    let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
    bucket.tokens = (bucket.tokens + elapsed * rate).min(burst);
    bucket.updated = now;
    let allowed = bucket.tokens >= 1.0;
    if allowed {
        bucket.tokens -= 1.0;
    }
    let tokens = bucket.tokens;
    Decision {
        allowed,
        remaining: tokens.floor() as u32,
        reset: ((burst - tokens) / rate).ceil() as u64,
        retry_after: if allowed { 0 } else { ((1.0 - tokens) / rate).ceil().max(1.0) as u64 },
    }
}

/// The client a request is counted against (see the module doc).
pub fn client_ip(peer: Option<IpAddr>, forwarded_for: Option<&str>, trusted_proxies: &[IpAddr]) -> Option<IpAddr> {
    let peer = peer?;
    if !trusted_proxies.contains(&peer) {
        return Some(peer);
    }
    let Some(chain) = forwarded_for else { return Some(peer) };
    let mut client = peer;
    for hop in chain.rsplit(',') {
        match hop.trim().parse::<IpAddr>() {
            Ok(ip) => {
                client = ip;
                if !trusted_proxies.contains(&ip) {
                    break;
                }
            }
            // A hop that is not an address (garbage, or `unknown`): stop at the last good one.
            Err(_) => break,
        }
    }
    Some(client)
}

impl<S, B> Transform<S, ServiceRequest> for RateLimiter
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = RateLimitService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(RateLimitService { service: Rc::new(service), limit: self.clone() }))
    }
}

pub struct RateLimitService<S> {
    service: Rc<S>,
    limit: RateLimiter,
}

impl<S, B> Service<ServiceRequest> for RateLimitService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let forwarded_for = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok());
        let peer = req.peer_addr().map(|a| a.ip());
        let Some(client) = client_ip(peer, forwarded_for, &self.limit.trusted_proxies) else {
            let fut = self.service.call(req);
            return Box::pin(async move { fut.await.map(ServiceResponse::map_into_left_body) });
        };
        let policy = self.limit.policy;
        let decision = take(&self.limit.buckets, policy, client, Instant::now());
        if !decision.allowed {
            let mut res = ApiError::RateLimited { retry_after: decision.retry_after }.error_response();
            add_headers(res.headers_mut(), policy, decision);
            return Box::pin(ready(Ok(req.into_response(res).map_into_right_body())));
        }
        let fut = self.service.call(req);
        Box::pin(async move {
            let mut res = fut.await?;
            add_headers(res.headers_mut(), policy, decision);
            Ok(res.map_into_left_body())
        })
    }
}

fn add_headers(headers: &mut HeaderMap, policy: RatePolicy, decision: Decision) {
    let window = policy.burst.div_ceil(policy.rate);
    let values = [
        ("ratelimit-policy", format!("\"per-ip\";q={};w={window}", policy.burst)),
        ("ratelimit", format!("\"per-ip\";r={};t={}", decision.remaining, decision.reset)),
    ];
    for (name, value) in values {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    }
    if !decision.allowed {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(decision.retry_after));
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn a_bucket_allows_its_burst_then_refills_at_the_rate() {
        let limiter = RateLimiter::new(2, 3, &[]);
        let t0 = Instant::now();
        let client = ip("192.0.2.1");
        let decisions: Vec<Decision> = (0..4).map(|_| limiter.check(client, t0)).collect();
        assert_eq!(decisions.iter().map(|d| d.allowed).collect::<Vec<_>>(), [true, true, true, false]);
        assert_eq!(decisions[0], Decision { allowed: true, remaining: 2, reset: 1, retry_after: 0 });
        assert_eq!(decisions[3], Decision { allowed: false, remaining: 0, reset: 2, retry_after: 1 });
        // Half a second later, one token (rate 2/s) is back.
        assert!(limiter.check(client, t0 + Duration::from_millis(500)).allowed);
        assert!(!limiter.check(client, t0 + Duration::from_millis(500)).allowed);
        // Another client has its own bucket.
        assert!(limiter.check(ip("192.0.2.2"), t0).allowed);
    }

    #[test]
    fn zero_rate_is_off() {
        assert!(!RateLimiter::new(0, 10, &[]).is_enabled());
        assert!(RateLimiter::new(1, 10, &[]).is_enabled());
    }

    #[test]
    fn forwarded_for_is_trusted_only_from_trusted_proxies() {
        let proxies = [ip("10.0.0.1"), ip("10.0.0.2")];
        let client = |peer: &str, xff: Option<&str>| client_ip(Some(ip(peer)), xff, &proxies).unwrap();
        // An untrusted peer is the client, whatever it claims.
        assert_eq!(client("203.0.113.9", Some("198.51.100.1")), ip("203.0.113.9"));
        // Through a trusted proxy: the right-most address the proxies did not add.
        assert_eq!(client("10.0.0.1", Some("198.51.100.1")), ip("198.51.100.1"));
        assert_eq!(client("10.0.0.1", Some("6.6.6.6, 198.51.100.1, 10.0.0.2")), ip("198.51.100.1"));
        // No header, or garbage in it: the last address that parsed.
        assert_eq!(client("10.0.0.1", None), ip("10.0.0.1"));
        assert_eq!(client("10.0.0.1", Some("nonsense")), ip("10.0.0.1"));
        assert_eq!(client("10.0.0.1", Some("::1, nonsense, 10.0.0.2")), ip("10.0.0.2"));
    }
}
