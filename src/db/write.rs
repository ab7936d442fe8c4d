//! Replacing the catalog in a database: the one write path besides migrations, used by
//! `powerskills import`. Everything happens in one transaction: reading the catalog being
//! replaced, computing what changed (the caller's function), writing the new catalog, and
//! recording the version and its changes ([`super::versions`]). A failure or a crash at any point
//! leaves the previous catalog, and its history, in place.

use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{Connection, SqliteConnection};

use super::versions::{self, ChangeSet, Recorded};
use super::{CatalogData, CatalogRow, DbError, FaqRow, describe};
use crate::domain::SkillType;

/// A whole catalog to write.
#[derive(Debug, Clone)]
pub struct NewCatalog {
    pub meta: CatalogRow,
    /// In catalog order.
    pub categories: Vec<NewCategory>,
    /// In catalog order.
    pub skills: Vec<NewSkill>,
    pub faqs: Vec<FaqRow>,
}

impl NewCatalog {
    /// The catalog as the database would return it after writing it (for building a catalog in
    /// memory without a database: benchmarks, tests).
    pub fn into_data(self) -> super::CatalogData {
        let mut memberships = Vec::new();
        let mut aliases = Vec::new();
        let skills = self
            .skills
            .into_iter()
            .map(|s| {
                memberships.extend(s.categories.iter().map(|c| (s.slug.clone(), c.clone())));
                aliases.extend(s.aliases.iter().map(|a| (s.slug.clone(), a.clone())));
                super::SkillRow {
                    category_slug: s.categories.first().cloned().unwrap_or_default(),
                    slug: s.slug,
                    name: s.name,
                    description: s.description,
                    uri: s.uri,
                    skill_type: s.skill_type,
                    kind: s.kind.as_str().to_owned(),
                }
            })
            .collect();
        let categories = self
            .categories
            .into_iter()
            .map(|c| super::CategoryRow {
                slug: c.slug,
                name: c.name,
                description: c.description,
                parent_slug: c.parent_slug,
                code: c.code,
            })
            .collect();
        aliases.sort();
        super::CatalogData {
            meta: Some(self.meta),
            categories,
            skills,
            memberships,
            aliases,
            faqs: self.faqs,
            removed: Vec::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewCategory {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub parent_slug: Option<String>,
    pub code: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewSkill {
    pub slug: String,
    pub name: String,
    pub description: String,
    /// Every category the skill sits in, primary first (at least one).
    pub categories: Vec<String>,
    pub aliases: Vec<String>,
    pub uri: Option<String>,
    /// The source's own word for the type, if any.
    pub skill_type: Option<String>,
    pub kind: SkillType,
}

/// Empties every catalog table.
const CLEAR_CATALOG: [&str; 6] = [
    "DELETE FROM faqs",
    "DELETE FROM skill_aliases",
    "DELETE FROM skill_categories",
    "DELETE FROM skills",
    "DELETE FROM categories",
    "DELETE FROM catalog",
];

/// Migrates the database at `options` if needed, then, in one transaction, replaces its catalog
/// with `catalog` and records a new version with `summary` and the changes `diff` finds between
/// the catalog being replaced and this one. `skills_written` is called inside the transaction
/// once the skills are written (the bulk of it; their memberships, aliases, the FAQ and the
/// version follow), so that a caller can report progress.
pub async fn replace_catalog(
    options: &SqliteConnectOptions,
    catalog: &NewCatalog,
    summary: &str,
    diff: impl FnOnce(&CatalogData) -> ChangeSet,
    skills_written: impl FnOnce(),
) -> Result<Recorded, DbError> {
    super::migrate(options).await?;
    let path = options.get_filename().display().to_string();
    let fail = |e: sqlx::Error| DbError::Write { path: path.clone(), reason: describe(&e) };
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options.clone()).await.map_err(fail)?;
    let mut conn = pool.acquire().await.map_err(fail)?;
    let result = write(&mut conn, catalog, summary, diff, skills_written).await.map_err(fail);
    drop(conn);
    pool.close().await;
    result
}

/// The catalog currently in the database at `options` (migrated first), e.g. to keep the parts
/// an import does not replace.
pub async fn read_current(options: &SqliteConnectOptions) -> Result<CatalogData, DbError> {
    super::migrate(options).await?;
    let path = options.get_filename().display().to_string();
    let fail = |e: sqlx::Error| DbError::Open { path: path.clone(), reason: describe(&e) };
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options.clone()).await.map_err(fail)?;
    let result = super::load_catalog(&pool).await.map_err(fail);
    pool.close().await;
    result
}

/// How many rows one multi-row INSERT writes (2 variables each; SQLite allows 32,766).
const ROWS_PER_INSERT: usize = 500;

/// Inserts two-column rows `ROWS_PER_INSERT` at a time: one statement per row made the import
/// of ESCO's ~113k memberships and aliases spend most of its time on statement round trips.
async fn insert_pairs<'a>(
    conn: &mut SqliteConnection,
    insert: &'static str,
    rows: impl Iterator<Item = (&'a String, &'a String)>,
) -> Result<(), sqlx::Error> {
    let rows: Vec<(&String, &String)> = rows.collect();
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        // Only placeholders are added to the fixed statement; the values are bound.
        let sql = format!("{insert}{}", vec!["(?, ?)"; chunk.len()].join(", "));
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (a, b) in chunk {
            query = query.bind(*a).bind(*b);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

async fn write(
    conn: &mut SqliteConnection,
    catalog: &NewCatalog,
    summary: &str,
    diff: impl FnOnce(&CatalogData) -> ChangeSet,
    skills_written: impl FnOnce(),
) -> Result<Recorded, sqlx::Error> {
    // BEGIN IMMEDIATE: take the write lock before reading, so that no other import can slip in
    // between the catalog this one compares against and the one it replaces.
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    let previous = super::read_catalog(&mut tx).await?;
    let changes = diff(&previous);
    // Rows are written parents-after-children in places (a category's parent may come later);
    // foreign keys are checked once, at commit, which fails the whole import if any dangles.
    sqlx::query("PRAGMA defer_foreign_keys = ON").execute(&mut *tx).await?;
    for statement in CLEAR_CATALOG {
        sqlx::query(statement).execute(&mut *tx).await?;
    }

    let m = &catalog.meta;
    sqlx::query(
        "INSERT INTO catalog (id, version, source, title, publisher, year, introduction, conclusion, attribution, license)
         VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        // version_id is set once the version is recorded, below.
    )
    .bind(&m.version)
    .bind(&m.source)
    .bind(&m.title)
    .bind(&m.publisher)
    .bind(m.year)
    .bind(&m.introduction)
    .bind(&m.conclusion)
    .bind(&m.attribution)
    .bind(&m.license)
    .execute(&mut *tx)
    .await?;

    for (position, c) in catalog.categories.iter().enumerate() {
        sqlx::query(
            "INSERT INTO categories (slug, name, description, position, parent_slug, code) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(&c.slug)
        .bind(&c.name)
        .bind(&c.description)
        .bind(position as i64 + 1)
        .bind(&c.parent_slug)
        .bind(&c.code)
        .execute(&mut *tx)
        .await?;
    }

    for (position, s) in catalog.skills.iter().enumerate() {
        sqlx::query(
            "INSERT INTO skills (slug, name, description, position, category_slug, uri, skill_type, kind)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&s.slug)
        .bind(&s.name)
        .bind(&s.description)
        .bind(position as i64 + 1)
        .bind(s.categories.first())
        .bind(&s.uri)
        .bind(&s.skill_type)
        .bind(s.kind.as_str())
        .execute(&mut *tx)
        .await?;
    }
    skills_written();
    let memberships = catalog.skills.iter().flat_map(|s| s.categories.iter().map(move |c| (&s.slug, c)));
    insert_pairs(&mut tx, "INSERT INTO skill_categories (skill_slug, category_slug) VALUES ", memberships).await?;
    let aliases = catalog.skills.iter().flat_map(|s| s.aliases.iter().map(move |a| (&s.slug, a)));
    insert_pairs(&mut tx, "INSERT INTO skill_aliases (skill_slug, alias) VALUES ", aliases).await?;

    for f in &catalog.faqs {
        sqlx::query("INSERT INTO faqs (id, question, answer, category_slug) VALUES (?, ?, ?, ?)")
            .bind(f.id)
            .bind(&f.question)
            .bind(&f.answer)
            .bind(&f.category_slug)
            .execute(&mut *tx)
            .await?;
    }

    let counts = (catalog.categories.len(), catalog.skills.len(), catalog.faqs.len());
    let recorded = versions::record(&mut tx, m, counts, summary, changes).await?;
    sqlx::query("UPDATE catalog SET version_id = ? WHERE id = 1").bind(recorded.version_id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(recorded)
}
