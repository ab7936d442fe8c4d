//! `/categories`: the catalog's categories.

mod export;
pub mod json;

use actix_web::{HttpRequest, HttpResponse, get};
use utoipa_actix_web::service_config::ServiceConfig;

use self::json::{CategoryDetail, CategoryList, CategoryRef, CategorySummary};
use crate::catalog::Catalog;
use crate::error::{ApiError, Problem};
use crate::response::CachedResponse;
use crate::routes::params;
use crate::routes::skills::json::SkillSummary;
use crate::served::Snapshot;

pub fn configure(cfg: &mut ServiceConfig) {
    // `/categories/export` before `/categories/{slug}`, which would otherwise take it.
    cfg.service(list_categories).service(export::export_categories).service(get_category);
}

/// List categories
///
/// Every category of the catalog in catalog order (for the seed catalog, the article's order),
/// each with the number of skills it holds.
#[utoipa::path(
    tag = "categories",
    operation_id = "list_categories",
    responses(
        (status = 200, description = "Every category.", body = CategoryList),
    )
)]
#[get("/categories")]
pub async fn list_categories(req: HttpRequest, served: Snapshot) -> Result<HttpResponse, ApiError> {
    served
        .cached(&req, "/categories", async {
            let catalog = &served.catalog;
            let data: Vec<_> = (0..catalog.categories.len()).map(|i| CategorySummary::new(catalog, i as u32)).collect();
            Ok(CachedResponse::json(&CategoryList { total: data.len(), data }))
        })
        .await
}

/// Get a category
///
/// One category with its parent, its children, and its skills (the first 100 in catalog order;
/// `skills_url` pages through all of them).
#[utoipa::path(
    tag = "categories",
    operation_id = "get_category",
    params(("slug" = String, Path, description = "The category's slug (case-insensitive).",
            pattern = r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$", max_length = 100, example = "ai")),
    responses(
        (status = 200, description = "The category.", body = CategoryDetail),
        (status = 404, description = "No category has this slug.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/categories/{slug}")]
pub async fn get_category(req: HttpRequest, served: Snapshot) -> Result<HttpResponse, ApiError> {
    let (slug, ix) = params::path_slug(&req, "category", |slug| served.catalog.category_by_slug(slug))?;
    served
        .cached(&req, &format!("/categories/{slug}"), async { Ok(CachedResponse::json(&detail(&served.catalog, ix))) })
        .await
}

/// How many skills a category's detail embeds.
const EMBEDDED_SKILLS: usize = 100;

fn detail(catalog: &Catalog, ix: u32) -> CategoryDetail {
    let c = catalog.category(ix);
    CategoryDetail {
        slug: c.slug.clone(),
        name: c.name.clone(),
        description: c.description.clone(),
        code: c.code.clone(),
        parent: c.parent.map(|p| CategoryRef::new(catalog, p)),
        children: c.children.iter().map(|&ch| CategoryRef::new(catalog, ch)).collect(),
        skill_count: c.skills.len(),
        skills: c.skills.iter().take(EMBEDDED_SKILLS).map(|&s| SkillSummary::new(catalog, s)).collect(),
        skills_url: format!("/skills?category={}", c.slug),
    }
}
