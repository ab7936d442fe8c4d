//! The bounded in-memory cache of serialized responses, one per served snapshot (a new catalog
//! starts with an empty cache, so no entry can outlive the data it was built from).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};

use super::CachedResponse;
use crate::error::ApiError;

/// Serialized responses keyed by the canonical form of path and parameters.
pub struct ResponseCache {
    entries: quick_cache::sync::Cache<String, Arc<CachedResponse>, BodyWeight>,
    /// The entries again, by the request target (path and query as sent) of a GET they
    /// answered: what lets a repeated request be answered before routing and parsing
    /// (`crate::middleware::answer_cached`). An index, not a second owner: it holds the entry
    /// weakly, so that `entries` alone decides what stays in memory.
    targets: quick_cache::sync::Cache<Box<str>, Target, TargetWeight>,
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

/// What the target index keeps for one target.
#[derive(Clone)]
struct Target {
    entry: Weak<CachedResponse>,
    route: Arc<Route>,
}

/// The route that answered a request: its template (`/skills/{slug}`), for the metrics and the
/// access log of a request answered before routing.
#[derive(Debug)]
pub struct Route {
    pub template: Arc<str>,
}

/// A target weighs its key and what a dead entry still holds: the allocation a `Weak` keeps
/// (the entry's struct, its body and copies gone) and the index's own.
#[derive(Debug, Clone, Copy)]
struct TargetWeight;

impl quick_cache::Weighter<Box<str>, Target> for TargetWeight {
    fn weight(&self, key: &Box<str>, _: &Target) -> u64 {
        (key.len() + std::mem::size_of::<CachedResponse>() + 128) as u64
    }
}

impl ResponseCache {
    /// How many bytes of responses are kept per catalog; the least useful are evicted past that,
    /// so that memory stays bounded whatever clients ask (a search per request with a new page).
    pub const CAPACITY_BYTES: u64 = 24 * 1024 * 1024;
    /// The number of entries the cache is sized for up front.
    const ESTIMATED_ENTRIES: usize = 4096;
    /// How many bytes the target index may take (about 3,000 targets of 100 bytes).
    pub const TARGET_CAPACITY_BYTES: u64 = 4 * 1024 * 1024;

    pub fn new() -> Self {
        Self::with_capacity(Self::CAPACITY_BYTES, Self::TARGET_CAPACITY_BYTES)
    }

    /// A cache of `bytes` of responses and `target_bytes` of target index.
    pub fn with_capacity(bytes: u64, target_bytes: u64) -> Self {
        ResponseCache {
            entries: quick_cache::sync::Cache::with_weighter(Self::ESTIMATED_ENTRIES, bytes, BodyWeight),
            targets: quick_cache::sync::Cache::with_weighter(Self::ESTIMATED_ENTRIES, target_bytes, TargetWeight),
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

    /// The entry that answered a GET of `target` before, with the route that answered it; `None`
    /// when no GET of this target was answered from this cache, or its entry has been evicted
    /// since.
    pub fn by_target(&self, target: &str) -> Option<(Arc<CachedResponse>, Arc<Route>)> {
        let found = self.targets.get(target)?;
        Some((found.entry.upgrade()?, found.route))
    }

    /// Remembers that a GET of `target` is answered with `entry` (an entry of this cache) by
    /// `route`.
    pub fn remember_target(&self, target: &str, entry: &Arc<CachedResponse>, route: Arc<Route>) {
        self.targets.insert(target.into(), Target { entry: Arc::downgrade(entry), route });
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

#[cfg(test)]
mod tests {
    use actix_web::http::header::HeaderValue;
    use bytes::Bytes;

    use super::*;

    fn route() -> Arc<Route> {
        Arc::new(Route { template: "/things/{id}".into() })
    }

    async fn entry(cache: &ResponseCache, key: &str) -> Arc<CachedResponse> {
        let body = Bytes::from(vec![b'x'; 2000]);
        cache
            .get_or_build(key, async || Ok(CachedResponse::new(body, HeaderValue::from_static("text/plain"))))
            .await
            .unwrap()
    }

    /// The target index finds an entry while the cache keeps it, and nothing once the cache has
    /// evicted it: it does not keep an entry alive.
    #[actix_web::test]
    async fn a_target_finds_its_entry_until_the_cache_evicts_it() {
        let cache = ResponseCache::with_capacity(64 * 1024, 64 * 1024);
        let first = entry(&cache, "/things/1").await;
        cache.remember_target("/things/1?x=1", &first, route());
        let (found, route) = cache.by_target("/things/1?x=1").unwrap();
        assert!(Arc::ptr_eq(&found, &first));
        assert_eq!(&*route.template, "/things/{id}");
        assert!(cache.by_target("/things/1").is_none());
        drop((first, found));

        let mut others = 0;
        while cache.entries.peek("/things/1").is_some() {
            others += 1;
            assert!(others < 1000, "the cache never evicted the first entry");
            // Asked for again, as a popular entry is: what takes an idle one's place.
            let key = format!("/things/{}", others + 1);
            entry(&cache, &key).await;
            entry(&cache, &key).await;
        }
        assert!(cache.by_target("/things/1?x=1").is_none());
    }
}
