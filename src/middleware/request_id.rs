//! Request ids: the client's `X-Request-Id` when well-formed, otherwise a new one; sent back on
//! every response. While a request is served, its id and target are the *current request*
//! ([`current`]), which is how an [`ApiError`](crate::error::ApiError) fills in a problem's
//! `request_id` and `instance` without being handed the request, and how the access log gets
//! the id ([`with_current_id`]). A request answered before routing
//! ([`super::answer_cached`]) also records there the route that stands for it
//! ([`answered_by`]), for the metrics' label and the access log ([`answered_route`]): a field
//! of a struct made for every request anyway, where a request extension would cost a map
//! allocation per request (BENCHMARKS.md, "The route of a repeated read, and one chain").

use std::cell::RefCell;
use std::future::{Ready, ready};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::Uri;
use actix_web::http::header::{HeaderName, HeaderValue};
use tokio::task::futures::TaskLocalFuture;

use super::limits::MAX_URI_BYTES;
use crate::response::Route;

/// The header carrying the request id, both ways.
pub const HEADER: &str = "x-request-id";
/// [`HEADER`] as a header name.
pub const X_REQUEST_ID: HeaderName = HeaderName::from_static(HEADER);

struct Current {
    id: RequestId,
    target: Uri,
    /// The route a request answered before routing stands for.
    route: RefCell<Option<Arc<Route>>>,
}

tokio::task_local! {
    static CURRENT: Current;
}

/// The current request's id and target (path and query), when called while one is served inside
/// [`AssignRequestId`].
pub fn current() -> Option<(String, String)> {
    CURRENT
        .try_with(|c| {
            let target = crate::response::target(&c.target);
            // A target over the limit (a `uri-too-long` problem) is not repeated: its path is.
            let instance =
                if target.len() > MAX_URI_BYTES { crate::domain::truncate(c.target.path()) } else { target.to_owned() };
            (c.id.as_str().to_owned(), instance)
        })
        .ok()
}

/// `f` of the current request's id, when called while one is served inside [`AssignRequestId`].
pub fn with_current_id<R>(f: impl FnOnce(&str) -> R) -> Option<R> {
    CURRENT.try_with(|c| f(c.id.as_str())).ok()
}

/// Records that `route` answered the current request, which the router never saw: the route
/// that answered its target when the answer was made. Nothing when no request is current.
pub fn answered_by(route: Arc<Route>) {
    let _ = CURRENT.try_with(|c| *c.route.borrow_mut() = Some(route));
}

/// The route [`answered_by`] recorded for the current request, if any.
pub fn answered_route() -> Option<Arc<Route>> {
    CURRENT.try_with(|c| c.route.borrow().clone()).ok().flatten()
}

/// The middleware, outermost: gives each request its id, makes it the current request for
/// everything inside, and sends the id back as `X-Request-Id`. (Not a
/// [`super::stage::Stage`]: the inner future runs inside the request's task-local scope.)
pub struct AssignRequestId;

impl<S, B> Transform<S, ServiceRequest> for AssignRequestId
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Transform = AssignRequestIdService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(AssignRequestIdService { service: Rc::new(service) }))
    }
}

pub struct AssignRequestIdService<S> {
    service: Rc<S>,
}

impl<S, B> Service<ServiceRequest> for AssignRequestIdService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Future = RequestIdFuture<S>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let id = RequestId::from_client(req.headers().get(X_REQUEST_ID));
        let current = Current { id, target: req.uri().clone(), route: RefCell::new(None) };
        // The inner services take the request when the future is first polled, inside the
        // request's scope: a middleware that answers at once sees the current request too.
        let inner = Inner::Start { service: Rc::clone(&self.service), req: Some(req) };
        RequestIdFuture { fut: CURRENT.scope(current, inner) }
    }
}

pin_project_lite::pin_project! {
    /// The inner services' answer, in the request's scope; then the id on the answer, taken
    /// back from the scope (not cloned: a clone of the header would allocate and count).
    pub struct RequestIdFuture<S: Service<ServiceRequest>> {
        #[pin]
        fut: TaskLocalFuture<Current, Inner<S>>,
    }
}

pin_project_lite::pin_project! {
    /// The inner services: the request to hand them, then their future.
    #[project = InnerProj]
    pub enum Inner<S: Service<ServiceRequest>> {
        Start { service: Rc<S>, req: Option<ServiceRequest> },
        Called { #[pin] fut: S::Future },
    }
}

impl<S: Service<ServiceRequest>> Future for Inner<S> {
    type Output = Result<S::Response, S::Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        loop {
            match self.as_mut().project() {
                InnerProj::Called { fut } => return fut.poll(cx),
                InnerProj::Start { service, req } => {
                    let req = req.take().expect("a request id future is not polled after it is ready");
                    let fut = service.call(req);
                    self.set(Inner::Called { fut });
                }
            }
        }
    }
}

