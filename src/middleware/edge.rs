//! The edge: the one middleware every request passes first and every response passes last.
//!
//! In order, it
//! - answers CORS preflight requests (any origin may read this public, read-only catalog);
//! - serves `HEAD` as `GET` (actix's HTTP/1 encoder then sends the headers without the body);
//! - turns a panic in a handler into a 500 problem, so the worker keeps serving;
//! - writes every 4xx/5xx body as RFC 9457 problem JSON (handlers leave a [`Problem`] in the
//!   response; actix's own rejections get one from their status), with `instance` and `request_id`;
//! - adds the request id, CORS and security headers to every response;
//! - logs one line per request (`powerskills::access` target).

use std::future::{Future, Ready, ready};
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::rc::Rc;
use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{Error, HttpResponse};
use futures_util::FutureExt;

use super::request_id::{self, RequestId};
use super::routes_table::RoutesTable;
use crate::error::{PROBLEM_CONTENT_TYPE, Problem};

/// The access-log target: `--log-level info,powerskills::access=off` turns request lines off.
pub const ACCESS_LOG: &str = "powerskills::access";

/// The longest request target (path and query) answered; longer is a 400 `uri-too-long` problem.
/// (400 rather than 414: every operation with parameters documents 400 for a parameter it cannot
/// take, and an 8 KiB query is one; a 414 would be a status no operation documents.)
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// The most bytes of header fields (names and values) answered; more is 431. (actix's parser
/// itself answers 431, with an empty body, to a request of more than 96 header fields.)
pub const MAX_HEADER_BYTES: usize = 16 * 1024;

/// Headers a browser may read from responses, besides the CORS-safelisted ones.
const EXPOSE_HEADERS: &str = "ETag, Link, X-Request-Id, Retry-After, RateLimit, RateLimit-Policy";
/// The Content-Security-Policy of pages (Swagger UI, the explorer): same-origin everything;
/// Swagger UI needs inline styles and data: images.
const CSP_PAGES: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
                         script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
/// The Content-Security-Policy of everything else (JSON): nothing may load from it.
const CSP_API: &str = "default-src 'none'; frame-ancestors 'none'";

#[derive(Debug, Clone, Default)]
pub struct Edge {
    routes: Rc<RoutesTable>,
}

impl Edge {
    pub fn new(routes: RoutesTable) -> Self {
        Edge { routes: Rc::new(routes) }
    }
}

impl<S, B> Transform<S, ServiceRequest> for Edge
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<BoxBody>;
    type Error = Error;
    type Transform = EdgeService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(EdgeService { service: Rc::new(service), routes: Rc::clone(&self.routes) }))
    }
}

pub struct EdgeService<S> {
    service: Rc<S>,
    routes: Rc<RoutesTable>,
}

type EdgeFuture = Pin<Box<dyn Future<Output = Result<ServiceResponse<BoxBody>, Error>>>>;

impl<S, B> Service<ServiceRequest> for EdgeService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<BoxBody>;
    type Error = Error;
    type Future = EdgeFuture;

    forward_ready!(service);

    fn call(&self, mut req: ServiceRequest) -> Self::Future {
        let started = Instant::now();
        let request_id = RequestId::from_client(req.headers().get(request_id::HEADER));

        if is_preflight(&req) {
            let answer = preflight(req_headers_requested(&req));
            let res = req.into_response(answer);
            let mut res = res.map_into_boxed_body();
            finish_headers(res.headers_mut(), &request_id, false);
            return Box::pin(ready(Ok(res)));
        }

        if let Some(problem) = over_limits(&req) {
            let instance = crate::domain::truncate(req.path());
            let problem = FinalProblem::new(problem, instance, request_id);
            let answer = actix_web::ResponseError::error_response(&problem);
            return Box::pin(ready(Ok(req.into_response(answer))));
        }

        let method = req.method().clone();
        if method == Method::HEAD {
            req.head_mut().method = Method::GET;
        }
        let instance = instance_of(req.uri());
        let routes = Rc::clone(&self.routes);
        let fut = self.service.call(req);

        Box::pin(async move {
            // The request is gone once the inner service failed (and cannot be cloned before:
            // routing needs it unshared), so failures are answered as an error that renders its
            // own complete problem response.
            let mut res = match AssertUnwindSafe(fut).catch_unwind().await {
                Ok(Ok(res)) => res.map_into_boxed_body(),
                Ok(Err(err)) => {
                    let status = err.as_response_error().status_code();
                    tracing::error!(request_id = request_id.as_str(), error = %err, "request failed");
                    return Err(FinalProblem::new(Problem::for_status(status), instance, request_id).into());
                }
                Err(panic) => {
                    let message = panic
                        .downcast_ref::<&str>()
                        .map(|s| (*s).to_owned())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_default();
                    tracing::error!(request_id = request_id.as_str(), panic = %message, "handler panicked");
                    let problem = Problem::for_status(StatusCode::INTERNAL_SERVER_ERROR);
                    return Err(FinalProblem::new(problem, instance, request_id).into());
                }
            };
            if res.status().as_u16() >= 400 {
                res = render_problem(res, &request_id, &routes);
            } else if res.status() == StatusCode::OK
                && (method == Method::GET || method == Method::HEAD)
                && !res.headers().contains_key(header::ETAG)
            {
                res = add_etag(res);
            }
            let is_page = is_page(res.request().path());
            finish_headers(res.headers_mut(), &request_id, is_page);
            log(&method, &res, &request_id, started);
            Ok(res)
        })
    }
}

