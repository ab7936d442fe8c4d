//! The one error type of the HTTP boundary, rendered as RFC 9457 `application/problem+json`.
//!
//! Handlers return [`ApiError`]; actix's own rejections (unknown route, wrong method, bad query
//! string or body) are turned into the same shape by the config handlers in [`startup`] and by the
//! edge middleware, which also fills in `instance` and `request_id` (see
//! [`crate::middleware::edge`]). A 5xx body never carries the cause: it is logged once, here.
//!
//! [`startup`]: crate::startup

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

/// The media type of every error body.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

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
    #[schema(format = "uri", example = "urn:powerskills:problem:not-found")]
    pub kind: String,
    /// A short summary of the kind of problem.
    #[schema(example = "Not found")]
    pub title: String,
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
    pub parameter: Option<String>,
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

impl Problem {
    pub fn new(status: StatusCode, kind: &str, title: &str, detail: impl Into<String>) -> Self {
        Problem {
            kind: format!("urn:powerskills:problem:{kind}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail: detail.into(),
            instance: None,
            request_id: None,
            parameter: None,
            valid_values: None,
            version: None,
            version_label: None,
            removed_at: None,
            replacement: None,
        }
    }

    /// The problem for a status that no handler described (actix's own 404, 405, 413, ...).
    pub fn for_status(status: StatusCode) -> Self {
        let (kind, title, detail) = match status.as_u16() {
            404 => ("not-found", "Not found", "no route matches this path"),
            405 => (
                "method-not-allowed",
                "Method not allowed",
                "this path does not answer this method; the Allow header lists those it does",
            ),
            408 => ("request-timeout", "Request timeout", "the request did not arrive in time"),
            413 => ("payload-too-large", "Payload too large", "the request body is larger than this endpoint accepts"),
            414 => ("uri-too-long", "URI too long", "the request target is longer than this server accepts"),
            415 => (
                "unsupported-media-type",
                "Unsupported media type",
                "this endpoint does not accept the body's Content-Type",
            ),
            431 => (
                "header-fields-too-large",
                "Request header fields too large",
                "the request headers are larger than this server accepts",
            ),
            429 => ("rate-limited", "Too many requests", "too many requests from this client; retry later"),
            400..=499 => ("bad-request", "Bad request", "the request could not be understood"),
            503 => ("unavailable", "Service unavailable", "the service cannot answer right now; try again later"),
            _ => (
                "internal",
                "Internal server error",
                "the server failed to answer; the failure is logged with this request id",
            ),
        };
        Problem::new(status, kind, title, detail)
    }

    pub fn with_parameter(mut self, name: &str) -> Self {
        self.parameter = Some(name.to_owned());
        self
    }

    /// The response carrying this problem. Its body is written by the edge middleware, which knows
    /// the request path and id; until then the problem rides in the response's extensions.
    pub fn into_response(self) -> HttpResponse {
        let mut res = HttpResponse::new(StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
        res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_CONTENT_TYPE));
        res.extensions_mut().insert(self);
        res
    }
}

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("no {resource} has the {key_name} `{key}`")]
    NotFound { resource: &'static str, key_name: &'static str, key: String },

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

    #[error("{0}")]
    Unavailable(String),

    #[error("the request body did not arrive within {seconds} s")]
    BodyTimeout { seconds: u64 },

    #[error("too many requests from this client; retry after {retry_after} s")]
    RateLimited { retry_after: u64 },

    /// Load shedding: the queue for expensive work is full (see [`crate::work`]).
    #[error("the server is busy with other expensive requests; retry after {retry_after} s")]
    Overloaded { retry_after: u64 },

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
    pub fn to_problem(&self) -> Problem {
        let status = self.status_code();
        match self {
            ApiError::NotFound { .. } => Problem::new(status, "not-found", "Not found", self.to_string()),
            ApiError::Gone(_) => Problem::new(status, "gone", "Gone", self.to_string()),
            ApiError::InvalidParameter { parameter, .. } => {
                Problem::new(status, "invalid-parameter", "Invalid parameter", self.to_string())
                    .with_parameter(parameter)
            }
            ApiError::InvalidChoice { parameter, valid, .. } => {
                let mut p = Problem::new(status, "invalid-parameter", "Invalid parameter", self.to_string())
                    .with_parameter(parameter);
                p.valid_values = Some(valid.clone());
                p
            }
            ApiError::SkillRemoved(removed) => {
                let mut p = Problem::new(status, "skill-removed", "Skill removed", self.to_string());
                p.version = Some(removed.version);
                p.version_label = Some(removed.version_label.clone());
                p.removed_at = Some(removed.removed_at.clone());
                p.replacement = removed.replacement.clone();
                p
            }
            ApiError::UnknownCategory { valid, .. } => {
                let detail = match valid {
                    Some(_) => format!("{self}; valid categories are listed in `valid_values`"),
                    None => format!("{self}; GET /categories lists the valid slugs"),
                };
                let mut p =
                    Problem::new(status, "unknown-category", "Unknown category", detail).with_parameter("category");
                p.valid_values = valid.clone();
                p
            }
            ApiError::InvalidQuery(_) => {
                Problem::new(status, "invalid-query", "Invalid query string", self.to_string())
            }
            ApiError::InvalidBody(_) => Problem::new(status, "invalid-body", "Invalid request body", self.to_string()),
            ApiError::PayloadTooLarge { .. } => {
                Problem::new(status, "payload-too-large", "Payload too large", self.to_string())
            }
            ApiError::UnsupportedMediaType { .. } => {
                Problem::new(status, "unsupported-media-type", "Unsupported media type", self.to_string())
            }
            ApiError::Unavailable(_) => Problem::new(status, "unavailable", "Service unavailable", self.to_string()),
            ApiError::RateLimited { .. } => Problem::new(status, "rate-limited", "Too many requests", self.to_string()),
            ApiError::Overloaded { .. } => Problem::new(status, "overloaded", "Server overloaded", self.to_string()),
            ApiError::BodyTimeout { .. } => {
                Problem::new(status, "request-timeout", "Request timeout", self.to_string())
            }
            ApiError::Internal(_) => Problem::for_status(status),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::Gone(_) | ApiError::SkillRemoved(_) => StatusCode::GONE,
            ApiError::InvalidParameter { .. }
            | ApiError::InvalidChoice { .. }
            | ApiError::UnknownCategory { .. }
            | ApiError::InvalidQuery(_)
            | ApiError::InvalidBody(_) => StatusCode::BAD_REQUEST,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Unavailable(_) | ApiError::Overloaded { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::BodyTimeout { .. } => StatusCode::REQUEST_TIMEOUT,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(cause) => tracing::error!(%cause, "request failed"),
            ApiError::Unavailable(cause) => tracing::warn!(%cause, "not ready"),
            _ => {}
        }
        let mut res = self.to_problem().into_response();
        if let ApiError::Overloaded { retry_after } = self {
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(*retry_after));
        }
        if let ApiError::SkillRemoved(removed) = self
            && let Some(link) = removed
                .replacement
                .as_ref()
                .and_then(|to| HeaderValue::from_str(&format!("<{}>; rel=\"successor-version\"", to.href)).ok())
        {
            res.headers_mut().insert(header::LINK, link);
        }
        res
    }
}

impl From<crate::catalog::UnknownCategory> for ApiError {
    fn from(e: crate::catalog::UnknownCategory) -> Self {
        ApiError::UnknownCategory { given: e.given, valid: e.valid }
    }
}
