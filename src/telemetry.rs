//! Logging: `tracing`, human-readable or one JSON object per line, to stderr or to a file
//! (`--log-file`).
//!
//! Lines are handed to `tracing-appender`'s non-blocking writer: a worker formats a line into a
//! buffer and queues it, and one thread of its own writes the queue out, so no request waits on
//! a write. That thread writes through a 64 KiB buffer, flushed whenever the queue is empty: one
//! `write` per batch of lines under load, and each line out as soon as nothing else is waiting.
//! The queue is not lossy: when the writer falls 128,000 lines behind, logging blocks rather than
//! dropping lines. The JSON access log's lines are queued in batches ([`write_json_line`]): a
//! line reaches the file within [`FLUSH_EVERY`] (100 ms), in the order the lines were written,
//! possibly after other log lines written later. What is queued or gathered is written when
//! [`LogGuard`] is dropped, at exit.

use std::fs::OpenOptions;
use std::io::{BufWriter, Write};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tracing_appender::non_blocking::{NonBlocking, NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::EnvFilter;

use crate::config::{LogArgs, LogFormat};

/// The log writer thread's buffer: flushed when full and whenever no line is waiting.
const WRITE_BUFFER: usize = 64 * 1024;

/// Keeps the log writer's thread; dropping it writes out what is still queued, the access
/// lines not yet queued included.
#[must_use = "dropping the guard stops the log writer"]
pub struct LogGuard {
    _writer: Option<WorkerGuard>,
}

impl Drop for LogGuard {
    fn drop(&mut self) {
        // Before the writer (a field, dropped after this) writes its queue out and stops.
        if self._writer.is_some() {
            flush_json_lines();
        }
    }
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
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer.clone()).with_ansi(ansi);
    let result = match args.log_format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Pretty => builder.compact().try_init(),
    };
    // A second init (tests start several apps in one process) keeps the first subscriber, and
    // its writer: this one's is dropped.
    let guard = result.is_ok().then_some(guard);
    if guard.is_some() && args.log_format == LogFormat::Json {
        start_access_lines(writer);
    }
    if let Some(e) = bad {
        tracing::warn!(filter = %args.log_level, error = %e, "bad --log-level; using `info`");
    }
    Ok(LogGuard { _writer: guard })
}

/// The JSON log's writer, when the log is JSON: for lines written without `tracing`'s formatter
/// (the access log, [`crate::middleware::access_log`]), into the same queue as every other line,
/// in batches ([`AccessLines`]).
static JSON_LINES: OnceLock<Mutex<AccessLines>> = OnceLock::new();

/// Access-log lines not yet queued, and the queue's writer. A line costs an append under this
/// lock; the lines go into the writer's queue together, once [`BATCH`] bytes have gathered, at
/// the latest [`FLUSH_EVERY`] after they were written, and when the [`LogGuard`] is dropped.
/// Queued one by one, each line cost the queue's send and receive and often a wake-up of the
/// writer thread, on the worker's CPU: about 1,000 instructions a line (BENCHMARKS.md, "Futures
/// that hold only a hit, and access-log lines in batches").
struct AccessLines {
    pending: Vec<u8>,
    writer: NonBlocking,
}

/// Bytes of access-log lines gathered before they are queued (about 200 lines).
const BATCH: usize = 32 * 1024;
/// How long an access-log line may wait to be queued, when fewer than [`BATCH`] bytes come.
const FLUSH_EVERY: Duration = Duration::from_millis(100);

impl AccessLines {
    fn queue(&mut self) {
        if !self.pending.is_empty() {
            // Not lossy: `write` waits when the queue is full, and fails only once the writer
            // thread is gone (at exit), when there is nothing left to do with the lines.
            let _ = self.writer.write_all(&self.pending);
            self.pending.clear();
        }
    }
}

