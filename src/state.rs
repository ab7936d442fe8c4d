//! What every handler can reach: the current catalog, the database, the caching policy.

use std::sync::Arc;

use arc_swap::ArcSwap;
use sqlx::SqlitePool;

use crate::catalog::Catalog;
use crate::response::CachePolicy;

pub struct AppState {
    /// The catalog being served; replaced whole (never edited) when a new one is loaded.
    catalog: ArcSwap<Catalog>,
    /// Read-only pool: readiness checks and the queries that are not served from memory.
    pub db: SqlitePool,
    /// One connection of its own for `/readyz`, so that readiness never queues behind client work.
    pub readiness: SqlitePool,
    pub cache_policy: CachePolicy,
}

impl AppState {
    pub fn new(catalog: Catalog, db: SqlitePool, readiness: SqlitePool, cache_policy: CachePolicy) -> Self {
        AppState { catalog: ArcSwap::from_pointee(catalog), db, readiness, cache_policy }
    }

    /// The catalog a request works on, held for the whole request: a swap during the request
    /// does not mix two catalogs into one answer.
    pub fn catalog(&self) -> Arc<Catalog> {
        self.catalog.load_full()
    }

    /// Serves `catalog` from now on; requests in flight finish on the one they hold.
    pub fn replace_catalog(&self, catalog: Catalog) {
        self.catalog.store(Arc::new(catalog));
    }
}
