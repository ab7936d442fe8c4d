//! `GET /skills/export`: every skill in one response, as NDJSON or CSV.

use actix_web::web::{Data, Query};
use actix_web::{HttpRequest, HttpResponse, get};

use super::json::SkillRecord;
use crate::catalog::SkillIx;
use crate::error::{ApiError, Problem};
use crate::routes::export::{self, ExportQuery};
use crate::routes::json::Overloaded;
use crate::served::Snapshot;
use crate::work::WorkQueue;

/// Export skills
///
/// Every skill of the catalog in catalog order, in one response: NDJSON (one `SkillRecord` per
/// line) or CSV (RFC 4180, CRLF, a header row `slug,name,description,category,categories,aliases,uri,skill_type,type`;
/// `categories` joined with `;`, `aliases` with `|`, null as an empty field). Downloads as
/// `powerskills-skills.<format>`.
#[utoipa::path(
    tag = "skills",
    operation_id = "export_skills",
    params(ExportQuery),
    responses(
        (status = 200, description = "Every skill.",
            content(
                (SkillRecord = "application/x-ndjson"),
                (String = "text/csv", example = "slug,name,description,category,categories,aliases,uri,skill_type,type\r\nnlp,Natural Language Processing (NLP),\"NLP is a critical component of AI, enabling machines to understand and interpret human language.\",ai,ai,NLP|natural language processing,,,skill\r\n")
            ),
            headers(("Content-Disposition" = String, description = "`attachment; filename=\"powerskills-skills.<format>\"`."))),
        (status = 400, description = "`format` is missing or neither `ndjson` nor `csv`.",
            body = Problem, content_type = "application/problem+json"),
        Overloaded,
    )
)]
#[get("/skills/export")]
pub async fn export_skills(
    req: HttpRequest,
    served: Snapshot,
    work: Data<WorkQueue>,
    query: Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    export::send(&req, &served, &work, &query, "skills", |catalog| {
        (0..catalog.skills.len() as SkillIx).map(|ix| SkillRecord::new(catalog, ix)).collect()
    })
    .await
}
