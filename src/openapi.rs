//! The OpenAPI document: the paths and schemas come from the endpoint declarations themselves
//! (collected by utoipa-actix-web from `routes::configure`), the rest from [`ApiDoc`].
//!
//! `powerskills openapi > openapi/openapi.json` regenerates the committed copy; a test fails
//! when the two differ. CI lints it with Spectral (`spectral:oas`) and Redocly (`recommended`):
//! see `openapi/package.json`.

use actix_web::App;
use utoipa::OpenApi;
use utoipa::openapi::content::Content;
use utoipa::openapi::header::Header;
use utoipa::openapi::response::Response;
use utoipa::openapi::{Ref, RefOr};
use utoipa_actix_web::AppExt;

/// The parts of the document that no endpoint declares.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "powerskills",
        description = "A JSON REST API serving a catalog of in-demand professional skills: categories, skills, \
                       FAQ entries, search, autocomplete and skill extraction.\n\n\
                       Every error is an RFC 9457 problem (`application/problem+json`). Every GET also answers \
                       HEAD and `If-None-Match` (304). Any origin may read (CORS). No authentication: \
                       the catalog is public.",
        contact(name = "powerskills maintainers", url = "https://github.com/powerskills/powerskills/issues"),
    ),
    // Relative: the API is wherever this document was fetched from (Swagger UI's "Try it out"
    // then calls the same server).
    servers((url = "/", description = "The server this document is served by.")),
    // An empty requirement: every operation may be called anonymously.
    security(()),
    // Schemas referenced only by query parameters (utoipa collects those of bodies itself).
    components(schemas(
        crate::routes::search::HitType,
        crate::routes::export::ExportFormatParam,
        crate::routes::params::SkillTypeParam,
        crate::routes::params::SortParam,
        crate::routes::fields::SkillListField,
        crate::routes::fields::CategoryListField,
        crate::routes::fields::FaqListField
    )),
    tags(
        (name = "catalog", description = "The catalog's metadata."),
        (name = "categories", description = "The areas skills are grouped in."),
        (name = "skills", description = "The skills."),
        (name = "faqs", description = "Frequently asked questions about the skills."),
        (name = "search", description = "One search over skills, categories and FAQ entries."),
        (name = "versions", description = "The catalog's versions (one per import) and what changed between them."),
        (name = "health", description = "Liveness and readiness probes."),
        (name = "meta", description = "This API's own description."),
    )
)]
pub struct ApiDoc;

/// The complete document.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, mut api) =
        App::new().into_utoipa_app().openapi(ApiDoc::openapi()).configure(crate::routes::configure).split_for_parts();
    add_common_responses(&mut api);
    if let Some(components) = api.components.as_mut() {
        crate::routes::closed_set::describe_all(&mut components.schemas);
    }
    query_examples_in_words(&mut api);
    api
}

/// Swagger UI 5 fills the inputs of "Try it out" from a parameter's `example`, or its schema's
/// `example` or `default`, and Execute sends them all: with only `category` typed, `GET /skills`
/// would also send the `q`, `limit` and `offset` nobody asked for (issue 14; swagger-ui#5776).
/// So a query parameter's `example` and `default` (declared as usual in `#[param(...)]`) are
/// moved here into words at the end of its description (which Swagger UI shows beside the
/// input), and the example into the schema's `examples` (JSON Schema 2020-12, which Swagger UI
/// does not pre-fill). Enum schemas ([`crate::routes::closed_set`]) carry `examples`
/// too. Path parameters keep `example`: they need a value, and a ready one helps.
fn query_examples_in_words(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::schema::Schema;
    for item in api.paths.paths.values_mut() {
        let methods = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
        for op in methods.into_iter().flatten() {
            for param in op.parameters.iter_mut().flatten() {
                let RefOr::T(param) = param else { continue };
                if param.parameter_in != ParameterIn::Query {
                    continue;
                }
                // `Parameter::example` has no getter: read it from the serialized form.
                let mut example =
                    serde_json::to_value(&*param).ok().and_then(|mut p| p.get_mut("example").map(|e| e.take()));
                let mut default = None;
                match param.schema.as_mut() {
                    Some(RefOr::T(Schema::Object(schema))) => {
                        default = schema.default.take();
                        let in_schema = schema.example.take();
                        example = example.or(in_schema);
                        if let Some(example) = &example {
                            schema.examples = vec![example.clone()];
                        }
                    }
                    // A repeatable parameter (`uri=a&uri=b`).
                    Some(RefOr::T(Schema::Array(schema))) => {
                        default = schema.default.take();
                        example = example.or(schema.example.take());
                        if let Some(example) = &example {
                            schema.examples = vec![example.clone()];
                        }
                    }
                    _ => {}
                }
                let mut words = param.description.take().unwrap_or_default();
                let code = |v: &serde_json::Value| match v {
                    serde_json::Value::String(s) => format!("`{s}`"),
                    other => format!("`{other}`"),
                };
                let notes: Vec<String> = [
                    default.map(|d| format!("Default: {}.", code(&d))),
                    example.as_ref().map(|e| format!("Example: {}.", code(e))),
                ]
                .into_iter()
                .flatten()
                .collect();
                if !notes.is_empty() {
                    words = format!("{words}\n\n{}", notes.join(" "));
                }
                param.description = Some(words);
                *param = ParameterBuilder::from(param.clone()).example(None).build();
            }
        }
    }
}

