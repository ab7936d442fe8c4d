//! Wire types more than one resource sends: a category reference (in skills, FAQ entries,
//! extraction results) and a skill as listed (in skill pages, category details, lookups). Each
//! resource's own types are in its `json.rs`, which imports these from here, so no resource's
//! wire types depend on another's.

use serde::{Deserialize, Serialize};
use utoipa::{IntoResponses, ToSchema};

use crate::catalog::{Catalog, CategoryIx, SkillIx};
use crate::error::Problem;
use crate::routes::closed_set::ClosedSet;

/// A reference to a category: its slug and name.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"slug": "ai", "name": "Artificial Intelligence and Machine Learning"}))]
pub struct CategoryRef {
    /// The category's slug, its key in URLs.
    #[schema(example = "ai")]
    pub slug: String,
    /// The category's name.
    #[schema(example = "Artificial Intelligence and Machine Learning")]
    pub name: String,
}

impl CategoryRef {
    pub fn new(catalog: &Catalog, ix: CategoryIx) -> Self {
        let c = catalog.category(ix);
        CategoryRef { slug: c.slug.clone(), name: c.name.clone() }
    }
}

/// A skill as listed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SkillSummary {
    /// The skill's slug, its key in URLs.
    #[schema(example = "nlp")]
    pub slug: String,
    /// The skill's name.
    #[schema(example = "Natural Language Processing (NLP)")]
    pub name: String,
    /// What the skill is.
    #[schema(
        example = "NLP is a critical component of AI, enabling machines to understand and interpret human language. Professionals skilled in NLP will be in demand for developing chatbots, voice assistants, and language translation systems."
    )]
    pub description: String,
    /// The skill's primary category.
    pub category: CategoryRef,
    /// `skill` or `knowledge`.
    #[serde(rename = "type")]
    #[schema(value_type = crate::routes::params::SkillTypeParam)]
    pub kind: &'static str,
    /// The skill's place in the catalog's order, from 1 (for the seed catalog, its place in the
    /// article); a page or a search result keeps each skill's own position.
    #[schema(minimum = 1, example = 4)]
    pub position: u32,
    /// The source's identifier (ESCO concept URI), or null (the seed catalog's skills have none).
    #[schema(format = "uri", example = "http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742")]
    pub uri: Option<String>,
    /// Why the skill matched the search (only with `q`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<MatchedField>,
    /// BM25F relevance (the sixth ranking rule), higher is better (only with `q`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = 12.5)]
    pub score: Option<f64>,
}

/// Which field of a hit matched the search, and how the query was read to match it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatchedField {
    /// The field that explains the match.
    pub field: SkillField,
    /// The alias that matched (only when `field` is `alias`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "machine learning")]
    pub alias: Option<String>,
    /// The name or alias that matched (absent when the description did).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "machine learning")]
    pub label: Option<String>,
    /// Query words corrected to match this skill (absent when none was).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub corrected: Vec<Correction>,
    /// Query words this skill does not match (absent when it matches them all).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(example = json!(["experience"]))]
    pub unmatched: Vec<String>,
}

/// A query word that typo tolerance corrected.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Correction {
    /// The word as typed (folded).
    #[schema(example = "machne")]
    pub from: String,
    /// The catalog's word it was read as.
    #[schema(example = "machine")]
    pub to: String,
}

/// A field of a skill that matched a search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(examples("alias"))]
pub enum SkillField {
    Name,
    Alias,
    Description,
}

impl ClosedSet for SkillField {
    fn meaning(&self) -> &'static str {
        match self {
            SkillField::Name => "the skill's name",
            SkillField::Alias => "one of its aliases (named in `alias`)",
            SkillField::Description => "its description",
        }
    }
}

impl SkillSummary {
    pub fn new(catalog: &Catalog, ix: SkillIx) -> Self {
        let s = catalog.skill(ix);
        SkillSummary {
            slug: s.slug.clone(),
            name: s.name.clone(),
            description: s.description.clone(),
            category: CategoryRef::new(catalog, s.category),
            kind: s.kind.as_str(),
            position: ix + 1,
            uri: s.uri.clone(),
            matched: None,
            score: None,
        }
    }
}

/// The 503 of every operation that may need the work queue (an uncached search, extraction,
/// large lookup or export build): declared once, listed by each such operation. Only a
/// declaration: the answer itself is `ApiError::Overloaded`'s.
#[derive(IntoResponses)]
#[allow(dead_code)]
#[response(
    status = 503,
    description = "The server is busy with other expensive requests (searches not answered before, extractions, lookups of more than 100 ids, export builds): retry after `Retry-After` seconds. A body declared (`Content-Length`) over 4 KiB is refused before it is read, and the connection then closed (`Connection: close`).",
    content_type = "application/problem+json",
    headers(("Retry-After" = u32, description = "Seconds to wait before retrying.")),
    example = json!({
        "type": "urn:powerskills:problem:overloaded",
        "title": "Server overloaded",
        "status": 503,
        "detail": "the server is busy with other expensive requests; retry after 1 s",
        "instance": "/skills?q=negotiation",
        "request_id": "7f3a9c01d2e4b5a6-00000001"
    })
)]
pub struct Overloaded(Problem);
