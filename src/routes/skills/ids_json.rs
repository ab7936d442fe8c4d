//! Wire types of the skills looked up by the ids clients hold (`POST /skills/lookup`, the
//! `not_found` and `removed` of `GET /skills?slug=`), re-exported by [`super::json`].

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::catalog::{Catalog, SkillIx};
use crate::routes::json::SkillSummary;
use crate::served::Served;

/// A link to a skill of the current catalog.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"slug": "structured-query-language", "name": "SQL", "href": "/skills/structured-query-language"}))]
pub struct SkillLink {
    /// The skill's slug.
    #[schema(example = "structured-query-language")]
    pub slug: String,
    /// The skill's name.
    #[schema(example = "SQL")]
    pub name: String,
    /// Its detail's path.
    #[schema(format = "uri-reference", example = "/skills/structured-query-language")]
    pub href: String,
}

impl SkillLink {
    pub fn new(catalog: &Catalog, ix: SkillIx) -> Self {
        let s = catalog.skill(ix);
        SkillLink { slug: s.slug.clone(), name: s.name.clone(), href: format!("/skills/{}", s.slug) }
    }
}

/// A skill an import removed: which version removed it, when, and what replaced it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RemovedEntry {
    /// The slug the skill had.
    #[schema(example = "sql")]
    pub slug: String,
    /// The source URI it had, if any.
    #[schema(example = "http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742")]
    pub uri: Option<String>,
    /// The version whose import removed it (see `/versions`).
    #[schema(minimum = 1, example = 3)]
    pub version: i64,
    /// That version's label.
    #[schema(example = "esco-v1.2.0")]
    pub version_label: String,
    /// When it was removed (RFC 3339, UTC).
    #[schema(format = "date-time", example = "2026-12-01T12:00:00Z")]
    pub removed_at: String,
    /// The current skill that took its place (the same source URI under a new slug), if any.
    pub replacement: Option<SkillLink>,
}

impl RemovedEntry {
    pub fn new(catalog: &Catalog, removed: &crate::catalog::lookup::Removed) -> Self {
        RemovedEntry {
            slug: removed.slug.clone(),
            uri: removed.uri.clone(),
            version: removed.version,
            version_label: removed.version_label.clone(),
            removed_at: removed.removed_at.clone(),
            replacement: removed.replacement.map(|ix| SkillLink::new(catalog, ix)),
        }
    }
}

/// The ids of a lookup that name nothing, as they were sent.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct NotFound {
    /// Slugs that no skill has, or ever had.
    #[schema(example = json!(["underwater-basket-weaving"]))]
    pub slugs: Vec<String>,
    /// Source URIs that no skill has, or ever had (compared exactly).
    #[schema(example = json!(["http://data.europa.eu/esco/skill/00000000-0000-0000-0000-000000000000"]))]
    pub uris: Vec<String>,
}

/// `POST /skills/lookup`: the ids to resolve, at most 1,000 in all.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"slugs": ["nlp", "seo"], "uris": []}))]
pub struct LookupRequest {
    /// Skill slugs (case-insensitive).
    #[serde(default)]
    #[schema(example = json!(["nlp", "seo"]))]
    pub slugs: Vec<String>,
    /// Source URIs (ESCO concept URIs), compared exactly.
    #[serde(default)]
    #[schema(example = json!(["http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742"]))]
    pub uris: Vec<String>,
}

/// The skills a lookup found, in the order asked, and what it did not.
#[derive(Debug, Serialize, ToSchema)]
pub struct LookupResult {
    /// The skills found: those of `slugs` in their order, then those of `uris`; each skill once,
    /// where it was first asked for.
    pub data: Vec<SkillSummary>,
    /// How many skills were found.
    #[schema(example = 2)]
    pub total: usize,
    /// The ids that name no skill, current or removed.
    pub not_found: NotFound,
    /// The ids that name a skill an import removed, in the order asked.
    pub removed: Vec<RemovedEntry>,
}

/// A skill's list item, the JSON of its [`SkillSummary`], as the snapshot keeps it (made once:
/// the answers that list many skills copy it rather than serialize each skill again).
fn item(served: &Served, ix: SkillIx) -> &[u8] {
    served.skill_item(ix, || {
        serde_json::to_vec(&SkillSummary::new(&served.catalog, ix)).expect("wire types always serialize")
    })
}

/// `"data":[item,…]` for `items`: copies of each skill's JSON, made once per snapshot.
fn write_data(out: &mut Vec<u8>, served: &Served, items: &[SkillIx]) {
    out.extend_from_slice(b"\"data\":[");
    for (i, &ix) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(item(served, ix));
    }
    out.push(b']');
}

/// `,"name":value` (serde's JSON of `value`).
fn write_member<T: Serialize>(out: &mut Vec<u8>, name: &str, value: &T) {
    out.extend_from_slice(b",\"");
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\":");
    serde_json::to_writer(&mut *out, value).expect("wire types always serialize");
}

fn json(body: Vec<u8>) -> crate::response::CachedResponse {
    crate::response::CachedResponse::new(
        bytes::Bytes::from(body),
        actix_web::http::header::HeaderValue::from_static("application/json"),
    )
}

/// A page of skills (`SkillPage` on the wire, without search fields), members in its order.
pub fn page_body(
    served: &Served,
    items: &[SkillIx],
    (total, limit, offset): (usize, usize, usize),
    not_found: Option<&NotFound>,
    removed: Option<&[RemovedEntry]>,
) -> crate::response::CachedResponse {
    let mut out = Vec::with_capacity(128 + items.len() * 640);
    out.push(b'{');
    write_data(&mut out, served, items);
    write_member(&mut out, "total", &total);
    write_member(&mut out, "limit", &limit);
    write_member(&mut out, "offset", &offset);
    if let Some(not_found) = not_found {
        write_member(&mut out, "not_found", not_found);
    }
    if let Some(removed) = removed {
        write_member(&mut out, "removed", &removed);
    }
    out.push(b'}');
    json(out)
}

/// The answer of a lookup (`LookupResult` on the wire), members in its order.
pub fn lookup_body(
    served: &Served,
    items: &[SkillIx],
    not_found: &NotFound,
    removed: &[RemovedEntry],
) -> crate::response::CachedResponse {
    let mut out = Vec::with_capacity(128 + items.len() * 640);
    out.push(b'{');
    write_data(&mut out, served, items);
    write_member(&mut out, "total", &items.len());
    write_member(&mut out, "not_found", not_found);
    write_member(&mut out, "removed", &removed);
    out.push(b'}');
    json(out)
}
