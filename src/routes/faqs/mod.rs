//! `/faqs`: the catalog's frequently asked questions.

mod export;
pub mod json;

use actix_web::{HttpRequest, HttpResponse, get};
use utoipa_actix_web::service_config::ServiceConfig;

use self::json::{FaqEntry, FaqPage};
use crate::domain::FaqId;
use crate::error::{ApiError, Problem};
use crate::response::CachedResponse;
use crate::routes::fields::{FaqListBody, SparseFaqPage};
use crate::routes::params::{ListParams, ListQuery};
use crate::routes::query_string;
use crate::served::Snapshot;

pub fn configure(cfg: &mut ServiceConfig) {
    // `/faqs/export` before `/faqs/{id}`, which would otherwise take it.
    cfg.service(list_faqs).service(export::export_faqs).service(get_faq);
}

/// List FAQ entries
///
/// The questions and answers in the article's order, optionally only those about some
/// categories, one page at a time. The `Link` header carries the `next` and `prev` pages.
/// `sort` orders by question (`name`, `-name`; case- and accent-insensitive); `fields` keeps only
/// the named fields of each entry.
#[utoipa::path(
    tag = "faqs",
    operation_id = "list_faqs",
    params(ListQuery),
    responses(
        (status = 200, description = "A page of FAQ entries (with `fields`, the sparse form).", body = FaqListBody,
            headers(("Link" = String, description = "RFC 8288 `next` and `prev` pages, when they exist."))),
        (status = 400, description = "A parameter is invalid, or a category, a `sort` key or a field is unknown (the problem lists the valid ones).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/faqs")]
pub async fn list_faqs(req: HttpRequest, served: Snapshot) -> Result<HttpResponse, ApiError> {
    let params = ListParams::parse(&query_string::query::<ListQuery>(&req)?)?;
    served
        .cached(&req, &params.cache_key("/faqs"), async || {
            let catalog = &served.catalog;
            let categories = params.category.as_ref().map(|list| catalog.resolve_categories(list)).transpose()?;
            let ordered = catalog.orders.faqs.all(params.sort.unwrap_or_default());
            let matching: Vec<_> = ordered
                .iter()
                .map(|&i| &catalog.faqs[i as usize])
                .filter(|f| categories.as_deref().is_none_or(|cs| catalog.faq_in(f, cs)))
                .collect();
            let total = matching.len();
            let data = matching[params.page.range(total)].iter().map(|f| FaqEntry::new(catalog, f)).collect();
            let page = FaqPage { data, total, limit: params.page.limit.get(), offset: params.page.offset.get() };
            let response = match &params.fields {
                Some(fields) => CachedResponse::json(&SparseFaqPage::new(page, fields)),
                None => CachedResponse::json(&page),
            };
            Ok(response.with_link(params.link("/faqs", total)))
        })
        .await
}

/// Get a FAQ entry
///
/// One question and its answer.
#[utoipa::path(
    tag = "faqs",
    operation_id = "get_faq",
    params(("id" = u32, Path, description = "The entry's id.", minimum = 1, maximum = 4294967295_u64, example = 2)),
    responses(
        (status = 200, description = "The FAQ entry.", body = FaqEntry),
        (status = 400, description = "The id is not a number.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No FAQ entry has this id (0 included).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/faqs/{id}")]
pub async fn get_faq(req: HttpRequest, served: Snapshot) -> Result<HttpResponse, ApiError> {
    let raw = req.match_info().get("id").unwrap_or_default();
    let not_found = || ApiError::NotFound { resource: "FAQ entry", key_name: "id", key: raw.to_owned() };
    // Any number is an id, and one that names no entry (0, or past u32) is not found, like
    // every other; only what is not a number at all is a bad request.
    let id = match FaqId::parse(raw) {
        Ok(id) => id,
        Err(_) if raw.len() <= 64 && !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) => {
            return Err(not_found());
        }
        Err(e) => return Err(e.into()),
    };
    let faq = served.catalog.faq_by_id(id.get()).ok_or_else(not_found)?;
    served
        .cached(&req, &format!("/faqs/{}", id.get()), async || {
            Ok(CachedResponse::json(&FaqEntry::new(&served.catalog, faq)))
        })
        .await
}