/// A request target over [`MAX_URI_BYTES`] (400), or header fields over [`MAX_HEADER_BYTES`] (431).
fn over_limits(req: &ServiceRequest) -> Option<Problem> {
    let uri = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    if uri > MAX_URI_BYTES {
        let detail = format!("the request target is longer than the {MAX_URI_BYTES} bytes this server accepts");
        return Some(Problem::new(StatusCode::BAD_REQUEST, "uri-too-long", "URI too long", detail));
    }
    let headers: usize = req.headers().iter().map(|(name, value)| name.as_str().len() + value.len()).sum();
    (headers > MAX_HEADER_BYTES).then(|| Problem::for_status(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE))
}

fn is_preflight(req: &ServiceRequest) -> bool {
    req.method() == Method::OPTIONS
        && req.headers().contains_key(header::ORIGIN)
        && req.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
}

fn req_headers_requested(req: &ServiceRequest) -> Option<HeaderValue> {
    req.headers().get(header::ACCESS_CONTROL_REQUEST_HEADERS).cloned()
}

/// The answer to a CORS preflight: every origin may call every method this API has.
fn preflight(requested_headers: Option<HeaderValue>) -> HttpResponse {
    let mut res = HttpResponse::NoContent();
    res.insert_header((header::ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD, POST, OPTIONS"))
        .insert_header((header::ACCESS_CONTROL_MAX_AGE, "86400"));
    res.insert_header((
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        requested_headers.unwrap_or(HeaderValue::from_static("Accept, Content-Type, If-None-Match, X-Request-Id")),
    ));
    res.finish()
}

/// Swagger UI and the explorer page get a CSP that lets them run; everything else gets none.
fn is_page(path: &str) -> bool {
    path.starts_with("/docs") || path == "/" || path == "/explore"
}

/// Header names built at compile time rather than parsed per request.
const X_REQUEST_ID: HeaderName = HeaderName::from_static(request_id::HEADER);
const CROSS_ORIGIN_RESOURCE_POLICY: HeaderName = HeaderName::from_static("cross-origin-resource-policy");

fn finish_headers(headers: &mut HeaderMap, request_id: &RequestId, is_page: bool) {
    // Room for these seven at once, rather than growing the map as they arrive.
    headers.reserve(7);
    headers.insert(X_REQUEST_ID, request_id.header_value().clone());
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static(EXPOSE_HEADERS));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(CROSS_ORIGIN_RESOURCE_POLICY, HeaderValue::from_static("cross-origin"));
    headers
        .insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(if is_page { CSP_PAGES } else { CSP_API }));
}

/// Writes the problem body of an error response.
fn render_problem(
    mut res: ServiceResponse<BoxBody>,
    request_id: &RequestId,
    routes: &RoutesTable,
) -> ServiceResponse<BoxBody> {
    let mut status = res.status();
    let described = res.response_mut().extensions_mut().remove::<Problem>();
    // actix answers 404 when a path exists but not for this method: that is a 405.
    let mut allow = None;
    if described.is_none() && status == StatusCode::NOT_FOUND {
        allow = routes.allowed(res.request().path());
        if allow.is_some() {
            status = StatusCode::METHOD_NOT_ALLOWED;
            *res.response_mut().status_mut() = status;
        }
    }
    let mut problem = described.unwrap_or_else(|| Problem::for_status(status));
    problem.instance = Some(instance_of(res.request().uri()));
    problem.request_id = Some(request_id.as_str().to_owned());
    let body = serde_json::to_vec(&problem).unwrap_or_default();

    res.map_body(|head, _| {
        head.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_CONTENT_TYPE));
        head.headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(allow) = allow.and_then(|a| HeaderValue::from_str(&a).ok()) {
            head.headers.insert(header::ALLOW, allow);
        } else if status == StatusCode::METHOD_NOT_ALLOWED {
            add_head_to_allow(&mut head.headers);
        }
        BoxBody::new(body)
    })
}

