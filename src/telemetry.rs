//! Logging: `tracing`, human-readable or one JSON object per line, to stderr or to a file
//! (`--log-file`).
//!
//! Lines are handed to `tracing-appender`'s non-blocking writer: a worker formats a line into a
//! buffer and queues it, and one thread of its own writes the queue out, so no request waits on
//! a write. That thread writes through a 64 KiB buffer, flushed whenever the queue is empty: one
//! `write` per batch of lines under load, and each line out as soon as nothing else is waiting.
//! The queue is not lossy: when the writer falls 128,000 lines behind, logging blocks rather than
//! dropping lines. What is queued is written when [`LogGuard`] is dropped, at exit.

use std::fs::OpenOptions;
use std::io::BufWriter;

use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::EnvFilter;

use crate::config::{LogArgs, LogFormat};

/// The log writer thread's buffer: flushed when full and whenever no line is waiting.
const WRITE_BUFFER: usize = 64 * 1024;

/// Keeps the log writer's thread; dropping it writes out what is still queued.
#[must_use = "dropping the guard stops the log writer"]
pub struct LogGuard {
    _writer: Option<WorkerGuard>,
}

/// Installs the global subscriber. A bad filter falls back to `info` with a warning, rather than
/// refusing to start; a log file that cannot be opened is an error.
pub fn init(args: &LogArgs) -> Result<LogGuard, String> {
    let (filter, bad) = match EnvFilter::try_new(&args.log_level) {
        Ok(f) => (f, None),
        Err(e) => (EnvFilter::new("info"), Some(e.to_string())),
    };
    let builder = NonBlockingBuilder::default().lossy(false).thread_name("powerskills-log");
    let (writer, guard) = match &args.log_file {
        Some(path) => {
            let file = OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| format!("cannot open the log file {}: {e}", path.display()))?;
            builder.finish(BufWriter::with_capacity(WRITE_BUFFER, file))
        }
        None => builder.finish(BufWriter::with_capacity(WRITE_BUFFER, std::io::stderr())),
    };
    let ansi = args.log_file.is_none();
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer).with_ansi(ansi);
    let result = match args.log_format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Pretty => builder.compact().try_init(),
    };
    // A second init (tests start several apps in one process) keeps the first subscriber, and
    // its writer: this one's is dropped.
    let guard = result.is_ok().then_some(guard);
    if let Some(e) = bad {
        tracing::warn!(filter = %args.log_level, error = %e, "bad --log-level; using `info`");
    }
    Ok(LogGuard { _writer: guard })
}
