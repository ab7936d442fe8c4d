//! Giving freed heap back to the operating system.
//!
//! The program's own allocations go to mimalloc (the global allocator, `src/main.rs`): glibc's
//! `malloc` and `free` were about 2,000 of a hot read's 24,700 instructions (BENCHMARKS.md,
//! "The router, the allocator and the last boxed layers"). At its defaults mimalloc commits its
//! arenas up front and purges freed pages only a second later, and only when it next runs: the
//! ESCO server sat at 190 MiB (141 with glibc), the seed one at 42 (17), and 71 MiB stayed after
//! a burst of 200 stalled connections. So arenas are committed as they fill (set when mimalloc
//! is compiled, in `.cargo/config.toml`: the first arena is made before `main`), and
//! [`configure`] has freed pages given back at once. A steady hot path frees what it allocated
//! on pages that stay in use, so it purges nothing. RELIABILITY.md has the figures.
//!
//! SQLite (C) still allocates from glibc, which keeps freed heap for reuse instead of returning
//! it. Every accepted connection holds an [`OpenConnection`] (from `connection::on_connect`),
//! so the number open is one atomic counter. A thread started by `serve` reads it every
//! [`EVERY`]; once it has fallen [`BURST`] or more below its highest since the last trim,
//! glibc is asked to release what is free (`malloc_trim(0)`). A steady server never trims, and
//! one trim follows a burst.
//!
//! glibc's own statistics (`mallinfo2`) would be a finer trigger, but reading them walks every
//! free chunk under the arena locks, measured at ~15 % of the server's CPU when polled every
//! 2 s under a search load: the counter costs nothing. The trim itself runs on its own thread,
//! never on a worker. Other C libraries (musl) return large frees at once; there the thread is
//! not started.

/// mimalloc's `purge_delay` option, by its index in the `mimalloc.h` of libmimalloc-sys 0.1.49
/// (mimalloc v3, which `Cargo.lock` holds); a unit test checks the index by its default.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Has mimalloc give freed pages back at once. Called first in `main`.
pub fn configure() {
    // SAFETY: setting an option is a store into mimalloc's option table; it is read when pages
    // are next purged.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
}

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

/// Starts the thread that trims glibc's heap (glibc only; elsewhere a no-op).
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
    fn the_mimalloc_options_are_the_ones_meant() {
        // Read before `configure` (the tests never call it), the index gives the default that
        // mimalloc's options.c has for `purge_delay`; option 4, `arena_eager_commit`, reads the
        // value compiled in from .cargo/config.toml (its own default is 2).
        // SAFETY: reading an option is a load from mimalloc's option table.
        let (delay, eager) =
            unsafe { (libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY), libmimalloc_sys::mi_option_get(4)) };
        assert_eq!((delay, eager), (1000, 0));
    }

    #[test]
    fn one_trim_follows_a_fall_of_a_burst_or_more() {
        let mut trim = Trim::default();
        let readings = [10, 40, 12, 300, 269, 268, 20, 19, 25];
        let trims: Vec<bool> = readings.iter().map(|&r| trim.after(r)).collect();
        assert_eq!(trims, [false, false, false, false, false, true, true, false, false]);
    }
}
