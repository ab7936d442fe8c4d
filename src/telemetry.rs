//! Logging: `tracing` to stderr, human-readable or one JSON object per line.

use tracing_subscriber::EnvFilter;

use crate::config::{LogArgs, LogFormat};

/// Installs the global subscriber. A bad filter falls back to `info` with a warning, rather than
/// refusing to start.
pub fn init(args: &LogArgs) {
    let (filter, bad) = match EnvFilter::try_new(&args.log_level) {
        Ok(f) => (f, None),
        Err(e) => (EnvFilter::new("info"), Some(e.to_string())),
    };
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let result = match args.log_format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Pretty => builder.compact().try_init(),
    };
    // A second init (tests start several apps in one process) keeps the first subscriber.
    drop(result);
    if let Some(e) = bad {
        tracing::warn!(filter = %args.log_level, error = %e, "bad --log-level; using `info`");
    }
}
