//! `/healthz` (the process answers) and `/readyz` (the database answers and is fully migrated).

use actix_web::http::header::{self, HeaderValue};
use actix_web::web::Data;
use actix_web::{HttpResponse, get};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::db;
use crate::error::{ApiError, Problem};
use crate::routes::closed_set::ClosedSet;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_health).service(get_readiness);
}

/// The process's health.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// Always `ok` when the process answers.
    pub status: HealthStatus,
}

/// The process's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(examples("ok"))]
pub enum HealthStatus {
    Ok,
}

impl ClosedSet for HealthStatus {
    fn meaning(&self) -> &'static str {
        match self {
            HealthStatus::Ok => "the process answers",
        }
    }
}

/// The service's readiness.
#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    /// Always `ready` (not ready is a 503 problem).
    pub status: ReadinessStatus,
    /// The version of the catalog being served.
    #[schema(example = "seed-2023.1")]
    pub catalog_version: String,
}

/// The service's readiness status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(examples("ready"))]
pub enum ReadinessStatus {
    Ready,
}

impl ClosedSet for ReadinessStatus {
    fn meaning(&self) -> &'static str {
        match self {
            ReadinessStatus::Ready => "the database answers and every migration of this build is applied",
        }
    }
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
    no_store(HttpResponse::Ok().json(Health { status: HealthStatus::Ok }))
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
    let catalog_version = state.served().catalog.meta.version.clone();
    Ok(no_store(HttpResponse::Ok().json(Readiness { status: ReadinessStatus::Ready, catalog_version })))
}

fn no_store(mut res: HttpResponse) -> HttpResponse {
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}
