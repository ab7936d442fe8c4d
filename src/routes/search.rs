//! `GET /search`: one search over skills, categories and FAQ entries.

use std::sync::Arc;

use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse, get};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::catalog::Catalog;
use crate::db::{self, SearchHit};
use crate::domain::{Page, ParamError, SearchText};
use crate::error::{ApiError, Problem};
use crate::response::{self, CachedResponse};
use crate::routes::closed_set::ClosedSet;
use crate::routes::params;
use crate::routes::skills::round;
use crate::search::{self, Matched};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(search_catalog);
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// What to search for (words only: quotes and operators are ignored; at most 200 characters;
    /// words after the 16th are ignored).
    #[param(value_type = String, min_length = 1, max_length = 200, example = "blockchain")]
    pub q: Option<String>,
    /// Only hits of this type: `skill`, `category` or `faq`.
    #[param(value_type = Option<HitType>, example = "skill")]
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Page size.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100, default = 50, example = 10)]
    pub limit: Option<String>,
    /// How many hits to skip.
    #[param(value_type = Option<u32>, minimum = 0, maximum = 2147483647, default = 0, example = 0)]
    pub offset: Option<String>,
}

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(examples("skill"))]
pub enum HitType {
    Skill,
    Category,
    Faq,
}

impl ClosedSet for HitType {
    fn meaning(&self) -> &'static str {
        match self {
            HitType::Skill => "a skill; `key` is its slug",
            HitType::Category => "a category; `key` is its slug",
            HitType::Faq => "an FAQ entry; `key` is its id",
        }
    }
}

/// Which field of a hit matched the search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(examples("description"))]
pub enum HitField {
    Name,
    Alias,
    Description,
    Question,
    Answer,
}

impl ClosedSet for HitField {
    fn meaning(&self) -> &'static str {
        match self {
            HitField::Name => "the name of the skill or category",
            HitField::Alias => "an alias of the skill",
            HitField::Description => "the description of the skill or category",
            HitField::Question => "the question of the FAQ entry",
            HitField::Answer => "the answer of the FAQ entry",
        }
    }
}

/// One search hit.
#[derive(Debug, Serialize, ToSchema)]
pub struct Hit {
    /// What the hit is.
    #[serde(rename = "type")]
    pub kind: HitType,
    /// The slug (skills, categories) or id (FAQ entries), as text.
    #[schema(example = "smart-contract-development")]
    pub key: String,
    /// The name, or the FAQ question.
    #[schema(example = "Smart Contract Development")]
    pub title: String,
    /// Where the item lives in this API.
    #[schema(example = "/skills/smart-contract-development")]
    pub url: String,
    /// The best-matching fragment, HTML-escaped, with the matched words in `<mark>`.
    #[schema(example = "…will be in demand as <mark>blockchain</mark> adoption grows.")]
    pub snippet: String,
    /// Which field matched.
    pub matched: HitField,
    /// BM25 relevance, higher is better.
    #[schema(example = 2.8541)]
    pub score: f64,
}

/// A page of search hits.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchPage {
    /// The hits of this page, best first.
    pub data: Vec<Hit>,
    /// How many hits there are, over all pages.
    #[schema(example = 3)]
    pub total: usize,
    /// The page size used.
    #[schema(example = 50)]
    pub limit: usize,
    /// How many hits were skipped.
    #[schema(example = 0)]
    pub offset: usize,
    /// The query actually run, when `q` found nothing and typo tolerance corrected its words.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "blockchain")]
    pub corrected_q: Option<String>,
}

struct Params {
    q: SearchText,
    kind: Option<&'static str>,
    page: Page,
}

fn parse(query: &SearchQuery) -> Result<Params, ParamError> {
    let q = query.q.as_deref().ok_or_else(|| ParamError::new("q", "`q` is required"))?;
    let kind = match query.kind.as_deref() {
        None => None,
        Some("skill") => Some("skill"),
        Some("category") => Some("category"),
        Some("faq") => Some("faq"),
        Some(other) => {
            return Err(ParamError::new(
                "type",
                format!("`type` must be `skill`, `category` or `faq`, not `{}`", crate::domain::truncate(other)),
            ));
        }
    };
    Ok(Params {
        q: SearchText::parse("q", q)?,
        kind,
        page: Page::parse(query.limit.as_deref(), query.offset.as_deref())?,
    })
}

