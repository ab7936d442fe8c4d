//! Load shedding: with the work queue full, a large extraction is refused (503 `overloaded` with
//! `Retry-After`) before its body is sent, and its connection is closed; a small one is still
//! answered in place; once the queue has room, the large one is answered.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;

use powerskills::startup::Application;
use powerskills::work::WorkQueue;
use serde_json::Value;

use crate::helpers::{raw_header as header, serve_args};

/// Reads one response: the head, then `Content-Length` body bytes.
fn read_response(stream: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&answer).into_owned();
        if let Some((_, body)) = text.split_once("\r\n\r\n") {
            let length = header(&text, "content-length").and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
            if body.len() >= length {
                return text;
            }
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return text,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
        }
    }
}

/// A job holding a slot of the work queue (with a queue of 1: the only one), running once this
/// returns, until `release` is sent.
async fn hold_the_only_slot(
    work: &WorkQueue,
) -> (mpsc::Sender<()>, actix_web::rt::task::JoinHandle<Result<(), powerskills::error::ApiError>>) {
    let (release, hold) = mpsc::channel::<()>();
    let (started_tx, started) = tokio::sync::oneshot::channel();
    let held = actix_web::rt::spawn({
        let work = work.clone();
        async move {
            work.run(move || {
                started_tx.send(()).unwrap();
                hold.recv().unwrap();
            })
            .await
        }
    });
    started.await.unwrap();
    (release, held)
}

#[actix_web::test]
async fn a_large_extraction_is_refused_before_its_body_is_sent_while_the_queue_is_full() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = serve_args(&format!("sqlite://{}", dir.path().join("db.sqlite").display()));
    args.limits.work_queue = 1; // with 1 worker: 1 job admitted at most
    let app = Application::build(&args).await.expect("the app builds");
    let (port, work) = (app.port(), app.work());
    actix_web::rt::spawn(app.run_until_stopped());
    let client = reqwest::Client::new();
    let url = format!("http://127.0.0.1:{port}/skills/extract");

    // The only slot is taken by a job that runs until the test releases it.
    let (release, held) = hold_the_only_slot(&work).await;

    // Only the head, declaring the largest body accepted: the answer comes without the body.
    let (answer, rest) = tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let head =
            "POST /skills/extract HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nContent-Length: 32768\r\n\r\n";
        stream.write_all(head.as_bytes()).unwrap();
        let answer = read_response(&mut stream);
        // Then the server closes the connection (the unsent body can never be read as a request).
        let mut rest = Vec::new();
        stream.read_to_end(&mut rest).unwrap();
        (answer, rest)
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 503 Service Unavailable\r\n"), "{answer:?}");
    assert_eq!(header(&answer, "content-type"), Some("application/problem+json"));
    assert_eq!(header(&answer, "retry-after"), Some("1"));
    assert_eq!(header(&answer, "connection"), Some("close"));
    let problem: Value = serde_json::from_str(answer.split_once("\r\n\r\n").unwrap().1).unwrap();
    assert_eq!(problem["type"], "urn:powerskills:problem:overloaded");
    assert_eq!(problem["status"], 503);
    assert_eq!(problem["detail"], "the server is busy with other expensive requests; retry after 1 s");
    assert_eq!(rest, b"", "nothing after the answer: the connection was closed");

    // A short text needs no queue: answered in place while the queue is full.
    let res = client.post(&url).header("content-type", "text/plain").body("SEO and NLP").send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["total"], 2);

    // Once the slot is free, the same large body is read and answered.
    release.send(()).unwrap();
    held.await.unwrap().unwrap();
    assert_eq!(work.admitted(), 0);
    let text = "SEO ".repeat(8_192);
    assert_eq!(text.len(), 32 * 1024);
    let res = client.post(&url).header("content-type", "text/plain").body(text).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!((body["total"].clone(), body["truncated"].clone()), (1.into(), true.into()));
    assert_eq!(body["data"][0]["slug"], "seo");
    assert_eq!(body["data"][0]["mention_count"], 8_192);
}

