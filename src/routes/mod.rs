//! One module per resource; each declares its endpoints (handler + `#[utoipa::path]`) and
//! registers them in its `configure`, so the router and the OpenAPI document come from the same
//! declarations.

pub mod categories;
pub mod changes;
pub mod closed_set;
pub mod docs;
pub mod explore;
pub mod export;
pub mod faqs;
pub mod fields;
pub mod health;
pub mod json;
pub mod meta;
pub mod metrics;
pub mod params;
pub mod query_string;
pub mod search;
pub mod skills;
pub mod versions;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every endpoint of the API.
pub fn configure(cfg: &mut ServiceConfig) {
    meta::configure(cfg);
    categories::configure(cfg);
    skills::configure(cfg);
    faqs::configure(cfg);
    search::configure(cfg);
    versions::configure(cfg);
    changes::configure(cfg);
    health::configure(cfg);
    docs::configure(cfg);
    explore::configure(cfg);
}
