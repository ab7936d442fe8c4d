//! The served snapshot: one catalog together with everything answers are made from, its search
//! indexes and its response cache. A new catalog (after an import) becomes a new `Served`,
//! swapped in whole ([`crate::state::AppState::replace`]), so that no answer mixes two catalogs
//! and no cached answer outlives the data it was built from.
//!
//! A handler takes a [`Snapshot`] (the snapshot current when the request arrived, held for the
//! whole request), parses its request into a canonical key and calls [`Served::cached`]: the
//! entry is built at most once per key, however many requests miss it at the same moment.

use std::future::{Ready, ready};
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use actix_web::dev::Payload;
use actix_web::http::Method;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest, HttpResponse};

use crate::catalog::{Catalog, CatalogError, SkillIx, timed};
use crate::db::CatalogData;
use crate::error::ApiError;
use crate::response::{self, CachePolicy, CachedResponse, PreparedResponses, ResponseCache, Route};
use crate::search::SearchIndex;
use crate::search::autocomplete::Autocomplete;
use crate::state::AppState;

pub struct Served {
    pub catalog: Catalog,
    /// The search index over skills, categories and FAQ entries.
    pub search: SearchIndex,
    /// Prefix index over names and aliases.
    pub autocomplete: Autocomplete,
    responses: ResponseCache,
    /// Each skill's JSON as a list item, made on first use ([`Served::skill_item`]).
    skill_items: Box<[OnceLock<Box<[u8]>>]>,
    policy: CachePolicy,
}

impl Served {
    /// The snapshot of `data`: the catalog and its indexes, built side by side (the ESCO
    /// start-up time is a target: BENCHMARKS.md), with an empty response cache.
    pub fn build(data: CatalogData, policy: CachePolicy) -> Result<Served, CatalogError> {
        let (catalog, (search, autocomplete)) = Catalog::build_with(data, |parts| {
            std::thread::scope(|scope| {
                let autocomplete = scope.spawn(|| timed("autocomplete index", || Autocomplete::new(parts.skills)));
                let search = timed("search index", || SearchIndex::new(parts.skills, parts.categories, parts.faqs));
                (search, autocomplete.join().expect("autocomplete index builds"))
            })
        })?;
        let skill_items = (0..catalog.skills.len()).map(|_| OnceLock::new()).collect();
        Ok(Served { catalog, search, autocomplete, responses: ResponseCache::new(), skill_items, policy })
    }

    /// Answers `req` with the response cached under `key` (the canonical form of the parsed
    /// request), made by `build` when it is missing. Single-flight: concurrent misses of one key
    /// wait for the first one's build instead of building it again. Errors are not cached (the
    /// next request builds anew).
    ///
    /// For an answer that depends only on the request target and this snapshot (`Accept-Encoding`
    /// and `If-None-Match` are [`response::send`]'s): a GET's target is remembered, and the next
    /// GET of the same target is answered before routing (`crate::middleware::answer_cached`).
    /// An answer that also depends on other request headers uses [`Served::cached_varying`].
    ///
    /// `build` is an async closure, called only on a miss: the future of a hit then holds a few
    /// references instead of the whole build (BENCHMARKS.md, "Futures that hold only a hit, and
    /// access-log lines in batches").
    pub async fn cached(
        &self,
        req: &HttpRequest,
        key: &str,
        build: impl AsyncFnOnce() -> Result<CachedResponse, ApiError>,
    ) -> Result<HttpResponse, ApiError> {
        let entry = self.responses.get_or_build(key, build).await?;
        if req.method() == Method::GET
            && req.match_name().is_some()
            && let Some(template) = req.match_pattern()
        {
            let route = Arc::new(Route { template: template.into() });
            self.responses.remember_target(response::target(req.uri()), &entry, route);
        }
        Ok(self.send(req, &entry))
    }

    /// [`Served::cached`] for an answer that depends on more of the request than its target
    /// (`GET /`, on `Accept`): never answered before routing.
    pub async fn cached_varying(
        &self,
        req: &HttpRequest,
        key: &str,
        build: impl AsyncFnOnce() -> Result<CachedResponse, ApiError>,
    ) -> Result<HttpResponse, ApiError> {
        let entry = self.responses.get_or_build(key, build).await?;
        Ok(self.send(req, &entry))
    }

    /// The answer to a GET of `req`'s target that [`Served::cached`] gave before, sent again
    /// (304 when the client has it), with the route that answered it; `None` when there is none
    /// in this snapshot.
    pub fn answer_again(&self, req: &HttpRequest) -> Option<(HttpResponse, Arc<Route>)> {
        let (entry, route) = self.responses.by_target(response::target(req.uri()))?;
        Some((self.send(req, &entry), route))
    }

    /// Sends an already made response with this snapshot's caching headers (304 when the
    /// client has it).
    pub fn send(&self, req: &HttpRequest, entry: &CachedResponse) -> HttpResponse {
        response::send(req, &self.policy, entry)
    }

    /// The answers too large for the response cache (the exports), prepared once per snapshot.
    pub fn prepared(&self) -> &PreparedResponses {
        &self.responses.prepared
    }

    /// The JSON of skill `ix` as a list item, made by `make` the first time it is asked for and
    /// kept as long as this snapshot: a page or a 1,000-id lookup then copies bytes instead of
    /// serializing each skill (at most a few hundred bytes a skill: ~8 MiB for all of ESCO).
    pub fn skill_item(&self, ix: SkillIx, make: impl FnOnce() -> Vec<u8>) -> &[u8] {
        self.skill_items[ix as usize].get_or_init(|| make().into_boxed_slice())
    }

    /// How many response-cache entries this snapshot has built so far (its misses that built).
    pub fn builds(&self) -> u64 {
        self.responses.builds()
    }
}

impl std::fmt::Debug for Served {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Served").field("catalog", &self.catalog).field("responses", &self.responses).finish()
    }
}

/// The snapshot a request is answered from: the one current when the request arrived, held
/// until it is answered (a swap meanwhile does not change it).
pub struct Snapshot(Arc<Served>);

impl Snapshot {
    /// Shares the snapshot, e.g. with work sent to the blocking pool.
    pub fn share(&self) -> Arc<Served> {
        Arc::clone(&self.0)
    }
}

impl Deref for Snapshot {
    type Target = Served;

    fn deref(&self) -> &Served {
        &self.0
    }
}

impl FromRequest for Snapshot {
    type Error = ApiError;
    type Future = Ready<Result<Snapshot, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(match req.app_data::<Data<AppState>>() {
            Some(state) => Ok(Snapshot(state.served())),
            None => Err(ApiError::Internal("the app has no state".into())),
        })
    }
}
