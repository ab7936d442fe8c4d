//! The only module that speaks SQL. Schema and seed data live in `migrations/` (embedded with
//! `sqlx::migrate!` and applied at start-up); the queries that read the catalog live here.
//!
//! Queries use the runtime-checked `query_as::<_, Row>()` form with `FromRow` rows rather than
//! the compile-time `query!` macros: the build then needs neither a live database nor a `.sqlx/`
//! cache to keep fresh, and every query here is exercised by the integration tests, which run
//! against real migrated databases.

mod rows;
pub mod versions;
mod write;

use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::{MigrateError, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};

pub use rows::{CatalogData, CatalogRow, CategoryRow, FaqRow, RemovedSkillRow, SkillRow};
pub use versions::{ChangeSet, NewChange, Recorded, RemovedSkill};
pub use write::{NewCatalog, NewCategory, NewSkill, read_current, replace_catalog};

/// Every migration, embedded in the binary.
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// Why a database could not be opened for serving.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("`{0}` is not a valid SQLite database URL (expected e.g. sqlite://data/powerskills.db)")]
    BadUrl(String),
    #[error("cannot create the database folder {path}: {source}")]
    CreateDir { path: String, source: std::io::Error },
    #[error("cannot open the database {path}: {reason}")]
    Open { path: String, reason: String },
    #[error(
        "the database {path} was written by a newer powerskills (it has migration {version}, which this build does not know); nothing was changed"
    )]
    NewerSchema { path: String, version: i64 },
    #[error(
        "the database {path} is corrupt (PRAGMA quick_check: {detail}); restore it from a backup or re-import the catalog"
    )]
    Corrupt { path: String, detail: String },
    #[error("cannot migrate the database {path}: {reason}")]
    Migrate { path: String, reason: String },
    #[error("cannot write the catalog into {path} (nothing was changed): {reason}")]
    Write { path: String, reason: String },
}

/// The connection options for `url`: WAL journal, foreign keys on, folder created when missing.
pub fn connect_options(url: &str) -> Result<SqliteConnectOptions, DbError> {
    // sqlx reads any string as a file name; only `sqlite:` URLs are meant as databases here.
    if !url.starts_with("sqlite:") {
        return Err(DbError::BadUrl(url.to_owned()));
    }
    let options = SqliteConnectOptions::from_str(url).map_err(|_| DbError::BadUrl(url.to_owned()))?;
    let path = options.get_filename().to_owned();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
        std::fs::create_dir_all(dir)
            .map_err(|source| DbError::CreateDir { path: dir.display().to_string(), source })?;
    }
    Ok(options
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5)))
}

fn display(options: &SqliteConnectOptions) -> String {
    options.get_filename().display().to_string()
}

/// Opens `url`, applies every pending migration, and returns a read-only pool for serving:
/// after start-up no request path can write (defence in depth).
pub async fn open_for_serving(url: &str, max_connections: u32) -> Result<SqlitePool, DbError> {
    let options = connect_options(url)?;
    let path = display(&options);
    migrate(&options).await?;
    let pool = SqlitePoolOptions::new()
        .max_connections(max_connections)
        .min_connections(1)
        .connect_with(options.read_only(true))
        .await
        .map_err(|e| DbError::Open { path: path.clone(), reason: describe(&e) })?;
    check_intact(&pool, &path).await?;
    Ok(pool)
}

/// `PRAGMA quick_check`: every page and b-tree of the file is well formed (not the slower
/// full `integrity_check`, which also cross-checks indexes against tables: O(N log N) here
/// where quick_check is O(N)). A corrupt file fails start-up instead of failing requests later.
async fn check_intact(pool: &SqlitePool, path: &str) -> Result<(), DbError> {
    let corrupt = |detail: String| DbError::Corrupt { path: path.to_owned(), detail };
    let rows: Vec<String> =
        sqlx::query_scalar("PRAGMA quick_check(5)").fetch_all(pool).await.map_err(|e| corrupt(describe(&e)))?;
    match rows.as_slice() {
        [ok] if ok == "ok" => Ok(()),
        problems => Err(corrupt(problems.join("; "))),
    }
}

/// The one connection `/readyz` uses: its own, so readiness never waits behind the requests
/// that use the serving pool, and a short acquire timeout, so a wedged database is reported
/// not ready quickly rather than after the default 30 s.
pub async fn open_readiness(url: &str) -> Result<SqlitePool, DbError> {
    let options = connect_options(url)?.read_only(true).create_if_missing(false);
    let path = display(&options);
    SqlitePoolOptions::new()
        .max_connections(1)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(2))
        .connect_with(options)
        .await
        .map_err(|e| DbError::Open { path, reason: describe(&e) })
}

