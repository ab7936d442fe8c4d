//! The bounded in-memory cache of serialized responses, one per catalog (a new catalog starts
//! with an empty cache, so no entry can outlive the data it was built from).

use std::sync::Arc;

use super::CachedResponse;
use crate::error::ApiError;

/// Serialized responses keyed by the canonical form of path and parameters (and by the request
/// targets that led to them).
pub struct ResponseCache {
    entries: quick_cache::sync::Cache<String, Arc<CachedResponse>, BodyWeight>,
    /// The few answers too large for this cache (the exports), built once per catalog.
    pub prepared: super::PreparedResponses,
}

/// An entry weighs its key and body, plus room for its compressed copies (made on demand, at
/// most about half the body again in practice).
#[derive(Debug, Clone, Copy)]
struct BodyWeight;

impl quick_cache::Weighter<String, Arc<CachedResponse>> for BodyWeight {
    fn weight(&self, key: &String, entry: &Arc<CachedResponse>) -> u64 {
        (key.len() + entry.body.len() + entry.body.len() / 2 + 256) as u64
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
            prepared: super::PreparedResponses::default(),
        }
    }

    /// The cached response for `key`, built by `build` when missing. Errors are not cached.
    pub fn get_or_build(
        &self,
        key: &str,
        build: impl FnOnce() -> Result<CachedResponse, ApiError>,
    ) -> Result<Arc<CachedResponse>, ApiError> {
        if let Some(hit) = self.entries.get(key) {
            return Ok(hit);
        }
        let entry = Arc::new(build()?);
        self.entries.insert(key.to_owned(), Arc::clone(&entry));
        Ok(entry)
    }

    pub fn get(&self, key: &str) -> Option<Arc<CachedResponse>> {
        self.entries.get(key)
    }

    /// Caches `entry` under `key` and returns it shared.
    pub fn insert(&self, key: String, entry: CachedResponse) -> Arc<CachedResponse> {
        let entry = Arc::new(entry);
        self.entries.insert(key, Arc::clone(&entry));
        entry
    }

    /// Also answers `target` with `entry` from now on.
    pub fn remember(&self, target: &str, entry: &Arc<CachedResponse>) {
        if self.entries.get(target).is_none() {
            self.entries.insert(target.to_owned(), Arc::clone(entry));
        }
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
