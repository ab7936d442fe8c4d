//! The OpenAPI document: the paths and schemas come from the endpoint declarations themselves
//! (collected by utoipa-actix-web from `routes::configure`), the rest from [`ApiDoc`].
//!
//! `powerskills openapi > openapi/openapi.json` regenerates the committed copy; a test fails
//! when the two differ.

use actix_web::App;
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;

/// The parts of the document that no endpoint declares.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "powerskills",
        description = "A JSON REST API serving a catalog of in-demand professional skills: categories, skills, \
                       FAQ entries, search, autocomplete and skill extraction.\n\n\
                       Every error is an RFC 9457 problem (`application/problem+json`). Every GET also answers \
                       HEAD and `If-None-Match` (304). Any origin may read (CORS).",
    ),
    // A query parameter's `$ref` schema is not collected from the endpoint declarations.
    components(schemas(crate::routes::search::HitType)),
    tags(
        (name = "catalog", description = "The catalog's metadata."),
        (name = "categories", description = "The areas skills are grouped in."),
        (name = "skills", description = "The skills."),
        (name = "faqs", description = "Frequently asked questions about the skills."),
        (name = "search", description = "One search over skills, categories and FAQ entries."),
        (name = "health", description = "Liveness and readiness probes."),
        (name = "meta", description = "This API's own description."),
    )
)]
pub struct ApiDoc;

/// The complete document.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, api) =
        App::new().into_utoipa_app().openapi(ApiDoc::openapi()).configure(crate::routes::configure).split_for_parts();
    api
}

/// The document as served and committed: pretty JSON with a final newline.
pub fn document_json() -> String {
    to_json(&document())
}

pub fn to_json(doc: &utoipa::openapi::OpenApi) -> String {
    let mut json = doc.to_pretty_json().expect("the OpenAPI document serializes");
    json.push('\n');
    json
}
