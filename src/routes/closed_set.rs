//! Closed sets of values on the wire (`Hit.type`, `Suggestion.match_type`, ...): each is a Rust
//! enum deriving `Serialize`, `Deserialize` and `ToSchema` with one `rename_all`, so the JSON
//! served, the values parsed and the `enum` of the OpenAPI document come from one declaration.
//! [`ClosedSet::meaning`] is an exhaustive `match`, so a new value cannot go undocumented:
//! [`describe_values`] writes every value's meaning into its schema's description.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use utoipa::ToSchema;
use utoipa::openapi::{RefOr, Schema};

/// A wire enum whose values the OpenAPI document describes one by one.
pub trait ClosedSet: ToSchema + DeserializeOwned {
    /// What this value means, in a few words (Markdown).
    fn meaning(&self) -> &'static str;
}

/// Every closed set of the API. A test fails when the document has an `enum` missing here.
pub fn describe_all(schemas: &mut BTreeMap<String, RefOr<Schema>>) {
    describe_values::<super::search::HitType>(schemas);
    describe_values::<super::search::HitField>(schemas);
    describe_values::<super::json::SkillField>(schemas);
    describe_values::<super::skills::json::LabelKind>(schemas);
    describe_values::<super::skills::json::MatchType>(schemas);
    describe_values::<super::skills::json::RelatedBasis>(schemas);
    describe_values::<super::export::ExportFormatParam>(schemas);
    describe_values::<super::health::HealthStatus>(schemas);
    describe_values::<super::health::ReadinessStatus>(schemas);
    describe_values::<super::params::SkillTypeParam>(schemas);
    describe_values::<super::changes::ChangeResource>(schemas);
    describe_values::<super::changes::ChangeKind>(schemas);
    describe_values::<super::params::SortParam>(schemas);
    describe_values::<super::fields::SkillListField>(schemas);
    describe_values::<super::fields::CategoryListField>(schemas);
    describe_values::<super::fields::FaqListField>(schemas);
}

/// Appends to `T`'s schema description one line per value of its `enum`: "- `value`: meaning".
///
/// # Panics
/// When `T` is not a component of the document, or a value of its `enum` does not deserialize
/// into `T`; both are bugs of this crate, caught by any test that builds the document.
pub fn describe_values<T: ClosedSet>(schemas: &mut BTreeMap<String, RefOr<Schema>>) {
    let name = T::name();
    let Some(RefOr::T(Schema::Object(schema))) = schemas.get_mut(name.as_ref()) else {
        panic!("{name} is not an object schema of the document's components");
    };
    let lines: Vec<String> = schema
        .enum_values
        .iter()
        .flatten()
        .map(|value| {
            let parsed: T = serde_json::from_value(value.clone())
                .unwrap_or_else(|e| panic!("{name}: the schema's value {value} is not one of the type's: {e}"));
            format!("- `{}`: {}", value.as_str().unwrap_or_default(), parsed.meaning())
        })
        .collect();
    let doc = schema.description.take().unwrap_or_default();
    schema.description = Some(format!("{doc}\n\n{}", lines.join("\n")));
}
