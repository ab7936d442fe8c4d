//! `POST /skills/extract`: the catalog skills a text mentions.

use actix_web::http::header;
use actix_web::web::{Data, Payload};
use actix_web::{HttpRequest, HttpResponse, post};
use bytes::Bytes;
use futures_util::StreamExt;

use super::json::{ExtractRequest, ExtractResponse, ExtractedSkill, Mention, PlainText};
use crate::catalog::Catalog;
use crate::domain::ExtractText;
use crate::error::{ApiError, Problem};
use crate::response::encoding::{self, Encoding};
use crate::routes::json::CategoryRef;
use crate::routes::json::Overloaded;
use crate::served::Snapshot;
use crate::work::WorkQueue;

/// Extract skills from text
///
/// Finds the catalog's skills in a text, by name and alias: case-insensitive (labels of one or
/// two characters, like "IT" or "ML", only as written), whole words only ("seo" is not in
/// "seoul"), the longest match winning where matches overlap ("machine learning engineering"
/// over "machine learning"). Each skill comes with its mentions, as Unicode code point offsets
/// and the text found there. Send `{"text": "..."}` as `application/json`, or the text itself as
/// `text/plain`; the body may be at most 32 KiB, three long job adverts (a larger `Content-Length` is refused at once).
///
/// The answer is bounded: at most 500 skills, and at most 20 mentions per skill; `truncated`
/// says when something was cut, `total` and `mention_count` still count everything. It is
/// compressed (br, zstd or gzip) when `Accept-Encoding` allows and it is 1 KiB or more.
#[utoipa::path(
    tag = "skills",
    operation_id = "extract_skills",
    request_body(
        description = "The text, as JSON or as plain UTF-8 text (the body at most 32 KiB: 32,768 bytes).",
        content(
            (ExtractRequest = "application/json"),
            (PlainText = "text/plain", example = "Looking for a machine learning engineer with SEO experience.")
        )
    ),
    responses(
        (status = 200, description = "The skills mentioned, in order of first mention.", body = ExtractResponse,
            headers(("Content-Encoding" = String, description = "`br`, `zstd` or `gzip` when the answer is compressed."),
                    ("Vary" = String, description = "`Accept-Encoding`.")),
            example = json!({"data": [
                {"slug": "seo", "name": "Search Engine Optimization (SEO)",
                 "category": {"slug": "marketing", "name": "Digital Marketing Mastery"},
                 "matches": [{"start": 11, "end": 14, "surface": "SEO"}], "mention_count": 1}],
                "total": 1, "truncated": false})),
        (status = 400, description = "The text is empty, not UTF-8, or the JSON is malformed or not an object.",
            body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is, or is declared by `Content-Length` to be, larger than 32 KiB (32,768 bytes).",
            body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is neither `application/json` nor `text/plain`.",
            body = Problem, content_type = "application/problem+json"),
        Overloaded,
    )
)]
#[post("/skills/extract")]
pub async fn extract_skills(
    req: HttpRequest,
    served: Snapshot,
    work: Data<WorkQueue>,
    body: Payload,
) -> Result<HttpResponse, ApiError> {
    // Refused before a byte of the body is read: the client need not send it.
    refuse_declared_oversize(&req, ExtractText::MAX_BYTES)?;
    let kind = body_kind(&req)?;
    // A body declared larger than the inline limit will need the work queue: when it is full, the
    // request is refused before the body is read (actix-http then answers `Connection: close` and
    // discards what the client still sends for up to a second before closing). The slot is taken
    // only after the body is in (`work.run`), so a client sending its body slowly holds none.
    if declared_length(&req).is_some_and(|length| length > INLINE_BYTES as u64) {
        work.check_room()?;
    }
    let bytes = actix_web::rt::time::timeout(BODY_TIMEOUT, read_body(body, ExtractText::MAX_BYTES))
        .await
        .map_err(|_| ApiError::BodyTimeout { seconds: BODY_TIMEOUT.as_secs() })??;
    let text = match kind {
        BodyKind::Json => parse_json(&bytes)?,
        BodyKind::Text => {
            String::from_utf8(bytes).map_err(|_| ApiError::InvalidBody("the body is not UTF-8".into()))?
        }
    };
    let text = ExtractText::parse(text)?;
    let served = served.share();
    let encoding = req.headers().get(header::ACCEPT_ENCODING).and_then(|v| encoding::negotiate(v.as_bytes()));
    // Matching and compressing up to 32 KiB is the expensive part: a long text waits its turn in
    // the bounded work queue, off the worker thread (refused with 503 when the queue is full). A
    // short one costs less than the hand-off and is answered in place.
    let (body, encoding) = if text.as_str().len() <= INLINE_BYTES {
        answer(&served.catalog, text.as_str(), encoding)
    } else {
        work.run(move || answer(&served.catalog, text.as_str(), encoding)).await?
    };
    let mut res = HttpResponse::Ok();
    res.insert_header((header::CONTENT_TYPE, "application/json"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::VARY, "Accept-Encoding"));
    if let Some(e) = encoding {
        res.insert_header((header::CONTENT_ENCODING, e.token()));
    }
    Ok(res.body(body))
}