impl<S, B> Future for RequestIdFuture<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
{
    type Output = Result<ServiceResponse<B>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut fut = self.project().fut;
        let answer = std::task::ready!(fut.as_mut().poll(cx));
        let id = fut.take_value().expect("a request id future is not polled after it is ready").id.0;
        Poll::Ready(match answer {
            Ok(mut res) => {
                res.headers_mut().insert(X_REQUEST_ID, id);
                Ok(res)
            }
            Err(mut err) => {
                err.add_response_mapper(move |mut res| {
                    res.headers_mut().insert(X_REQUEST_ID, id.clone());
                    res
                });
                Err(err)
            }
        })
    }
}

#[derive(Debug, Clone)]
pub struct RequestId(HeaderValue);

impl RequestId {
    /// The id a client sent, if it is 1–128 characters of letters, digits and `-_.:`; else a new one.
    pub fn from_client(value: Option<&HeaderValue>) -> RequestId {
        match value {
            Some(v) if is_well_formed(v.as_bytes()) => RequestId(v.clone()),
            _ => RequestId::generate(),
        }
    }

    /// A new id: this process's random prefix and a counter, unique across replicas and restarts
    /// in practice, and cheap (no syscall per request; the prefix is written once).
    pub fn generate() -> RequestId {
        static PREFIX: OnceLock<[u8; 17]> = OnceLock::new();
        static COUNTER: AtomicU64 = AtomicU64::new(1);
        let prefix = PREFIX.get_or_init(|| {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default();
            let seed = format!("{now}:{}:{:p}", std::process::id(), &COUNTER);
            let mut prefix = [b'-'; 17];
            hex_into(&mut prefix[..16], xxhash_rust::xxh3::xxh3_64(seed.as_bytes()));
            prefix
        });
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        // `{prefix:016x}-{n:08x}`, written by hand: this runs on every request.
        let mut id = [0u8; 25];
        id[..17].copy_from_slice(prefix);
        hex_into(&mut id[17..], n & 0xffff_ffff);
        RequestId(HeaderValue::from_bytes(&id).expect("hex is a valid header value"))
    }

    pub fn header_value(&self) -> &HeaderValue {
        &self.0
    }

    pub fn as_str(&self) -> &str {
        // ASCII by construction (a client's id is kept only if it is): UTF-8 is all there is to
        // check, cheaper than `HeaderValue::to_str`'s byte-by-byte test of visible ASCII.
        std::str::from_utf8(self.0.as_bytes()).unwrap_or_default()
    }
}

/// Writes `value` as lowercase hex, right-aligned and zero-padded, into `out`.
fn hex_into(out: &mut [u8], mut value: u64) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for b in out.iter_mut().rev() {
        *b = DIGITS[(value & 0xf) as usize];
        value >>= 4;
    }
}

fn is_well_formed(id: &[u8]) -> bool {
    (1..=128).contains(&id.len())
        && id.iter().all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_well_formed_ids_only() {
        let kept = RequestId::from_client(Some(&HeaderValue::from_static("abc-123_x.y:z")));
        assert_eq!(kept.as_str(), "abc-123_x.y:z");
        let replaced = RequestId::from_client(Some(&HeaderValue::from_static("has space")));
        assert_ne!(replaced.as_str(), "has space");
        assert_eq!(replaced.as_str().len(), 16 + 1 + 8);
    }

    #[test]
    fn hex_is_zero_padded() {
        let mut out = [0u8; 8];
        hex_into(&mut out, 0xab);
        assert_eq!(&out, b"000000ab");
    }

    #[test]
    fn generated_ids_share_the_prefix_and_differ_in_the_counter() {
        let (a, b) = (RequestId::generate(), RequestId::generate());
        let (a, b) = (a.as_str(), b.as_str());
        assert_ne!(a, b);
        for id in [a, b] {
            assert_eq!(id.len(), 25);
            assert_eq!(id.as_bytes()[16], b'-');
            assert!(id.bytes().enumerate().all(|(i, c)| i == 16 || c.is_ascii_hexdigit()), "{id}");
        }
        assert_eq!(a[..17], b[..17]);
        let counter = |id: &str| u64::from_str_radix(&id[17..], 16).unwrap();
        assert!(counter(b) > counter(a), "{a} then {b}");
    }
}
