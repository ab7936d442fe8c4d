//! `/explore`: a small page for people browsing the catalog, built on the public JSON API only
//! (categories as tabs, skills, search with autocomplete, the FAQ, the attribution). Its three
//! files are embedded in the binary and served as they are: no build step, nothing third-party.
//! `GET /` serves the same page to browsers (see [`crate::routes::meta`]).
//!
//! These are assets, not API operations, so they are registered with `.route()` and stay out of
//! the OpenAPI document (like Swagger UI under `/docs/`).

use std::sync::{Arc, LazyLock};

use actix_web::http::header::HeaderValue;
use actix_web::web;
use actix_web::{HttpRequest, HttpResponse};
use bytes::Bytes;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::response::CachedResponse;
use crate::served::{Served, Snapshot};

pub const PAGE_HTML: &str = include_str!("index.html");
const APP_JS: &str = include_str!("app.js");
const STYLE_CSS: &str = include_str!("style.css");

fn asset(body: &'static str, content_type: &'static str) -> Arc<CachedResponse> {
    Arc::new(CachedResponse::new(Bytes::from_static(body.as_bytes()), HeaderValue::from_static(content_type)))
}

static PAGE: LazyLock<Arc<CachedResponse>> = LazyLock::new(|| asset(PAGE_HTML, "text/html; charset=utf-8"));
static SCRIPT: LazyLock<Arc<CachedResponse>> = LazyLock::new(|| asset(APP_JS, "text/javascript; charset=utf-8"));
static STYLE: LazyLock<Arc<CachedResponse>> = LazyLock::new(|| asset(STYLE_CSS, "text/css; charset=utf-8"));

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.map(|cfg| {
        cfg.route("/explore", web::get().to(page))
            .route("/explore/app.js", web::get().to(script))
            .route("/explore/style.css", web::get().to(style))
    });
}

/// The page (also `GET /` for a browser), with an ETag and `If-None-Match` like every read.
pub fn send_page(req: &HttpRequest, served: &Served) -> HttpResponse {
    served.send(req, &PAGE)
}

async fn page(req: HttpRequest, served: Snapshot) -> HttpResponse {
    send_page(&req, &served)
}

async fn script(req: HttpRequest, served: Snapshot) -> HttpResponse {
    served.send(&req, &SCRIPT)
}

async fn style(req: HttpRequest, served: Snapshot) -> HttpResponse {
    served.send(&req, &STYLE)
}
