//! Middleware wrapped around every request, one job each. Most are [`Stage`]s: what they do
//! before the app and after it, made a middleware by [`Staged`] without a boxed future
//! (`stage.rs`); stages next to each other are chained into one middleware ([`stages!`](crate::stages)). From
//! the outside in (see [`crate::startup::build_app`]):
//!
//! | middleware | file | job |
//! | --- | --- | --- |
//! | [`AssignRequestId`] | `request_id.rs` | `X-Request-Id`, and the current request (for problems, the log, the metrics) |
//! | [`SliceLargeBodies`] | `shared_body.rs` | large bodies written as slices of one buffer |
//! | [`Metrics`] | `metrics.rs` | request counters and latency histogram |
//! | [`AccessLog`] | `access_log.rs` | one log line per request |
//! | [`SecurityHeaders`] | `security_headers.rs` | security headers and CORS read permission, built once |
//! | [`HeadLimits`] | `limits.rs` | request target and header size limits |
//! | [`HeadAsGet`] | `head.rs` | HEAD served as GET |
//! | [`RateLimiter`] | `rate_limit.rs` | per-client rate limit (when on; the client: `client_ip.rs`) |
//! | [`AnswerCached`] | `answer_cached.rs` | a GET answered again from the response cache, before routing |
//! | [`Recover`] | `recover.rs` | a panic or a middleware's error becomes a problem |
//! | [`rejections::error_handlers`] | `rejections.rs` | actix's own error responses become problems |
//! | [`CorsWhenAsked`] | `cors.rs` | CORS preflights (`actix-cors`, for requests with `Origin` and `OPTIONS`) |
//! | [`TagUntagged`] | `etag.rs` | an ETag for 200s no handler tagged |
//!
//! The eight after the request id are one chain of stages. A repeated GET is answered by the
//! last of those, so it passes only the request id and that chain: nothing inside has work for
//! it (it is already a problem-free, tagged answer, and the CORS read permission is in its
//! security block).

pub mod access_log;
pub mod answer_cached;
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
pub mod route_template;
mod routes_table;
pub mod security_headers;
pub mod shared_body;
pub mod stage;

pub use access_log::{ACCESS_LOG, AccessLog};
pub use answer_cached::AnswerCached;
pub use cors::CorsWhenAsked;
pub use etag::TagUntagged;
pub use head::HeadAsGet;
pub use limits::HeadLimits;
pub use metrics::{HttpMetrics, Metrics};
pub use rate_limit::RateLimiter;
pub use recover::Recover;
pub use request_id::{AssignRequestId, RequestId};
pub use routes_table::RoutesTable;
pub use security_headers::SecurityHeaders;
pub use shared_body::SliceLargeBodies;
pub use stage::{Before, Stage, Staged};
