//! Rows as the database returns them; [`crate::catalog`] turns them into the served catalog.

use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct CatalogRow {
    pub version: String,
    pub source: String,
    pub title: String,
    pub publisher: String,
    pub year: Option<i64>,
    pub introduction: String,
    pub conclusion: String,
    pub attribution: Option<String>,
    pub license: Option<String>,
    /// The version (`versions.id`) these tables hold; set by the writer, not by importers.
    pub version_id: Option<i64>,
}

#[derive(Debug, Clone, FromRow)]
pub struct CategoryRow {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub parent_slug: Option<String>,
    pub code: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub struct SkillRow {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub category_slug: String,
    pub uri: Option<String>,
    pub skill_type: Option<String>,
    /// `skill` or `knowledge`.
    pub kind: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct FaqRow {
    pub id: i64,
    pub question: String,
    pub answer: String,
    pub category_slug: String,
}

/// Everything a catalog is made of, in the order it is served.
#[derive(Debug, Clone)]
pub struct CatalogData {
    pub meta: Option<CatalogRow>,
    pub categories: Vec<CategoryRow>,
    pub skills: Vec<SkillRow>,
    /// (skill slug, category slug), every membership of every skill.
    pub memberships: Vec<(String, String)>,
    /// (skill slug, alias).
    pub aliases: Vec<(String, String)>,
    pub faqs: Vec<FaqRow>,
    /// The skills imports removed (for 410 answers), by slug.
    pub removed: Vec<RemovedSkillRow>,
}

/// A skill an import removed, with the version that removed it.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct RemovedSkillRow {
    pub slug: String,
    pub uri: Option<String>,
    pub version_id: i64,
    /// The label of that version (`versions.label`).
    pub version_label: String,
    /// RFC 3339 UTC.
    pub removed_at: String,
    pub replacement_slug: Option<String>,
}
