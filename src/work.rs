//! The bounded queue for expensive work (load shedding).
//!
//! CPU-heavy work a client can ask for (an uncached extraction, building or compressing an
//! export) runs here: on the queue's own threads, never on a worker thread, so cheap requests and
//! the health probes on the same worker keep being answered. At most `parallel` jobs run at once
//! and at most `capacity` are admitted (running or waiting); past that the request is refused at
//! once with 503 `overloaded` and `Retry-After`, instead of queueing without bound.
//!
//! The queue's threads run at the lowest scheduling priority (nice 19 on Linux): when a worker
//! thread and a job want the same core, the worker (which answers probes, cheap requests and
//! refusals) runs first, and the job takes the time left over. Under a flood that saturates the
//! cores the queue then drains slowly and more clients are refused (503), instead of every
//! client, probes included, waiting behind the work. An idle machine runs the jobs as fast as
//! before: the priority only decides who waits when both are runnable.
//!
//! A job that is still waiting when its client goes away is dropped with the request's future
//! (it never runs). A job that has started runs to its end: each is bounded (see
//! docs/API-DESIGN.md, "Cost bounds"), and an export build is kept for the next request anyway.
//!
//! A request whose body is large (an extraction) asks [`WorkQueue::check_room`] before reading
//! it, so an overloaded server refuses it without reading the body; the slot itself is taken only
//! once the body is in ([`WorkQueue::run`]), so a client sending its body slowly holds no slot.

use std::panic::AssertUnwindSafe;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};

use crate::error::ApiError;

/// Seconds a refused client is told to wait.
pub const RETRY_AFTER_SECS: u64 = 1;

/// The nice value of the queue's threads: the lowest priority there is.
pub const NICE: i32 = 19;

type Job = Box<dyn FnOnce() + Send + 'static>;

#[derive(Debug, Clone)]
pub struct WorkQueue {
    capacity: usize,
    admitted: Arc<Semaphore>,
    running: Arc<Semaphore>,
    /// To the queue's threads; they end when the last clone of the queue is dropped.
    jobs: mpsc::Sender<Job>,
}

impl WorkQueue {
    /// `parallel` jobs at once, `capacity` admitted in all (both at least 1; `capacity` at
    /// least `parallel`). Starts `parallel` threads at the lowest priority.
    pub fn new(parallel: usize, capacity: usize) -> Self {
        let parallel = parallel.max(1);
        let capacity = capacity.max(parallel);
        let (jobs, inbox) = mpsc::channel::<Job>();
        let inbox = Arc::new(Mutex::new(inbox));
        for i in 0..parallel {
            let inbox = Arc::clone(&inbox);
            std::thread::Builder::new()
                .name(format!("work-{i}"))
                .spawn(move || {
                    lower_priority();
                    loop {
                        // The lock is held only while waiting: one thread takes the next job.
                        let job = match inbox.lock() {
                            Ok(inbox) => inbox.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return, // the queue was dropped
                        }
                    }
                })
                .expect("a thread for the work queue");
        }
        WorkQueue {
            capacity,
            admitted: Arc::new(Semaphore::new(capacity)),
            running: Arc::new(Semaphore::new(parallel)),
            jobs,
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

    /// Runs `job` on the queue's threads when its turn comes; `Overloaded` when the queue is full.
    pub async fn run<T: Send + 'static>(&self, job: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
        let admitted = Arc::clone(&self.admitted)
            .try_acquire_owned()
            .map_err(|_| ApiError::Overloaded { retry_after: RETRY_AFTER_SECS })?;
        let running = Arc::clone(&self.running).acquire_owned().await.expect("the semaphore is never closed");
        let (answer, result) = oneshot::channel();
        let slots: (OwnedSemaphorePermit, OwnedSemaphorePermit) = (admitted, running);
        self.jobs
            .send(Box::new(move || {
                let outcome = std::panic::catch_unwind(AssertUnwindSafe(job));
                // The slots are free before the answer is: whoever reads it sees the queue as it is.
                drop(slots);
                let _ = answer.send(outcome); // Err: the client has gone away
            }))
            .map_err(|_| ApiError::Internal("the work queue's threads have ended".into()))?;
        match result.await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(_)) => Err(ApiError::Internal("expensive work panicked".into())),
            Err(_) => Err(ApiError::Internal("expensive work ended without an answer".into())),
        }
    }

    /// Jobs admitted now (running or waiting).
    pub fn admitted(&self) -> usize {
        self.capacity - self.admitted.available_permits()
    }
}

/// Sets the calling thread (only it: on Linux each thread has its own nice value) to [`NICE`].
#[cfg(target_os = "linux")]
fn lower_priority() {
    // SAFETY: setpriority and gettid have no memory-safety preconditions.
    let set = unsafe { libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, NICE) };
    if set != 0 {
        tracing::warn!(error = %std::io::Error::last_os_error(), "the work queue's thread keeps its priority");
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}

/// The calling thread's nice value (Linux).
#[cfg(all(test, target_os = "linux"))]
fn nice() -> i32 {
    // SAFETY: as above. getpriority's -1 is also a valid nice value; the tests compare with 19.
    unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t) }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::*;

    #[tokio::test]
    async fn past_capacity_work_is_refused_and_a_dropped_waiter_never_runs() {
        let queue = WorkQueue::new(1, 2);
        // One job runs and blocks until released...
        let (release, hold) = mpsc::channel::<()>();
        let (started_tx, started) = tokio::sync::oneshot::channel();
        let running = tokio::spawn({
            let queue = queue.clone();
            async move {
                queue
                    .run(move || {
                        started_tx.send(()).unwrap();
                        hold.recv().unwrap();
                        "first"
                    })
                    .await
            }
        });
        started.await.unwrap();
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
        assert_eq!(running.await.unwrap().unwrap(), "first");
        assert!(!ran.load(std::sync::atomic::Ordering::SeqCst));
        assert_eq!(queue.run(|| "later").await.unwrap(), "later");
    }

    #[tokio::test]
    async fn check_room_refuses_only_a_full_queue_and_takes_no_slot() {
        let queue = WorkQueue::new(1, 1);
        assert!(queue.check_room().is_ok());
        assert_eq!(queue.admitted(), 0, "asking took a slot");
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
        let refused = queue.check_room();
        assert!(matches!(refused, Err(ApiError::Overloaded { retry_after: 1 })), "{refused:?}");
        release.send(()).unwrap();
        running.await.unwrap().unwrap();
        // The slot is free once the answer is there.
        assert!(queue.check_room().is_ok());
    }

    #[tokio::test]
    async fn a_panicking_job_is_an_internal_error_and_the_thread_goes_on() {
        let queue = WorkQueue::new(1, 1);
        let failed = queue.run(|| panic!("a job failed")).await;
        assert!(matches!(failed, Err(ApiError::Internal(_))), "{failed:?}");
        assert_eq!(queue.admitted(), 0);
        assert_eq!(queue.run(|| 7).await.unwrap(), 7);
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn jobs_run_at_the_lowest_priority_and_the_callers_thread_keeps_its_own() {
        let before = nice();
        let queue = WorkQueue::new(2, 2);
        let (a, b) = tokio::join!(queue.run(nice), queue.run(nice));
        assert_eq!((a.unwrap(), b.unwrap()), (NICE, NICE));
        assert_eq!(nice(), before);
    }
}
