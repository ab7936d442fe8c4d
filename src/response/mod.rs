//! Serialized responses and the one function that sends them.
//!
//! A read endpoint's answer depends only on the catalog and the canonical form of its parameters,
//! so it is serialized once into a [`CachedResponse`] (body, strong ETag, headers) and kept in the
//! served snapshot's [`ResponseCache`] ([`crate::served::Served::cached`]). [`send`] then answers
//! conditional requests (`If-None-Match` → 304) and sets the caching headers. Cached or not, a
//! response is byte-identical.

mod cache;
pub mod encoding;
mod prepared;
pub mod security;

use std::sync::OnceLock;

use actix_web::HttpRequest;
use actix_web::HttpResponse;
use actix_web::body::BoxBody;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{StatusCode, Uri};
use bytes::Bytes;
use serde::Serialize;

pub use cache::{ResponseCache, Route};
pub use prepared::{Prepared, PreparedResponses};

use encoding::{Encoding, MIN_COMPRESSED_LEN, Variants};

/// One serialized answer of a read endpoint.
#[derive(Debug)]
pub struct CachedResponse {
    pub body: Bytes,
    /// A strong validator derived from the body (the same body always has the same ETag, on
    /// every replica and after every restart).
    pub etag: HeaderValue,
    pub content_type: HeaderValue,
    /// The pagination `Link` header, for list pages.
    pub link: Option<HeaderValue>,
    /// Compressed copies of the body, made on first demand.
    variants: Variants,
    /// The ETags of the compressed copies (a strong ETag differs per representation).
    variant_etags: [HeaderValue; 3],
    /// The header lines of each way this entry is sent (200 or 304; as it is or in one of the
    /// three encodings), made on first use, with the `Cache-Control` they were made with
    /// ([`CachedResponse::head_lines`]).
    heads: [OnceLock<(HeaderValue, Bytes)>; 8],
}

impl CachedResponse {
    pub fn json<T: Serialize>(value: &T) -> Self {
        let body = serde_json::to_vec(value).expect("wire types always serialize");
        Self::new(Bytes::from(body), HeaderValue::from_static("application/json"))
    }

    pub fn new(body: Bytes, content_type: HeaderValue) -> Self {
        let hash = xxhash_rust::xxh3::xxh3_128(&body);
        let tag = |suffix: &str| entity_tag(hash, suffix);
        CachedResponse {
            etag: tag(""),
            variant_etags: [tag("-br"), tag("-zstd"), tag("-gzip")],
            body,
            content_type,
            link: None,
            variants: Variants::default(),
            heads: Default::default(),
        }
    }

    fn compressible(&self) -> bool {
        self.body.len() >= MIN_COMPRESSED_LEN
    }

    fn variant_etag(&self, encoding: Encoding) -> &HeaderValue {
        match encoding {
            Encoding::Brotli => &self.variant_etags[0],
            Encoding::Zstd => &self.variant_etags[1],
            Encoding::Gzip => &self.variant_etags[2],
        }
    }

    /// The encoding `req` would get this body in (`None`: as it is).
    pub fn negotiate(&self, req: &HttpRequest) -> Option<Encoding> {
        if !self.compressible() {
            return None;
        }
        req.headers().get(header::ACCEPT_ENCODING).and_then(|v| encoding::negotiate(v.as_bytes()))
    }

    /// Makes the compressed copy for `encoding` now (blocking; a large body takes a while), so
    /// that [`send`] finds it made.
    pub fn prepare(&self, encoding: Encoding) {
        self.variants.get(encoding, &self.body);
    }

    /// Every header this entry is sent with, but for the framing ones actix writes
    /// (`content-length`, `date`) and `x-request-id`, as header lines: its own (type, encoding,
    /// validator, caching, pagination) and the security block ([`security::wire_block`]). Made
    /// once per way of sending it; then a response costs one copy of these bytes instead of a
    /// header map entry and a write per header (BENCHMARKS.md, "A header block per response").
    /// Kept for the caching policy it was made with (a server has one; the few entries shared by
    /// every app of a process, the explorer's files, are made anew for another's).
    fn head_lines(&self, policy: &CachePolicy, encoding: Option<Encoding>, not_modified: bool) -> Bytes {
        let slot = encoding.map_or(0, |e| 1 + e.index()) + if not_modified { 4 } else { 0 };
        let (made_for, lines) = self.heads[slot]
            .get_or_init(|| (policy.cache_control.clone(), self.make_head_lines(policy, encoding, not_modified)));
        if *made_for == policy.cache_control {
            lines.clone()
        } else {
            self.make_head_lines(policy, encoding, not_modified)
        }
    }

