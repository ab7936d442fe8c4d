//! `GET /skills`: the list, filtered by category, and full-text search with `q`.

use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse, get};

use super::json::{MatchedField, SkillPage, SkillSummary};
use crate::catalog::{Catalog, SkillIx};
use crate::error::{ApiError, Problem};
use crate::response::{self, CachedResponse};
use crate::routes::params::{self, ListParams, SkillsQuery};
use crate::search::{self, Matched};
use crate::state::AppState;

/// List skills
///
/// Skills in catalog order (for the seed catalog, the article's order), optionally only those in
/// some categories, one page at a time. The `Link` header carries the `next` and `prev` pages.
///
/// With `q`, a full-text search (SQLite FTS5, BM25) over names, aliases and descriptions: skills
/// matching in their name or an alias come first, then those matching in their description; each
/// hit carries `matched` and `score`. When nothing matches, misspelt words are corrected against
/// the index's vocabulary and the corrected query (`corrected_q`) is run instead.
#[utoipa::path(
    tag = "skills",
    operation_id = "list_skills",
    params(SkillsQuery),
    responses(
        (status = 200, description = "A page of skills.", body = SkillPage,
            headers(("ETag" = String, description = "Strong validator of this body."),
                    ("Cache-Control" = String, description = "How long the response may be reused."),
                    ("Link" = String, description = "RFC 8288 `next` and `prev` pages, when they exist.")),
            example = json!({"data": [
                {"slug": "nlp", "name": "Natural Language Processing (NLP)",
                 "description": "NLP is a critical component of AI, enabling machines to understand and interpret human language. Professionals skilled in NLP will be in demand for developing chatbots, voice assistants, and language translation systems.",
                 "category": {"slug": "ai", "name": "Artificial Intelligence and Machine Learning"}, "position": 3},
                {"slug": "machine-learning-engineering", "name": "Machine Learning Engineering",
                 "description": "Machine learning engineers will play a pivotal role in developing algorithms and models that drive AI applications. Their ability to create efficient and accurate models will be highly valued.",
                 "category": {"slug": "ai", "name": "Artificial Intelligence and Machine Learning"}, "position": 4}],
                "total": 2, "limit": 50, "offset": 0})),
        (status = 304, description = "The client's copy (If-None-Match) is current."),
        (status = 400, description = "A parameter is invalid, or a category is unknown (the problem lists the valid ones).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/skills")]
pub async fn list_skills(req: HttpRequest, state: Data<AppState>) -> Result<HttpResponse, ApiError> {
    response::cached(&req, &state, async |catalog| {
        let params = ListParams::parse_skills(&params::query::<SkillsQuery>(&req)?)?;
        let key = params.cache_key("/skills");
        if params.q.is_some() {
            return Ok(match catalog.responses.get(&key) {
                Some(hit) => hit,
                None => catalog.responses.insert(key, search_page(&state, &catalog, &params).await?),
            });
        }
        catalog.responses.get_or_build(&key, || {
            let matching: Vec<SkillIx> = match &params.category {
                Some(list) => catalog.skills_in(&catalog.resolve_categories(list)?),
                None => (0..catalog.skills.len() as SkillIx).collect(),
            };
            let total = matching.len();
            let data = matching[params.page.range(total)].iter().map(|&s| SkillSummary::new(&catalog, s)).collect();
            let page = SkillPage {
                data,
                total,
                limit: params.page.limit.get(),
                offset: params.page.offset.get(),
                corrected_q: None,
            };
            Ok(CachedResponse::json(&page).with_link(params.link("/skills", total)))
        })
    })
    .await
}

/// A page of search hits.
async fn search_page(state: &AppState, catalog: &Catalog, params: &ListParams) -> Result<CachedResponse, ApiError> {
    let text = params.q.as_ref().expect("only called with q");
    let within = match &params.category {
        Some(list) => Some(catalog.skills_in(&catalog.resolve_categories(list)?)),
        None => None,
    };
    // Without a category filter SQLite ranks and pages; with one, every hit is needed to filter.
    let first = within.is_none().then(|| params.page.offset.get().saturating_add(params.page.limit.get()));
    let ranked = search::run(&state.db, catalog, text, Some("skill"), first).await?;
    let used = ranked.corrected.as_ref().unwrap_or(text);
    let hits: Vec<(SkillIx, &crate::db::SearchHit)> = ranked
        .hits
        .iter()
        .filter_map(|hit| catalog.skill_by_slug(&hit.key).map(|ix| (ix, hit)))
        .filter(|(ix, _)| within.as_ref().is_none_or(|w| w.binary_search(ix).is_ok()))
        .collect();
    let total = if within.is_some() { hits.len() } else { ranked.total };
    let window = params.page.range(total);
    let data = hits[window.start.min(hits.len())..window.end.min(hits.len())]
        .iter()
        .map(|&(ix, hit)| {
            let skill = catalog.skill(ix);
            let matched = match search::why_skill_matched(&skill.name, &skill.aliases, used, hit.in_name_or_alias) {
                Matched::Name => MatchedField { field: "name".into(), alias: None },
                Matched::Alias(alias) => MatchedField { field: "alias".into(), alias: Some(alias) },
                Matched::Description => MatchedField { field: "description".into(), alias: None },
            };
            SkillSummary { matched: Some(matched), score: Some(round(hit.score)), ..SkillSummary::new(catalog, ix) }
        })
        .collect();
    let page = SkillPage {
        data,
        total,
        limit: params.page.limit.get(),
        offset: params.page.offset.get(),
        corrected_q: ranked.corrected.map(|c| c.canonical()),
    };
    Ok(CachedResponse::json(&page).with_link(params.link("/skills", total)))
}

/// Scores to 4 decimals: enough to order, and stable across platforms.
pub(crate) fn round(score: f64) -> f64 {
    (score * 10_000.0).round() / 10_000.0
}
