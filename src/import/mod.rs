//! `powerskills import`: reading a taxonomy's files into a [`NewCatalog`], reporting bad rows by
//! line, and writing it with [`db::replace_catalog`] (one transaction, which also records the
//! version and what changed, see [`changes`]).
//!
//! [`NewCatalog`]: crate::db::NewCatalog
//! [`db::replace_catalog`]: crate::db::replace_catalog

pub mod catalog;
pub mod changes;
pub mod esco;

use std::time::{Duration, Instant};

use crate::db::{self, DbError, NewCatalog, Recorded};

/// What reading an importer's files produced: the catalog, and the rows left out.
#[derive(Debug)]
pub struct Parsed {
    pub catalog: NewCatalog,
    pub bad_rows: Vec<BadRow>,
    pub alias_count: usize,
}

/// A row that could not be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    pub file: String,
    /// 1-based line number in the file (0: not from a file, e.g. kept from the current catalog).
    pub line: u64,
    pub reason: String,
}

impl std::fmt::Display for BadRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            0 => write!(f, "{}: {}", self.file, self.reason),
            line => write!(f, "{}:{line}: {}", self.file, self.reason),
        }
    }
}

/// What writing an import did, and how long its parts took.
#[derive(Debug, Clone)]
pub struct Written {
    pub recorded: Recorded,
    /// Opening the database and reading the catalog being replaced (in the transaction).
    pub read_time: Duration,
    /// Computing the changes against the catalog replaced.
    pub diff_time: Duration,
    /// The whole transaction (reading, diffing, writing, committing).
    pub write_time: Duration,
}

/// Writes `catalog` into the database at `options`, recording a version with `summary` and the
/// changes against the catalog it replaces; `skills_written` is called midway (see
/// [`db::replace_catalog`]).
pub async fn write(
    options: &sqlx::sqlite::SqliteConnectOptions,
    catalog: &NewCatalog,
    summary: &str,
    skills_written: impl FnOnce(),
) -> Result<Written, DbError> {
    let started = Instant::now();
    let (mut read_time, mut diff_time) = (Duration::ZERO, Duration::ZERO);
    let recorded = db::replace_catalog(
        options,
        catalog,
        summary,
        |previous| {
            read_time = started.elapsed();
            let at = Instant::now();
            let changes = changes::diff(previous, &catalog.clone().into_data());
            diff_time = at.elapsed();
            changes
        },
        skills_written,
    )
    .await?;
    Ok(Written { recorded, read_time, diff_time, write_time: started.elapsed() })
}

/// One line saying what an import's version changed.
pub fn describe_changes(recorded: &Recorded) -> String {
    let c = &recorded.changes;
    let part = |resource: &str| {
        format!(
            "{} added, {} removed, {} changed",
            c.count(resource, "added"),
            c.count(resource, "removed"),
            c.count(resource, "changed")
        )
    };
    format!(
        "version {}: skills {}; categories {}; FAQ entries {}",
        recorded.version_id,
        part("skill"),
        part("category"),
        part("faq")
    )
}