/// Every operation can be rate limited (429), be sent a request head too large to read (431: header
/// fields over 16 KiB or more than 96 of them, or a head, a long URL included, larger than the
/// HTTP parser's buffer), or fail on our side (500): all three are listed on each one, here, so
/// that no endpoint can forget them.
fn add_common_responses(api: &mut utoipa::openapi::OpenApi) {
    // A response whose body is a problem like `example`.
    let problem = |description: &str, example: serde_json::Value| {
        let content = Content::builder()
            .schema(Some(RefOr::<utoipa::openapi::schema::Schema>::Ref(Ref::from_schema_name("Problem"))))
            .example(Some(example))
            .build();
        Response::builder().description(description).content(crate::error::PROBLEM_CONTENT_TYPE, content)
    };
    let seconds = utoipa::openapi::schema::Object::builder()
        .schema_type(utoipa::openapi::Type::Integer)
        .minimum(Some(0))
        .examples([serde_json::json!(1)])
        .build();
    let too_many = problem(
        "Too many requests from this client: wait for `Retry-After` seconds before trying again.",
        serde_json::json!({
            "type": "urn:powerskills:problem:rate-limited",
            "title": "Too many requests",
            "status": 429,
            "detail": "too many requests from this client; retry after 1 s",
            "instance": "/skills?category=ai",
            "request_id": "7f3a9c01d2e4b5a6-00000001"
        }),
    )
    .header(
        "Retry-After",
        Header::builder().schema(Some(seconds)).description(Some("Seconds to wait before the next request.")).build(),
    )
    .build();
    let internal = problem(
        "A failure of ours; the problem's `request_id` identifies it in our logs.",
        serde_json::json!({
            "type": "urn:powerskills:problem:internal",
            "title": "Internal server error",
            "status": 500,
            "detail": "the server failed to answer; the failure is logged with this request id",
            "instance": "/skills?category=ai",
            "request_id": "7f3a9c01d2e4b5a6-00000001"
        }),
    )
    .build();
    let head_too_large = problem(
        "The request's header fields are over 16 KiB or more than 96, or its head (a URL of some hundred KiB included) is larger than the server reads.",
        serde_json::json!({
            "type": "urn:powerskills:problem:header-fields-too-large",
            "title": "Request header fields too large",
            "status": 431,
            "detail": "the request headers are larger than this server accepts",
            "request_id": "7f3a9c01d2e4b5a6-00000001"
        }),
    )
    .build();
    let not_modified = Response::builder().description("The client's copy (If-None-Match) is current.").build();
    let text_header = |description: &str| {
        Header::builder()
            .schema(Some(utoipa::openapi::schema::Object::with_type(utoipa::openapi::Type::String)))
            .description(Some(description))
            .build()
    };
    let etag = text_header("Strong validator of this body.");
    let cache_control = text_header("How long the response may be reused.");
    for item in api.paths.paths.values_mut() {
        // Every read is a cached response (`Served::cached`): a validator, a lifetime, and 304.
        // Only the health probes are not: they answer about now.
        if let Some(op) =
            item.get.as_mut().filter(|op| !op.tags.as_ref().is_some_and(|t| t.iter().any(|t| t == "health")))
        {
            let responses = &mut op.responses.responses;
            if let Some(RefOr::T(ok)) = responses.get_mut("200") {
                ok.headers.entry("ETag".into()).or_insert_with(|| RefOr::T(etag.clone()));
                ok.headers.entry("Cache-Control".into()).or_insert_with(|| RefOr::T(cache_control.clone()));
            }
            responses.entry("304".into()).or_insert_with(|| not_modified.clone().into());
        }
        let methods = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
        for op in methods.into_iter().flatten() {
            let responses = &mut op.responses.responses;
            responses.entry("429".into()).or_insert_with(|| too_many.clone().into());
            responses.entry("431".into()).or_insert_with(|| head_too_large.clone().into());
            responses.entry("500".into()).or_insert_with(|| internal.clone().into());
        }
    }
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
