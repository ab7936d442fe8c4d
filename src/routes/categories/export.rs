//! `GET /categories/export`: every category in one response, as NDJSON or CSV.

use actix_web::web::{Data, Query};
use actix_web::{HttpRequest, HttpResponse, get};

use super::json::CategoryRecord;
use crate::error::{ApiError, Problem};
use crate::routes::export::{self, ExportQuery};
use crate::routes::json::Overloaded;
use crate::served::Snapshot;
use crate::work::WorkQueue;

/// Export categories
///
/// Every category of the catalog in catalog order, in one response: NDJSON (one `CategoryRecord`
/// per line) or CSV (RFC 4180, CRLF, a header row `slug,name,description,code,parent,skill_count`;
/// null as an empty field). Downloads as `powerskills-categories.<format>`.
#[utoipa::path(
    tag = "categories",
    operation_id = "export_categories",
    params(ExportQuery),
    responses(
        (status = 200, description = "Every category.",
            content(
                (CategoryRecord = "application/x-ndjson"),
                (String = "text/csv", example = "slug,name,description,code,parent,skill_count\r\nai,Artificial Intelligence and Machine Learning,The increasing reliance on AI and machine learning technologies is transforming industries.,,,2\r\n")
            ),
            headers(("Content-Disposition" = String, description = "`attachment; filename=\"powerskills-categories.<format>\"`."))),
        (status = 400, description = "`format` is missing or neither `ndjson` nor `csv`.",
            body = Problem, content_type = "application/problem+json"),
        Overloaded,
    )
)]
#[get("/categories/export")]
pub async fn export_categories(
    req: HttpRequest,
    served: Snapshot,
    work: Data<WorkQueue>,
    query: Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    export::send(&req, &served, &work, &query, "categories", |catalog| {
        (0..catalog.categories.len()).map(|ix| CategoryRecord::new(catalog, ix as u32)).collect()
    })
    .await
}
