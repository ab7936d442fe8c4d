//! `/`: what this catalog is, how big it is, and where everything else lives. A browser
//! (`Accept` preferring `text/html`) gets the explorer page instead; `Vary: Accept` tells caches.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, get};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::catalog::Catalog;
use crate::error::ApiError;
use crate::response::CachedResponse;
use crate::served::Snapshot;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_catalog);
}

/// How many items the catalog holds.
#[derive(Debug, Serialize, ToSchema)]
pub struct Counts {
    /// How many categories.
    #[schema(example = 4)]
    pub categories: usize,
    /// How many skills.
    #[schema(example = 8)]
    pub skills: usize,
    /// How many FAQ entries.
    #[schema(example = 5)]
    pub faqs: usize,
}

/// Where the collections and the API's documentation live.
#[derive(Debug, Serialize, ToSchema)]
pub struct Links {
    /// The categories.
    #[schema(example = "/categories")]
    pub categories: String,
    /// The skills.
    #[schema(example = "/skills")]
    pub skills: String,
    /// The FAQ entries.
    #[schema(example = "/faqs")]
    pub faqs: String,
    /// The versions of the catalog.
    #[schema(example = "/versions")]
    pub versions: String,
    /// What changed since the version served (empty until a new version is served).
    #[schema(example = "/changes?since=1")]
    pub changes: String,
    /// The OpenAPI document.
    #[schema(example = "/openapi.json")]
    pub openapi: String,
    /// Swagger UI.
    #[schema(example = "/docs/")]
    pub docs: String,
}

/// The catalog's metadata.
#[derive(Debug, Serialize, ToSchema)]
pub struct CatalogInfo {
    /// The catalog's title.
    #[schema(example = "The Power Skills of Tomorrow: Upwork’s Top In-Demand Skills for 2023")]
    pub title: String,
    /// Who published the catalog.
    #[schema(example = "Upwork")]
    pub publisher: String,
    /// The year the catalog describes, if any.
    #[schema(example = 2023)]
    pub year: Option<i64>,
    /// Where the catalog comes from: `article` (the seed) or `esco` (an import).
    #[schema(example = "article")]
    pub source: String,
    /// The catalog's content label: changes whenever the catalog's content changes.
    #[schema(example = "seed-2023.1")]
    pub version: String,
    /// The id of the version being served (see `GET /versions`; `GET /changes?since=` takes it).
    #[schema(example = 1)]
    pub version_id: i64,
    /// The catalog's introduction.
    #[schema(
        example = "In today’s rapidly evolving job market, having the right skills is crucial for professional success."
    )]
    pub introduction: String,
    /// The catalog's conclusion.
    #[schema(
        example = "As we navigate the ever-changing job market of the future, acquiring and honing the power skills highlighted in this article will be essential for professionals aiming to stay ahead."
    )]
    pub conclusion: String,
    /// The attribution to show wherever this data is used.
    #[schema(example = "Based on the article “The Power Skills of Tomorrow: Upwork’s Top In-Demand Skills for 2023”.")]
    pub attribution: Option<String>,
    /// The data's license, when it has one.
    #[schema(example = json!(null))]
    pub license: Option<String>,
    /// How many items the catalog holds.
    pub counts: Counts,
    /// Where the collections and the documentation live.
    pub links: Links,
}

/// Get the catalog
///
/// The catalog's metadata (title, publisher, source, the version served, attribution), how many categories,
/// skills and FAQ entries it holds, and links to the collections and the API documentation.
///
/// A request whose `Accept` prefers `text/html` over `application/json` (a browser) gets the
/// explorer page (`/explore`) instead.
#[utoipa::path(
    tag = "catalog",
    operation_id = "get_catalog",
    responses(
        (status = 200, description = "The catalog's metadata; the explorer page for a browser.",
            content(
                (CatalogInfo = "application/json"),
                (String = "text/html", example = "<!doctype html><html lang=\"en\">…</html>")
            ),
            headers(("Vary" = String, description = "`Accept`: the representation depends on it."))),
    )
)]
#[get("/")]
pub async fn get_catalog(req: HttpRequest, served: Snapshot) -> Result<HttpResponse, ApiError> {
    let mut res = if prefers_html(&req) {
        crate::routes::explore::send_page(&req, &served)
    } else {
        served.cached_varying(&req, "/", async || Ok(CachedResponse::json(&info(&served.catalog)))).await?
    };
    res.headers_mut().insert(header::VARY, HeaderValue::from_static("Accept"));
    Ok(res)
}

/// True when `Accept` ranks `text/html` above `application/json` (a tie, or no `Accept`, is JSON:
/// this is an API first).
fn prefers_html(req: &HttpRequest) -> bool {
    let accept: Vec<&str> = req.headers().get_all(header::ACCEPT).filter_map(|v| v.to_str().ok()).collect();
    let (html, json) = accept_quality(&accept.join(","));
    html > json
}

/// The quality (0–1000) `Accept` gives `text/html` and `application/json`, the most specific
/// range deciding (RFC 9110 §12.5.1).
fn accept_quality(accept: &str) -> (u16, u16) {
    // (specificity, quality) of the best-matching range so far, per media type.
    let mut html: (u8, u16) = (0, 0);
    let mut json: (u8, u16) = (0, 0);
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q=").or_else(|| p.trim().strip_prefix("Q=")))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .map_or(1000, |q| (q.clamp(0.0, 1.0) * 1000.0).round() as u16);
        let (kind, subtype) = media.split_once('/').unwrap_or((media.as_str(), ""));
        for (target, best) in [(("text", "html"), &mut html), (("application", "json"), &mut json)] {
            let specificity = match (kind, subtype) {
                (k, s) if (k, s) == target => 3,
                (k, "*") if k == target.0 => 2,
                ("*", "*") => 1,
                _ => 0,
            };
            if specificity > best.0 {
                *best = (specificity, q);
            }
        }
    }
    (html.1, json.1)
}

fn info(catalog: &Catalog) -> CatalogInfo {
    let m = &catalog.meta;
    CatalogInfo {
        title: m.title.clone(),
        publisher: m.publisher.clone(),
        year: m.year,
        source: m.source.clone(),
        version: m.version.clone(),
        version_id: m.version_id.unwrap_or_default(),
        introduction: m.introduction.clone(),
        conclusion: m.conclusion.clone(),
        attribution: m.attribution.clone(),
        license: m.license.clone(),
        counts: Counts { categories: catalog.categories.len(), skills: catalog.skills.len(), faqs: catalog.faqs.len() },
        links: Links {
            categories: "/categories".into(),
            skills: "/skills".into(),
            faqs: "/faqs".into(),
            versions: "/versions".into(),
            changes: format!("/changes?since={}", m.version_id.unwrap_or_default()),
            openapi: "/openapi.json".into(),
            docs: "/docs/".into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::accept_quality;

    #[test]
    fn browsers_prefer_html_and_api_clients_json() {
        let firefox = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert_eq!(accept_quality(firefox), (1000, 800));
        assert_eq!(accept_quality("*/*"), (1000, 1000));
        assert_eq!(accept_quality(""), (0, 0));
        assert_eq!(accept_quality("application/json"), (0, 1000));
        assert_eq!(accept_quality("application/json, text/html;q=0.5"), (500, 1000));
        assert_eq!(accept_quality("text/*;q=0.3, application/json;q=0.2"), (300, 200));
        assert_eq!(accept_quality("text/html;q=0, */*"), (0, 1000));
    }
}
