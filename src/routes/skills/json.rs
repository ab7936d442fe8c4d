//! Wire types of the skills resource.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::routes::closed_set::ClosedSet;
use crate::routes::json::{CategoryRef, SkillSummary};

pub use super::ids_json::{LookupRequest, LookupResult, NotFound, RemovedEntry, SkillLink};

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
    /// The query as the best hit read it, when typo tolerance corrected some of its words
    /// (e.g. `machne lerning` → `machine learning`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "machine learning")]
    pub corrected_q: Option<String>,
    /// The ids asked for (`slug`, `uri`) that name no skill, current or removed (only with
    /// `slug` or `uri`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub not_found: Option<NotFound>,
    /// The ids asked for that name a skill an import removed (only with `slug` or `uri`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub removed: Option<Vec<RemovedEntry>>,
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
    /// Whether `label` is the skill's name or one of its aliases.
    pub matched: LabelKind,
    /// Where in `label` the typed text matched.
    pub match_type: MatchType,
}

/// What a suggested label is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(examples("name"))]
pub enum LabelKind {
    Name,
    Alias,
}

impl ClosedSet for LabelKind {
    fn meaning(&self) -> &'static str {
        match self {
            LabelKind::Name => "the skill's name",
            LabelKind::Alias => "one of the skill's aliases",
        }
    }
}

/// How a suggestion's label matched what was typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(examples("prefix"))]
pub enum MatchType {
    Prefix,
    WordPrefix,
    Fuzzy,
}

impl ClosedSet for MatchType {
    fn meaning(&self) -> &'static str {
        match self {
            MatchType::Prefix => "the label starts with the typed text",
            MatchType::WordPrefix => "a later word of the label starts with it",
            MatchType::Fuzzy => {
                "no label starts with it; the search index matched the label's words (typos corrected, other word forms, the last word as a prefix)"
            }
        }
    }
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
    /// Non-empty UTF-8 text; the whole request body may be at most 32 KiB (32,768 bytes).
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
    /// Why it is related.
    pub basis: RelatedBasis,
}

/// Why a skill is listed as related to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(examples("same_category"))]
pub enum RelatedBasis {
    SameCategory,
    SharedCategories,
    SharedWords,
}

impl ClosedSet for RelatedBasis {
    fn meaning(&self) -> &'static str {
        match self {
            RelatedBasis::SameCategory => "it shares the skill's primary category",
            RelatedBasis::SharedCategories => "it shares other categories of the skill",
            RelatedBasis::SharedWords => "its name or aliases share uncommon words with the skill's",
        }
    }
}

impl From<crate::catalog::related::Basis> for RelatedBasis {
    fn from(basis: crate::catalog::related::Basis) -> Self {
        use crate::catalog::related::Basis;
        match basis {
            Basis::SameCategory => RelatedBasis::SameCategory,
            Basis::SharedCategories => RelatedBasis::SharedCategories,
            Basis::SharedWords => RelatedBasis::SharedWords,
        }
    }
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
    /// The source's own word for the skill's type (ESCO: `skill/competence` or `knowledge`), if any.
    #[schema(example = json!(null))]
    pub skill_type: Option<String>,
    /// `skill` or `knowledge` (ESCO's `skill/competence`, and an ESCO concept with no type, are `skill`).
    #[serde(rename = "type")]
    #[schema(value_type = crate::routes::params::SkillTypeParam)]
    pub kind: &'static str,
    /// Related skills, most related first.
    pub related: Vec<RelatedSkill>,
}

pub use crate::catalog::records::SkillRecord;

impl crate::routes::export::ExportRecord for SkillRecord {
    const CSV_HEADER: &'static [&'static str] =
        &["slug", "name", "description", "category", "categories", "aliases", "uri", "skill_type", "type"];

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
            self.kind.clone(),
        ]
    }
}
