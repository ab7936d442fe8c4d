//! The headers every response carries whatever answered it: the security headers and CORS's
//! read permission (any origin may read this public, read-only catalog). Two header blocks,
//! built once: one for the pages (Swagger UI, the explorer), whose Content-Security-Policy lets
//! them run, and one for everything else (JSON), from which nothing may load.
//!
//! `Access-Control-Allow-Origin: *` and `Access-Control-Expose-Headers` go on every response, not
//! only on those to a request with `Origin` (as [`actix_cors`] would): the answer does not depend
//! on the origin, so a shared cache may keep one copy for every client, and no `Vary: Origin` is
//! needed. Preflight requests are answered by [`actix_cors`] (see [`super::cors`]).

use std::future::{Ready, ready};
use std::rc::Rc;

use actix_web::Error;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use futures_util::future::LocalBoxFuture;

/// Headers a browser may read from responses, besides the CORS-safelisted ones.
pub const EXPOSE_HEADERS: &str = "ETag, Link, X-Request-Id, Retry-After, RateLimit, RateLimit-Policy";
/// The Content-Security-Policy of pages (Swagger UI, the explorer): same-origin everything;
/// Swagger UI needs inline styles and data: images.
const CSP_PAGES: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
                         script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
/// The Content-Security-Policy of everything else (JSON): nothing may load from it.
const CSP_API: &str = "default-src 'none'; frame-ancestors 'none'";

const CROSS_ORIGIN_RESOURCE_POLICY: HeaderName = HeaderName::from_static("cross-origin-resource-policy");

/// The two header blocks.
#[derive(Debug)]
struct Blocks {
    pages: Vec<(HeaderName, HeaderValue)>,
    api: Vec<(HeaderName, HeaderValue)>,
}

impl Blocks {
    fn new() -> Self {
        let common = [
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*")),
            (header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static(EXPOSE_HEADERS)),
            (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
            (header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
            (CROSS_ORIGIN_RESOURCE_POLICY, HeaderValue::from_static("cross-origin")),
        ];
        let with_csp = |csp: &'static str| {
            let mut block = common.to_vec();
            block.push((header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(csp)));
            block
        };
        Blocks { pages: with_csp(CSP_PAGES), api: with_csp(CSP_API) }
    }
}

/// Swagger UI and the explorer page get a CSP that lets them run; everything else gets none.
fn is_page(path: &str) -> bool {
    path.starts_with("/docs") || path == "/" || path == "/explore"
}

fn apply(headers: &mut HeaderMap, block: &[(HeaderName, HeaderValue)]) {
    headers.reserve(block.len());
    for (name, value) in block {
        headers.insert(name.clone(), value.clone());
    }
}

#[derive(Debug, Clone)]
pub struct SecurityHeaders {
    blocks: Rc<Blocks>,
}

impl Default for SecurityHeaders {
    fn default() -> Self {
        SecurityHeaders { blocks: Rc::new(Blocks::new()) }
    }
}

impl<S, B> Transform<S, ServiceRequest> for SecurityHeaders
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Transform = SecurityHeadersService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(SecurityHeadersService { service, blocks: Rc::clone(&self.blocks) }))
    }
}

pub struct SecurityHeadersService<S> {
    service: S,
    blocks: Rc<Blocks>,
}

impl<S, B> Service<ServiceRequest> for SecurityHeadersService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let page = is_page(req.path());
        let blocks = Rc::clone(&self.blocks);
        let fut = self.service.call(req);
        Box::pin(async move {
            match fut.await {
                Ok(mut res) => {
                    apply(res.headers_mut(), if page { &blocks.pages } else { &blocks.api });
                    Ok(res)
                }
                Err(mut err) => {
                    err.add_response_mapper(move |mut res| {
                        apply(res.headers_mut(), if page { &blocks.pages } else { &blocks.api });
                        res
                    });
                    Err(err)
                }
            }
        })
    }
}
