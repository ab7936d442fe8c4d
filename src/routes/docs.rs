//! The API's own documentation: `/openapi.json`, and Swagger UI at `/docs/` (assets embedded in
//! the binary by utoipa-swagger-ui's `vendored` feature; `/docs` redirects there).

use std::sync::Arc;

use actix_web::http::header::{self, HeaderValue};
use actix_web::web::{self, Data};
use actix_web::{HttpRequest, HttpResponse, get};
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::response::{self, CachedResponse};
use crate::state::AppState;

/// The OpenAPI document, serialized once.
#[derive(Clone)]
pub struct OpenApiJson(pub Arc<CachedResponse>);

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_openapi);
    cfg.map(|cfg| {
        cfg.route("/docs", web::get().to(redirect_to_docs)).service(
            SwaggerUi::new("/docs/{_:.*}")
                // No validator: Swagger UI would otherwise send the document to swagger.io.
                .config(
                    Config::new(["/openapi.json"])
                        .try_it_out_enabled(true)
                        .display_operation_id(true)
                        .validator_url("none"),
                ),
        )
    });
}

/// Get the OpenAPI document
///
/// This API's OpenAPI 3.1 document (the same bytes as `openapi/openapi.json` in the repository).
#[utoipa::path(
    tag = "meta",
    operation_id = "get_openapi",
    responses(
        (status = 200, description = "The OpenAPI document.", body = Object, content_type = "application/json"),
    )
)]
#[get("/openapi.json")]
pub async fn get_openapi(req: HttpRequest, state: Data<AppState>, doc: Data<OpenApiJson>) -> HttpResponse {
    response::send(&req, &state.cache_policy, &doc.0)
}

async fn redirect_to_docs() -> HttpResponse {
    let mut res = HttpResponse::PermanentRedirect().finish();
    res.headers_mut().insert(header::LOCATION, HeaderValue::from_static("/docs/"));
    res
}