/// Texts up to this size are matched on the worker thread (tens of microseconds); longer ones
/// go through the work queue.
pub const INLINE_BYTES: usize = 4 * 1024;

/// At most this many skills are listed in one answer (`total` still counts them all).
pub const MAX_SKILLS: usize = 500;
/// At most this many mentions are listed per skill (`mention_count` still counts them all).
pub const MAX_MENTIONS_PER_SKILL: usize = 20;

/// The serialized answer, compressed when the client accepts it and it is large enough.
fn answer(catalog: &Catalog, text: &str, encoding: Option<Encoding>) -> (Bytes, Option<Encoding>) {
    let found = catalog.extractor.extract_listing(text, MAX_MENTIONS_PER_SKILL);
    let total = found.len();
    let mut truncated = total > MAX_SKILLS;
    let data: Vec<ExtractedSkill> = found
        .into_iter()
        .take(MAX_SKILLS)
        .map(|found| {
            let skill = catalog.skill(found.skill);
            let mention_count = found.mention_count;
            truncated |= mention_count > MAX_MENTIONS_PER_SKILL;
            ExtractedSkill {
                slug: skill.slug.clone(),
                name: skill.name.clone(),
                category: CategoryRef::new(catalog, skill.category),
                matches: found
                    .mentions
                    .into_iter()
                    .map(|m| Mention { start: m.start, end: m.end, surface: m.surface })
                    .collect(),
                mention_count,
            }
        })
        .collect();
    let body = serde_json::to_vec(&ExtractResponse { total, data, truncated }).expect("wire types always serialize");
    match encoding {
        Some(e) if body.len() >= encoding::MIN_COMPRESSED_LEN => (e.compress_once(&body), Some(e)),
        _ => (Bytes::from(body), None),
    }
}

/// The JSON body's `text`. Only an object is a valid body: serde would otherwise read the
/// struct from an array too (`["SEO"]`).
fn parse_json(bytes: &[u8]) -> Result<String, ApiError> {
    if bytes.trim_ascii_start().first() != Some(&b'{') {
        return Err(ApiError::InvalidBody("the body must be a JSON object: {\"text\": \"...\"}".into()));
    }
    let request: ExtractRequest = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::InvalidBody(format!("the body is not the expected JSON: {e}")))?;
    Ok(request.text)
}

/// 413 for a `Content-Length` over `limit`, before the body is read.
pub(super) fn refuse_declared_oversize(req: &HttpRequest, limit: usize) -> Result<(), ApiError> {
    match declared_length(req) {
        Some(length) if length > limit as u64 => Err(ApiError::PayloadTooLarge { limit }),
        _ => Ok(()),
    }
}

/// The body's length as `Content-Length` declares it (none for a chunked body).
pub(super) fn declared_length(req: &HttpRequest) -> Option<u64> {
    req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
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

/// The body, refused with 413 as soon as it passes `limit` (a declared length is checked first).
pub(super) async fn read_body(mut body: Payload, limit: usize) -> Result<Vec<u8>, ApiError> {
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
