//! Sparse fieldsets: `fields=slug,name` on the list endpoints returns only the named fields of
//! each item (typeaheads, long lists). The page around the items (`total`, `limit`, ...) stays
//! whole. Each list has its closed set of field names; an unknown one is a 400 problem listing
//! them. The answers are described by the `Sparse*` schemas (every field optional), and each
//! list's 200 is `anyOf` its full page and its sparse page.

mod sparse;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use self::sparse::{
    CategoryListBody, FaqListBody, SkillListBody, SparseCategory, SparseCategoryList, SparseFaq, SparseFaqPage,
    SparseSkill, SparseSkillPage,
};
use crate::error::ApiError;
use crate::routes::closed_set::ClosedSet;

/// The fields of a skill as listed, in the order they are sent.
pub const SKILL_FIELDS: &[&str] =
    &["slug", "name", "description", "category", "type", "position", "uri", "matched", "score"];
/// The fields of a category as listed.
pub const CATEGORY_FIELDS: &[&str] = &["slug", "name", "description", "code", "parent", "skill_count"];
/// The fields of a FAQ entry.
pub const FAQ_FIELDS: &[&str] = &["id", "question", "answer", "category"];

/// A field of a listed skill, as `fields` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(examples("name"))]
pub enum SkillListField {
    Slug,
    Name,
    Description,
    Category,
    Type,
    Position,
    Uri,
    Matched,
    Score,
}

impl ClosedSet for SkillListField {
    fn meaning(&self) -> &'static str {
        match self {
            SkillListField::Slug => "the skill's slug",
            SkillListField::Name => "its name",
            SkillListField::Description => "its description",
            SkillListField::Category => "its primary category (slug and name)",
            SkillListField::Type => "`skill` or `knowledge`",
            SkillListField::Position => "its place in catalog order",
            SkillListField::Uri => "its source URI (null when it has none)",
            SkillListField::Matched => "why it matched the search (with `q` only)",
            SkillListField::Score => "its relevance (with `q` only)",
        }
    }
}

/// A field of a listed category, as `fields` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(examples("name"))]
pub enum CategoryListField {
    Slug,
    Name,
    Description,
    Code,
    Parent,
    SkillCount,
}

impl ClosedSet for CategoryListField {
    fn meaning(&self) -> &'static str {
        match self {
            CategoryListField::Slug => "the category's slug",
            CategoryListField::Name => "its name",
            CategoryListField::Description => "its description",
            CategoryListField::Code => "its source code (null when it has none)",
            CategoryListField::Parent => "its parent's slug (null at the top)",
            CategoryListField::SkillCount => "how many skills it holds, below it included",
        }
    }
}

/// A field of a FAQ entry, as `fields` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(examples("question"))]
pub enum FaqListField {
    Id,
    Question,
    Answer,
    Category,
}

impl ClosedSet for FaqListField {
    fn meaning(&self) -> &'static str {
        match self {
            FaqListField::Id => "the entry's id",
            FaqListField::Question => "the question",
            FaqListField::Answer => "the answer",
            FaqListField::Category => "the category it is about (slug and name)",
        }
    }
}

/// The fields a client asked for: a non-empty subset of one list's fields.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldSet {
    /// In the list's order (so `name,slug` and `slug,name` are one answer).
    names: Vec<&'static str>,
}

impl FieldSet {
    /// Parses `fields=a,b` against `valid`: comma-separated, each once or more, none unknown.
    pub fn parse(raw: &str, valid: &'static [&'static str]) -> Result<FieldSet, ApiError> {
        let mut asked = Vec::new();
        for name in raw.split(',') {
            match valid.iter().find(|v| **v == name) {
                Some(v) => asked.push(*v),
                None => {
                    return Err(ApiError::InvalidChoice {
                        parameter: "fields",
                        message: format!(
                            "`{}` is not a field of these items; `fields` takes a comma-separated list of: {}",
                            crate::domain::truncate(name),
                            valid.join(", ")
                        ),
                        valid: valid.iter().map(|v| (*v).to_owned()).collect(),
                    });
                }
            }
        }
        let names = valid.iter().copied().filter(|v| asked.contains(v)).collect();
        Ok(FieldSet { names })
    }

    pub fn has(&self, name: &str) -> bool {
        self.names.contains(&name)
    }

    /// `a,b` in the list's order: the canonical parameter value.
    pub fn canonical(&self) -> String {
        self.names.join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_parse_into_the_lists_order() {
        let f = FieldSet::parse("name,slug,name", SKILL_FIELDS).unwrap();
        assert_eq!(f.canonical(), "slug,name");
        let Err(ApiError::InvalidChoice { parameter, valid, .. }) = FieldSet::parse("slug,colour", SKILL_FIELDS) else {
            panic!("an unknown field is refused");
        };
        assert_eq!((parameter, valid.len()), ("fields", SKILL_FIELDS.len()));
        assert!(FieldSet::parse("", FAQ_FIELDS).is_err());
    }

    /// The names parsed are the names the document's enums list, in the same order.
    #[test]
    fn the_field_lists_are_the_enums() {
        fn names<T: Serialize>(all: &[T]) -> Vec<String> {
            all.iter().map(|v| serde_json::to_value(v).unwrap().as_str().unwrap().to_owned()).collect()
        }
        use {CategoryListField as C, FaqListField as F, SkillListField as S};
        let skills =
            [S::Slug, S::Name, S::Description, S::Category, S::Type, S::Position, S::Uri, S::Matched, S::Score];
        assert_eq!(names(&skills), SKILL_FIELDS);
        assert_eq!(names(&[C::Slug, C::Name, C::Description, C::Code, C::Parent, C::SkillCount]), CATEGORY_FIELDS);
        assert_eq!(names(&[F::Id, F::Question, F::Answer, F::Category]), FAQ_FIELDS);
    }
}
