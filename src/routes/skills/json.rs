//! Wire types of the skills resource.

use serde::Serialize;
use utoipa::ToSchema;

use crate::catalog::{Catalog, SkillIx};
use crate::routes::categories::json::CategoryRef;

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
    /// The skill's place in the catalog's order, from 1 (for the seed catalog, its place in the
    /// article); a page or a search result keeps each skill's own position.
    #[schema(minimum = 1, example = 4)]
    pub position: u32,
    /// Why the skill matched the search (only with `q`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<MatchedField>,
    /// BM25 relevance, higher is better (only with `q`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = 12.5)]
    pub score: Option<f64>,
}

/// Which field of a hit matched the search.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatchedField {
    /// `name`, `alias` or `description`.
    #[schema(example = "alias")]
    pub field: String,
    /// The alias that matched (only when `field` is `alias`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "machine learning")]
    pub alias: Option<String>,
}

impl SkillSummary {
    pub fn new(catalog: &Catalog, ix: SkillIx) -> Self {
        let s = catalog.skill(ix);
        SkillSummary {
            slug: s.slug.clone(),
            name: s.name.clone(),
            description: s.description.clone(),
            category: CategoryRef::new(catalog, s.category),
            position: ix + 1,
            matched: None,
            score: None,
        }
    }
}

/// A page of skills.
#[derive(Debug, Serialize, ToSchema)]
pub struct SkillPage {
    /// The skills of this page.
    pub data: Vec<SkillSummary>,
    /// How many skills match, over all pages.
    #[schema(example = 2)]
    pub total: usize,
    /// The page size used.
    #[schema(example = 50)]
    pub limit: usize,
    /// How many matching skills were skipped.
    #[schema(example = 0)]
    pub offset: usize,
    /// The query actually run, when `q` found nothing and typo tolerance corrected its words
    /// (e.g. `machne lerning` → `machine learning`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "machine learning")]
    pub corrected_q: Option<String>,
}

/// A suggestion for what is being typed.
#[derive(Debug, Serialize, ToSchema)]
pub struct Suggestion {
    /// The skill's slug.
    #[schema(example = "machine-learning-engineering")]
    pub slug: String,
    /// The skill's name.
    #[schema(example = "Machine Learning Engineering")]
    pub name: String,
    /// The name or alias that matched.
    #[schema(example = "Machine Learning Engineering")]
    pub label: String,
    /// `name` or `alias`.
    #[schema(example = "name")]
    pub matched: String,
    /// `prefix` (the label starts with the query) or `word_prefix` (a later word does).
    #[schema(example = "prefix")]
    pub match_type: String,
}

/// Suggestions, best first.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestionList {
    /// The suggestions.
    pub data: Vec<Suggestion>,
}

/// The text to extract skills from.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"text": "We need an SEO expert who also knows machine learning."}))]
pub struct ExtractRequest {
    /// Non-empty UTF-8 text; the whole request body may be at most 100 KiB.
    #[schema(min_length = 1, example = "We need an SEO expert who also knows machine learning.")]
    pub text: String,
}

/// `POST /skills/extract`'s `text/plain` body: the text itself, with at least one non-space character.
#[derive(ToSchema)]
#[schema(value_type = String, min_length = 1, example = "Looking for a machine learning engineer with SEO experience.")]
pub struct PlainText(pub String);

/// One place a skill is mentioned.
#[derive(Debug, Serialize, ToSchema)]
pub struct Mention {
    /// Offset of the first character, in Unicode code points.
    #[schema(example = 11)]
    pub start: usize,
    /// Offset after the last character, in Unicode code points.
    #[schema(example = 14)]
    pub end: usize,
    /// The text at `start..end`, as written.
    #[schema(example = "SEO")]
    pub surface: String,
}

/// A skill found in the text.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExtractedSkill {
    /// The skill's slug.
    #[schema(example = "seo")]
    pub slug: String,
    /// The skill's name.
    #[schema(example = "Search Engine Optimization (SEO)")]
    pub name: String,
    /// The skill's primary category.
    pub category: CategoryRef,
    /// The mentions in text order: every one, or the first
    /// [`MAX_MENTIONS_PER_SKILL`](crate::routes::skills::extract::MAX_MENTIONS_PER_SKILL) (20) when there are more.
    pub matches: Vec<Mention>,
    /// How many times the text mentions the skill (may exceed the length of `matches`).
    #[schema(example = 1)]
    pub mention_count: usize,
}