/// Starts batching the access log's JSON lines into `writer`, with the thread that queues a
/// batch that waited [`FLUSH_EVERY`].
fn start_access_lines(writer: NonBlocking) {
    let lines = AccessLines { pending: Vec::with_capacity(BATCH + 1024), writer };
    if JSON_LINES.set(Mutex::new(lines)).is_ok() {
        let spawned = std::thread::Builder::new().name("powerskills-log-flush".into()).spawn(|| {
            loop {
                std::thread::sleep(FLUSH_EVERY);
                flush_json_lines();
            }
        });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "cannot start the access-log flush thread; lines are queued in batches only");
        }
    }
}

/// Whether the log is JSON, so that [`write_json_line`] writes.
pub fn json_lines() -> bool {
    JSON_LINES.get().is_some()
}

/// Adds one JSON log line (`line` ends with a newline) to the next batch, as the JSON formatter
/// would have written it; does nothing when the log is not JSON.
pub fn write_json_line(line: &[u8]) {
    let Some(lines) = JSON_LINES.get() else { return };
    let mut lines = lines.lock().unwrap_or_else(PoisonError::into_inner);
    lines.pending.extend_from_slice(line);
    if lines.pending.len() >= BATCH {
        lines.queue();
    }
}

/// Queues the access-log lines gathered so far.
pub fn flush_json_lines() {
    if let Some(lines) = JSON_LINES.get() {
        lines.lock().unwrap_or_else(PoisonError::into_inner).queue();
    }
}

/// Appends `at` as `tracing`'s JSON timestamps are written: RFC 3339, UTC, microseconds
/// (`2026-12-01T15:09:23.976774Z`). The part up to the second is kept per thread, made again
/// only when the second changes: a busy access log writes many lines a second.
pub fn write_timestamp(out: &mut Vec<u8>, at: SystemTime) {
    thread_local! {
        /// The second last written, and its `YYYY-MM-DDTHH:MM:SS.`.
        static SECOND: std::cell::Cell<Option<(u64, [u8; 20])>> = const { std::cell::Cell::new(None) };
    }
    let since = at.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let prefix = match SECOND.get() {
        Some((kept, prefix)) if kept == secs => prefix,
        _ => {
            let prefix = second_prefix(secs);
            SECOND.set(Some((secs, prefix)));
            prefix
        }
    };
    out.extend_from_slice(&prefix);
    let mut micros = [b'0'; 6];
    write_digits(&mut micros, u64::from(since.subsec_micros()));
    out.extend_from_slice(&micros);
    out.push(b'Z');
}

/// `YYYY-MM-DDTHH:MM:SS.` of `secs` since the epoch.
fn second_prefix(secs: u64) -> [u8; 20] {
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    let mut p = *b"0000-00-00T00:00:00.";
    write_digits(&mut p[0..4], year as u64);
    write_digits(&mut p[5..7], month);
    write_digits(&mut p[8..10], day);
    write_digits(&mut p[11..13], rest / 3600);
    write_digits(&mut p[14..16], rest / 60 % 60);
    write_digits(&mut p[17..19], rest % 60);
    p
}

/// `n`'s last `out.len()` decimal digits, zero-padded, into `out`.
fn write_digits(out: &mut [u8], mut n: u64) {
    for b in out.iter_mut().rev() {
        *b = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u64, u64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u64;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u64;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn timestamp(secs: u64, micros: u64) -> String {
        let mut out = Vec::new();
        write_timestamp(&mut out, UNIX_EPOCH + Duration::from_secs(secs) + Duration::from_micros(micros));
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn timestamps_are_rfc_3339_utc_with_microseconds() {
        assert_eq!(timestamp(0, 0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(timestamp(1_796_137_763, 976_774), "2026-12-01T15:09:23.976774Z");
        // A leap day, and the last second of a leap year.
        assert_eq!(timestamp(951_782_400, 5), "2000-02-29T00:00:00.000005Z");
        assert_eq!(timestamp(1_735_689_599, 999_999), "2024-12-31T23:59:59.999999Z");
        // The same second again, then the next one: the kept part is reused, then made anew.
        assert_eq!(timestamp(1_735_689_599, 7), "2024-12-31T23:59:59.000007Z");
        assert_eq!(timestamp(1_735_689_600, 7), "2025-01-01T00:00:00.000007Z");
    }
}
