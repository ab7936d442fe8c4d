//! Middleware wrapped around every request.

pub mod edge;
pub mod metrics;
mod request_id;
mod routes_table;

pub use edge::Edge;
pub use metrics::{HttpMetrics, Metrics};
pub use request_id::RequestId;
pub use routes_table::RoutesTable;
