//! `GET /skills`: the list, filtered by category, and full-text search with `q`.

use actix_web::{HttpRequest, HttpResponse, get};

use super::json::{Correction, MatchedField, SkillField, SkillPage, SkillSummary};
use crate::catalog::{Catalog, SkillIx};
use crate::error::{ApiError, Problem};
use crate::response::CachedResponse;
use crate::routes::params::{self, ListParams, SkillsQuery};
use crate::search::{DocKind, Field, Filter};
use crate::served::{Served, Snapshot};

/// List skills
///
/// Skills in catalog order (for the seed catalog, the article's order), optionally only those in
/// some categories and of one `type` (`skill` or `knowledge`), one page at a time. The `Link` header carries the `next` and `prev` pages.
///
/// With `q`, a search over names, aliases and descriptions, ranked by exactness, words, typos,
/// proximity, attribute (name, alias, description) and BM25F (docs/SEARCH.md). Words are read
/// in every form ("negotiating" finds "negotiate", "organize" finds "organise"), words that frame
/// a skill ("experience with", "strong") never outrank it, misspelt words are corrected, and the
/// last word also matches as a prefix. Each hit says in `matched` which label matched, which words
/// were corrected and which matched nothing; `corrected_q` is the query as the best hit read it.
#[utoipa::path(
    tag = "skills",
    operation_id = "list_skills",
    params(SkillsQuery),
    responses(
        (status = 200, description = "A page of skills.", body = SkillPage,
            headers(("Link" = String, description = "RFC 8288 `next` and `prev` pages, when they exist.")),
            example = json!({"data": [
                {"slug": "nlp", "name": "Natural Language Processing (NLP)",
                 "description": "NLP is a critical component of AI, enabling machines to understand and interpret human language. Professionals skilled in NLP will be in demand for developing chatbots, voice assistants, and language translation systems.",
                 "category": {"slug": "ai", "name": "Artificial Intelligence and Machine Learning"}, "type": "skill", "position": 3},
                {"slug": "machine-learning-engineering", "name": "Machine Learning Engineering",
                 "description": "Machine learning engineers will play a pivotal role in developing algorithms and models that drive AI applications. Their ability to create efficient and accurate models will be highly valued.",
                 "category": {"slug": "ai", "name": "Artificial Intelligence and Machine Learning"}, "type": "skill", "position": 4}],
                "total": 2, "limit": 50, "offset": 0})),
        (status = 400, description = "A parameter is invalid (`type` is neither `skill` nor `knowledge`), or a category is unknown (the problem lists the valid ones).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/skills")]
pub async fn list_skills(req: HttpRequest, served: Snapshot) -> Result<HttpResponse, ApiError> {
    let params = ListParams::parse_skills(&params::query::<SkillsQuery>(&req)?)?;
    served
        .cached(&req, &params.cache_key("/skills"), async {
            match params.q {
                Some(_) => search_page(&served, &params),
                None => list_page(&served.catalog, &params),
            }
        })
        .await
}

/// A page of the list, in catalog order.
fn list_page(catalog: &Catalog, params: &ListParams) -> Result<CachedResponse, ApiError> {
    let matching: Vec<SkillIx> = match within(catalog, params)? {
        Some(within) => within,
        None => (0..catalog.skills.len() as SkillIx).collect(),
    };
    let total = matching.len();
    let data = matching[params.page.range(total)].iter().map(|&s| SkillSummary::new(catalog, s)).collect();
    let page =
        SkillPage { data, total, limit: params.page.limit.get(), offset: params.page.offset.get(), corrected_q: None };
    Ok(CachedResponse::json(&page).with_link(params.link("/skills", total)))
}

/// The skills the `category` and `type` filters leave, in catalog order (sorted by index);
/// `None` when neither is given.
fn within(catalog: &Catalog, params: &ListParams) -> Result<Option<Vec<SkillIx>>, ApiError> {
    let categories = params.category.as_ref().map(|list| catalog.resolve_categories(list)).transpose()?;
    Ok(catalog.filtered_skills(categories.as_deref(), params.kind))
}

/// A page of search hits, from the snapshot's in-memory index.
fn search_page(served: &Served, params: &ListParams) -> Result<CachedResponse, ApiError> {
    let catalog = &served.catalog;
    let text = params.q.as_ref().expect("only called with q");
    let within = within(catalog, params)?;
    let filter = Filter { kind: Some(DocKind::Skill), within: within.as_deref() };
    let found = served.search.search(text, &filter, params.page.offset.get(), params.page.limit.get());
    let data = found
        .hits
        .into_iter()
        .map(|hit| {
            let ix = hit.item as SkillIx;
            let skill = catalog.skill(ix);
            let (field, alias, label) = match hit.field {
                Field::Name => (SkillField::Name, None, skill.name.clone()),
                Field::Alias(a) => {
                    let alias = skill.aliases[a as usize].clone();
                    (SkillField::Alias, Some(alias.clone()), alias)
                }
                Field::Body => (SkillField::Description, None, skill.description.clone()),
            };
            let matched = MatchedField {
                field,
                alias,
                label: (field != SkillField::Description).then_some(label),
                corrected: hit.corrections.into_iter().map(|(from, to)| Correction { from, to }).collect(),
                unmatched: hit.unmatched,
            };
            SkillSummary { matched: Some(matched), score: Some(round(hit.score)), ..SkillSummary::new(catalog, ix) }
        })
        .collect();
    let page = SkillPage {
        data,
        total: found.total,
        limit: params.page.limit.get(),
        offset: params.page.offset.get(),
        corrected_q: found.corrected,
    };
    Ok(CachedResponse::json(&page).with_link(params.link("/skills", found.total)))
}

/// Scores to 4 decimals: enough to order, and stable across platforms.
pub(crate) fn round(score: f64) -> f64 {
    (score * 10_000.0).round() / 10_000.0
}
