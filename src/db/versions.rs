//! Versions and the change feed: what every import recorded (`versions`), what each version
//! changed against the one before it (`changes`), and the skills imports removed
//! (`removed_skills`). Written by [`super::replace_catalog`] in the import's transaction; read
//! by `/versions` and `/changes`.

use sqlx::{FromRow, SqliteConnection, SqlitePool};

/// How many versions keep their change rows: a feed from a version older than the newest
/// `KEPT_CHANGES` versions can no longer be computed (410). The versions themselves are kept.
pub const KEPT_CHANGES: i64 = 10;

/// One recorded version.
#[derive(Debug, Clone, FromRow)]
pub struct VersionRow {
    pub id: i64,
    pub label: String,
    pub imported_at: String,
    pub source: String,
    pub categories: i64,
    pub skills: i64,
    pub faqs: i64,
    pub summary: String,
    pub skills_added: i64,
    pub skills_removed: i64,
    pub skills_changed: i64,
    pub categories_added: i64,
    pub categories_removed: i64,
    pub categories_changed: i64,
    pub faqs_added: i64,
    pub faqs_removed: i64,
    pub faqs_changed: i64,
    pub changes_pruned: bool,
}

/// One change as stored.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ChangeRow {
    pub version_id: i64,
    pub seq: i64,
    /// `category`, `skill` or `faq`.
    pub resource: String,
    pub key: String,
    /// `added`, `removed` or `changed`.
    pub change: String,
    /// Comma-separated field names (for `changed`).
    pub fields: Option<String>,
    pub position: Option<i64>,
    /// The exported record as JSON (not for `removed`).
    pub record: Option<String>,
}

/// A change an import is about to write (its version and order are given by the writer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewChange {
    pub resource: &'static str,
    pub key: String,
    pub change: &'static str,
    pub fields: Option<String>,
    pub position: Option<i64>,
    pub record: Option<String>,
}

/// A skill an import removes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovedSkill {
    pub slug: String,
    pub uri: Option<String>,
    /// The new slug of the same source URI, when the import has one.
    pub replacement_slug: Option<String>,
}

/// Everything an import changes against the catalog it replaces, in the order a client applies
/// it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeSet {
    pub changes: Vec<NewChange>,
    pub removed_skills: Vec<RemovedSkill>,
}

impl ChangeSet {
    /// How many `change`s (`added`, `removed`, `changed`) of `resource` there are.
    pub fn count(&self, resource: &str, change: &str) -> i64 {
        self.changes.iter().filter(|c| c.resource == resource && c.change == change).count() as i64
    }
}

/// What an import recorded.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub version_id: i64,
    pub imported_at: String,
    pub changes: ChangeSet,
}

/// The columns of [`VersionRow`], as a literal (so that the queries stay `&'static str`).
macro_rules! version_columns {
    () => {
        "id, label, imported_at, source, categories, skills, faqs, summary, \
         skills_added, skills_removed, skills_changed, categories_added, categories_removed, categories_changed, \
         faqs_added, faqs_removed, faqs_changed, changes_pruned"
    };
}

/// The versions up to `upto` (the one served), newest first, one page of them, and how many there are.
pub async fn list_versions(
    pool: &SqlitePool,
    upto: i64,
    limit: usize,
    offset: usize,
) -> Result<(Vec<VersionRow>, usize), sqlx::Error> {
    let mut tx = pool.begin().await?;
    let total: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM versions WHERE id <= ?").bind(upto).fetch_one(&mut *tx).await?;
    let rows = sqlx::query_as::<_, VersionRow>(concat!(
        "SELECT ",
        version_columns!(),
        " FROM versions WHERE id <= ? ORDER BY id DESC LIMIT ? OFFSET ?"
    ))
    .bind(upto)
    .bind(limit as i64)
    .bind(offset as i64)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((rows, total as usize))
}

/// One version, if it was recorded.
pub async fn version(pool: &SqlitePool, id: i64) -> Result<Option<VersionRow>, sqlx::Error> {
    sqlx::query_as::<_, VersionRow>(concat!("SELECT ", version_columns!(), " FROM versions WHERE id = ?"))
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// The oldest version a feed can start from (`since`) with every change up to `upto` kept: the
/// newest version whose changes were pruned, or the first version when none were.
pub async fn oldest_since(pool: &SqlitePool, upto: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COALESCE((SELECT MAX(id) FROM versions WHERE changes_pruned = 1 AND id <= ?),
                         (SELECT MIN(id) FROM versions), 0)",
    )
    .bind(upto)
    .fetch_one(pool)
    .await
}

