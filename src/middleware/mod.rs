//! Middleware wrapped around every request, one job each; those without state of their own are
//! plain async functions (`actix_web::middleware::from_fn`). From the outside in (see
//! [`crate::startup::build_app`]):
//!
//! | middleware | file | job |
//! | --- | --- | --- |
//! | [`SliceLargeBodies`] | `shared_body.rs` | large bodies written as slices of one buffer |
//! | [`Metrics`] | `metrics.rs` | request counters and latency histogram |
//! | [`access_log`] | `access_log.rs` | one log line per request |
//! | [`assign_request_id`] | `request_id.rs` | `X-Request-Id`, and the current request for problems |
//! | [`security_headers`] | `security_headers.rs` | security headers and CORS read permission, built once |
//! | [`recover`] | `recover.rs` | a panic or a middleware's error becomes a problem |
//! | [`rejections::error_handlers`] | `rejections.rs` | actix's own error responses become problems |
//! | [`cors::cors`] | `cors.rs` | CORS preflights (`actix-cors`) |
//! | [`head_limits`] | `limits.rs` | request target and header size limits |
//! | [`head_as_get`] | `head.rs` | HEAD served as GET |
//! | [`tag_untagged`] | `etag.rs` | an ETag for 200s no handler tagged |
//! | [`RateLimiter`] | `rate_limit.rs` | per-client rate limit (when on; the client: `client_ip.rs`) |

pub mod access_log;
pub mod client_ip;
pub mod cors;
pub mod etag;
pub mod head;
pub mod limits;
pub mod metrics;
pub mod rate_limit;
pub mod recover;
pub mod rejections;
pub mod request_id;
mod routes_table;
pub mod security_headers;
pub mod shared_body;

pub use access_log::{ACCESS_LOG, access_log};
pub use etag::tag_untagged;
pub use head::head_as_get;
pub use limits::head_limits;
pub use metrics::{HttpMetrics, Metrics};
pub use rate_limit::RateLimiter;
pub use recover::recover;
pub use request_id::{RequestId, assign_request_id};
pub use routes_table::RoutesTable;
pub use security_headers::security_headers;
pub use shared_body::SliceLargeBodies;