/// Gives a 200 that no handler tagged (Swagger UI's files, pages, probes) a strong ETag from its
/// body, and answers `If-None-Match` for it, so every 200 GET can be revalidated. Streamed bodies
/// are left alone.
fn add_etag(res: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
    let (req, res) = res.into_parts();
    let (mut res, body) = res.into_parts();
    let bytes = match body.try_into_bytes() {
        Ok(bytes) => bytes,
        Err(body) => return ServiceResponse::new(req, res.set_body(body)),
    };
    let etag = crate::response::etag_for(&bytes);
    let fresh = req.headers().get_all(header::IF_NONE_MATCH).any(|v| crate::response::matches(v, &etag));
    res.headers_mut().insert(header::ETAG, etag);
    if fresh {
        *res.status_mut() = StatusCode::NOT_MODIFIED;
        return ServiceResponse::new(req, res.set_body(BoxBody::new(())));
    }
    ServiceResponse::new(req, res.set_body(BoxBody::new(bytes)))
}

fn instance_of(uri: &actix_web::http::Uri) -> String {
    uri.path_and_query().map_or_else(|| uri.path().to_owned(), |pq| pq.as_str().to_owned())
}

/// A problem answered without a request to attach it to (after a panic or a middleware error):
/// it renders its complete response, headers included.
#[derive(Debug)]
struct FinalProblem {
    problem: Problem,
    request_id: RequestId,
}

impl FinalProblem {
    fn new(mut problem: Problem, instance: String, request_id: RequestId) -> Self {
        problem.instance = Some(instance);
        problem.request_id = Some(request_id.as_str().to_owned());
        FinalProblem { problem, request_id }
    }
}

impl std::fmt::Display for FinalProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.problem.detail)
    }
}

impl actix_web::ResponseError for FinalProblem {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status_code())
            .insert_header((header::CONTENT_TYPE, PROBLEM_CONTENT_TYPE))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(serde_json::to_vec(&self.problem).unwrap_or_default());
        finish_headers(res.headers_mut(), &self.request_id, false);
        res
    }
}

/// The answer to a request actix-http's own HTTP/1 parser refuses before any middleware runs
/// (400 malformed, 431 head too large, 408 head not received in time): the problem for its
/// status with a new request id and the security headers, as every other error. There is no
/// request to take an `instance` or the client's `X-Request-Id` from. Installed on every
/// connection by [`crate::connection::on_connect`] (the vendored actix-http's `Rejection`).
pub fn parser_rejection(status: StatusCode) -> Option<actix_http::Response<BoxBody>> {
    if !matches!(status.as_u16(), 400 | 408 | 431) {
        return None;
    }
    let request_id = RequestId::generate();
    let mut problem = Problem::for_status(status);
    problem.request_id = Some(request_id.as_str().to_owned());
    Some(actix_web::ResponseError::error_response(&FinalProblem { problem, request_id }).into())
}

/// Every GET route also answers HEAD, so `Allow` says so.
fn add_head_to_allow(headers: &mut HeaderMap) {
    let allow = headers.get(header::ALLOW).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let mut methods: Vec<&str> = allow.split(',').map(str::trim).filter(|m| !m.is_empty()).collect();
    if methods.contains(&"GET") && !methods.contains(&"HEAD") {
        methods.push("HEAD");
    }
    if let Ok(value) = HeaderValue::from_str(&methods.join(", ")) {
        headers.insert(header::ALLOW, value);
    }
}

fn log(method: &Method, res: &ServiceResponse<BoxBody>, request_id: &RequestId, started: Instant) {
    if tracing::enabled!(target: ACCESS_LOG, tracing::Level::INFO) {
        let route = res.request().match_pattern().unwrap_or_else(|| "(no route)".to_owned());
        tracing::info!(
            target: ACCESS_LOG,
            method = %method,
            route = %route,
            status = res.status().as_u16(),
            latency_us = started.elapsed().as_micros() as u64,
            request_id = request_id.as_str(),
        );
    }
}

#[cfg(test)]
mod tests {
    use actix_web::{App, test, web};

    use super::*;

    #[actix_web::test]
    async fn a_panicking_handler_is_a_500_problem_and_the_next_request_is_served() {
        let app = test::init_service(
            App::new()
                .wrap(Edge::default())
                .route("/boom", web::get().to(|| async { panic!("secret internal detail") as &'static str }))
                .route("/ok", web::get().to(|| async { "fine" })),
        )
        .await;
        // The edge answers a panic with an error that renders its own complete response (the
        // server's dispatcher writes it; here we render it the same way).
        let err = test::try_call_service(&app, test::TestRequest::get().uri("/boom").to_request()).await.unwrap_err();
        let res = err.error_response();
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(res.headers().get(header::CONTENT_TYPE).unwrap(), PROBLEM_CONTENT_TYPE);
        assert_eq!(res.headers().get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
        let bytes = actix_web::body::to_bytes(res.into_body()).await.unwrap();
        let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(body["type"], "urn:powerskills:problem:internal");
        assert_eq!(body["instance"], "/boom");
        assert!(!body.to_string().contains("secret"), "{body}");
        for _ in 0..3 {
            let res = test::call_service(&app, test::TestRequest::get().uri("/ok").to_request()).await;
            assert_eq!(res.status(), StatusCode::OK);
            assert_eq!(test::read_body(res).await, "fine");
        }
    }
}