/// Search the catalog
///
/// One full-text search (SQLite FTS5, BM25) over skills (names, aliases, descriptions),
/// categories and FAQ entries: matches in a name, alias or question first, then the rest, by
/// score. Each hit is typed and carries a highlighted snippet. When nothing matches, misspelt
/// words are corrected against the index's vocabulary (`corrected_q`).
#[utoipa::path(
    tag = "search",
    operation_id = "search_catalog",
    params(SearchQuery),
    responses(
        (status = 200, description = "A page of hits.", body = SearchPage,
            headers(("ETag" = String, description = "Strong validator of this body."),
                    ("Cache-Control" = String, description = "How long the response may be reused."),
                    ("Link" = String, description = "RFC 8288 `next` and `prev` pages, when they exist."))),
        (status = 304, description = "The client's copy (If-None-Match) is current."),
        (status = 400, description = "`q` is missing, empty or too long; or another parameter is invalid.",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/search")]
pub async fn search_catalog(req: HttpRequest, state: Data<AppState>) -> Result<HttpResponse, ApiError> {
    response::cached(&req, &state, async |catalog| search(&state, &catalog, &parse(&params::query(&req)?)?).await).await
}

async fn search(state: &AppState, catalog: &Catalog, params: &Params) -> Result<Arc<CachedResponse>, ApiError> {
    let query_string = |offset: usize| {
        let mut qs = form_urlencoded::Serializer::new(String::new());
        qs.append_pair("q", &params.q.canonical());
        if let Some(kind) = params.kind {
            qs.append_pair("type", kind);
        }
        qs.append_pair("limit", &params.page.limit.get().to_string());
        qs.append_pair("offset", &offset.to_string());
        format!("/search?{}", qs.finish())
    };
    let key = query_string(params.page.offset.get());
    Ok(match catalog.responses.get(&key) {
        Some(hit) => hit,
        None => {
            let first = params.page.offset.get().saturating_add(params.page.limit.get());
            let ranked = search::run(&state.db, catalog, &params.q, params.kind, Some(first)).await?;
            let used = ranked.corrected.as_ref().unwrap_or(&params.q);
            let total = ranked.total;
            let link = response::link_header(
                params.page.next_offset(total).map(query_string),
                params.page.prev_offset(total).map(query_string),
            );
            let page_hits: Vec<&SearchHit> =
                ranked.hits.iter().skip(params.page.offset.get()).filter(|h| is_known(catalog, h)).collect();
            let rowids: Vec<i64> = page_hits.iter().map(|h| h.rowid).collect();
            let snippets = db::snippets(&state.db, &used.fts_query(), &rowids).await?;
            let data = page_hits
                .iter()
                .filter_map(|h| to_hit(catalog, h, used, snippets.get(&h.rowid).map_or("", String::as_str)))
                .collect();
            let page = SearchPage {
                data,
                total,
                limit: params.page.limit.get(),
                offset: params.page.offset.get(),
                corrected_q: ranked.corrected.map(|c| c.canonical()),
            };
            catalog.responses.insert(key, CachedResponse::json(&page).with_link(link))
        }
    })
}

/// True when the hit names an item of the served catalog (the index and the catalog in memory
/// can differ for a moment while a new catalog is being swapped in).
fn is_known(catalog: &Catalog, hit: &SearchHit) -> bool {
    match hit.kind.as_str() {
        "skill" => catalog.skill_by_slug(&hit.key).is_some(),
        "category" => catalog.category_by_slug(&hit.key).is_some(),
        "faq" => hit.key.parse().ok().and_then(|id| catalog.faq_by_id(id)).is_some(),
        _ => false,
    }
}

fn to_hit(catalog: &Catalog, hit: &SearchHit, q: &SearchText, snippet: &str) -> Option<Hit> {
    let (kind, title, url, matched) = match hit.kind.as_str() {
        "skill" => {
            let s = catalog.skill(catalog.skill_by_slug(&hit.key)?);
            let matched = match search::why_skill_matched(&s.name, &s.aliases, q, hit.in_name_or_alias) {
                Matched::Name => HitField::Name,
                Matched::Alias(_) => HitField::Alias,
                Matched::Description => HitField::Description,
            };
            (HitType::Skill, s.name.clone(), format!("/skills/{}", s.slug), matched)
        }
        "category" => {
            let c = catalog.category(catalog.category_by_slug(&hit.key)?);
            let matched = if hit.in_name_or_alias { HitField::Name } else { HitField::Description };
            (HitType::Category, c.name.clone(), format!("/categories/{}", c.slug), matched)
        }
        "faq" => {
            let f = catalog.faq_by_id(hit.key.parse().ok()?)?;
            let matched = if hit.in_name_or_alias { HitField::Question } else { HitField::Answer };
            (HitType::Faq, f.question.clone(), format!("/faqs/{}", f.id), matched)
        }
        _ => return None,
    };
    Some(Hit {
        kind,
        key: hit.key.clone(),
        title,
        url,
        snippet: search::highlight(snippet),
        matched,
        score: round(hit.score),
    })
}
