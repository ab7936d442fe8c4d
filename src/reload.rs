//! Live catalog swap: a running server switches to a new catalog without a restart and without
//! serving a mix of two.
//!
//! A reload reads the catalog (one read transaction, so an import running in another process is
//! seen whole or not at all), builds every index derived from it on a blocking thread (the new
//! [`Catalog`] starts with an empty response cache), and swaps it in with one atomic store.
//! Requests in flight finish on the catalog they hold. A failed reload changes nothing: the
//! server goes on serving the catalog it has.
//!
//! Triggers: SIGHUP, and a check of the version stored in the database every
//! `--reload-interval` seconds (a cheap one-row query; a reload happens only when it differs).

use std::sync::Arc;
use std::time::Duration;

use actix_web::rt::signal::unix::{Signal, SignalKind, signal};
use actix_web::rt::task::JoinHandle;
use actix_web::web::Data;
use tokio::time::{Instant, MissedTickBehavior, interval_at};

use crate::catalog::CatalogError;
use crate::db;
use crate::middleware::HttpMetrics;
use crate::served::Served;
use crate::state::AppState;

/// What a reload did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reloaded {
    /// A new catalog is being served.
    Swapped { from: String, to: String },
    /// The database holds the catalog already served.
    Unchanged { version: String },
}

#[derive(Debug, thiserror::Error)]
pub enum ReloadError {
    #[error("cannot read the catalog: {0}")]
    Read(String),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error("building the catalog's indexes failed: {0}")]
    Build(String),
}

/// Loads the database's catalog and serves it from now on, unless it is the one being served.
pub async fn reload(state: &AppState) -> Result<Reloaded, ReloadError> {
    let served = state.served();
    let current = served.catalog.meta.version.clone();
    let read_error = |e: sqlx::Error| ReloadError::Read(db::describe(&e));
    let stored = db::catalog_version(&state.db).await.map_err(read_error)?;
    if stored.as_ref().is_some_and(|(label, id)| *label == current && *id == served.catalog.meta.version_id) {
        return Ok(Reloaded::Unchanged { version: current });
    }
    let data = db::load_catalog(&state.db).await.map_err(read_error)?;
    // Building the indexes of a large catalog takes CPU for a while: not on the runtime's thread.
    let policy = state.cache_policy.clone();
    let next = actix_web::rt::task::spawn_blocking(move || Served::build(data, policy))
        .await
        .map_err(|e| ReloadError::Build(e.to_string()))??;
    let to = next.catalog.meta.version.clone();
    state.replace(next);
    Ok(Reloaded::Swapped { from: current, to })
}

/// Listens for SIGHUP now (so a signal sent once the server answers is never the default
/// "terminate"), and returns the task that reloads on it and on the version check (and counts
/// the reloads in the metrics).
pub fn spawn_reloader(
    state: Data<AppState>,
    metrics: Arc<HttpMetrics>,
    check_every: Option<Duration>,
) -> std::io::Result<JoinHandle<()>> {
    let hangup = signal(SignalKind::hangup())?;
    Ok(actix_web::rt::spawn(run(state, metrics, hangup, check_every)))
}

async fn run(state: Data<AppState>, metrics: Arc<HttpMetrics>, mut hangup: Signal, check_every: Option<Duration>) {
    let mut check = check_every.map(|every| {
        let mut check = interval_at(Instant::now() + every, every);
        check.set_missed_tick_behavior(MissedTickBehavior::Delay);
        check
    });
    loop {
        let trigger = tokio::select! {
            _ = hangup.recv() => "SIGHUP",
            _ = async {
                match check.as_mut() {
                    Some(check) => { check.tick().await; }
                    None => std::future::pending::<()>().await,
                }
            } => "version check",
        };
        match reload(&state).await {
            Ok(Reloaded::Swapped { from, to }) => {
                metrics.count_reload("swapped");
                tracing::info!(trigger, from = %from, to = %to, "catalog swapped");
            }
            Ok(Reloaded::Unchanged { version }) => {
                if trigger == "SIGHUP" {
                    tracing::info!(trigger, version = %version, "catalog unchanged");
                }
            }
            Err(e) => {
                metrics.count_reload("failed");
                tracing::error!(trigger, error = %e, "catalog reload failed; still serving the previous catalog");
            }
        }
    }
}
