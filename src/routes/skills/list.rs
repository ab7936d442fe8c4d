//! `GET /skills`: the list, filtered by category, and full-text search with `q`.

use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse, get};

use super::ids_json::page_body;
use super::json::{NotFound, RemovedEntry, SkillPage};
use crate::catalog::{Catalog, SkillIx, lookup};
use crate::error::{ApiError, Problem};
use crate::response::CachedResponse;
use crate::routes::fields::{SkillListBody, SparseSkillPage};
use crate::routes::json::Overloaded;
use crate::routes::json::{Correction, MatchedField, SkillField, SkillSummary};
use crate::routes::params::{ListParams, SkillsQuery};
use crate::routes::query_string;
use crate::search::{DocKind, Field, Filter};
use crate::served::{Served, Snapshot};
use crate::work::WorkQueue;

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
///
/// Clients that hold ids: `slug=a,b,c` and `uri=...` (repeatable; ESCO concept URIs, compared
/// exactly) list those skills in the order asked (at most 100 ids; `POST /skills/lookup` takes
/// 1,000), with the ids that name nothing in `not_found` and the skills an import removed in
/// `removed`. `sort` orders by `name` or `-name` (case- and accent-insensitive, ties in catalog
/// order); `fields` keeps only the named fields of each skill.
#[utoipa::path(
    tag = "skills",
    operation_id = "list_skills",
    params(SkillsQuery,
        ("uri" = Option<Vec<String>>, Query, style = Form, explode, max_items = 100,
            description = "Only the skills with these source URIs (ESCO concept URIs), compared exactly as the source writes them: repeat the parameter for several (`uri=a&uri=b`); with `slug`, at most 100 ids in all. Answered after the `slug`s, in the order asked.",
            example = json!(["http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742"]))),
    responses(
        (status = 200, description = "A page of skills (with `fields`, the sparse form).", body = SkillListBody,
            headers(("Link" = String, description = "RFC 8288 `next` and `prev` pages, when they exist.")),
            example = json!({"data": [
                {"slug": "nlp", "name": "Natural Language Processing (NLP)",
                 "description": "NLP is a critical component of AI, enabling machines to understand and interpret human language. Professionals skilled in NLP will be in demand for developing chatbots, voice assistants, and language translation systems.",
                 "category": {"slug": "ai", "name": "Artificial Intelligence and Machine Learning"}, "type": "skill", "position": 3, "uri": null},
                {"slug": "machine-learning-engineering", "name": "Machine Learning Engineering",
                 "description": "Machine learning engineers will play a pivotal role in developing algorithms and models that drive AI applications. Their ability to create efficient and accurate models will be highly valued.",
                 "category": {"slug": "ai", "name": "Artificial Intelligence and Machine Learning"}, "type": "skill", "position": 4, "uri": null}],
                "total": 2, "limit": 50, "offset": 0})),
        (status = 400, description = "A parameter is invalid (`type` is neither `skill` nor `knowledge`; more than 100 ids; `sort` with `q`; with `q`, `offset` + `limit` over 1000), a category is unknown, or a `sort` key or field is unknown (the problem lists the valid ones in `valid_values`).",
            body = Problem, content_type = "application/problem+json"),
        Overloaded,
    )
)]
#[get("/skills")]
pub async fn list_skills(req: HttpRequest, served: Snapshot, work: Data<WorkQueue>) -> Result<HttpResponse, ApiError> {
    let (uris, rest) = query_string::take_repeated(req.query_string(), "uri");
    let params = ListParams::parse_skills(&query_string::query_from::<SkillsQuery>(&rest)?, uris)?;
    served
        .cached(&req, &params.cache_key("/skills"), async || {
            match params.q {
                // A search not answered before is expensive work (up to ~5 ms on ESCO): the work
                // queue's, so that a flood of new searches is shed and the worker stays free.
                Some(_) => {
                    let (snapshot, params) = (served.share(), params.clone());
                    work.run(move || search_page(&snapshot, &params)).await?
                }
                None => list_page(&served, &params),
            }
        })
        .await
}

/// A page of the list (or of the skills `slug` and `uri` ask for), in the order `sort` asks.
fn list_page(served: &Served, params: &ListParams) -> Result<CachedResponse, ApiError> {
    let catalog = &served.catalog;
    let within = within(catalog, params)?;
    let (matching, not_found, removed) = match &params.ids {
        Some(ids) => {
            let found = lookup::resolve(catalog, &ids.slugs, &ids.uris);
            let mut matching = found.found;
            if let Some(within) = &within {
                // `within` is in catalog order: sorted, so a binary search finds membership.
                matching.retain(|ix| within.binary_search(ix).is_ok());
            }
            if let Some(order) = params.sort {
                catalog.orders.skills.sort(&mut matching, order);
            }
            let not_found = NotFound { slugs: found.missing_slugs, uris: found.missing_uris };
            let removed = found.removed.iter().map(|r| RemovedEntry::new(catalog, r)).collect();
            (matching, Some(not_found), Some(removed))
        }
        None => {
            let order = params.sort.unwrap_or_default();
            let matching: Vec<SkillIx> = match within {
                Some(mut within) => {
                    catalog.orders.skills.sort(&mut within, order);
                    within
                }
                None => catalog.orders.skills.all(order).into_owned(),
            };
            (matching, None, None)
        }
    };
    let total = matching.len();
    let page = &matching[params.page.range(total)];
    let (limit, offset) = (params.page.limit.get(), params.page.offset.get());
    let response = match &params.fields {
        // The whole form, from each skill's JSON as the snapshot keeps it.
        None => page_body(served, page, (total, limit, offset), not_found.as_ref(), removed.as_deref()),
        Some(_) => {
            let data = page.iter().map(|&s| SkillSummary::new(catalog, s)).collect();
            let page = SkillPage { data, total, limit, offset, corrected_q: None, not_found, removed };
            page_response(page, params)
        }
    };
    Ok(response.with_link(params.link("/skills", total)))
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
        not_found: None,
        removed: None,
    };
    Ok(page_response(page, params).with_link(params.link("/skills", found.total)))
}

/// The page serialized whole, or in its sparse form when `fields` is given.
fn page_response(page: SkillPage, params: &ListParams) -> CachedResponse {
    match &params.fields {
        Some(fields) => CachedResponse::json(&SparseSkillPage::new(page, fields)),
        None => CachedResponse::json(&page),
    }
}

/// Scores to 4 decimals: enough to order, and stable across platforms.
pub(crate) fn round(score: f64) -> f64 {
    (score * 10_000.0).round() / 10_000.0
}
