//! Replacing the catalog in a database: the one write path besides migrations, used by
//! `powerskills import`. Everything happens in one transaction: a failure or a crash at any point
//! leaves the previous catalog in place.

use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{Connection, SqliteConnection};

use super::{CatalogRow, DbError, FaqRow, describe};

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
        super::CatalogData { meta: Some(self.meta), categories, skills, memberships, aliases, faqs: self.faqs }
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
    pub skill_type: Option<String>,
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

/// Migrates the database at `options` if needed, then replaces its catalog with `catalog` in one
/// transaction.
pub async fn replace_catalog(options: &SqliteConnectOptions, catalog: &NewCatalog) -> Result<(), DbError> {
    super::migrate(options).await?;
    let path = options.get_filename().display().to_string();
    let fail = |e: sqlx::Error| DbError::Write { path: path.clone(), reason: describe(&e) };
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options.clone()).await.map_err(fail)?;
    let mut conn = pool.acquire().await.map_err(fail)?;
    let result = write(&mut conn, catalog).await.map_err(fail);
    drop(conn);
    pool.close().await;
    result
}

async fn write(conn: &mut SqliteConnection, catalog: &NewCatalog) -> Result<(), sqlx::Error> {
    let mut tx = conn.begin().await?;
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
            "INSERT INTO skills (slug, name, description, position, category_slug, uri, skill_type)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&s.slug)
        .bind(&s.name)
        .bind(&s.description)
        .bind(position as i64 + 1)
        .bind(s.categories.first())
        .bind(&s.uri)
        .bind(&s.skill_type)
        .execute(&mut *tx)
        .await?;
        for category in &s.categories {
            sqlx::query("INSERT INTO skill_categories (skill_slug, category_slug) VALUES (?, ?)")
                .bind(&s.slug)
                .bind(category)
                .execute(&mut *tx)
                .await?;
        }
        for alias in &s.aliases {
            sqlx::query("INSERT INTO skill_aliases (skill_slug, alias) VALUES (?, ?)")
                .bind(&s.slug)
                .bind(alias)
                .execute(&mut *tx)
                .await?;
        }
    }

    for f in &catalog.faqs {
        sqlx::query("INSERT INTO faqs (id, question, answer, category_slug) VALUES (?, ?, ?, ?)")
            .bind(f.id)
            .bind(&f.question)
            .bind(&f.answer)
            .bind(&f.category_slug)
            .execute(&mut *tx)
            .await?;
    }

    tx.commit().await
}
