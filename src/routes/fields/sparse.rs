//! The sparse forms of the list items and pages (every field optional), and each list's 200
//! schema: `anyOf` its full page and its sparse page.

use std::borrow::Cow;

use serde::Serialize;
use utoipa::openapi::schema::AnyOfBuilder;
use utoipa::openapi::{Ref, RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use super::FieldSet;
use crate::routes::categories::json::{CategoryList, CategorySummary};
use crate::routes::faqs::json::{FaqEntry, FaqPage};
use crate::routes::json::{CategoryRef, MatchedField, SkillSummary};
use crate::routes::skills::json::{NotFound, RemovedEntry, SkillPage};

/// `Some(value)` when `name` is asked for.
fn pick<T>(fields: &FieldSet, name: &str, value: T) -> Option<T> {
    fields.has(name).then_some(value)
}

/// A skill as listed, with only the fields asked for (`fields`).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"slug": "nlp", "name": "Natural Language Processing (NLP)"}))]
pub struct SparseSkill {
    /// The skill's slug.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "nlp")]
    pub slug: Option<String>,
    /// The skill's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "Natural Language Processing (NLP)")]
    pub name: Option<String>,
    /// What the skill is.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "NLP is a critical component of AI.")]
    pub description: Option<String>,
    /// The skill's primary category.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub category: Option<CategoryRef>,
    /// `skill` or `knowledge`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, value_type = Option<crate::routes::params::SkillTypeParam>)]
    pub kind: Option<&'static str>,
    /// The skill's place in the catalog's order, from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, minimum = 1, example = 3)]
    pub position: Option<u32>,
    /// The source's identifier (ESCO concept URI), or null when the skill has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = "uri", example = "http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742")]
    pub uri: Option<Option<String>>,
    /// Why the skill matched the search (with `q`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub matched: Option<MatchedField>,
    /// BM25F relevance (with `q`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = 12.5)]
    pub score: Option<f64>,
}

impl SparseSkill {
    pub fn new(s: SkillSummary, f: &FieldSet) -> Self {
        SparseSkill {
            slug: pick(f, "slug", s.slug),
            name: pick(f, "name", s.name),
            description: pick(f, "description", s.description),
            category: pick(f, "category", s.category),
            kind: pick(f, "type", s.kind),
            position: pick(f, "position", s.position),
            uri: pick(f, "uri", s.uri),
            matched: pick(f, "matched", s.matched).flatten(),
            score: pick(f, "score", s.score).flatten(),
        }
    }
}

/// A page of skills with only the fields asked for (`fields`).
#[derive(Debug, Serialize, ToSchema)]
pub struct SparseSkillPage {
    /// The skills of this page.
    pub data: Vec<SparseSkill>,
    /// How many skills match, over all pages.
    #[schema(example = 2)]
    pub total: usize,
    /// The page size used.
    #[schema(example = 50)]
    pub limit: usize,
    /// How many matching skills were skipped.
    #[schema(example = 0)]
    pub offset: usize,
    /// The query as the best hit read it (with `q`, when corrected).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "machine learning")]
    pub corrected_q: Option<String>,
    /// The ids asked for that name nothing (with `slug` or `uri`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub not_found: Option<NotFound>,
    /// The ids asked for that name a removed skill (with `slug` or `uri`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub removed: Option<Vec<RemovedEntry>>,
}

impl SparseSkillPage {
    pub fn new(page: SkillPage, f: &FieldSet) -> Self {
        SparseSkillPage {
            data: page.data.into_iter().map(|s| SparseSkill::new(s, f)).collect(),
            total: page.total,
            limit: page.limit,
            offset: page.offset,
            corrected_q: page.corrected_q,
            not_found: page.not_found,
            removed: page.removed,
        }
    }
}

/// A category as listed, with only the fields asked for (`fields`).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"slug": "ai", "name": "Artificial Intelligence and Machine Learning"}))]
pub struct SparseCategory {
    /// The category's slug.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "ai")]
    pub slug: Option<String>,
    /// The category's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "Artificial Intelligence and Machine Learning")]
    pub name: Option<String>,
    /// What the category covers.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "Businesses are seeking experts who can harness AI.")]
    pub description: Option<String>,
    /// The source's code for this category (null when it has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "S1.1.1")]
    pub code: Option<Option<String>>,
    /// The slug of the category this one sits under (null for a top-level one).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "s1-1")]
    pub parent: Option<Option<String>>,
    /// How many skills are in this category, including the categories below it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = 2)]
    pub skill_count: Option<usize>,
}

impl SparseCategory {
    pub fn new(c: CategorySummary, f: &FieldSet) -> Self {
        SparseCategory {
            slug: pick(f, "slug", c.slug),
            name: pick(f, "name", c.name),
            description: pick(f, "description", c.description),
            code: pick(f, "code", c.code),
            parent: pick(f, "parent", c.parent),
            skill_count: pick(f, "skill_count", c.skill_count),
        }
    }
}

/// Categories with only the fields asked for (`fields`).
#[derive(Debug, Serialize, ToSchema)]
pub struct SparseCategoryList {
    /// The categories.
    pub data: Vec<SparseCategory>,
    /// How many categories there are.
    #[schema(example = 4)]
    pub total: usize,
}

impl SparseCategoryList {
    pub fn new(list: CategoryList, f: &FieldSet) -> Self {
        SparseCategoryList {
            data: list.data.into_iter().map(|c| SparseCategory::new(c, f)).collect(),
            total: list.total,
        }
    }
}

/// A FAQ entry with only the fields asked for (`fields`).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 2, "question": "What are some resources to learn about artificial intelligence and machine learning?"}))]
pub struct SparseFaq {
    /// The entry's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, minimum = 1, example = 2)]
    pub id: Option<u32>,
    /// The question.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(
        nullable = false,
        example = "What are some resources to learn about artificial intelligence and machine learning?"
    )]
    pub question: Option<String>,
    /// The answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "Online platforms like Coursera offer courses on AI.")]
    pub answer: Option<String>,
    /// The category the entry is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub category: Option<CategoryRef>,
}

