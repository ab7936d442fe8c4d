//! The bounded in-memory cache of serialized responses, one per served snapshot (a new catalog
//! starts with an empty cache, so no entry can outlive the data it was built from).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::CachedResponse;
use crate::error::ApiError;

/// Serialized responses keyed by the canonical form of path and parameters.
pub struct ResponseCache {
    entries: quick_cache::sync::Cache<String, Arc<CachedResponse>, BodyWeight>,
    /// How many entries were built (misses that built; single-flight waiters do not count).
    builds: AtomicU64,
    /// The few answers too large for this cache (the exports), built once per catalog.
    pub prepared: super::PreparedResponses,
}

/// An entry weighs its key and body, plus room for its compressed copies (made on demand, at
/// most about half the body again in practice), plus [`ENTRY_OVERHEAD`].
#[derive(Debug, Clone, Copy)]
struct BodyWeight;

/// What an entry holds besides its key and bodies: the struct with its ETags (~700 bytes) and
/// the header block of the way it is sent most (~550 bytes, made on first send).
const ENTRY_OVERHEAD: usize = 1280;

impl quick_cache::Weighter<String, Arc<CachedResponse>> for BodyWeight {
    fn weight(&self, key: &String, entry: &Arc<CachedResponse>) -> u64 {
        (key.len() + entry.body.len() + entry.body.len() / 2 + ENTRY_OVERHEAD) as u64
    }
}

impl ResponseCache {
    /// How many bytes of responses are kept per catalog; the least useful are evicted past that,
    /// so that memory stays bounded whatever clients ask (a search per request with a new page).
    pub const CAPACITY_BYTES: u64 = 24 * 1024 * 1024;
    /// The number of entries the cache is sized for up front.
    const ESTIMATED_ENTRIES: usize = 4096;

    pub fn new() -> Self {
        ResponseCache {
            entries: quick_cache::sync::Cache::with_weighter(Self::ESTIMATED_ENTRIES, Self::CAPACITY_BYTES, BodyWeight),
            builds: AtomicU64::new(0),
            prepared: super::PreparedResponses::default(),
        }
    }

    /// The cached response for `key`, built by `build` when missing. Single-flight: while one
    /// caller builds, the others asking for `key` wait for its entry (quick_cache's placeholder
    /// guard) rather than build it too. Errors are not cached: the guard is dropped, and the next
    /// waiter builds.
    ///
    /// A hit is answered at once, without the single-flight machinery. A miss goes through it in
    /// a boxed future: the caller's future is then as small on a miss as on a hit, and every
    /// layer the request passes through moves a few bytes instead of the build's whole state.
    pub async fn get_or_build(
        &self,
        key: &str,
        build: impl AsyncFnOnce() -> Result<CachedResponse, ApiError>,
    ) -> Result<Arc<CachedResponse>, ApiError> {
        if let Some(entry) = self.entries.get(key) {
            return Ok(entry);
        }
        let miss = self.entries.get_or_insert_async(key, async {
            let entry = Arc::new(build().await?);
            self.builds.fetch_add(1, Ordering::Relaxed);
            Ok(entry)
        });
        Box::pin(miss).await
    }

    pub fn builds(&self) -> u64 {
        self.builds.load(Ordering::Relaxed)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl Default for ResponseCache {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for ResponseCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseCache").field("len", &self.entries.len()).finish()
    }
}
