//! The headers every response carries whatever answered it: the security headers and CORS's
//! read permission (any origin may read this public, read-only catalog). Two header blocks,
//! built once: one for the pages (HTML: Swagger UI, the explorer), whose Content-Security-Policy
//! lets them run, and one for everything else (JSON, scripts, styles), from which nothing may load.
//!
//! They are put on responses by the middleware [`crate::middleware::security_headers`], except on
//! a catalog response made once and sent many times: that one carries all its headers as one
//! block of header lines written as they are ([`super::CachedResponse`]), of which
//! [`wire_block`] is a part.
//!
//! `Access-Control-Allow-Origin: *` and `Access-Control-Expose-Headers` go on every response, not
//! only on those to a request with `Origin` (as [`actix_cors`] would): the answer does not depend
//! on the origin, so a shared cache may keep one copy for every client, and no `Vary: Origin` is
//! needed. Preflight requests are answered by [`actix_cors`] (see [`crate::middleware::cors`]).

use std::sync::LazyLock;

use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};

/// Headers a browser may read from responses, besides the CORS-safelisted ones.
pub const EXPOSE_HEADERS: &str = "ETag, Link, X-Request-Id, Retry-After, RateLimit, RateLimit-Policy";
/// The Content-Security-Policy of pages (Swagger UI, the explorer): same-origin everything;
/// Swagger UI needs inline styles and data: images.
const CSP_PAGES: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
                         script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
/// The Content-Security-Policy of everything else (JSON): nothing may load from it.
const CSP_API: &str = "default-src 'none'; frame-ancestors 'none'";

const CROSS_ORIGIN_RESOURCE_POLICY: HeaderName = HeaderName::from_static("cross-origin-resource-policy");

/// The two header blocks, as header map entries and as header lines.
#[derive(Debug)]
struct Blocks {
    pages: Vec<(HeaderName, HeaderValue)>,
    api: Vec<(HeaderName, HeaderValue)>,
    pages_wire: Vec<u8>,
    api_wire: Vec<u8>,
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
        let wire = |block: &[(HeaderName, HeaderValue)]| {
            let mut lines = Vec::new();
            for (name, value) in block {
                lines.extend_from_slice(name.as_str().as_bytes());
                lines.extend_from_slice(b": ");
                lines.extend_from_slice(value.as_bytes());
                lines.extend_from_slice(b"\r\n");
            }
            lines
        };
        let (pages, api) = (with_csp(CSP_PAGES), with_csp(CSP_API));
        Blocks { pages_wire: wire(&pages), api_wire: wire(&api), pages, api }
    }
}

/// Pages (HTML: Swagger UI, the explorer) get a CSP that lets them run; everything else gets none.
pub fn is_page(content_type: Option<&HeaderValue>) -> bool {
    content_type.is_some_and(|ct| ct.as_bytes().starts_with(b"text/html"))
}

/// The block for a response of this content type as header lines (`name: value\r\n` each), for
/// a prebuilt header block ([`crate::response`]).
pub fn wire_block(content_type: Option<&HeaderValue>) -> &'static [u8] {
    if is_page(content_type) { &BLOCKS.pages_wire } else { &BLOCKS.api_wire }
}

/// The block for a response with these headers (by its content type).
pub fn block_for(headers: &HeaderMap) -> &'static [(HeaderName, HeaderValue)] {
    if is_page(headers.get(header::CONTENT_TYPE)) { &BLOCKS.pages } else { &BLOCKS.api }
}

/// Gives `headers` the entries of `block`.
pub fn apply(headers: &mut HeaderMap, block: &[(HeaderName, HeaderValue)]) {
    headers.reserve(block.len());
    for (name, value) in block {
        headers.insert(name.clone(), value.clone());
    }
}

/// The two blocks, built on first use.
static BLOCKS: LazyLock<Blocks> = LazyLock::new(Blocks::new);

/// Gives `headers` the API's block (for answers made outside the middleware stack: the parser's
/// rejections, [`crate::middleware::rejections::parser_rejection`]).
pub fn apply_api_headers(headers: &mut HeaderMap) {
    apply(headers, &BLOCKS.api);
}
