//! Command-line and environment configuration (clap derive + env).

use std::num::NonZeroUsize;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::middleware::rate_limit::Rate;

/// The database used when neither `--database-url` nor `DATABASE_URL` is given.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/powerskills.db";

/// The address served when neither `--bind` nor `POWERSKILLS_BIND` is given.
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

#[derive(Debug, Parser)]
#[command(
    name = "powerskills",
    version,
    about = "A JSON REST API serving a catalog of in-demand professional skills.",
    long_about = "A JSON REST API serving a catalog of in-demand professional skills.\n\n\
                  With no subcommand, `powerskills` serves (the same as `powerskills serve`).",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Options of `serve`, accepted without the subcommand too.
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API (the default when no subcommand is given).
    Serve(ServeArgs),
    /// Exit 0 when a running server answers `GET /readyz` with 200 (for container healthchecks).
    Healthcheck(HealthcheckArgs),
    /// Print the OpenAPI document (the committed `openapi/openapi.json` is this output).
    Openapi,
    /// Replace the catalog in a database with an imported taxonomy, recording a new version and
    /// what changed (`GET /versions`, `GET /changes`).
    #[command(subcommand)]
    Import(ImportCommand),
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on (host:port; port 0 picks a free port).
    #[arg(long, env = "POWERSKILLS_BIND", default_value = DEFAULT_BIND)]
    pub bind: String,

    /// SQLite database URL; the file and its folder are created when missing.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,

    /// Worker threads (default: one per CPU core).
    #[arg(long, env = "POWERSKILLS_WORKERS")]
    pub workers: Option<NonZeroUsize>,

    /// `max-age`, in seconds, of the `Cache-Control` header on catalog responses.
    #[arg(long, env = "POWERSKILLS_CACHE_MAX_AGE", default_value_t = 300)]
    pub cache_max_age: u32,

    /// Seconds to let in-flight requests finish after SIGTERM/SIGINT before exiting.
    #[arg(long, env = "POWERSKILLS_SHUTDOWN_GRACE", default_value_t = 10)]
    pub shutdown_grace: u64,

    /// Serve `GET /metrics` on this address (host:port) instead of the main one, e.g. to keep
    /// it off the public network.
    #[arg(long, env = "POWERSKILLS_METRICS_BIND")]
    pub metrics_bind: Option<String>,

    /// Seconds between checks of the catalog version in the database; a new version is loaded
    /// and swapped in live (as on SIGHUP). 0 turns the checks off.
    #[arg(long, env = "POWERSKILLS_RELOAD_INTERVAL", default_value_t = 10)]
    pub reload_interval: u64,

    #[command(flatten)]
    pub log: LogArgs,

    #[command(flatten)]
    pub limits: LimitArgs,
}

/// Protection against misbehaving clients (see RELIABILITY.md).
#[derive(Debug, Clone, Default, Args)]
pub struct LimitArgs {
    /// Requests each client IP may make per second (`20` or `20/s`), minute (`600/min`) or hour
    /// (`10000/h`), as a token bucket; 0 turns rate limiting off. Over the limit: 429 with
    /// `Retry-After`; every response carries `RateLimit` headers.
    #[arg(long, env = "POWERSKILLS_RATE_LIMIT", default_value_t = Rate::OFF)]
    pub rate_limit: Rate,

    /// How many requests a client may make at once before the rate applies (the bucket size).
    #[arg(long, env = "POWERSKILLS_RATE_LIMIT_BURST", default_value_t = 20)]
    pub rate_limit_burst: u32,

    /// Proxy addresses whose `X-Forwarded-For` is believed (comma-separated IPs); from any other
    /// peer the header is ignored and the peer address is the client.
    #[arg(long, env = "POWERSKILLS_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,

    /// Open connections each worker accepts at most; further clients wait in the listen backlog.
    #[arg(long, env = "POWERSKILLS_MAX_CONNECTIONS", default_value_t = 25_000)]
    pub max_connections: usize,

    /// Expensive requests (uncached extraction and search, export builds) admitted at once, running or
    /// waiting; past that they are answered 503 `overloaded` with `Retry-After`.
    #[arg(long, env = "POWERSKILLS_WORK_QUEUE", default_value_t = 64)]
    pub work_queue: usize,

    /// Seconds a client may leave a response unread (no byte of it can be written) before the
    /// connection is dropped; also the kernel's TCP_USER_TIMEOUT for unacknowledged data.
    /// 0 disables both.
    #[arg(long, env = "POWERSKILLS_WRITE_TIMEOUT", default_value_t = 30)]
    pub write_timeout: u64,
}

#[derive(Debug, Clone, Args)]
pub struct LogArgs {
    /// Log filter (tracing EnvFilter syntax). One line per request is logged at `info` by the
    /// `powerskills::access` target: `--log-level info,powerskills::access=off` silences it.
    #[arg(long, env = "POWERSKILLS_LOG", default_value = "info")]
    pub log_level: String,

    /// Log line format.
    #[arg(long, env = "POWERSKILLS_LOG_FORMAT", value_enum, default_value_t = LogFormat::Pretty)]
    pub log_format: LogFormat,

    /// Write the log to this file (appended to, created when missing) instead of stderr.
    #[arg(long, env = "POWERSKILLS_LOG_FILE")]
    pub log_file: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Pretty,
    /// One JSON object per line.
    Json,
}

#[derive(Debug, Args)]
pub struct HealthcheckArgs {
    /// The readiness URL to probe (plain http).
    #[arg(long, env = "POWERSKILLS_HEALTHCHECK_URL", default_value = "http://127.0.0.1:8080/readyz")]
    pub url: String,

    /// Give up after this many seconds.
    #[arg(long, default_value_t = 3)]
    pub timeout: u64,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import the ESCO skills pillar (English). With no files, the copy vendored in the
    /// repository (`data/esco/`) and embedded in this binary is used; see `data/esco/README.md`.
    Esco(EscoImportArgs),
    /// Import a catalog from the files the exports write (`/skills/export`,
    /// `/categories/export`, `/faqs/export`, CSV or NDJSON; see `docs/IMPORT.md`).
    Catalog(CatalogImportArgs),
}

#[derive(Debug, Args)]
pub struct EscoImportArgs {
    /// An ESCO skills CSV (`esco_skills_en.csv`) instead of the embedded one (with `--groups`).
    #[arg(long, requires = "groups")]
    pub skills: Option<std::path::PathBuf>,

    /// An ESCO skill groups CSV (`esco_skill_groups_en.csv`) instead of the embedded one (with `--skills`).
    #[arg(long, requires = "skills")]
    pub groups: Option<std::path::PathBuf>,

    #[command(flatten)]
    pub target: ImportTarget,
}

#[derive(Debug, Args)]
pub struct CatalogImportArgs {
    /// The skills: a `/skills/export` file (`.csv` or `.ndjson`), or one written like it.
    #[arg(long)]
    pub skills: std::path::PathBuf,

    /// The categories (a `/categories/export` file); without it, the current catalog's are kept.
    #[arg(long)]
    pub categories: Option<std::path::PathBuf>,

    /// The FAQ entries (a `/faqs/export` file); without it, the current catalog's are kept.
    #[arg(long)]
    pub faqs: Option<std::path::PathBuf>,

    #[command(flatten)]
    pub target: ImportTarget,
}

/// Where an import writes, and how strict it is.
#[derive(Debug, Args)]
pub struct ImportTarget {
    /// SQLite database URL to write the catalog into (created when missing).
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,

    /// Import nothing (and change nothing) when any row is bad, instead of skipping bad rows.
    #[arg(long)]
    pub strict: bool,
}