impl SparseFaq {
    pub fn new(e: FaqEntry, f: &FieldSet) -> Self {
        SparseFaq {
            id: pick(f, "id", e.id),
            question: pick(f, "question", e.question),
            answer: pick(f, "answer", e.answer),
            category: pick(f, "category", e.category),
        }
    }
}

/// A page of FAQ entries with only the fields asked for (`fields`).
#[derive(Debug, Serialize, ToSchema)]
pub struct SparseFaqPage {
    /// The entries of this page.
    pub data: Vec<SparseFaq>,
    /// How many entries match, over all pages.
    #[schema(example = 5)]
    pub total: usize,
    /// The page size used.
    #[schema(example = 50)]
    pub limit: usize,
    /// How many matching entries were skipped.
    #[schema(example = 0)]
    pub offset: usize,
}

impl SparseFaqPage {
    pub fn new(page: FaqPage, f: &FieldSet) -> Self {
        SparseFaqPage {
            data: page.data.into_iter().map(|e| SparseFaq::new(e, f)).collect(),
            total: page.total,
            limit: page.limit,
            offset: page.offset,
        }
    }
}

/// A list's 200: its full page, or its sparse page when `fields` is given.
macro_rules! full_or_sparse {
    ($name:ident, $full:ty, $sparse:ty, $what:literal, $example:expr) => {
        #[doc = concat!("The 200 of ", $what, ".")]
        pub struct $name;

        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                AnyOfBuilder::new()
                    .item(Ref::from_schema_name(<$full>::name()))
                    .item(Ref::from_schema_name(<$sparse>::name()))
                    .description(Some(concat!(
                        "The page of ",
                        $what,
                        "; with `fields`, each item carries only the fields named (the sparse form)."
                    )))
                    .examples([$example])
                    .into()
            }
        }

        impl ToSchema for $name {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }

            fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
                schemas.push((<$full>::name().into(), <$full>::schema()));
                <$full>::schemas(schemas);
                schemas.push((<$sparse>::name().into(), <$sparse>::schema()));
                <$sparse>::schemas(schemas);
            }
        }
    };
}

full_or_sparse!(
    SkillListBody,
    SkillPage,
    SparseSkillPage,
    "skills",
    serde_json::json!({"data": [{"slug": "nlp", "name": "Natural Language Processing (NLP)"}],
                       "total": 1, "limit": 50, "offset": 0})
);
full_or_sparse!(
    CategoryListBody,
    CategoryList,
    SparseCategoryList,
    "categories",
    serde_json::json!({"data": [{"slug": "ai", "name": "Artificial Intelligence and Machine Learning"}], "total": 1})
);
full_or_sparse!(
    FaqListBody,
    FaqPage,
    SparseFaqPage,
    "FAQ entries",
    serde_json::json!({"data": [{"id": 2}], "total": 1, "limit": 50, "offset": 0})
);
