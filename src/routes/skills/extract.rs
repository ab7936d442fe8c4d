//! `POST /skills/extract`: the catalog skills a text mentions.

use actix_web::http::header;
use actix_web::web::{Data, Payload};
use actix_web::{HttpRequest, HttpResponse, post};
use futures_util::StreamExt;

use super::json::{ExtractRequest, ExtractResponse, ExtractedSkill, Mention, PlainText};
use crate::domain::ExtractText;
use crate::error::{ApiError, Problem};
use crate::routes::categories::json::CategoryRef;
use crate::state::AppState;

/// Extract skills from text
///
/// Finds the catalog's skills in a text, by name and alias: case-insensitive (labels of one or
/// two characters, like "IT" or "ML", only as written), whole words only ("seo" is not in
/// "seoul"), the longest match winning where matches overlap ("machine learning engineering"
/// over "machine learning"). Each skill comes with every mention, as Unicode code point offsets
/// and the text found there. Send `{"text": "..."}` as `application/json`, or the text itself as
/// `text/plain`; the body may be at most 100 KiB.
#[utoipa::path(
    tag = "skills",
    operation_id = "extract_skills",
    request_body(
        description = "The text, as JSON or as plain UTF-8 text (at most 100 KiB).",
        content(
            (ExtractRequest = "application/json"),
            (PlainText = "text/plain", example = "Looking for a machine learning engineer with SEO experience.")
        )
    ),
    responses(
        (status = 200, description = "The skills mentioned, in order of first mention.", body = ExtractResponse,
            example = json!({"data": [
                {"slug": "seo", "name": "Search Engine Optimization (SEO)",
                 "category": {"slug": "marketing", "name": "Digital Marketing Mastery"},
                 "matches": [{"start": 11, "end": 14, "surface": "SEO"}]}], "total": 1})),
        (status = 400, description = "The text is empty, not UTF-8, or the JSON is malformed.",
            body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 100 KiB.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is neither `application/json` nor `text/plain`.",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/skills/extract")]
pub async fn extract_skills(req: HttpRequest, state: Data<AppState>, body: Payload) -> Result<HttpResponse, ApiError> {
    let kind = body_kind(&req)?;
    let bytes = actix_web::rt::time::timeout(BODY_TIMEOUT, read_body(body))
        .await
        .map_err(|_| ApiError::BodyTimeout { seconds: BODY_TIMEOUT.as_secs() })??;
    let text = match kind {
        BodyKind::Json => {
            let request: ExtractRequest = serde_json::from_slice(&bytes)
                .map_err(|e| ApiError::InvalidBody(format!("the body is not the expected JSON: {e}")))?;
            request.text
        }
        BodyKind::Text => {
            String::from_utf8(bytes).map_err(|_| ApiError::InvalidBody("the body is not UTF-8".into()))?
        }
    };
    let text = ExtractText::parse(text)?;
    let catalog = state.catalog();
    let data: Vec<ExtractedSkill> = catalog
        .extractor
        .extract(text.as_str())
        .into_iter()
        .map(|found| {
            let skill = catalog.skill(found.skill);
            ExtractedSkill {
                slug: skill.slug.clone(),
                name: skill.name.clone(),
                category: CategoryRef::new(&catalog, skill.category),
                matches: found
                    .mentions
                    .into_iter()
                    .map(|m| Mention { start: m.start, end: m.end, surface: m.surface })
                    .collect(),
            }
        })
        .collect();
    let mut res = HttpResponse::Ok().json(ExtractResponse { total: data.len(), data });
    res.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(res)
}

/// A body must arrive whole within this time: a client dribbling it byte by byte is answered
/// 408 and its connection closed, instead of holding it open forever.
pub const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

enum BodyKind {
    Json,
    Text,
}

fn body_kind(req: &HttpRequest) -> Result<BodyKind, ApiError> {
    let given = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = given.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match essence.as_str() {
        "application/json" => Ok(BodyKind::Json),
        "text/plain" => Ok(BodyKind::Text),
        _ => Err(ApiError::UnsupportedMediaType {
            expected: "application/json or text/plain",
            given: crate::domain::truncate(given),
        }),
    }
}

/// The body, refused with 413 as soon as it passes the limit (a declared length is checked first).
async fn read_body(mut body: Payload) -> Result<Vec<u8>, ApiError> {
    let limit = ExtractText::MAX_BYTES;
    let mut bytes = Vec::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| ApiError::InvalidBody(format!("the body could not be read: {e}")))?;
        if bytes.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge { limit });
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}
