//! `/categories`: the catalog's categories.

mod export;
pub mod json;
mod list;

use actix_web::{HttpRequest, HttpResponse, get};
use utoipa_actix_web::service_config::ServiceConfig;

use self::json::CategoryDetail;
use crate::catalog::Catalog;
use crate::error::{ApiError, Problem};
use crate::response::CachedResponse;
use crate::routes::fields::CategoryListBody;
use crate::routes::json::CategoryRef;
use crate::routes::json::SkillSummary;
use crate::routes::params::{self, CategoriesQuery};
use crate::served::Snapshot;

pub fn configure(cfg: &mut ServiceConfig) {
    // `/categories/export` before `/categories/{slug}`, which would otherwise take it.
    cfg.service(list_categories).service(export::export_categories).service(get_category);
}

/// List categories
///
/// Every category of the catalog in catalog order (for the seed catalog, the article's order),
/// each with the number of skills it holds. `code` (repeatable) lists only the categories with
/// those source codes (ESCO skill-group codes, compared exactly), in the order asked; `sort`
/// orders by `name` or `-name`; `fields` keeps only the named fields of each category.
#[utoipa::path(
    tag = "categories",
    operation_id = "list_categories",
    params(CategoriesQuery,
        ("code" = Option<Vec<String>>, Query, style = Form, explode, max_items = 100,
            description = "Only the categories with these source codes (ESCO skill-group codes), compared exactly: repeat the parameter for several (`code=S1&code=S2`), at most 100. Unknown codes are left out; the rest come in the order asked.",
            example = json!(["S1.1.1"]))),
    responses(
        (status = 200, description = "Every category (with `code`, those; with `fields`, the sparse form).", body = CategoryListBody),
        (status = 400, description = "A `sort` key or a field is unknown (the problem lists the valid ones), or more than 100 codes.",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/categories")]
pub async fn list_categories(req: HttpRequest, served: Snapshot) -> Result<HttpResponse, ApiError> {
    let params = list::CategoryParams::parse(req.query_string())?;
    served.cached(&req, &params.cache_key(), async || Ok(list::answer(&served.catalog, &params))).await
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
        .cached(&req, &format!("/categories/{slug}"), async || Ok(CachedResponse::json(&detail(&served.catalog, ix))))
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
