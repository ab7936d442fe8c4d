//! Giving freed heap back to the operating system after a burst of connections.
//!
//! glibc's allocator keeps memory freed by the program for reuse instead of returning it: after
//! a burst (hundreds of connections holding queued requests and response buffers) the resident
//! size stays at its peak although the memory is free. Every accepted connection holds an
//! [`OpenConnection`] (from `connection::on_connect`), so the number open is one atomic counter.
//! A thread started by `serve` reads it every [`EVERY`]; once it has fallen [`BURST`] or more
//! below its highest since the last trim, the allocator is asked to release what is free
//! (`malloc_trim(0)`). A steady server never trims, and one trim follows a burst.
//!
//! The allocator's own statistics (`mallinfo2`) would be a finer trigger, but reading them walks
//! every free chunk under the arena locks, measured at ~15 % of the server's CPU when polled
//! every 2 s under a search load: the counter costs nothing. The trim itself runs on its own
//! thread, never on a worker. Other allocators (musl) return large frees at once; there the
//! thread is not started.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// How often the number of open connections is looked at.
pub const EVERY: Duration = Duration::from_secs(2);

/// Connections that must have closed (below the highest number open since the last trim)
/// before a trim: fewer leave little memory, which the allocator reuses.
pub const BURST: usize = 32;

static OPEN: AtomicUsize = AtomicUsize::new(0);

/// Counts one open connection while it lives (kept in the connection's extensions).
#[derive(Debug)]
pub struct OpenConnection(());

impl OpenConnection {
    pub fn new() -> Self {
        OPEN.fetch_add(1, Ordering::Relaxed);
        OpenConnection(())
    }
}

impl Default for OpenConnection {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for OpenConnection {
    fn drop(&mut self) {
        OPEN.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Starts the trimming thread (glibc only; elsewhere a no-op).
pub fn trim_freed_heap_periodically() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let started = std::thread::Builder::new().name("heap-trim".into()).spawn(|| {
            let mut trim = Trim::default();
            loop {
                std::thread::sleep(EVERY);
                if trim.after(OPEN.load(Ordering::Relaxed)) {
                    // SAFETY: malloc_trim releases free pages under the allocator's own locks;
                    // it touches no memory the program holds.
                    unsafe { libc::malloc_trim(0) };
                }
            }
        });
        if let Err(e) = started {
            tracing::warn!(error = %e, "cannot start the heap-trim thread; freed memory stays with the allocator");
        }
    }
}

/// When to trim, from successive readings of the number of open connections.
#[derive(Debug, Default)]
pub struct Trim {
    highest: usize,
}

impl Trim {
    /// Whether to trim now that `open` connections are open.
    pub fn after(&mut self, open: usize) -> bool {
        self.highest = self.highest.max(open);
        if self.highest - open < BURST {
            return false;
        }
        self.highest = open;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_trim_follows_a_fall_of_a_burst_or_more() {
        let mut trim = Trim::default();
        let readings = [10, 40, 12, 300, 269, 268, 20, 19, 25];
        let trims: Vec<bool> = readings.iter().map(|&r| trim.after(r)).collect();
        assert_eq!(trims, [false, false, false, false, false, true, true, false, false]);
    }
}
