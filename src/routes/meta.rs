//! `/`: what this catalog is, how big it is, and where everything else lives.

use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse, get};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::catalog::Catalog;
use crate::error::ApiError;
use crate::response::{self, CachedResponse};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_catalog);
}

/// How many items the catalog holds.
#[derive(Debug, Serialize, ToSchema)]
pub struct Counts {
    #[schema(example = 4)]
    pub categories: usize,
    #[schema(example = 8)]
    pub skills: usize,
    #[schema(example = 5)]
    pub faqs: usize,
}

/// Where the collections and the API's documentation live.
#[derive(Debug, Serialize, ToSchema)]
pub struct Links {
    #[schema(example = "/categories")]
    pub categories: String,
    #[schema(example = "/skills")]
    pub skills: String,
    #[schema(example = "/faqs")]
    pub faqs: String,
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
    #[schema(example = "The Power Skills of Tomorrow: Upwork’s Top In-Demand Skills for 2023")]
    pub title: String,
    #[schema(example = "Upwork")]
    pub publisher: String,
    #[schema(example = 2023)]
    pub year: Option<i64>,
    /// Where the catalog comes from: `article` (the seed) or `esco` (an import).
    #[schema(example = "article")]
    pub source: String,
    /// Changes whenever the catalog's content changes.
    #[schema(example = "seed-2023.1")]
    pub version: String,
    #[schema(
        example = "In today’s rapidly evolving job market, having the right skills is crucial for professional success."
    )]
    pub introduction: String,
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
    pub counts: Counts,
    pub links: Links,
}

/// Get the catalog
///
/// The catalog's metadata (title, publisher, source, version, attribution), how many categories,
/// skills and FAQ entries it holds, and links to the collections and the API documentation.
#[utoipa::path(
    tag = "catalog",
    operation_id = "get_catalog",
    responses(
        (status = 200, description = "The catalog's metadata.", body = CatalogInfo,
            headers(("ETag" = String, description = "Strong validator of this body."),
                    ("Cache-Control" = String, description = "How long the response may be reused."))),
        (status = 304, description = "The client's copy (If-None-Match) is current."),
    )
)]
#[get("/")]
pub async fn get_catalog(req: HttpRequest, state: Data<AppState>) -> Result<HttpResponse, ApiError> {
    let catalog = state.catalog();
    let entry = catalog.responses.get_or_build("/", || Ok(CachedResponse::json(&info(&catalog))))?;
    Ok(response::send(&req, &state.cache_policy, &entry))
}

fn info(catalog: &Catalog) -> CatalogInfo {
    let m = &catalog.meta;
    CatalogInfo {
        title: m.title.clone(),
        publisher: m.publisher.clone(),
        year: m.year,
        source: m.source.clone(),
        version: m.version.clone(),
        introduction: m.introduction.clone(),
        conclusion: m.conclusion.clone(),
        attribution: m.attribution.clone(),
        license: m.license.clone(),
        counts: Counts { categories: catalog.categories.len(), skills: catalog.skills.len(), faqs: catalog.faqs.len() },
        links: Links {
            categories: "/categories".into(),
            skills: "/skills".into(),
            faqs: "/faqs".into(),
            openapi: "/openapi.json".into(),
            docs: "/docs/".into(),
        },
    }
}