/// The skills a text mentions, in order of first mention.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExtractResponse {
    /// The skills found.
    pub data: Vec<ExtractedSkill>,
    /// How many skills were found (may exceed the length of `data`).
    #[schema(example = 2)]
    pub total: usize,
    /// True when the answer was cut to its cost bound: `data` holds only the first 500 skills
    /// found, or some skill's `matches` only its first 20 mentions.
    #[schema(example = false)]
    pub truncated: bool,
}

/// Another skill related to this one, and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RelatedSkill {
    /// The related skill's slug.
    #[schema(example = "machine-learning-engineering")]
    pub slug: String,
    /// The related skill's name.
    #[schema(example = "Machine Learning Engineering")]
    pub name: String,
    /// Why it is related: `same_category` (it shares the skill's primary category),
    /// `shared_categories` (it shares other categories), `shared_words` (its name or aliases share words).
    #[schema(example = "same_category")]
    pub basis: String,
}

/// One skill with everything the catalog knows of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SkillDetail {
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
    /// Every category the skill sits in, primary first.
    pub categories: Vec<CategoryRef>,
    /// Other names people use for this skill.
    #[schema(example = json!(["NLP", "natural language processing"]))]
    pub aliases: Vec<String>,
    /// The source's identifier (ESCO concept URI), if any.
    #[schema(example = json!(null))]
    pub uri: Option<String>,
    /// The source's type of skill (ESCO: `skill/competence` or `knowledge`), if any.
    #[schema(example = json!(null))]
    pub skill_type: Option<String>,
    /// Related skills, most related first.
    pub related: Vec<RelatedSkill>,
}

/// A skill as exported (`GET /skills/export`): one NDJSON line, or one CSV row with the columns
/// `slug,name,description,category,categories,aliases,uri,skill_type` (in CSV, `categories` is
/// joined with `;`, `aliases` with `|`, and a null is an empty field).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"slug": "nlp", "name": "Natural Language Processing (NLP)",
    "description": "NLP is a critical component of AI, enabling machines to understand and interpret human language.",
    "category": "ai", "categories": ["ai"], "aliases": ["NLP", "natural language processing"],
    "uri": null, "skill_type": null}))]
pub struct SkillRecord {
    /// The skill's slug.
    #[schema(example = "nlp")]
    pub slug: String,
    /// The skill's name.
    #[schema(example = "Natural Language Processing (NLP)")]
    pub name: String,
    /// What the skill is.
    #[schema(
        example = "NLP is a critical component of AI, enabling machines to understand and interpret human language."
    )]
    pub description: String,
    /// The slug of the skill's primary category.
    #[schema(example = "ai")]
    pub category: String,
    /// The slugs of every category the skill sits in directly, primary first.
    #[schema(example = json!(["ai"]))]
    pub categories: Vec<String>,
    /// Other names people use for this skill.
    #[schema(example = json!(["NLP", "natural language processing"]))]
    pub aliases: Vec<String>,
    /// The source's identifier (ESCO concept URI), if any.
    #[schema(example = json!(null))]
    pub uri: Option<String>,
    /// The source's type of skill (ESCO: `skill/competence` or `knowledge`), if any.
    #[schema(example = json!(null))]
    pub skill_type: Option<String>,
}

impl SkillRecord {
    pub fn new(catalog: &Catalog, ix: SkillIx) -> Self {
        let s = catalog.skill(ix);
        SkillRecord {
            slug: s.slug.clone(),
            name: s.name.clone(),
            description: s.description.clone(),
            category: catalog.category(s.category).slug.clone(),
            categories: s.categories.iter().map(|&c| catalog.category(c).slug.clone()).collect(),
            aliases: s.aliases.clone(),
            uri: s.uri.clone(),
            skill_type: s.skill_type.clone(),
        }
    }
}

impl crate::routes::export::ExportRecord for SkillRecord {
    const CSV_HEADER: &'static [&'static str] =
        &["slug", "name", "description", "category", "categories", "aliases", "uri", "skill_type"];

    fn csv_row(&self) -> Vec<String> {
        vec![
            self.slug.clone(),
            self.name.clone(),
            self.description.clone(),
            self.category.clone(),
            self.categories.join(";"),
            self.aliases.join("|"),
            self.uri.clone().unwrap_or_default(),
            self.skill_type.clone().unwrap_or_default(),
        ]
    }
}
