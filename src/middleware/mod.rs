//! Middleware wrapped around every request.

pub mod edge;
pub mod metrics;
pub mod rate_limit;
mod request_id;
mod routes_table;

pub use edge::Edge;
pub use metrics::{HttpMetrics, Metrics};
pub use rate_limit::RateLimiter;
pub use request_id::RequestId;
pub use routes_table::RoutesTable;
