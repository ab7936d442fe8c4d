//! CORS preflight requests, answered by [`actix_cors`]: every origin may call every method this
//! API has, with any request headers, and cache the answer for a day. The read permission on
//! actual responses is in [`super::security_headers`] (it goes on every response, `Origin` or not).
//!
//! [`CorsWhenAsked`] hands `actix-cors` only the requests it has work for: those with `Origin`,
//! and every `OPTIONS` (a preflight). For the rest (servers, scripts, anything that is not a
//! browser) it would box a future and add nothing, since its `Vary` is off and the read
//! permission is on every response already; they go straight in (BENCHMARKS.md has the
//! instructions this saves per request).

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use actix_cors::Cors;
use actix_web::Error;
use actix_web::body::{BoxBody, EitherBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::{Method, header};
use futures_util::future::LocalBoxFuture;

/// How long a browser may cache a preflight's answer, in seconds.
const PREFLIGHT_MAX_AGE: usize = 86_400;

pub fn cors() -> Cors {
    Cors::default()
        .allow_any_origin()
        .send_wildcard()
        .allowed_methods([Method::GET, Method::HEAD, Method::POST, Method::OPTIONS])
        .allow_any_header()
        .max_age(PREFLIGHT_MAX_AGE)
        // The answer is the same for every origin (`*`), so caches need not key on it.
        .disable_vary_header()
}

/// True when `actix-cors` answers `req` as a preflight: an `OPTIONS` naming a method in
/// `Access-Control-Request-Method`.
pub fn is_preflight(req: &ServiceRequest) -> bool {
    req.method() == Method::OPTIONS
        && req
            .headers()
            .get(header::ACCESS_CONTROL_REQUEST_METHOD)
            .and_then(|method| method.to_str().ok())
            .is_some_and(|method| Method::try_from(method).is_ok())
}

/// The middleware (`App::wrap(CorsWhenAsked::new())`): [`cors`] for the requests that can be
/// CORS ones, the inner service directly for the others.
pub struct CorsWhenAsked(Cors);

impl CorsWhenAsked {
    pub fn new() -> Self {
        CorsWhenAsked(cors())
    }
}

impl Default for CorsWhenAsked {
    fn default() -> Self {
        Self::new()
    }
}

/// The inner service, shared by the direct way in and `actix-cors`'s.
pub struct Shared<S>(Rc<S>);

impl<S: Service<ServiceRequest>> Service<ServiceRequest> for Shared<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&self, req: ServiceRequest) -> Self::Future {
        self.0.call(req)
    }
}

type Answer = Result<ServiceResponse<BoxBody>, Error>;

impl<S> Transform<S, ServiceRequest> for CorsWhenAsked
where
    S: Service<ServiceRequest, Response = ServiceResponse<BoxBody>, Error = Error> + 'static,
{
    type Response = ServiceResponse<BoxBody>;
    type Error = Error;
    type Transform = CorsWhenAskedService<S>;
    type InitError = ();
    type Future = LocalBoxFuture<'static, Result<Self::Transform, ()>>;

    fn new_transform(&self, service: S) -> Self::Future {
        let inner = Rc::new(service);
        let cors = self.0.new_transform(Shared(Rc::clone(&inner)));
        Box::pin(async move { Ok(CorsWhenAskedService { inner, cors: cors.await? }) })
    }
}

pub struct CorsWhenAskedService<S: Service<ServiceRequest>> {
    inner: Rc<S>,
    cors: actix_cors::CorsMiddleware<Shared<S>>,
}

impl<S> Service<ServiceRequest> for CorsWhenAskedService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<BoxBody>, Error = Error> + 'static,
{
    type Response = ServiceResponse<BoxBody>;
    type Error = Error;
    type Future = CorsWhenAskedFuture<S::Future>;

    forward_ready!(inner);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        if req.method() == Method::OPTIONS || req.headers().contains_key(header::ORIGIN) {
            CorsWhenAskedFuture::Cors { future: self.cors.call(req) }
        } else {
            CorsWhenAskedFuture::Direct { future: self.inner.call(req) }
        }
    }
}

pin_project_lite::pin_project! {
    /// The request's future, whichever way it went in.
    #[project = Way]
    pub enum CorsWhenAskedFuture<F> {
        Direct { #[pin] future: F },
        Cors { future: LocalBoxFuture<'static, Result<ServiceResponse<EitherBody<BoxBody>>, Error>> },
    }
}

impl<F: Future<Output = Answer>> Future for CorsWhenAskedFuture<F> {
    type Output = Answer;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Answer> {
        match self.project() {
            Way::Direct { future } => future.poll(cx),
            Way::Cors { future } => future.as_mut().poll(cx).map(|answer| {
                let mut res = answer?.map_into_boxed_body();
                // A prebuilt header block has the read permission (`*`) already: the one
                // `actix-cors` adds to a request with `Origin` would be a second.
                if res.response().head().raw_headers().is_some() {
                    res.headers_mut().remove(header::ACCESS_CONTROL_ALLOW_ORIGIN);
                }
                Ok(res)
            }),
        }
    }
}
