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
}

impl SkillSummary {
    pub fn new(catalog: &Catalog, ix: SkillIx) -> Self {
        let s = catalog.skill(ix);
        SkillSummary {
            slug: s.slug.clone(),
            name: s.name.clone(),
            description: s.description.clone(),
            category: CategoryRef::new(catalog, s.category),
        }
    }
}

/// A page of skills.
#[derive(Debug, Serialize, ToSchema)]
pub struct SkillPage {
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
}

/// Another skill related to this one, and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RelatedSkill {
    #[schema(example = "machine-learning-engineering")]
    pub slug: String,
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
    #[schema(example = "nlp")]
    pub slug: String,
    #[schema(example = "Natural Language Processing (NLP)")]
    pub name: String,
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
