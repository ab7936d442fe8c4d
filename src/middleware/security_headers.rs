//! The headers every response carries whatever answered it: the security headers and CORS's
//! read permission (any origin may read this public, read-only catalog). Two header blocks,
//! built once: one for the pages (Swagger UI, the explorer), whose Content-Security-Policy lets
//! them run, and one for everything else (JSON), from which nothing may load.
//!
//! `Access-Control-Allow-Origin: *` and `Access-Control-Expose-Headers` go on every response, not
//! only on those to a request with `Origin` (as [`actix_cors`] would): the answer does not depend
//! on the origin, so a shared cache may keep one copy for every client, and no `Vary: Origin` is
//! needed. Preflight requests are answered by [`actix_cors`] (see [`super::cors`]).

use std::sync::LazyLock;

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;

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

/// The two blocks, built on first use.
static BLOCKS: LazyLock<Blocks> = LazyLock::new(Blocks::new);

/// Gives `headers` the API's block (for answers made outside the middleware stack: the parser's
/// rejections, [`super::rejections::parser_rejection`]).
pub fn apply_api_headers(headers: &mut HeaderMap) {
    apply(headers, &BLOCKS.api);
}

/// The middleware (`actix_web::middleware::from_fn(security_headers)`).
pub async fn security_headers<B: MessageBody>(req: ServiceRequest, next: Next<B>) -> Result<ServiceResponse<B>, Error> {
    let block: &'static [(HeaderName, HeaderValue)] = if is_page(req.path()) { &BLOCKS.pages } else { &BLOCKS.api };
    match next.call(req).await {
        Ok(mut res) => {
            apply(res.headers_mut(), block);
            Ok(res)
        }
        Err(mut err) => {
            err.add_response_mapper(move |mut res| {
                apply(res.headers_mut(), block);
                res
            });
            Err(err)
        }
    }
}
