//! `/healthz` (the process answers) and `/readyz` (the database answers and is fully migrated).

use actix_web::http::header::{self, HeaderValue};
use actix_web::web::Data;
use actix_web::{HttpResponse, get};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::db;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_health).service(get_readiness);
}

/// The process's health.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// Always `ok` when the process answers.
    #[schema(example = "ok")]
    pub status: String,
}

/// The service's readiness.
#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    /// `ready`.
    #[schema(example = "ready")]
    pub status: String,
    /// The version of the catalog being served.
    #[schema(example = "seed-2023.1")]
    pub catalog_version: String,
}

/// Liveness probe
///
/// Answers 200 while the process is alive, whatever the state of its database (it touches none).
#[utoipa::path(
    tag = "health",
    operation_id = "get_health",
    responses((status = 200, description = "The process is alive.", body = Health)),
)]
#[get("/healthz")]
pub async fn get_health() -> HttpResponse {
    no_store(HttpResponse::Ok().json(Health { status: "ok".into() }))
}

/// Readiness probe
///
/// Answers 200 when the database answers and every migration of this build is applied, else 503.
/// It asks on a connection of its own, never queueing behind client requests. (The file was
/// checked whole, `PRAGMA quick_check`, at start-up: a corrupt database does not start.)
#[utoipa::path(
    tag = "health",
    operation_id = "get_readiness",
    responses(
        (status = 200, description = "Ready to serve.", body = Readiness),
        (status = 503, description = "Not ready: the database does not answer or is not fully migrated.",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/readyz")]
pub async fn get_readiness(state: Data<AppState>) -> Result<HttpResponse, ApiError> {
    db::check_ready(&state.readiness).await.map_err(ApiError::Unavailable)?;
    let catalog_version = state.catalog().meta.version.clone();
    Ok(no_store(HttpResponse::Ok().json(Readiness { status: "ready".into(), catalog_version })))
}

fn no_store(mut res: HttpResponse) -> HttpResponse {
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}
