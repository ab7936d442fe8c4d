//! `GET /skills/{slug}`: one skill with everything the catalog knows of it.

use actix_web::{HttpRequest, HttpResponse, get};

use super::json::{RelatedSkill, SkillDetail};
use crate::catalog::{Catalog, SkillIx, related};
use crate::error::{ApiError, Problem};
use crate::response::CachedResponse;
use crate::routes::json::CategoryRef;
use crate::routes::params;
use crate::served::Snapshot;

/// Get a skill
///
/// One skill with its categories, its aliases and its related skills: ranked by the categories
/// and the uncommon name words they share (a small category or a rare word counts more), each
/// with the `basis` of the relation. A slug that an import removed answers 410 Gone; one that
/// never existed, 404.
#[utoipa::path(
    tag = "skills",
    operation_id = "get_skill",
    params(("slug" = String, Path, description = "The skill's slug (case-insensitive).",
            pattern = r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$", max_length = 100, example = "nlp")),
    responses(
        (status = 200, description = "The skill.", body = SkillDetail),
        (status = 404, description = "No skill has, or had, this slug.", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "An import removed the skill: the problem names the version and date (`version`, `version_label`, `removed_at`), and its `replacement` (also a `Link` header, `rel=\"successor-version\"`) when known.",
            body = Problem, content_type = "application/problem+json",
            headers(("Link" = String, description = "`</skills/{slug}>; rel=\"successor-version\"`: the replacement, when known."))),
    )
)]
#[get("/skills/{slug}")]
pub async fn get_skill(req: HttpRequest, served: Snapshot) -> Result<HttpResponse, ApiError> {
    let catalog = &served.catalog;
    let (slug, ix) = params::path_slug(&req, "skill", |slug| catalog.skill_by_slug(slug)).map_err(|e| {
        // A slug an import removed is gone (410), not unknown.
        let raw = req.match_info().get("slug").unwrap_or_default().to_ascii_lowercase();
        catalog.lookup.removed_slug(&raw).map_or(e, |removed| super::lookup::removed_error(catalog, removed))
    })?;
    served.cached(&req, &format!("/skills/{slug}"), async || Ok(CachedResponse::json(&detail(catalog, ix)))).await
}

/// How many related skills a skill's detail lists.
const RELATED: usize = 10;

pub(super) fn detail(catalog: &Catalog, ix: SkillIx) -> SkillDetail {
    let s = catalog.skill(ix);
    SkillDetail {
        slug: s.slug.clone(),
        name: s.name.clone(),
        description: s.description.clone(),
        category: CategoryRef::new(catalog, s.category),
        categories: s.categories.iter().map(|&c| CategoryRef::new(catalog, c)).collect(),
        aliases: s.aliases.clone(),
        uri: s.uri.clone(),
        skill_type: s.skill_type.clone(),
        kind: s.kind.as_str(),
        related: related(catalog, ix),
    }
}

/// The most related skills, with why.
fn related(catalog: &Catalog, ix: SkillIx) -> Vec<RelatedSkill> {
    related::related(catalog, ix, RELATED)
        .into_iter()
        .map(|(other, basis)| {
            let o = catalog.skill(other);
            RelatedSkill { slug: o.slug.clone(), name: o.name.clone(), basis: basis.into() }
        })
        .collect()
}
