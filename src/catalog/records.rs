//! The exported form of a catalog's items (`/skills/export`, `/categories/export`,
//! `/faqs/export`), which is also what `powerskills import catalog` reads back and what the
//! change feed carries. They are built from the served [`Catalog`], and, by the importer, from
//! the rows of a catalog that is not served ([`Records::from_data`]); the two give the same records
//! (a test applies the change feed to one export and compares it with the next).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Catalog, SkillIx};
use crate::db::CatalogData;

/// A skill as exported (`GET /skills/export`): one NDJSON line, or one CSV row with the columns
/// `slug,name,description,category,categories,aliases,uri,skill_type,type` (in CSV, `categories`
/// is joined with `;`, `aliases` with `|`, and a null is an empty field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"slug": "nlp", "name": "Natural Language Processing (NLP)",
    "description": "NLP is a critical component of AI, enabling machines to understand and interpret human language.",
    "category": "ai", "categories": ["ai"], "aliases": ["NLP", "natural language processing"],
    "uri": null, "skill_type": null, "type": "skill"}))]
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
    /// The source's own word for the skill's type (ESCO: `skill/competence` or `knowledge`), if any.
    #[schema(example = json!(null))]
    pub skill_type: Option<String>,
    /// `skill` or `knowledge`.
    #[serde(rename = "type")]
    #[schema(value_type = crate::routes::params::SkillTypeParam)]
    pub kind: String,
}

/// A category as exported (`GET /categories/export`): one NDJSON line, or one CSV row with the
/// columns `slug,name,description,code,parent,skill_count` (a null is an empty field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"slug": "ai", "name": "Artificial Intelligence and Machine Learning",
    "description": "The increasing reliance on AI and machine learning technologies is transforming industries.",
    "code": null, "parent": null, "skill_count": 2}))]
pub struct CategoryRecord {
    /// The category's slug.
    #[schema(example = "ai")]
    pub slug: String,
    /// The category's name.
    #[schema(example = "Artificial Intelligence and Machine Learning")]
    pub name: String,
    /// What the category covers.
    #[schema(example = "The increasing reliance on AI and machine learning technologies is transforming industries.")]
    pub description: String,
    /// The source's code for this category (ESCO skill-group code), if any.
    #[schema(example = json!(null))]
    pub code: Option<String>,
    /// The slug of the category this one sits under, if any.
    #[schema(example = json!(null))]
    pub parent: Option<String>,
    /// How many skills are in this category, including the categories below it (computed; an
    /// import ignores it).
    #[schema(example = 2)]
    pub skill_count: usize,
}

/// A FAQ entry as exported (`GET /faqs/export`): one NDJSON line, or one CSV row with the
/// columns `id,question,answer,category`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"id": 2,
    "question": "What are some resources to learn about artificial intelligence and machine learning?",
    "answer": "Online platforms like Coursera, Udacity, and edX offer comprehensive courses on AI and machine learning.",
    "category": "ai"}))]
pub struct FaqRecord {
    /// The entry's id.
    #[schema(example = 2, minimum = 1)]
    pub id: u32,
    /// The question.
    #[schema(example = "What are some resources to learn about artificial intelligence and machine learning?")]
    pub question: String,
    /// The answer.
    #[schema(
        example = "Online platforms like Coursera, Udacity, and edX offer comprehensive courses on AI and machine learning."
    )]
    pub answer: String,
    /// The slug of the category the question is about.
    #[schema(example = "ai")]
    pub category: String,
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
            kind: s.kind.as_str().to_owned(),
        }
    }
}

impl CategoryRecord {
    pub fn new(catalog: &Catalog, ix: super::CategoryIx) -> Self {
        let c = catalog.category(ix);
        CategoryRecord {
            slug: c.slug.clone(),
            name: c.name.clone(),
            description: c.description.clone(),
            code: c.code.clone(),
            parent: c.parent.map(|p| catalog.category(p).slug.clone()),
            skill_count: c.skills.len(),
        }
    }
}

impl FaqRecord {
    pub fn new(catalog: &Catalog, faq: &super::Faq) -> Self {
        FaqRecord {
            id: faq.id,
            question: faq.question.clone(),
            answer: faq.answer.clone(),
            category: catalog.category(faq.category).slug.clone(),
        }
    }
}

