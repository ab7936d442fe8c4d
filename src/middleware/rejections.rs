//! actix's own rejections, answered as problems like every other error: the hooks the framework
//! offers for them, in one place, used by both listeners.
//!
//! - a query string that does not deserialize: [`query_config`] (`invalid-query`);
//! - a path no route has, or a known path with another method: [`no_route`], the apps' default
//!   service (`not-found`, or `method-not-allowed` with `Allow`; actix answers a method its
//!   per-method routes do not take as a 404, so the [`RoutesTable`] tells the two apart);
//! - anything else actix answers by itself with a 4xx or 5xx and a body of its own (a resource's
//!   405, a payload error, a bad preflight): [`error_handlers`] replaces the body with the
//!   problem for that status.
//!
//! - a request actix-http's HTTP/1 parser refuses before any middleware runs (malformed, head too
//!   large, head too slow): [`parser_rejection`], installed on each connection by
//!   [`crate::connection::on_connect`] (a hook of the vendored actix-http).
//!
//! No handler takes a `web::Path` or `web::Json` (path segments are parsed by the handlers,
//! bodies read as bytes and parsed by [`crate::domain`]), so no `PathConfig` or `JsonConfig`
//! handler is registered: it could never be reached.

use actix_web::body::MessageBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::web::{self, Data};
use actix_web::{HttpRequest, HttpResponse, ResponseError};

use super::RoutesTable;
use crate::error::{ApiError, PROBLEM_CONTENT_TYPE};

/// A query string that does not deserialize is an `invalid-query` problem.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _req| ApiError::from(err).into())
}

/// The default service: `method-not-allowed` when a route has this path (the app's
/// [`RoutesTable`] says which), else `not-found`.
pub async fn no_route(req: HttpRequest, routes: Option<Data<RoutesTable>>) -> Result<HttpResponse, ApiError> {
    Err(match routes.and_then(|routes| routes.allowed(req.path())) {
        Some(allow) => ApiError::MethodNotAllowed { allow },
        None => ApiError::NoRoute,
    })
}

/// Gives every error response that is not a problem yet the problem for its status.
pub fn error_handlers<B: MessageBody + 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(to_problem)
}

fn to_problem<B: MessageBody + 'static>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem =
        res.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes() == PROBLEM_CONTENT_TYPE.as_bytes());
    if is_problem {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let error = if status == StatusCode::METHOD_NOT_ALLOWED {
        ApiError::MethodNotAllowed { allow: with_head(res.headers().get(header::ALLOW)) }
    } else if status.is_server_error() {
        ApiError::Internal(format!("actix answered {status} by itself"))
    } else {
        ApiError::Rejected(status)
    };
    let (req, _) = res.into_parts();
    let answer = ServiceResponse::new(req, error.error_response());
    Ok(ErrorHandlerResponse::Response(answer.map_into_right_body()))
}

/// The `Allow` of an actix resource's own 405, with HEAD after GET (every GET route answers HEAD).
fn with_head(allow: Option<&HeaderValue>) -> String {
    let allow = allow.and_then(|v| v.to_str().ok()).unwrap_or_default();
    let mut methods: Vec<&str> = allow.split(',').map(str::trim).filter(|m| !m.is_empty()).collect();
    if methods.contains(&"GET") && !methods.contains(&"HEAD") {
        methods.push("HEAD");
    }
    methods.join(", ")
}

/// The answer to a request actix-http's own HTTP/1 parser refuses before any middleware runs
/// (400 malformed, 431 head too large, 408 head not received in time): the problem for its
/// status, with a new request id (also as `X-Request-Id`) and the security headers, as every
/// other error. There is no request to take an `instance` or the client's `X-Request-Id` from.
pub fn parser_rejection(status: StatusCode) -> Option<actix_http::Response<actix_web::body::BoxBody>> {
    if !matches!(status.as_u16(), 400 | 408 | 431) {
        return None;
    }
    let id = super::request_id::RequestId::generate();
    let mut problem = ApiError::Rejected(status).to_problem();
    problem.request_id = Some(id.as_str().to_owned());
    let mut res = HttpResponse::build(status);
    res.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_CONTENT_TYPE)))
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .insert_header((super::request_id::X_REQUEST_ID, id.header_value().clone()));
    let mut res = res.body(serde_json::to_vec(&problem).unwrap_or_default());
    crate::response::security::apply_api_headers(res.headers_mut());
    Some(res.into())
}
