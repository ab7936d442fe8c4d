//! Wire types of the skills looked up by the ids clients hold (`POST /skills/lookup`, the
//! `not_found` and `removed` of `GET /skills?slug=`), re-exported by [`super::json`].

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::catalog::{Catalog, SkillIx};
use crate::routes::json::SkillSummary;

/// A link to a skill of the current catalog.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"slug": "structured-query-language", "name": "SQL", "href": "/skills/structured-query-language"}))]
pub struct SkillLink {
    /// The skill's slug.
    #[schema(example = "structured-query-language")]
    pub slug: String,
    /// The skill's name.
    #[schema(example = "SQL")]
    pub name: String,
    /// Its detail's path.
    #[schema(format = "uri-reference", example = "/skills/structured-query-language")]
    pub href: String,
}

impl SkillLink {
    pub fn new(catalog: &Catalog, ix: SkillIx) -> Self {
        let s = catalog.skill(ix);
        SkillLink { slug: s.slug.clone(), name: s.name.clone(), href: format!("/skills/{}", s.slug) }
    }
}

/// A skill an import removed: which version removed it, when, and what replaced it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RemovedEntry {
    /// The slug the skill had.
    #[schema(example = "sql")]
    pub slug: String,
    /// The source URI it had, if any.
    #[schema(example = "http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742")]
    pub uri: Option<String>,
    /// The version whose import removed it (see `/versions`).
    #[schema(minimum = 1, example = 3)]
    pub version: i64,
    /// That version's label.
    #[schema(example = "esco-v1.2.0")]
    pub version_label: String,
    /// When it was removed (RFC 3339, UTC).
    #[schema(format = "date-time", example = "2026-12-01T12:00:00Z")]
    pub removed_at: String,
    /// The current skill that took its place (the same source URI under a new slug), if any.
    pub replacement: Option<SkillLink>,
}

impl RemovedEntry {
    pub fn new(catalog: &Catalog, removed: &crate::catalog::lookup::Removed) -> Self {
        RemovedEntry {
            slug: removed.slug.clone(),
            uri: removed.uri.clone(),
            version: removed.version,
            version_label: removed.version_label.clone(),
            removed_at: removed.removed_at.clone(),
            replacement: removed.replacement.map(|ix| SkillLink::new(catalog, ix)),
        }
    }
}

/// The ids of a lookup that name nothing, as they were sent.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct NotFound {
    /// Slugs that no skill has, or ever had.
    #[schema(example = json!(["underwater-basket-weaving"]))]
    pub slugs: Vec<String>,
    /// Source URIs that no skill has, or ever had (compared exactly).
    #[schema(example = json!(["http://data.europa.eu/esco/skill/00000000-0000-0000-0000-000000000000"]))]
    pub uris: Vec<String>,
}

/// `POST /skills/lookup`: the ids to resolve, at most 1,000 in all.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"slugs": ["nlp", "seo"], "uris": []}))]
pub struct LookupRequest {
    /// Skill slugs (case-insensitive).
    #[serde(default)]
    #[schema(example = json!(["nlp", "seo"]))]
    pub slugs: Vec<String>,
    /// Source URIs (ESCO concept URIs), compared exactly.
    #[serde(default)]
    #[schema(example = json!(["http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742"]))]
    pub uris: Vec<String>,
}

/// The skills a lookup found, in the order asked, and what it did not.
#[derive(Debug, Serialize, ToSchema)]
pub struct LookupResult {
    /// The skills found: those of `slugs` in their order, then those of `uris`; each skill once,
    /// where it was first asked for.
    pub data: Vec<SkillSummary>,
    /// How many skills were found.
    #[schema(example = 2)]
    pub total: usize,
    /// The ids that name no skill, current or removed.
    pub not_found: NotFound,
    /// The ids that name a skill an import removed, in the order asked.
    pub removed: Vec<RemovedEntry>,
}

/// A [`SkillSummary`] borrowed from the catalog: the same JSON (field for field, in the same
/// order; a test compares the two), without cloning every string of every skill first. The
/// answers that list many skills (lookups, list pages) are serialized from these; cloning
/// was most of their cost (BENCHMARKS.md, lookups by id).
#[derive(Debug, Serialize)]
pub struct SkillSummaryRef<'a> {
    slug: &'a str,
    name: &'a str,
    description: &'a str,
    category: CategoryRefRef<'a>,
    #[serde(rename = "type")]
    kind: &'static str,
    position: u32,
    uri: Option<&'a str>,
}

/// A borrowed [`crate::routes::categories::json::CategoryRef`].
#[derive(Debug, Serialize)]
struct CategoryRefRef<'a> {
    slug: &'a str,
    name: &'a str,
}

impl<'a> SkillSummaryRef<'a> {
    pub fn new(catalog: &'a Catalog, ix: SkillIx) -> Self {
        let s = catalog.skill(ix);
        let c = catalog.category(s.category);
        SkillSummaryRef {
            slug: &s.slug,
            name: &s.name,
            description: &s.description,
            category: CategoryRefRef { slug: &c.slug, name: &c.name },
            kind: s.kind.as_str(),
            position: ix + 1,
            uri: s.uri.as_deref(),
        }
    }
}

/// [`LookupResult`], borrowed.
#[derive(Debug, Serialize)]
pub struct LookupResultRef<'a> {
    pub data: Vec<SkillSummaryRef<'a>>,
    pub total: usize,
    pub not_found: NotFound,
    pub removed: Vec<RemovedEntry>,
}

/// [`super::json::SkillPage`] without a search, borrowed.
#[derive(Debug, Serialize)]
pub struct SkillPageRef<'a> {
    pub data: Vec<SkillSummaryRef<'a>>,
    pub total: usize,
    pub limit: usize,
    pub offset: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_found: Option<NotFound>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub removed: Option<Vec<RemovedEntry>>,
}

/// `value` as a JSON response, serialized into a buffer sized for `items` skills at once (the
/// buffer grown by doubling was the other large share of `malloc`).
pub fn json_response<T: Serialize>(value: &T, items: usize) -> crate::response::CachedResponse {
    let mut body = Vec::with_capacity(256 + items * 640);
    serde_json::to_writer(&mut body, value).expect("wire types always serialize");
    crate::response::CachedResponse::new(
        bytes::Bytes::from(body),
        actix_web::http::header::HeaderValue::from_static("application/json"),
    )
}
