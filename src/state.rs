//! What every handler can reach: the snapshot being served, the database, the caching policy.

use std::sync::Arc;

use arc_swap::ArcSwap;
use sqlx::SqlitePool;

use crate::response::CachePolicy;
use crate::served::Served;

pub struct AppState {
    /// The snapshot being served; replaced whole (never edited) when a new catalog is loaded.
    served: ArcSwap<Served>,
    /// Read-only pool: the queries that are not served from memory (versions, the change feed).
    pub db: SqlitePool,
    /// One connection of its own for `/readyz`, so that readiness never queues behind client work.
    pub readiness: SqlitePool,
    pub cache_policy: CachePolicy,
}

impl AppState {
    pub fn new(served: Served, db: SqlitePool, readiness: SqlitePool, cache_policy: CachePolicy) -> Self {
        AppState { served: ArcSwap::from_pointee(served), db, readiness, cache_policy }
    }

    /// The snapshot a request works on, held for the whole request: a swap during the request
    /// does not mix two catalogs into one answer. Handlers take it as a
    /// [`crate::served::Snapshot`].
    pub fn served(&self) -> Arc<Served> {
        self.served.load_full()
    }

    /// Serves `served` from now on; requests in flight finish on the one they hold.
    pub fn replace(&self, served: Served) {
        self.served.store(Arc::new(served));
    }
}
