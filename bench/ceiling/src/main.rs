//! The ceiling: a bare actix-web server answering precomputed bytes, with the same worker count
//! and pinning as powerskills in the benchmark. It does the least an HTTP server can: look the
//! request target up in a map and send the stored bytes (or 304 when `If-None-Match` names the
//! stored ETag; a POST body is read and dropped).
//!
//! Usage: powerskills-ceiling BIND WORKERS MANIFEST [HEADERS]
//! MANIFEST lines: `METHOD<TAB>TARGET<TAB>ETAG<TAB>BODY_FILE`.
//! HEADERS (optional): `name: value` lines added to every answer. bench/run.sh gives it the
//! headers powerskills sends on a 304 besides the ETag, for a reference that sends the same bytes
//! (a diagnostic row: the targets are against the bare ceiling).

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::web::{self, Bytes};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer};

type Extra = Arc<Vec<(header::HeaderName, HeaderValue)>>;

struct Entry {
    etag: HeaderValue,
    body: Bytes,
}

type Table = Arc<HashMap<(String, String), Entry>>;

async fn answer(req: HttpRequest, _body: Bytes, table: web::Data<Table>, extra: web::Data<Extra>) -> HttpResponse {
    let target = req.uri().path_and_query().map_or("/", |pq| pq.as_str());
    let Some(entry) = table.get(&(req.method().as_str().to_owned(), target.to_owned())) else {
        return HttpResponse::NotFound().finish();
    };
    if req.headers().get(header::IF_NONE_MATCH).is_some_and(|v| v == entry.etag) {
        let mut res = HttpResponse::new(StatusCode::NOT_MODIFIED);
        res.headers_mut().insert(header::ETAG, entry.etag.clone());
        add(&mut res, &extra);
        return res;
    }
    let mut res = HttpResponse::with_body(StatusCode::OK, entry.body.clone()).map_into_boxed_body();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    res.headers_mut().insert(header::ETAG, entry.etag.clone());
    add(&mut res, &extra);
    res
}

fn add(res: &mut HttpResponse, extra: &Extra) {
    for (name, value) in extra.iter() {
        res.headers_mut().append(name.clone(), value.clone());
    }
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (bind, workers, manifest, headers) = match &args[..] {
        [_, bind, workers, manifest] => (bind, workers, manifest, None),
        [_, bind, workers, manifest, headers] => (bind, workers, manifest, Some(headers)),
        _ => {
            eprintln!("usage: powerskills-ceiling BIND WORKERS MANIFEST [HEADERS]");
            std::process::exit(2);
        }
    };
    let mut extra = Vec::new();
    if let Some(headers) = headers {
        for line in std::fs::read_to_string(headers)?.lines().filter(|l| !l.is_empty()) {
            let (name, value) = line.split_once(": ").unwrap_or_else(|| panic!("bad header line: {line}"));
            let name = header::HeaderName::from_bytes(name.as_bytes()).expect("header name");
            extra.push((name, HeaderValue::from_str(value).expect("header value")));
        }
    }
    let extra: Extra = Arc::new(extra);
    let mut table = HashMap::new();
    for line in std::fs::read_to_string(manifest)?.lines().filter(|l| !l.is_empty()) {
        let parts: Vec<&str> = line.split('\t').collect();
        let [method, target, etag, file] = parts[..] else { panic!("bad manifest line: {line}") };
        let body = Bytes::from(std::fs::read(file)?);
        let etag = HeaderValue::from_str(etag).expect("etag");
        table.insert((method.to_owned(), target.to_owned()), Entry { etag, body });
    }
    let table: Table = Arc::new(table);
    let workers: usize = workers.parse().expect("workers");
    actix_web::rt::System::new().block_on(async move {
        HttpServer::new(move || {
            App::new()
                .app_data(web::Data::new(table.clone()))
                .app_data(web::Data::new(extra.clone()))
                .app_data(web::PayloadConfig::new(1 << 20))
                .default_service(web::to(answer))
        })
        .workers(workers)
        .bind(bind)?
        .run()
        .await
    })
}
