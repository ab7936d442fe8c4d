//! The table of problem kinds: every problem this service can answer is one row (type, title,
//! usual status, default detail), and nothing about a kind is written anywhere else.

use actix_web::http::StatusCode;
use serde::Serialize;

/// Declares the table of problem kinds: one row per kind, and nothing about a kind elsewhere.
macro_rules! problem_kinds {
    ($($kind:ident: $slug:literal, $status:literal, $title:literal, $detail:literal;)*) => {
        /// A kind of problem: its `type` URI, title, usual status and default detail.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ProblemKind {
            $($kind,)*
        }

        impl ProblemKind {
            /// Every kind, in table order.
            pub const ALL: &'static [ProblemKind] = &[$(ProblemKind::$kind,)*];

            /// The `type` URI (`urn:powerskills:problem:<slug>`).
            pub const fn uri(self) -> &'static str {
                match self {
                    $(ProblemKind::$kind => concat!("urn:powerskills:problem:", $slug),)*
                }
            }

            /// The short summary sent as `title`.
            pub const fn title(self) -> &'static str {
                match self {
                    $(ProblemKind::$kind => $title,)*
                }
            }

            /// The status this kind is usually answered with.
            pub const fn status(self) -> u16 {
                match self {
                    $(ProblemKind::$kind => $status,)*
                }
            }

            /// The `detail` when nothing more specific is known (actix's own rejections).
            pub const fn default_detail(self) -> &'static str {
                match self {
                    $(ProblemKind::$kind => $detail,)*
                }
            }
        }
    };
}

problem_kinds! {
    NotFound: "not-found", 404, "Not found", "no route matches this path";
    Gone: "gone", 410, "Gone", "what this asks for is kept no more";
    SkillRemoved: "skill-removed", 410, "Skill removed", "an import removed this skill from the catalog";
    MethodNotAllowed: "method-not-allowed", 405, "Method not allowed",
        "this path does not answer this method; the Allow header lists those it does";
    InvalidParameter: "invalid-parameter", 400, "Invalid parameter", "a parameter does not parse";
    UnknownCategory: "unknown-category", 400, "Unknown category", "the category is not one of this catalog";
    InvalidQuery: "invalid-query", 400, "Invalid query string", "the query string does not parse";
    InvalidBody: "invalid-body", 400, "Invalid request body", "the request body does not parse";
    BadRequest: "bad-request", 400, "Bad request", "the request could not be understood";
    PayloadTooLarge: "payload-too-large", 413, "Payload too large",
        "the request body is larger than this endpoint accepts";
    UnsupportedMediaType: "unsupported-media-type", 415, "Unsupported media type",
        "this endpoint does not accept the body's Content-Type";
    RequestTimeout: "request-timeout", 408, "Request timeout", "the request did not arrive in time";
    UriTooLong: "uri-too-long", 400, "URI too long", "the request target is longer than this server accepts";
    RateLimited: "rate-limited", 429, "Too many requests", "too many requests from this client; retry later";
    HeaderFieldsTooLarge: "header-fields-too-large", 431, "Request header fields too large",
        "the request headers are larger than this server accepts";
    Unavailable: "unavailable", 503, "Service unavailable", "the service cannot answer right now; try again later";
    Overloaded: "overloaded", 503, "Server overloaded", "the server is busy with other expensive requests";
    Internal: "internal", 500, "Internal server error",
        "the server failed to answer; the failure is logged with this request id";
}

impl ProblemKind {
    /// The kind of a response whose status is all that is known (a rejection by actix itself).
    pub fn for_status(status: StatusCode) -> ProblemKind {
        match status.as_u16() {
            404 => ProblemKind::NotFound,
            405 => ProblemKind::MethodNotAllowed,
            408 => ProblemKind::RequestTimeout,
            410 => ProblemKind::Gone,
            413 => ProblemKind::PayloadTooLarge,
            414 => ProblemKind::UriTooLong,
            415 => ProblemKind::UnsupportedMediaType,
            429 => ProblemKind::RateLimited,
            431 => ProblemKind::HeaderFieldsTooLarge,
            400..=499 => ProblemKind::BadRequest,
            503 => ProblemKind::Unavailable,
            _ => ProblemKind::Internal,
        }
    }
}

impl Serialize for ProblemKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.uri())
    }
}

/// The schema of `type`: a URI, one of the table's.
pub(super) fn problem_type_schema() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{Object, SchemaFormat, Type};
    Object::builder()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::Custom("uri".to_owned())))
        .description(Some(
            "A URI naming the kind of problem (`urn:powerskills:problem:<kind>`; each is described in docs/API-DESIGN.md).",
        ))
        .enum_values(Some(ProblemKind::ALL.iter().map(|k| k.uri())))
        .examples([serde_json::json!(ProblemKind::NotFound.uri())])
        .build()
}
