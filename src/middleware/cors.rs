//! CORS preflight requests, answered by [`actix_cors`]: every origin may call every method this
//! API has, with any request headers, and cache the answer for a day. The read permission on
//! actual responses is in [`super::security_headers`] (it goes on every response, `Origin` or not).

use actix_cors::Cors;
use actix_web::http::Method;

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