    fn make_head_lines(&self, policy: &CachePolicy, encoding: Option<Encoding>, not_modified: bool) -> Bytes {
        let mut lines = Vec::with_capacity(512);
        let mut line = |name: &str, value: &[u8]| {
            lines.extend_from_slice(name.as_bytes());
            lines.extend_from_slice(b": ");
            lines.extend_from_slice(value);
            lines.extend_from_slice(b"\r\n");
        };
        if !not_modified {
            line("content-type", self.content_type.as_bytes());
            if let Some(e) = encoding {
                line("content-encoding", e.token().as_bytes());
            }
        }
        line("etag", encoding.map_or(&self.etag, |e| self.variant_etag(e)).as_bytes());
        line("cache-control", policy.cache_control.as_bytes());
        if self.compressible() {
            line("vary", b"Accept-Encoding");
        }
        if let (false, Some(link)) = (not_modified, &self.link) {
            line("link", link.as_bytes());
        }
        lines.extend_from_slice(security::wire_block(Some(&self.content_type)));
        Bytes::from(lines)
    }

    pub fn with_link(mut self, link: Option<String>) -> Self {
        self.link = link.and_then(|l| HeaderValue::from_str(&l).ok());
        self
    }
}

/// How long clients and shared caches may reuse a catalog response.
#[derive(Debug, Clone)]
pub struct CachePolicy {
    cache_control: HeaderValue,
}

impl CachePolicy {
    pub fn new(max_age: u32) -> Self {
        CachePolicy {
            cache_control: HeaderValue::from_str(&format!("public, max-age={max_age}"))
                .expect("digits are a valid header value"),
        }
    }
}

/// The strong ETag of a body: a 128-bit content hash.
pub fn etag_for(body: &[u8]) -> HeaderValue {
    entity_tag(xxhash_rust::xxh3::xxh3_128(body), "")
}

/// `"<hash as 32 hex digits><suffix>"`: the one form of every ETag this server sends.
fn entity_tag(hash: u128, suffix: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{hash:032x}{suffix}\"")).expect("hex is a valid header value")
}

/// True when one `If-None-Match` header value names `etag` (or is `*`).
pub fn matches(value: &HeaderValue, etag: &HeaderValue) -> bool {
    // What a client sends back most: the one tag it was given, as it was given.
    if value.as_bytes() == etag.as_bytes() {
        return true;
    }
    let wanted = strip_quotes(etag.as_bytes());
    value.as_bytes().split(|&b| b == b',').any(|tag| {
        let tag = tag.trim_ascii();
        let tag = tag.strip_prefix(b"W/").unwrap_or(tag);
        tag == b"*" || base_tag(strip_quotes(tag)) == wanted
    })
}

/// True when the request's `If-None-Match` names this body in any encoding (weak comparison, as
/// RFC 9110 requires for `If-None-Match`; `*` matches any current representation).
fn none_match(req: &HttpRequest, etag: &HeaderValue) -> bool {
    req.headers().get_all(header::IF_NONE_MATCH).any(|value| matches(value, etag))
}

fn strip_quotes(tag: &[u8]) -> &[u8] {
    tag.strip_prefix(b"\"").and_then(|t| t.strip_suffix(b"\"")).unwrap_or(tag)
}

/// The tag of the uncompressed body: an encoding suffix (`-br`, `-zstd`, `-gzip`) removed.
fn base_tag(tag: &[u8]) -> &[u8] {
    for suffix in [&b"-br"[..], b"-zstd", b"-gzip"] {
        if let Some(base) = tag.strip_suffix(suffix) {
            return base;
        }
    }
    tag
}

/// Sends a cached response: 304 when the client already has it, else 200 with the body,
/// compressed when the client accepts an encoding and the body is large enough.
pub fn send(req: &HttpRequest, policy: &CachePolicy, entry: &CachedResponse) -> HttpResponse {
    let encoding = entry.negotiate(req);
    let not_modified = none_match(req, &entry.etag);
    let mut res = if not_modified {
        HttpResponse::new(StatusCode::NOT_MODIFIED)
    } else {
        let body = match encoding {
            Some(e) => entry.variants.get(e, &entry.body).clone(),
            None => entry.body.clone(),
        };
        // Boxed as it is made: `map_into_boxed_body` would move the whole response once more.
        HttpResponse::with_body(StatusCode::OK, BoxBody::new(body))
    };
    res.head_mut().set_raw_headers(entry.head_lines(policy, encoding, not_modified));
    res
}

/// The request target of `uri` as the client sent it: path and query.
pub fn target(uri: &Uri) -> &str {
    uri.path_and_query().map_or_else(|| uri.path(), |pq| pq.as_str())
}

/// A `Link` header (RFC 8288) with `next`/`prev` relations; `None` when neither exists.
pub fn link_header(next: Option<String>, prev: Option<String>) -> Option<String> {
    let mut parts = Vec::with_capacity(2);
    if let Some(next) = next {
        parts.push(format!("<{next}>; rel=\"next\""));
    }
    if let Some(prev) = prev {
        parts.push(format!("<{prev}>; rel=\"prev\""));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}
