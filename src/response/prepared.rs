//! Answers too large for the weighted response cache (the bulk exports: 8.5 MB on ESCO), built
//! at most once per catalog, each compressed variant too.
//!
//! Their keys are few and fixed (resource × format), so they are kept outside the cache's byte
//! budget, for the life of the catalog: a swap drops them with it. Building is single-flight:
//! concurrent first requests wait for the one build, and a build whose client has gone away
//! still finishes and is kept (it runs in a task of its own).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

use super::CachedResponse;
use super::encoding::Encoding;
use crate::error::ApiError;

/// The prepared answers of one catalog, by key.
#[derive(Debug, Default)]
pub struct PreparedResponses {
    slots: Mutex<HashMap<String, Arc<Prepared>>>,
}

impl PreparedResponses {
    /// The slot for `key` (made empty on first use).
    pub fn slot(&self, key: &str) -> Arc<Prepared> {
        let mut slots = self.slots.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match slots.get(key) {
            Some(slot) => Arc::clone(slot),
            None => Arc::clone(slots.entry(key.to_owned()).or_default()),
        }
    }
}

/// One prepared answer: the body once built, and which compressed variants are made.
#[derive(Debug, Default)]
pub struct Prepared {
    entry: OnceCell<Arc<CachedResponse>>,
    variants: [OnceCell<()>; 3],
    /// How many times a body or a variant was made (each at most once, unless a build failed).
    builds: std::sync::atomic::AtomicU32,
}

impl Prepared {
    /// The answer, built by `build` on first demand, in a task of its own (so that it finishes
    /// for the next client if this one goes away).
    pub async fn get_or_build<F>(self: &Arc<Self>, build: F) -> Result<Arc<CachedResponse>, ApiError>
    where
        F: Future<Output = Result<CachedResponse, ApiError>> + 'static,
    {
        if let Some(entry) = self.entry.get() {
            return Ok(Arc::clone(entry));
        }
        let slot = Arc::clone(self);
        detached(async move {
            let slot = &slot;
            slot.entry
                .get_or_try_init(|| async move {
                    slot.builds.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    build.await.map(Arc::new)
                })
                .await
                .cloned()
        })
        .await
    }

    /// The answer, when it is built.
    pub fn built(&self) -> Option<&Arc<CachedResponse>> {
        self.entry.get()
    }

    /// How many bodies and compressed variants were made for this slot so far.
    pub fn builds(&self) -> u32 {
        self.builds.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Makes `entry`'s variant for `encoding` on first demand with `compress` (which should
    /// call [`CachedResponse::prepare`] off the worker thread), once.
    pub async fn prepare_variant<F>(self: &Arc<Self>, encoding: Encoding, compress: F) -> Result<(), ApiError>
    where
        F: Future<Output = Result<(), ApiError>> + 'static,
    {
        let ix = match encoding {
            Encoding::Brotli => 0,
            Encoding::Zstd => 1,
            Encoding::Gzip => 2,
        };
        if self.variants[ix].get().is_some() {
            return Ok(());
        }
        let slot = Arc::clone(self);
        detached(async move {
            let slot = &slot;
            slot.variants[ix]
                .get_or_try_init(|| async move {
                    slot.builds.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    compress.await
                })
                .await
                .map(|_| ())
        })
        .await
    }
}

/// Runs `work` as a task of its own on this worker, so that it completes even when the request
/// that started it is dropped.
async fn detached<T: 'static>(work: impl Future<Output = Result<T, ApiError>> + 'static) -> Result<T, ApiError> {
    actix_web::rt::spawn(work).await.map_err(|e| ApiError::Internal(format!("prepared response: {e}")))?
}