/// Applies pending migrations through a short-lived writable connection.
pub async fn migrate(options: &SqliteConnectOptions) -> Result<(), DbError> {
    let path = display(options);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options.clone())
        .await
        .map_err(|e| DbError::Open { path: path.clone(), reason: describe(&e) })?;
    let result = MIGRATOR.run(&pool).await;
    pool.close().await;
    result.map_err(|e| match e {
        MigrateError::VersionMissing(version) => DbError::NewerSchema { path: path.clone(), version },
        MigrateError::Execute(sqlx::Error::Database(db))
        | MigrateError::ExecuteMigration(sqlx::Error::Database(db), _) => {
            DbError::Migrate { path: path.clone(), reason: db.message().to_owned() }
        }
        other => DbError::Migrate { path: path.clone(), reason: describe_migrate(&other) },
    })
}

fn describe_migrate(e: &MigrateError) -> String {
    match e {
        MigrateError::Execute(inner) => describe(inner),
        other => other.to_string(),
    }
}

/// A one-line description of a database error for an operator (never sent to clients).
pub fn describe(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(db) => db.message().to_owned(),
        sqlx::Error::Io(io) => io.to_string(),
        other => other.to_string(),
    }
}

/// Loads the whole catalog. The catalog is immutable while served, so it is read once and kept
/// in memory; each read runs in one transaction, so a concurrent import is seen whole or not at all.
pub async fn load_catalog(pool: &SqlitePool) -> Result<CatalogData, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let data = read_catalog(&mut tx).await?;
    tx.commit().await?;
    Ok(data)
}

/// Reads the whole current catalog on `conn` (inside the caller's transaction).
pub(crate) async fn read_catalog(conn: &mut sqlx::SqliteConnection) -> Result<CatalogData, sqlx::Error> {
    let meta = sqlx::query_as::<_, CatalogRow>(
        "SELECT version, source, title, publisher, year, introduction, conclusion, attribution, license, version_id
         FROM catalog WHERE id = 1",
    )
    .fetch_optional(&mut *conn)
    .await?;
    let categories = sqlx::query_as::<_, CategoryRow>(
        "SELECT slug, name, description, parent_slug, code FROM categories ORDER BY position",
    )
    .fetch_all(&mut *conn)
    .await?;
    let skills = sqlx::query_as::<_, SkillRow>(
        "SELECT slug, name, description, category_slug, uri, skill_type, kind FROM skills ORDER BY position",
    )
    .fetch_all(&mut *conn)
    .await?;
    let memberships = sqlx::query_as::<_, (String, String)>(
        "SELECT skill_slug, category_slug FROM skill_categories ORDER BY skill_slug, category_slug",
    )
    .fetch_all(&mut *conn)
    .await?;
    let aliases =
        sqlx::query_as::<_, (String, String)>("SELECT skill_slug, alias FROM skill_aliases ORDER BY skill_slug, alias")
            .fetch_all(&mut *conn)
            .await?;
    let faqs = sqlx::query_as::<_, FaqRow>("SELECT id, question, answer, category_slug FROM faqs ORDER BY id")
        .fetch_all(&mut *conn)
        .await?;
    // Read with the catalog (same transaction), so a 410 never disagrees with the skills served.
    let removed = sqlx::query_as::<_, RemovedSkillRow>(
        "SELECT r.slug, r.uri, r.version_id, v.label AS version_label, r.removed_at, r.replacement_slug
         FROM removed_skills r JOIN versions v ON v.id = r.version_id ORDER BY r.slug",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(CatalogData { meta, categories, skills, memberships, aliases, faqs, removed })
}

/// The catalog version stored in the database, label and version id (cheap; used to notice a
/// new import: a re-import of the same content has the same label but a new version id).
pub async fn catalog_version(pool: &SqlitePool) -> Result<Option<(String, Option<i64>)>, sqlx::Error> {
    sqlx::query_as::<_, (String, Option<i64>)>("SELECT version, version_id FROM catalog WHERE id = 1")
        .fetch_optional(pool)
        .await
}

/// Readiness: the database answers, and every migration this build knows is applied.
pub async fn check_ready(pool: &SqlitePool) -> Result<(), String> {
    let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success = 1")
        .fetch_one(pool)
        .await
        .map_err(|e| format!("database does not answer: {}", describe(&e)))?;
    let known = MIGRATOR.iter().filter(|m| m.migration_type.is_up_migration()).count() as i64;
    if applied < known {
        return Err(format!("{applied} of {known} migrations applied"));
    }
    Ok(())
}
