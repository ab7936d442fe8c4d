//! Middleware wrapped around every request.

pub mod edge;
pub mod metrics;
pub mod rate_limit;
mod request_id;
mod routes_table;
pub mod shared_body;

pub use edge::Edge;
pub use metrics::{HttpMetrics, Metrics};
pub use rate_limit::RateLimiter;
pub use request_id::RequestId;
pub use routes_table::RoutesTable;
pub use shared_body::SliceLargeBodies;
