//! `GET /faqs/export`: every FAQ entry in one response, as NDJSON or CSV.

use actix_web::web::{Data, Query};
use actix_web::{HttpRequest, HttpResponse, get};

use super::json::FaqRecord;
use crate::error::{ApiError, Problem};
use crate::routes::export::{self, ExportQuery};
use crate::routes::json::Overloaded;
use crate::served::Snapshot;
use crate::work::WorkQueue;

/// Export FAQ entries
///
/// Every FAQ entry in catalog order (by id), in one response: NDJSON (one `FaqRecord` per line)
/// or CSV (RFC 4180, CRLF, a header row `id,question,answer,category`). Downloads as
/// `powerskills-faqs.<format>`. A catalog without FAQ entries exports an empty NDJSON body or
/// the CSV header row alone.
#[utoipa::path(
    tag = "faqs",
    operation_id = "export_faqs",
    params(ExportQuery),
    responses(
        (status = 200, description = "Every FAQ entry.",
            content(
                (FaqRecord = "application/x-ndjson"),
                (String = "text/csv", example = "id,question,answer,category\r\n2,What are some resources to learn about artificial intelligence and machine learning?,\"Online platforms like Coursera, Udacity, and edX offer comprehensive courses on AI and machine learning.\",ai\r\n")
            ),
            headers(("Content-Disposition" = String, description = "`attachment; filename=\"powerskills-faqs.<format>\"`."))),
        (status = 400, description = "`format` is missing or neither `ndjson` nor `csv`.",
            body = Problem, content_type = "application/problem+json"),
        Overloaded,
    )
)]
#[get("/faqs/export")]
pub async fn export_faqs(
    req: HttpRequest,
    served: Snapshot,
    work: Data<WorkQueue>,
    query: Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    export::send(&req, &served, &work, &query, "faqs", |catalog| {
        catalog.faqs.iter().map(|f| FaqRecord::new(catalog, f)).collect()
    })
    .await
}
