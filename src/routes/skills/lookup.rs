//! Skills by the ids clients already hold: `GET /skills/by-uri` (one skill by its source URI,
//! as ESCO's `/resource/skill?uri=` resolves one) and `POST /skills/lookup` (up to 1,000 slugs
//! and URIs at once, as Lightcast's bulk retrieval). Removed skills answer 410 / `removed`.

use actix_web::http::header;
use actix_web::web::{Data, Payload};
use actix_web::{HttpRequest, HttpResponse, get, post};
use serde::Deserialize;
use utoipa::IntoParams;

use super::detail::detail;
use super::extract::{BODY_TIMEOUT, INLINE_BYTES, declared_length, read_body, refuse_declared_oversize};
use super::ids_json::lookup_body;
use super::json::{LookupRequest, LookupResult, NotFound, RemovedEntry, SkillDetail, SkillLink};
use crate::catalog::Catalog;
use crate::catalog::lookup::{self, Removed};
use crate::error::{ApiError, Problem, RemovedSkill};
use crate::response::CachedResponse;
use crate::routes::json::Overloaded;
use crate::routes::query_string;
use crate::served::{Served, Snapshot};
use crate::work::WorkQueue;

/// The most ids one lookup may name (`slugs` and `uris` together).
pub const MAX_LOOKUP_IDS: usize = 1000;
/// The largest lookup body: 1,000 ESCO URIs take about 80 KiB.
pub const MAX_LOOKUP_BYTES: usize = 256 * 1024;

/// The 410 of a removed skill.
pub fn removed_error(catalog: &Catalog, removed: &Removed) -> ApiError {
    ApiError::SkillRemoved(Box::new(RemovedSkill {
        slug: removed.slug.clone(),
        version: removed.version,
        version_label: removed.version_label.clone(),
        removed_at: removed.removed_at.clone(),
        replacement: removed.replacement.map(|ix| SkillLink::new(catalog, ix)),
    }))
}

/// `GET /skills/by-uri`'s one parameter.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ByUriQuery {
    /// The skill's source URI (ESCO concept URI), compared exactly as the source writes it.
    #[param(
        min_length = 1,
        max_length = 2000,
        example = "http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742"
    )]
    pub uri: String,
}

/// Get a skill by its source URI
///
/// The skill whose source identifier (ESCO concept URI) is `uri`, as `GET /skills/{slug}`
/// answers it (the same body and ETag). URIs are compared exactly, as the source writes them. A
/// URI that only a removed skill had answers 410 Gone, naming the version that removed it and
/// linking to its replacement when there is one.
#[utoipa::path(
    tag = "skills",
    operation_id = "get_skill_by_uri",
    params(ByUriQuery),
    responses(
        (status = 200, description = "The skill.", body = SkillDetail),
        (status = 400, description = "`uri` is missing, empty or repeated.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No skill has, or had, this URI.", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "The skill with this URI was removed by an import: the problem names the version and date, and its `replacement` (also a `Link` header, `rel=\"successor-version\"`) when known.",
            body = Problem, content_type = "application/problem+json",
            headers(("Link" = String, description = "`</skills/{slug}>; rel=\"successor-version\"`: the replacement, when known."))),
    )
)]
#[get("/skills/by-uri")]
pub async fn get_skill_by_uri(req: HttpRequest, served: Snapshot) -> Result<HttpResponse, ApiError> {
    let catalog = &served.catalog;
    let query = query_string::query::<ByUriQuery>(&req)?;
    if query.uri.is_empty() {
        return Err(ApiError::InvalidParameter { parameter: "uri", message: "`uri` must not be empty".into() });
    }
    let Some(ix) = catalog.lookup.skill_by_uri(&catalog.skills, &query.uri) else {
        return Err(match catalog.lookup.removed_uri(&query.uri) {
            Some(removed) => removed_error(catalog, removed),
            None => ApiError::NotFound { resource: "skill", key_name: "uri", key: crate::domain::truncate(&query.uri) },
        });
    };
    // The detail's own key: the same entry (and ETag) as `GET /skills/{slug}`.
    let key = format!("/skills/{}", catalog.skill(ix).slug);
    served.cached(&req, &key, async || Ok(CachedResponse::json(&detail(catalog, ix)))).await
}

