//! The bounded queue for expensive work (load shedding).
//!
//! CPU-heavy work a client can ask for (an uncached extraction or search, building or
//! compressing an export) runs here: on the blocking pool, never on a worker thread, so cheap
//! requests and the health probes on the same worker keep being answered. At most `parallel` jobs run at once and
//! at most `capacity` are admitted (running or waiting); past that the request is refused at
//! once with 503 `overloaded` and `Retry-After`, instead of queueing without bound.
//!
//! A job that is still waiting when its client goes away is dropped with the request's future
//! (it never runs). A job that has started runs to its end: each is bounded (see
//! docs/API-DESIGN.md, "Cost bounds"), and an export build is kept for the next request anyway.
//!
//! A request whose body is large (an extraction) asks [`WorkQueue::check_room`] before reading
//! it, so an overloaded server refuses it without reading the body; the slot itself is taken only
//! once the body is in ([`WorkQueue::run`]), so a client sending its body slowly holds no slot.

use std::sync::Arc;

use tokio::sync::Semaphore;

use crate::error::ApiError;

/// Seconds a refused client is told to wait.
pub const RETRY_AFTER_SECS: u64 = 1;

#[derive(Debug, Clone)]
pub struct WorkQueue {
    capacity: usize,
    admitted: Arc<Semaphore>,
    running: Arc<Semaphore>,
}

impl WorkQueue {
    /// `parallel` jobs at once, `capacity` admitted in all (both at least 1; `capacity` at
    /// least `parallel`).
    pub fn new(parallel: usize, capacity: usize) -> Self {
        let parallel = parallel.max(1);
        let capacity = capacity.max(parallel);
        WorkQueue {
            capacity,
            admitted: Arc::new(Semaphore::new(capacity)),
            running: Arc::new(Semaphore::new(parallel)),
        }
    }

    /// `Overloaded` when the queue is full now; takes no slot. For a request that would read a
    /// large body before asking [`run`](Self::run): refused before the body is read.
    pub fn check_room(&self) -> Result<(), ApiError> {
        if self.admitted.available_permits() == 0 {
            return Err(ApiError::Overloaded { retry_after: RETRY_AFTER_SECS });
        }
        Ok(())
    }

    /// Runs `job` on the blocking pool when its turn comes; `Overloaded` when the queue is full.
    pub async fn run<T: Send + 'static>(&self, job: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
        let admitted = Arc::clone(&self.admitted)
            .try_acquire_owned()
            .map_err(|_| ApiError::Overloaded { retry_after: RETRY_AFTER_SECS })?;
        let running = Arc::clone(&self.running).acquire_owned().await.expect("the semaphore is never closed");
        tokio::task::spawn_blocking(move || {
            let _slots = (admitted, running);
            job()
        })
        .await
        .map_err(|e| ApiError::Internal(format!("expensive work failed: {e}")))
    }

    /// Jobs admitted now (running or waiting).
    pub fn admitted(&self) -> usize {
        self.capacity - self.admitted.available_permits()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::*;

    /// A job holding one of `queue`'s slots, running once this returns, until `release` is sent.
    async fn hold_a_slot(queue: &WorkQueue) -> (mpsc::Sender<()>, tokio::task::JoinHandle<Result<(), ApiError>>) {
        let (release, hold) = mpsc::channel::<()>();
        let (started_tx, started) = tokio::sync::oneshot::channel();
        let running = tokio::spawn({
            let queue = queue.clone();
            async move {
                queue
                    .run(move || {
                        started_tx.send(()).unwrap();
                        hold.recv().unwrap();
                    })
                    .await
            }
        });
        started.await.unwrap();
        (release, running)
    }

    #[tokio::test]
    async fn past_capacity_work_is_refused_and_a_dropped_waiter_never_runs() {
        let queue = WorkQueue::new(1, 2);
        // One job runs and blocks until released...
        let (release, running) = hold_a_slot(&queue).await;
        // ...one waits for its turn...
        let ran = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let waiting = tokio::spawn({
            let (queue, ran) = (queue.clone(), Arc::clone(&ran));
            async move { queue.run(move || ran.store(true, std::sync::atomic::Ordering::SeqCst)).await }
        });
        while queue.admitted() != 2 {
            tokio::task::yield_now().await;
        }
        // ...and a third is refused at once.
        let refused = queue.run(|| "third").await;
        assert!(matches!(refused, Err(ApiError::Overloaded { retry_after: 1 })), "{refused:?}");
        // The waiter's client goes away: its job never runs, and its slot is free again.
        waiting.abort();
        assert!(waiting.await.unwrap_err().is_cancelled());
        assert_eq!(queue.admitted(), 1);
        release.send(()).unwrap();
        running.await.unwrap().unwrap();
        assert!(!ran.load(std::sync::atomic::Ordering::SeqCst));
        assert_eq!(queue.run(|| "later").await.unwrap(), "later");
    }

    #[tokio::test]
    async fn check_room_refuses_only_a_full_queue_and_takes_no_slot() {
        let queue = WorkQueue::new(1, 1);
        assert!(queue.check_room().is_ok());
        assert_eq!(queue.admitted(), 0, "asking took a slot");
        let (release, running) = hold_a_slot(&queue).await;
        let refused = queue.check_room();
        assert!(matches!(refused, Err(ApiError::Overloaded { retry_after: 1 })), "{refused:?}");
        release.send(()).unwrap();
        running.await.unwrap().unwrap();
        // The slot is free once the answer is there.
        assert!(queue.check_room().is_ok());
    }

    #[tokio::test]
    async fn a_panicking_job_is_an_internal_error_and_frees_its_slot() {
        let queue = WorkQueue::new(1, 1);
        let failed = queue.run(|| panic!("a job failed")).await;
        assert!(matches!(failed, Err(ApiError::Internal(_))), "{failed:?}");
        assert_eq!(queue.admitted(), 0);
        assert_eq!(queue.run(|| 7).await.unwrap(), 7);
    }
}
