//! `GET /search`: one search over skills, categories and FAQ entries.

use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse, get};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::{Page, ParamError, SearchText};
use crate::error::{ApiError, Problem};
use crate::response::{self, CachedResponse};
use crate::routes::closed_set::ClosedSet;
use crate::routes::json::Overloaded;
use crate::routes::query_string;
use crate::routes::skills::round;
use crate::search::snippet::snippet;
use crate::search::{DocKind, Field, Filter};
use crate::served::{Served, Snapshot};
use crate::work::WorkQueue;

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
    /// How many hits to skip. A search pages through its first 1000 hits only: `offset` +
    /// `limit` may be at most 1000 (past it, a 400 naming `offset`; `total` still counts every
    /// hit, and the `next` link stops at hit 1000).
    #[param(value_type = Option<u32>, minimum = 0, maximum = 999, default = 0, example = 0)]
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
    /// BM25F relevance (the sixth ranking rule), higher is better.
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
    /// The query as the best hit read it, when typo tolerance corrected some of its words.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "blockchain")]
    pub corrected_q: Option<String>,
}

#[derive(Debug, Clone)]
struct Params {
    q: SearchText,
    kind: Option<DocKind>,
    page: Page,
}

fn parse(query: &SearchQuery) -> Result<Params, ParamError> {
    let q = query.q.as_deref().ok_or_else(|| ParamError::new("q", "`q` is required"))?;
    let kind = match query.kind.as_deref() {
        None => None,
        Some("skill") => Some(DocKind::Skill),
        Some("category") => Some(DocKind::Category),
        Some("faq") => Some(DocKind::Faq),
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
        page: Page::parse(query.limit.as_deref(), query.offset.as_deref())?.within_search_window()?,
    })
}

/// Search the catalog
///
/// One search over skills (names, aliases, descriptions), categories and FAQ entries, with the
/// ranking rules of `GET /skills?q=` (docs/SEARCH.md): exact names first, then hits with more of
/// the query's words, fewer typos, closer words, a name or question before a description. Each
/// hit is typed and carries a highlighted snippet; `corrected_q` is the query as the best hit
/// read it, when a word was corrected.
#[utoipa::path(
    tag = "search",
    operation_id = "search_catalog",
    params(SearchQuery),
    responses(
        (status = 200, description = "A page of hits.", body = SearchPage,
            headers(("Link" = String, description = "RFC 8288 `next` and `prev` pages, when they exist."))),
        (status = 400, description = "`q` is missing, empty or too long; `offset` + `limit` is over 1000 (the search window); or another parameter is invalid.",
            body = Problem, content_type = "application/problem+json"),
        Overloaded,
    )
)]
#[get("/search")]
pub async fn search_catalog(
    req: HttpRequest,
    served: Snapshot,
    work: Data<WorkQueue>,
) -> Result<HttpResponse, ApiError> {
    let params = parse(&query_string::query(&req)?)?;
    let key = params.query_string(params.page);
    // A search not answered before is the work queue's (see `GET /skills?q=`).
    served
        .cached(&req, &key, async || {
            let snapshot = served.share();
            work.run(move || search(&snapshot, &params)).await
        })
        .await
}

impl Params {
    /// The canonical target of this search for `page`: its cache key, and its pages' links.
    fn query_string(&self, page: Page) -> String {
        let mut qs = form_urlencoded::Serializer::new(String::new());
        qs.append_pair("q", &self.q.canonical());
        if let Some(kind) = self.kind {
            qs.append_pair("type", kind_name(kind));
        }
        qs.append_pair("limit", &page.limit.get().to_string());
        qs.append_pair("offset", &page.offset.get().to_string());
        format!("/search?{}", qs.finish())
    }
}

fn search(served: &Served, params: &Params) -> CachedResponse {
    let filter = Filter { kind: params.kind, within: None };
    let found = served.search.search(&params.q, &filter, params.page.offset.get(), params.page.limit.get());
    let link = response::link_header(
        params.page.next(found.total).map(|p| params.query_string(p)),
        params.page.prev(found.total).map(|p| params.query_string(p)),
    );
    let page = SearchPage {
        data: found.hits.into_iter().map(|h| to_hit(served, h)).collect(),
        total: found.total,
        limit: params.page.limit.get(),
        offset: params.page.offset.get(),
        corrected_q: found.corrected,
    };
    CachedResponse::json(&page).with_link(link)
}

fn kind_name(kind: DocKind) -> &'static str {
    match kind {
        DocKind::Skill => "skill",
        DocKind::Category => "category",
        DocKind::Faq => "faq",
    }
}

fn to_hit(served: &Served, hit: crate::search::Hit) -> Hit {
    let (catalog, index) = (&served.catalog, &served.search);
    let (key, title, url, matched, text) = match hit.kind {
        DocKind::Skill => {
            let s = catalog.skill(hit.item);
            let (matched, text) = match hit.field {
                Field::Name => (HitField::Name, s.name.as_str()),
                Field::Alias(a) => (HitField::Alias, s.aliases[a as usize].as_str()),
                Field::Body => (HitField::Description, s.description.as_str()),
            };
            (s.slug.clone(), s.name.clone(), format!("/skills/{}", s.slug), matched, text)
        }
        DocKind::Category => {
            let c = catalog.category(hit.item);
            let (matched, text) = match hit.field {
                Field::Body => (HitField::Description, c.description.as_str()),
                _ => (HitField::Name, c.name.as_str()),
            };
            (c.slug.clone(), c.name.clone(), format!("/categories/{}", c.slug), matched, text)
        }
        DocKind::Faq => {
            let f = &catalog.faqs[hit.item as usize];
            let (matched, text) = match hit.field {
                Field::Body => (HitField::Answer, f.answer.as_str()),
                _ => (HitField::Question, f.question.as_str()),
            };
            (f.id.to_string(), f.question.clone(), format!("/faqs/{}", f.id), matched, text)
        }
    };
    Hit {
        kind: match hit.kind {
            DocKind::Skill => HitType::Skill,
            DocKind::Category => HitType::Category,
            DocKind::Faq => HitType::Faq,
        },
        key,
        title,
        url,
        snippet: snippet(index, text, &hit.terms),
        matched,
        score: round(hit.score),
    }
}
