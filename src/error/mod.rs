//! The one error type of the HTTP boundary, rendered as RFC 9457 `application/problem+json`.
//!
//! Every problem this service can answer is one row of [`ProblemKind`]'s table (type, title,
//! usual status, default detail). Handlers return [`ApiError`]; actix's own rejections (unknown
//! route, wrong method, a query string, path or body that does not parse, payload errors) become
//! an `ApiError` too, in [`crate::middleware::rejections`]. An `ApiError` renders its whole
//! response in [`ResponseError::error_response`], `instance` and `request_id` included: it reads
//! them from the request being answered (see [`crate::middleware::request_id::current`]).
//! A 5xx body never carries the cause: it is logged once, here.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

/// The media type of every error body.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// The prefix of every problem `type`.
pub const PROBLEM_TYPE_PREFIX: &str = "urn:powerskills:problem:";

mod kind;

pub use kind::ProblemKind;
use kind::problem_type_schema;

/// An RFC 9457 problem details object.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:powerskills:problem:unknown-category",
    "title": "Unknown category",
    "status": 400,
    "detail": "`robotics` is not a category of this catalog",
    "instance": "/skills?category=robotics",
    "request_id": "7f3a9c01d2e4b5a6-00000001",
    "parameter": "category",
    "valid_values": ["marketing", "ai", "blockchain", "ecommerce"]
}))]
pub struct Problem {
    /// A URI naming the kind of problem (`urn:powerskills:problem:<kind>`; listed in docs/API-DESIGN.md).
    #[serde(rename = "type")]
    #[schema(schema_with = problem_type_schema)]
    pub kind: ProblemKind,
    /// A short summary of the kind of problem.
    #[schema(example = "Not found")]
    pub title: &'static str,
    /// The HTTP status code.
    #[schema(minimum = 400, maximum = 599, example = 404)]
    pub status: u16,
    /// What went wrong with this request, in words meant for the developer reading it.
    #[schema(example = "no skill has the slug `underwater-basket-weaving`")]
    pub detail: String,
    /// The request path (with its query) this problem answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = "uri-reference", example = "/skills/underwater-basket-weaving")]
    pub instance: Option<String>,
    /// The request id, also sent as the `X-Request-Id` header; quote it when reporting a problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "7f3a9c01d2e4b5a6-00000001")]
    pub request_id: Option<String>,
    /// The query or path parameter at fault, when one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "limit")]
    pub parameter: Option<&'static str>,
    /// The values the parameter accepts, when they are few enough to list.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = json!(["marketing", "ai", "blockchain", "ecommerce"]))]
    pub valid_values: Option<Vec<String>>,
    /// For a removed skill (410): the version whose import removed it (see `/versions`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, minimum = 1, example = 3)]
    pub version: Option<i64>,
    /// For a removed skill (410): that version's label.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "esco-v1.2.0")]
    pub version_label: Option<String>,
    /// For a removed skill (410): when it was removed (RFC 3339, UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, format = "date-time", example = "2026-12-01T12:00:00Z")]
    pub removed_at: Option<String>,
    /// For a removed skill (410): the skill that took its place, when the import knew one (also
    /// sent as a `Link` header with `rel="successor-version"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub replacement: Option<crate::routes::skills::json::SkillLink>,
}

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("no {resource} has the {key_name} `{key}`")]
    NotFound { resource: &'static str, key_name: &'static str, key: String },

    /// No route has this path.
    #[error("no route matches this path")]
    NoRoute,

    /// A route has this path, but not this method; `allow` lists the methods it has.
    #[error("this path does not answer this method; the Allow header lists those it does")]
    MethodNotAllowed { allow: String },

    /// What the client asks for existed and is kept no more (410).
    #[error("{0}")]
    Gone(String),

    #[error("{message}")]
    InvalidParameter { parameter: &'static str, message: String },

    /// A value outside a parameter's closed set (`sort`, `fields`), with the values it accepts.
    #[error("{message}")]
    InvalidChoice { parameter: &'static str, message: String, valid: Vec<String> },

    /// A skill an import removed (410), with the version, the date and its replacement.
    #[error("{}", removed_detail(.0))]
    SkillRemoved(Box<RemovedSkill>),

    #[error("`{given}` is not a category of this catalog")]
    UnknownCategory { given: String, valid: Option<Vec<String>> },

    #[error("{0}")]
    InvalidQuery(String),

    #[error("{0}")]
    InvalidBody(String),

    #[error("the request body is larger than the {limit} bytes this endpoint accepts")]
    PayloadTooLarge { limit: usize },

    #[error("this endpoint accepts {expected}, not `{given}`")]
    UnsupportedMediaType { expected: &'static str, given: String },

    #[error("the request target is longer than the {limit} bytes this server accepts")]
    UriTooLong { limit: usize },

    #[error("the request headers are larger than the {limit} bytes this server accepts")]
    HeaderFieldsTooLarge { limit: usize },

    #[error("{0}")]
    Unavailable(String),

    #[error("the request body did not arrive within {seconds} s")]
    BodyTimeout { seconds: u64 },

    #[error("too many requests from this client; retry after {retry_after} s")]
    RateLimited { retry_after: u64 },

    /// Load shedding: the queue for expensive work is full (see [`crate::work`]).
    #[error("the server is busy with other expensive requests; retry after {retry_after} s")]
    Overloaded { retry_after: u64 },

    /// A rejection by actix itself, of which only the status is kept (its text is actix's, not
    /// ours to send): the problem is the table's for that status.
    #[error("{}", ProblemKind::for_status(*.0).default_detail())]
    Rejected(StatusCode),

    /// A failure of ours. The cause is logged when the response is built and never sent.
    #[error("internal error: {0}")]
    Internal(String),
}

/// What a 410 for a removed skill says.
#[derive(Debug, Clone)]
pub struct RemovedSkill {
    pub slug: String,
    pub version: i64,
    pub version_label: String,
    pub removed_at: String,
    /// The replacement's slug and name.
    pub replacement: Option<crate::routes::skills::json::SkillLink>,
}

fn removed_detail(r: &RemovedSkill) -> String {
    let mut detail = format!(
        "the skill `{}` was removed from the catalog by version {} (`{}`) on {}",
        r.slug, r.version, r.version_label, r.removed_at
    );
    if let Some(to) = &r.replacement {
        detail.push_str(&format!("; it was replaced by `{}` ({})", to.slug, to.href));
    }
    detail
}

impl From<crate::catalog::UnknownCategory> for ApiError {
    fn from(e: crate::catalog::UnknownCategory) -> Self {
        ApiError::UnknownCategory { given: e.given, valid: e.valid }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::Internal(format!("database: {e}"))
    }
}

impl From<actix_web::error::QueryPayloadError> for ApiError {
    fn from(e: actix_web::error::QueryPayloadError) -> Self {
        let text = e.to_string();
        let detail = text.strip_prefix("Query deserialize error: ").unwrap_or(&text);
        ApiError::InvalidQuery(format!("the query string does not parse: {detail}"))
    }
}

impl ApiError {
    /// The row of the table this error is.
    pub fn kind(&self) -> ProblemKind {
        match self {
            ApiError::NotFound { .. } | ApiError::NoRoute => ProblemKind::NotFound,
            ApiError::MethodNotAllowed { .. } => ProblemKind::MethodNotAllowed,
            ApiError::Gone(_) => ProblemKind::Gone,
            ApiError::InvalidParameter { .. } | ApiError::InvalidChoice { .. } => ProblemKind::InvalidParameter,
            ApiError::SkillRemoved(_) => ProblemKind::SkillRemoved,
            ApiError::UnknownCategory { .. } => ProblemKind::UnknownCategory,
            ApiError::InvalidQuery(_) => ProblemKind::InvalidQuery,
            ApiError::InvalidBody(_) => ProblemKind::InvalidBody,
            ApiError::PayloadTooLarge { .. } => ProblemKind::PayloadTooLarge,
            ApiError::UnsupportedMediaType { .. } => ProblemKind::UnsupportedMediaType,
            ApiError::UriTooLong { .. } => ProblemKind::UriTooLong,
            ApiError::HeaderFieldsTooLarge { .. } => ProblemKind::HeaderFieldsTooLarge,
            ApiError::Unavailable(_) => ProblemKind::Unavailable,
            ApiError::BodyTimeout { .. } => ProblemKind::RequestTimeout,
            ApiError::RateLimited { .. } => ProblemKind::RateLimited,
            ApiError::Overloaded { .. } => ProblemKind::Overloaded,
            ApiError::Rejected(status) => ProblemKind::for_status(*status),
            ApiError::Internal(_) => ProblemKind::Internal,
        }
    }

    /// The problem body, without `instance` and `request_id` (those come from the request).
    pub fn to_problem(&self) -> Problem {
        let kind = self.kind();
        let detail = match self {
            ApiError::UnknownCategory { valid: Some(_), .. } => {
                format!("{self}; valid categories are listed in `valid_values`")
            }
            ApiError::UnknownCategory { valid: None, .. } => format!("{self}; GET /categories lists the valid slugs"),
            ApiError::Internal(_) => kind.default_detail().to_owned(),
            _ => self.to_string(),
        };
        let parameter = match self {
            ApiError::InvalidParameter { parameter, .. } | ApiError::InvalidChoice { parameter, .. } => {
                Some(*parameter)
            }
            ApiError::UnknownCategory { .. } => Some("category"),
            _ => None,
        };
        let valid_values = match self {
            ApiError::UnknownCategory { valid, .. } => valid.clone(),
            ApiError::InvalidChoice { valid, .. } => Some(valid.clone()),
            _ => None,
        };
        let removed = match self {
            ApiError::SkillRemoved(removed) => Some(&**removed),
            _ => None,
        };
        Problem {
            kind,
            title: kind.title(),
            status: self.status_code().as_u16(),
            detail,
            instance: None,
            request_id: None,
            parameter,
            valid_values,
            version: removed.map(|r| r.version),
            version_label: removed.map(|r| r.version_label.clone()),
            removed_at: removed.map(|r| r.removed_at.clone()),
            replacement: removed.and_then(|r| r.replacement.clone()),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Rejected(status) => *status,
            other => StatusCode::from_u16(other.kind().status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        }
    }

    fn error_response(&self) -> HttpResponse {
        let context = crate::middleware::request_id::current();
        let request_id = context.as_ref().map(|c| c.0.as_str()).unwrap_or("-");
        match self {
            ApiError::Internal(cause) => tracing::error!(request_id, %cause, "request failed"),
            ApiError::Unavailable(cause) => tracing::warn!(request_id, %cause, "not ready"),
            _ => {}
        }
        let mut problem = self.to_problem();
        if let Some((id, instance)) = context {
            problem.request_id = Some(id);
            problem.instance = Some(instance);
        }
        let mut res = HttpResponse::build(self.status_code());
        res.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_CONTENT_TYPE)))
            .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")));
        match self {
            ApiError::Overloaded { retry_after } => {
                res.insert_header((header::RETRY_AFTER, HeaderValue::from(*retry_after)));
            }
            ApiError::MethodNotAllowed { allow } => {
                if let Ok(allow) = HeaderValue::from_str(allow) {
                    res.insert_header((header::ALLOW, allow));
                }
            }
            ApiError::SkillRemoved(removed) => {
                if let Some(link) = removed
                    .replacement
                    .as_ref()
                    .and_then(|to| HeaderValue::from_str(&format!("<{}>; rel=\"successor-version\"", to.href)).ok())
                {
                    res.insert_header((header::LINK, link));
                }
            }
            _ => {}
        }
        res.body(serde_json::to_vec(&problem).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_distinct_uri_and_a_client_or_server_error_status() {
        let mut seen = std::collections::HashSet::new();
        for kind in ProblemKind::ALL {
            assert!(seen.insert(kind.uri()), "{kind:?}");
            assert!(kind.uri().starts_with(PROBLEM_TYPE_PREFIX));
            assert!((400..600).contains(&kind.status()), "{kind:?}");
            assert_eq!(ProblemKind::for_status(StatusCode::from_u16(kind.status()).unwrap()).status(), kind.status());
        }
    }

    #[test]
    fn a_problem_serializes_its_type_as_the_uri() {
        let body = serde_json::to_value(ApiError::NoRoute.to_problem()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "type": "urn:powerskills:problem:not-found",
                "title": "Not found",
                "status": 404,
                "detail": "no route matches this path"
            })
        );
    }
}
