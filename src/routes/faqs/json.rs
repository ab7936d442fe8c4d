//! Wire types of the FAQ resource.

use serde::Serialize;
use utoipa::ToSchema;

use crate::catalog::{Catalog, Faq};
use crate::routes::json::CategoryRef;

/// A question and its answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct FaqEntry {
    /// The entry's id (1, 2, ... in the article's order).
    #[schema(example = 2, minimum = 1)]
    pub id: u32,
    /// The question.
    #[schema(example = "What are some resources to learn about artificial intelligence and machine learning?")]
    pub question: String,
    /// The answer.
    #[schema(
        example = "Online platforms like Coursera, Udacity, and edX offer comprehensive courses on AI and machine learning. There are also open-source libraries and frameworks, such as TensorFlow and PyTorch, that provide extensive documentation and tutorials."
    )]
    pub answer: String,
    /// The category the question is about.
    pub category: CategoryRef,
}

impl FaqEntry {
    pub fn new(catalog: &Catalog, faq: &Faq) -> Self {
        FaqEntry {
            id: faq.id,
            question: faq.question.clone(),
            answer: faq.answer.clone(),
            category: CategoryRef::new(catalog, faq.category),
        }
    }
}

/// A page of FAQ entries.
#[derive(Debug, Serialize, ToSchema)]
pub struct FaqPage {
    /// The entries of this page.
    pub data: Vec<FaqEntry>,
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

pub use crate::catalog::records::FaqRecord;

impl crate::routes::export::ExportRecord for FaqRecord {
    const CSV_HEADER: &'static [&'static str] = &["id", "question", "answer", "category"];

    fn csv_row(&self) -> Vec<String> {
        vec![self.id.to_string(), self.question.clone(), self.answer.clone(), self.category.clone()]
    }
}