/// Every record of a catalog, each list in export order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Records {
    pub categories: Vec<CategoryRecord>,
    pub skills: Vec<SkillRecord>,
    pub faqs: Vec<FaqRecord>,
}

impl Records {
    /// The records of the served catalog.
    pub fn from_catalog(catalog: &Catalog) -> Records {
        Records {
            categories: (0..catalog.categories.len()).map(|c| CategoryRecord::new(catalog, c as u32)).collect(),
            skills: (0..catalog.skills.len()).map(|s| SkillRecord::new(catalog, s as SkillIx)).collect(),
            faqs: catalog.faqs.iter().map(|f| FaqRecord::new(catalog, f)).collect(),
        }
    }

    /// The records of a catalog as its rows hold it, without building a [`Catalog`] (whose
    /// search indexes an import does not need): the same rules as [`Catalog::from_data`]
    /// (other categories after the primary one in slug order, aliases in order, a category
    /// counting the skills of the categories below it). Rows that reference nothing are
    /// skipped, as the database's foreign keys never let them exist.
    pub fn from_data(data: &CatalogData) -> Records {
        let category_ix: HashMap<&str, usize> =
            data.categories.iter().enumerate().map(|(i, c)| (c.slug.as_str(), i)).collect();
        let parent: Vec<Option<usize>> = data
            .categories
            .iter()
            .map(|c| c.parent_slug.as_deref().and_then(|p| category_ix.get(p).copied()))
            .collect();
        let skill_ix: HashMap<&str, usize> =
            data.skills.iter().enumerate().map(|(i, s)| (s.slug.as_str(), i)).collect();
        let mut categories_of: Vec<Vec<String>> = data.skills.iter().map(|s| vec![s.category_slug.clone()]).collect();
        for (skill, category) in &data.memberships {
            if let Some(&s) = skill_ix.get(skill.as_str())
                && !categories_of[s].contains(category)
            {
                categories_of[s].push(category.clone());
            }
        }
        // The database returns memberships and aliases in slug order (BINARY collation, the
        // order of Rust's `str`); a catalog about to be written may hold them in any order.
        for categories in &mut categories_of {
            categories[1..].sort_unstable();
        }
        let mut aliases_of: Vec<Vec<String>> = vec![Vec::new(); data.skills.len()];
        for (skill, alias) in &data.aliases {
            if let Some(&s) = skill_ix.get(skill.as_str()) {
                aliases_of[s].push(alias.clone());
            }
        }
        for aliases in &mut aliases_of {
            aliases.sort_unstable();
        }
        let mut skill_count = vec![0usize; data.categories.len()];
        let mut seen = Vec::new();
        for categories in &categories_of {
            seen.clear();
            for c in categories {
                let mut at = category_ix.get(c.as_str()).copied();
                while let Some(ix) = at {
                    if seen.contains(&ix) {
                        break;
                    }
                    seen.push(ix);
                    skill_count[ix] += 1;
                    at = parent[ix];
                }
            }
        }
        let categories = data
            .categories
            .iter()
            .zip(skill_count)
            .map(|(c, skill_count)| CategoryRecord {
                slug: c.slug.clone(),
                name: c.name.clone(),
                description: c.description.clone(),
                code: c.code.clone(),
                parent: c.parent_slug.clone(),
                skill_count,
            })
            .collect();
        let skills = data
            .skills
            .iter()
            .zip(categories_of.into_iter().zip(aliases_of))
            .map(|(s, (categories, aliases))| SkillRecord {
                slug: s.slug.clone(),
                name: s.name.clone(),
                description: s.description.clone(),
                category: s.category_slug.clone(),
                categories,
                aliases,
                uri: s.uri.clone(),
                skill_type: s.skill_type.clone(),
                kind: s.kind.clone(),
            })
            .collect();
        let faqs = data
            .faqs
            .iter()
            .map(|f| FaqRecord {
                id: u32::try_from(f.id).unwrap_or_default(),
                question: f.question.clone(),
                answer: f.answer.clone(),
                category: f.category_slug.clone(),
            })
            .collect();
        Records { categories, skills, faqs }
    }
}
