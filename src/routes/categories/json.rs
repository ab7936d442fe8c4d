//! Wire types of the categories resource.

use serde::Serialize;
use utoipa::ToSchema;

use crate::catalog::{Catalog, CategoryIx};
use crate::routes::json::{CategoryRef, SkillSummary};

/// A category as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategorySummary {
    /// The category's slug, its key in URLs.
    #[schema(example = "ai")]
    pub slug: String,
    /// The category's name.
    #[schema(example = "Artificial Intelligence and Machine Learning")]
    pub name: String,
    /// What the category covers.
    #[schema(
        example = "The increasing reliance on AI and machine learning technologies is transforming industries, and businesses are seeking experts who can harness the power of these tools to enhance processes, automate tasks, and make data-driven decisions."
    )]
    pub description: String,
    /// The source's code for this category (ESCO skill-group code), if any.
    #[schema(example = json!(null))]
    pub code: Option<String>,
    /// The slug of the category this one sits under, if any.
    #[schema(example = json!(null))]
    pub parent: Option<String>,
    /// How many skills are in this category, including the categories below it.
    #[schema(example = 2)]
    pub skill_count: usize,
}

impl CategorySummary {
    pub fn new(catalog: &Catalog, ix: CategoryIx) -> Self {
        let c = catalog.category(ix);
        CategorySummary {
            slug: c.slug.clone(),
            name: c.name.clone(),
            description: c.description.clone(),
            code: c.code.clone(),
            parent: c.parent.map(|p| catalog.category(p).slug.clone()),
            skill_count: c.skills.len(),
        }
    }
}

/// Every category, in catalog order.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryList {
    /// The categories.
    pub data: Vec<CategorySummary>,
    /// How many categories there are.
    #[schema(example = 4)]
    pub total: usize,
}

/// One category with its skills.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryDetail {
    /// The category's slug, its key in URLs.
    #[schema(example = "ai")]
    pub slug: String,
    /// The category's name.
    #[schema(example = "Artificial Intelligence and Machine Learning")]
    pub name: String,
    /// What the category covers.
    #[schema(
        example = "The increasing reliance on AI and machine learning technologies is transforming industries, and businesses are seeking experts who can harness the power of these tools to enhance processes, automate tasks, and make data-driven decisions."
    )]
    pub description: String,
    /// The source's code for this category, if any.
    #[schema(example = json!(null))]
    pub code: Option<String>,
    /// The category this one sits under, if any.
    pub parent: Option<CategoryRef>,
    /// The categories directly below this one.
    pub children: Vec<CategoryRef>,
    /// How many skills are in this category, including the categories below it.
    #[schema(example = 2)]
    pub skill_count: usize,
    /// The category's skills in catalog order: the first 100; `skills_url` pages through all.
    pub skills: Vec<SkillSummary>,
    /// Where to page through all of this category's skills.
    #[schema(example = "/skills?category=ai")]
    pub skills_url: String,
}

pub use crate::catalog::records::CategoryRecord;

impl crate::routes::export::ExportRecord for CategoryRecord {
    const CSV_HEADER: &'static [&'static str] = &["slug", "name", "description", "code", "parent", "skill_count"];

    fn csv_row(&self) -> Vec<String> {
        vec![
            self.slug.clone(),
            self.name.clone(),
            self.description.clone(),
            self.code.clone().unwrap_or_default(),
            self.parent.clone().unwrap_or_default(),
            self.skill_count.to_string(),
        ]
    }
}