/// A search not answered before is expensive work too (and so are autocomplete's fuzzy fill-up
/// and a lookup of more than 100 ids):
/// with the queue full it is refused at once (503, not cached: the same search is answered once
/// there is room), while a cached search, a list and a prefix completion are still answered.
#[actix_web::test]
async fn a_new_search_is_shed_while_the_queue_is_full_and_a_cached_one_is_answered() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = serve_args(&format!("sqlite://{}", dir.path().join("db.sqlite").display()));
    args.limits.work_queue = 1;
    let app = Application::build(&args).await.expect("the app builds");
    let (port, work) = (app.port(), app.work());
    actix_web::rt::spawn(app.run_until_stopped());
    let client = reqwest::Client::new();
    let get = |target: &str| client.get(format!("http://127.0.0.1:{port}{target}")).send();
    let cached = get("/skills?q=seo").await.unwrap();
    assert_eq!(cached.status().as_u16(), 200);

    let (release, held) = hold_the_only_slot(&work).await;

    for target in ["/skills?q=natural%20language", "/search?q=natural%20language"] {
        let refused = get(target).await.unwrap();
        assert_eq!(refused.status().as_u16(), 503, "{target}");
        assert_eq!(refused.headers()["retry-after"], "1");
        assert_eq!(refused.json::<Value>().await.unwrap()["type"], "urn:powerskills:problem:overloaded");
    }
    // An autocomplete the prefix index fills is answered in place; one that needs the fuzzy
    // fill-up (a search) is shed.
    let prefixed = get("/skills/autocomplete?q=sea&limit=1").await.unwrap();
    assert_eq!(prefixed.status().as_u16(), 200);
    assert_eq!(prefixed.json::<Value>().await.unwrap()["data"][0]["slug"], "seo");
    let fuzzy = get("/skills/autocomplete?q=lenguage").await.unwrap();
    assert_eq!(fuzzy.status().as_u16(), 503);
    // A lookup of more than 100 ids is shed too; a small one is answered in place.
    let lookup = |slugs: Vec<String>| {
        client
            .post(format!("http://127.0.0.1:{port}/skills/lookup"))
            .json(&serde_json::json!({ "slugs": slugs }))
            .send()
    };
    let many: Vec<String> = std::iter::once("seo".to_owned()).chain((0..100).map(|i| format!("no-such-{i}"))).collect();
    assert_eq!(lookup(many.clone()).await.unwrap().status().as_u16(), 503);
    let few = lookup(vec!["seo".into(), "nlp".into()]).await.unwrap();
    assert_eq!(few.status().as_u16(), 200);
    assert_eq!(few.json::<Value>().await.unwrap()["total"], 2);
    let again = get("/skills?q=seo").await.unwrap();
    assert_eq!(again.status().as_u16(), 200);
    assert_eq!(again.json::<Value>().await.unwrap()["data"][0]["slug"], "seo");
    assert_eq!(get("/skills?category=ai").await.unwrap().status().as_u16(), 200);

    release.send(()).unwrap();
    held.await.unwrap().unwrap();
    let answered = get("/skills?q=natural%20language").await.unwrap();
    assert_eq!(answered.status().as_u16(), 200);
    assert_eq!(answered.json::<Value>().await.unwrap()["data"][0]["slug"], "nlp");
    assert_eq!(get("/search?q=natural%20language").await.unwrap().status().as_u16(), 200);
    let answered: Value = lookup(many).await.unwrap().json().await.unwrap();
    assert_eq!((&answered["total"], &answered["data"][0]["slug"]), (&1.into(), &"seo".into()));
    assert_eq!(answered["not_found"]["slugs"].as_array().unwrap().len(), 100);
    let fuzzy = get("/skills/autocomplete?q=lenguage").await.unwrap();
    assert_eq!(fuzzy.status().as_u16(), 200);
    let fuzzy: Value = fuzzy.json().await.unwrap();
    assert_eq!((&fuzzy["data"][0]["slug"], &fuzzy["data"][0]["match_type"]), (&"nlp".into(), &"fuzzy".into()));
}
