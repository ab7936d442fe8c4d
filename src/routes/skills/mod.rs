//! `/skills`: the catalog's skills.

pub mod json;

use actix_web::web::{Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse, get};
use utoipa_actix_web::service_config::ServiceConfig;

use self::json::{RelatedSkill, SkillDetail, SkillPage, SkillSummary};
use crate::catalog::{Catalog, SkillIx};
use crate::domain::Slug;
use crate::error::{ApiError, Problem};
use crate::response::{self, CachedResponse};
use crate::routes::categories::json::CategoryRef;
use crate::routes::params::{ListParams, ListQuery};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    // Fixed paths before `/skills/{slug}`, which would otherwise take them.
    cfg.service(list_skills).service(get_skill);
}

/// List skills
///
/// Skills in catalog order (for the seed catalog, the article's order), optionally only those in
/// some categories, one page at a time. The `Link` header carries the `next` and `prev` pages.
#[utoipa::path(
    tag = "skills",
    operation_id = "list_skills",
    params(ListQuery),
    responses(
        (status = 200, description = "A page of skills.", body = SkillPage,
            headers(("ETag" = String, description = "Strong validator of this body."),
                    ("Cache-Control" = String, description = "How long the response may be reused."),
                    ("Link" = String, description = "RFC 8288 `next` and `prev` pages, when they exist.")),
            example = json!({"data": [
                {"slug": "nlp", "name": "Natural Language Processing (NLP)",
                 "description": "NLP is a critical component of AI, enabling machines to understand and interpret human language. Professionals skilled in NLP will be in demand for developing chatbots, voice assistants, and language translation systems.",
                 "category": {"slug": "ai", "name": "Artificial Intelligence and Machine Learning"}},
                {"slug": "machine-learning-engineering", "name": "Machine Learning Engineering",
                 "description": "Machine learning engineers will play a pivotal role in developing algorithms and models that drive AI applications. Their ability to create efficient and accurate models will be highly valued.",
                 "category": {"slug": "ai", "name": "Artificial Intelligence and Machine Learning"}}],
                "total": 2, "limit": 50, "offset": 0})),
        (status = 304, description = "The client's copy (If-None-Match) is current."),
        (status = 400, description = "A parameter is invalid, or a category is unknown (the problem lists the valid ones).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/skills")]
pub async fn list_skills(
    req: HttpRequest,
    state: Data<AppState>,
    query: Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let params = ListParams::parse(&query)?;
    let catalog = state.catalog();
    let entry = catalog.responses.get_or_build(&params.cache_key("/skills"), || {
        let matching: Vec<SkillIx> = match &params.category {
            Some(list) => catalog.skills_in(&catalog.resolve_categories(list)?),
            None => (0..catalog.skills.len() as SkillIx).collect(),
        };
        let total = matching.len();
        let data = matching[params.page.range(total)].iter().map(|&s| SkillSummary::new(&catalog, s)).collect();
        let page = SkillPage { data, total, limit: params.page.limit.get(), offset: params.page.offset.get() };
        Ok(CachedResponse::json(&page).with_link(params.link("/skills", total)))
    })?;
    Ok(response::send(&req, &state.cache_policy, &entry))
}

/// Get a skill
///
/// One skill with its categories, its aliases and its related skills.
#[utoipa::path(
    tag = "skills",
    operation_id = "get_skill",
    params(("slug" = String, Path, description = "The skill's slug (case-insensitive).",
            pattern = r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$", max_length = 100, example = "nlp")),
    responses(
        (status = 200, description = "The skill.", body = SkillDetail,
            headers(("ETag" = String, description = "Strong validator of this body."),
                    ("Cache-Control" = String, description = "How long the response may be reused."))),
        (status = 304, description = "The client's copy (If-None-Match) is current."),
        (status = 404, description = "No skill has this slug.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/skills/{slug}")]
pub async fn get_skill(req: HttpRequest, state: Data<AppState>, slug: Path<String>) -> Result<HttpResponse, ApiError> {
    let catalog = state.catalog();
    let not_found = || ApiError::NotFound { resource: "skill", key_name: "slug", key: crate::domain::truncate(&slug) };
    let slug = Slug::parse("slug", &slug).map_err(|_| not_found())?;
    let ix = catalog.skill_by_slug(slug.as_str()).ok_or_else(not_found)?;
    let entry = catalog
        .responses
        .get_or_build(&format!("/skills/{slug}"), || Ok(CachedResponse::json(&detail(&catalog, ix))))?;
    Ok(response::send(&req, &state.cache_policy, &entry))
}

/// How many related skills a skill's detail lists.
const RELATED: usize = 10;

fn detail(catalog: &Catalog, ix: SkillIx) -> SkillDetail {
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
        related: related(catalog, ix),
    }
}

/// The other skills of the skill's primary category, in catalog order.
fn related(catalog: &Catalog, ix: SkillIx) -> Vec<RelatedSkill> {
    let s = catalog.skill(ix);
    catalog
        .category(s.category)
        .skills
        .iter()
        .filter(|&&other| other != ix)
        .take(RELATED)
        .map(|&other| {
            let o = catalog.skill(other);
            RelatedSkill { slug: o.slug.clone(), name: o.name.clone(), basis: "same_category".into() }
        })
        .collect()
}
