//! `GET /metrics`: Prometheus text format, for the operators' scrapers.
//!
//! Not part of the OpenAPI document (it is not part of the API clients use, and it may be served
//! on another address: `--metrics-bind`), so it is registered as a plain actix resource, like
//! `/docs`, not through the `#[utoipa::path]` declarations.
//! Request metrics come from [`HttpMetrics`] (the workers' counts, summed); what describes the
//! catalog is read from the catalog being served at scrape time, so a swap shows at once and the
//! previous catalog's `version` label does not linger as a stale series.

use std::fmt::Write as _;

use actix_web::HttpResponse;
use actix_web::http::header::{self, HeaderValue};
use actix_web::web::{self, Data};

use crate::middleware::HttpMetrics;
use crate::middleware::metrics::escape;
use crate::served::Served;
use crate::state::AppState;

/// The content type of the Prometheus text exposition format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Registers `GET /metrics` on an app (the API's, or the separate metrics listener's). As a
/// resource rather than `cfg.route(..)`, whose method guard would make `POST /metrics` a 404:
/// the resource answers other methods 405 with `Allow`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/metrics").route(web::get().to(get_metrics)));
}

async fn get_metrics(state: Data<AppState>, metrics: Data<HttpMetrics>) -> HttpResponse {
    let mut body = metrics.render();
    write_catalog_metrics(&mut body, &state.served());
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE)))
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .body(body)
}

/// Appends the build and catalog gauges.
fn write_catalog_metrics(out: &mut String, served: &Served) {
    let catalog = &served.catalog;
    let meta = &catalog.meta;
    let gauge = |out: &mut String, name: &str, help: &str, labels: &str, value: usize| {
        let _ = write!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name}{labels} {value}\n\n");
    };
    let build = format!("{{version=\"{}\"}}", escape(env!("CARGO_PKG_VERSION")));
    gauge(out, "powerskills_build_info", "The running build (always 1).", &build, 1);
    let info = format!("{{version=\"{}\",source=\"{}\"}}", escape(&meta.version), escape(&meta.source));
    gauge(out, "powerskills_catalog_info", "The catalog being served (always 1).", &info, 1);
    gauge(
        out,
        "powerskills_catalog_categories",
        "Categories in the catalog being served.",
        "",
        catalog.categories.len(),
    );
    gauge(out, "powerskills_catalog_skills", "Skills in the catalog being served.", "", catalog.skills.len());
    gauge(out, "powerskills_catalog_faqs", "FAQ entries in the catalog being served.", "", catalog.faqs.len());
    let _ = write!(
        out,
        "# HELP powerskills_response_builds_total Responses built into the cache since this catalog was served.\n\
         # TYPE powerskills_response_builds_total counter\npowerskills_response_builds_total {}\n\n",
        served.builds()
    );
}