/// The changes of the versions after `since` up to `upto`, in order, one page of them, and how
/// many there are.
pub async fn changes_since(
    pool: &SqlitePool,
    since: i64,
    upto: i64,
    limit: usize,
    offset: usize,
) -> Result<(Vec<ChangeRow>, usize), sqlx::Error> {
    let mut tx = pool.begin().await?;
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM changes WHERE version_id > ? AND version_id <= ?")
        .bind(since)
        .bind(upto)
        .fetch_one(&mut *tx)
        .await?;
    let rows = sqlx::query_as::<_, ChangeRow>(
        "SELECT version_id, seq, resource, key, change, fields, position, record FROM changes
         WHERE version_id > ? AND version_id <= ? ORDER BY version_id, seq LIMIT ? OFFSET ?",
    )
    .bind(since)
    .bind(upto)
    .bind(limit as i64)
    .bind(offset as i64)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((rows, total as usize))
}

/// Records a new version with its changes and removed skills, and prunes the change rows of
/// versions older than the [`KEPT_CHANGES`] newest (inside the import's transaction).
pub(super) async fn record(
    conn: &mut SqliteConnection,
    meta: &super::CatalogRow,
    counts: (usize, usize, usize),
    summary: &str,
    changes: ChangeSet,
) -> Result<Recorded, sqlx::Error> {
    let count = |r: &str, c: &str| changes.count(r, c);
    let (version_id, imported_at): (i64, String) = sqlx::query_as(
        "INSERT INTO versions (label, imported_at, source, categories, skills, faqs, summary,
             skills_added, skills_removed, skills_changed, categories_added, categories_removed, categories_changed,
             faqs_added, faqs_removed, faqs_changed)
         VALUES (?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         RETURNING id, imported_at",
    )
    .bind(&meta.version)
    .bind(&meta.source)
    .bind(counts.0 as i64)
    .bind(counts.1 as i64)
    .bind(counts.2 as i64)
    .bind(summary)
    .bind(count("skill", "added"))
    .bind(count("skill", "removed"))
    .bind(count("skill", "changed"))
    .bind(count("category", "added"))
    .bind(count("category", "removed"))
    .bind(count("category", "changed"))
    .bind(count("faq", "added"))
    .bind(count("faq", "removed"))
    .bind(count("faq", "changed"))
    .fetch_one(&mut *conn)
    .await?;

    for (seq, c) in changes.changes.iter().enumerate() {
        sqlx::query(
            "INSERT INTO changes (version_id, seq, resource, key, change, fields, position, record)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(version_id)
        .bind(seq as i64 + 1)
        .bind(c.resource)
        .bind(&c.key)
        .bind(c.change)
        .bind(&c.fields)
        .bind(c.position)
        .bind(&c.record)
        .execute(&mut *conn)
        .await?;
    }
    // A slug that is back is no longer removed; one removed (again) is recorded with this version.
    sqlx::query("DELETE FROM removed_skills WHERE slug IN (SELECT slug FROM skills)").execute(&mut *conn).await?;
    for r in &changes.removed_skills {
        sqlx::query(
            "INSERT INTO removed_skills (slug, uri, version_id, removed_at, replacement_slug) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (slug) DO UPDATE SET uri = excluded.uri, version_id = excluded.version_id,
                 removed_at = excluded.removed_at, replacement_slug = excluded.replacement_slug",
        )
        .bind(&r.slug)
        .bind(&r.uri)
        .bind(version_id)
        .bind(&imported_at)
        .bind(&r.replacement_slug)
        .execute(&mut *conn)
        .await?;
    }
    let oldest_kept = version_id - KEPT_CHANGES + 1;
    sqlx::query("DELETE FROM changes WHERE version_id < ?").bind(oldest_kept).execute(&mut *conn).await?;
    sqlx::query("UPDATE versions SET changes_pruned = 1 WHERE id < ? AND changes_pruned = 0")
        .bind(oldest_kept)
        .execute(&mut *conn)
        .await?;
    Ok(Recorded { version_id, imported_at, changes })
}