/// Look up skills by slug and URI
///
/// Up to 1,000 ids in one request: `slugs` (case-insensitive) and `uris` (source URIs, compared
/// exactly). The skills found come in the order asked (`slugs` first, then `uris`), each once;
/// the ids that name nothing are in `not_found`, and those that name a skill an import removed
/// in `removed`, with the version, the date and the replacement when known.
///
/// A read, though a POST: the answer depends only on the body and the catalog, carries a strong
/// `ETag` (the same body gets the same ETag), and `If-None-Match` with it answers 304.
#[utoipa::path(
    tag = "skills",
    operation_id = "lookup_skills",
    request_body(content = LookupRequest, content_type = "application/json",
        description = "The ids (at most 1,000 in all; the body at most 256 KiB)."),
    responses(
        (status = 200, description = "The skills found, and the ids not found or removed.", body = LookupResult,
            headers(("ETag" = String, description = "Strong validator of this body (the same for the same request body)."),
                    ("Cache-Control" = String, description = "How long the response may be reused.")),
            example = json!({"data": [
                {"slug": "nlp", "name": "Natural Language Processing (NLP)",
                 "description": "NLP is a critical component of AI, enabling machines to understand and interpret human language. Professionals skilled in NLP will be in demand for developing chatbots, voice assistants, and language translation systems.",
                 "category": {"slug": "ai", "name": "Artificial Intelligence and Machine Learning"}, "type": "skill", "position": 3, "uri": null}],
                "total": 1, "not_found": {"slugs": ["underwater-basket-weaving"], "uris": []}, "removed": []})),
        (status = 304, description = "The client's copy (If-None-Match) is current."),
        (status = 400, description = "The body is not a JSON object with `slugs` and/or `uris` arrays of strings, or names more than 1,000 ids.",
            body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is, or is declared by `Content-Length` to be, larger than 256 KiB.",
            body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`.",
            body = Problem, content_type = "application/problem+json"),
        Overloaded,
    )
)]
#[post("/skills/lookup")]
pub async fn lookup_skills(
    req: HttpRequest,
    served: Snapshot,
    body: Payload,
    work: Data<WorkQueue>,
) -> Result<HttpResponse, ApiError> {
    refuse_declared_oversize(&req, MAX_LOOKUP_BYTES)?;
    require_json(&req)?;
    // A body this large is a large lookup: with the work queue full it is refused before it is
    // read, as an extraction is.
    if declared_length(&req).is_some_and(|length| length > INLINE_BYTES as u64) {
        work.check_room()?;
    }
    let bytes = actix_web::rt::time::timeout(BODY_TIMEOUT, read_body(body, MAX_LOOKUP_BYTES))
        .await
        .map_err(|_| ApiError::BodyTimeout { seconds: BODY_TIMEOUT.as_secs() })??;
    let request = parse(&bytes)?;
    // Keyed by the ids (not the request target, which every lookup shares).
    let key = format!(
        "POST /skills/lookup {}",
        serde_json::to_string(&(&request.slugs, &request.uris)).expect("strings serialize")
    );
    served
        .cached(&req, &key, async || {
            // More ids than a `GET /skills?slug=` may name is expensive work (~1 ms for 1,000 on
            // ESCO): the work queue's, so that a flood of large lookups is shed.
            if request.slugs.len() + request.uris.len() > MAX_INLINE_IDS {
                let snapshot = served.share();
                work.run(move || answer(&snapshot, &request)).await
            } else {
                Ok(answer(&served, &request))
            }
        })
        .await
}

/// The most ids a lookup answers on the worker thread; more go to the work queue.
const MAX_INLINE_IDS: usize = 100;

/// The answer ([`LookupResult`] on the wire), from each skill's JSON as the snapshot keeps it.
fn answer(served: &Served, request: &LookupRequest) -> CachedResponse {
    let catalog = &served.catalog;
    let found = lookup::resolve(catalog, &request.slugs, &request.uris);
    let not_found = NotFound { slugs: found.missing_slugs, uris: found.missing_uris };
    let removed: Vec<RemovedEntry> = found.removed.iter().map(|r| RemovedEntry::new(catalog, r)).collect();
    lookup_body(served, &found.found, &not_found, &removed)
}

fn require_json(req: &HttpRequest) -> Result<(), ApiError> {
    let given = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = given.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if essence == "application/json" {
        Ok(())
    } else {
        Err(ApiError::UnsupportedMediaType { expected: "application/json", given: crate::domain::truncate(given) })
    }
}

/// The body as a [`LookupRequest`]: a JSON object (serde would read a struct from an array too).
fn parse(bytes: &[u8]) -> Result<LookupRequest, ApiError> {
    if bytes.trim_ascii_start().first() != Some(&b'{') {
        return Err(ApiError::InvalidBody(
            "the body must be a JSON object: {\"slugs\": [...], \"uris\": [...]}".into(),
        ));
    }
    let request: LookupRequest = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::InvalidBody(format!("the body is not the expected JSON: {e}")))?;
    let count = request.slugs.len() + request.uris.len();
    if count > MAX_LOOKUP_IDS {
        return Err(ApiError::InvalidBody(format!(
            "a lookup may name at most {MAX_LOOKUP_IDS} ids (`slugs` and `uris` together), not {count}"
        )));
    }
    Ok(request)
}
