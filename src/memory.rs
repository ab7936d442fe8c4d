//! Giving freed heap back to the operating system.
//!
//! glibc's allocator keeps memory freed by the program for reuse instead of returning it: after
//! a burst (hundreds of connections holding queued requests and response buffers, a catalog
//! swap) the resident size stays at its peak although the memory is free. A thread started by
//! `serve` looks every [`EVERY`] at the memory in use; once it has fallen [`KEEP`] or more below
//! its highest since the last trim, the allocator is asked to release what is free
//! (`malloc_trim(0)`). So a steady server never trims, and one trim follows a burst. The check
//! and the trim run on their own thread, never on a worker. Other allocators (musl) return
//! large frees at once; there it does nothing.

use std::time::Duration;

/// How often the allocator's free memory is checked.
pub const EVERY: Duration = Duration::from_secs(2);

/// A fall of the memory in use smaller than this is left to the allocator to reuse.
pub const KEEP: usize = 8 << 20;

/// Starts the trimming thread (glibc only; elsewhere a no-op).
pub fn trim_freed_heap_periodically() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let started = std::thread::Builder::new().name("heap-trim".into()).spawn(|| {
            let mut trim = Trim::default();
            loop {
                std::thread::sleep(EVERY);
                // SAFETY: mallinfo2 only reads glibc's allocator state, under its own locks.
                if trim.after(unsafe { libc::mallinfo2() }.uordblks) {
                    // SAFETY: malloc_trim releases free pages under the allocator's locks; it
                    // touches no memory the program holds.
                    unsafe { libc::malloc_trim(0) };
                }
            }
        });
        if let Err(e) = started {
            tracing::warn!(error = %e, "cannot start the heap-trim thread; freed memory stays with the allocator");
        }
    }
}

/// When to trim, from successive readings of the bytes in use.
#[derive(Debug, Default)]
pub struct Trim {
    highest: usize,
}

impl Trim {
    /// Whether to trim now that `in_use` bytes are in use.
    pub fn after(&mut self, in_use: usize) -> bool {
        self.highest = self.highest.max(in_use);
        if self.highest - in_use < KEEP {
            return false;
        }
        self.highest = in_use;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_trim_follows_a_fall_of_keep_or_more() {
        let mut trim = Trim::default();
        let mib = 1 << 20;
        let readings =
            [100 * mib, 104 * mib, 97 * mib, 300 * mib, 293 * mib, 292 * mib, 120 * mib, 119 * mib, 125 * mib];
        let trims: Vec<bool> = readings.iter().map(|&r| trim.after(r)).collect();
        assert_eq!(trims, [false, false, false, false, false, true, true, false, false]);
    }
}
