//! `GET /metrics`: Prometheus text, labelled by route template, with a label set that random
//! URLs cannot grow; optionally on its own address.

use std::collections::BTreeSet;
use std::hash::{BuildHasher, RandomState};

use powerskills::startup::Application;

use crate::helpers::{TestApp, serve_args, spawn_app};

/// The body of `GET /metrics`, after checking its status and content type.
async fn scrape(app: &TestApp, address: &str) -> String {
    let res = app.client.get(format!("{address}/metrics")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/plain; version=0.0.4; charset=utf-8");
    assert_eq!(res.headers()["cache-control"], "no-store");
    res.text().await.unwrap()
}

/// The value of the series `series` (name and labels exactly as rendered), if present.
fn value<'a>(body: &'a str, series: &str) -> Option<&'a str> {
    body.lines().find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
}

/// Every series (name and labels, without the value) of the request metrics.
fn request_series(body: &str) -> BTreeSet<String> {
    body.lines()
        .filter(|l| l.starts_with("powerskills_http_request"))
        .map(|l| l.rsplit_once(' ').unwrap().0.to_owned())
        .collect()
}

/// A request answered before routing (a target asked again, `answer_cached.rs`) is counted under
/// the route that answered it the first time.
#[actix_web::test]
async fn repeated_requests_keep_their_route_label() {
    // Arrange
    let app = spawn_app().await;
    for _ in 0..3 {
        app.get("/skills/nlp").await;
        app.get("/skills?category=ai").await;
    }
    app.client.head(app.url("/skills/nlp")).send().await.unwrap();

    // Act
    let body = scrape(&app, &app.address).await;

    // Assert
    let count = |labels: &str| value(&body, &format!("powerskills_http_requests_total{{{labels}}}"));
    assert_eq!(count(r#"method="GET",route="/skills/{slug}",status="200""#), Some("3"));
    assert_eq!(count(r#"method="GET",route="/skills",status="200""#), Some("3"));
    assert_eq!(count(r#"method="HEAD",route="/skills/{slug}",status="200""#), Some("1"));
    assert_eq!(count(r#"method="GET",route="unmatched",status="200""#), None);
}

#[actix_web::test]
async fn requests_are_counted_by_route_template_and_status() {
    // Arrange
    let app = spawn_app().await;
    for path in ["/skills/nlp", "/skills/seo", "/skills/no-such-skill", "/no/such/route"] {
        app.get(path).await;
    }
    app.client.head(app.url("/categories")).send().await.unwrap();
    app.client.post(app.url("/skills")).send().await.unwrap();

    // Act
    let body = scrape(&app, &app.address).await;

    // Assert
    let count = |labels: &str| value(&body, &format!("powerskills_http_requests_total{{{labels}}}"));
    assert_eq!(count(r#"method="GET",route="/skills/{slug}",status="200""#), Some("2"));
    assert_eq!(count(r#"method="GET",route="/skills/{slug}",status="404""#), Some("1"));
    assert_eq!(count(r#"method="GET",route="unmatched",status="404""#), Some("1"));
    assert_eq!(count(r#"method="HEAD",route="/categories",status="200""#), Some("1"));
    assert_eq!(count(r#"method="POST",route="/skills",status="405""#), Some("1"));
    let histogram = r#"powerskills_http_request_duration_seconds_count{method="GET",route="/skills/{slug}"}"#;
    assert_eq!(value(&body, histogram), Some("3"));
    let inf_bucket =
        r#"powerskills_http_request_duration_seconds_bucket{method="GET",route="/skills/{slug}",le="+Inf"}"#;
    assert_eq!(value(&body, inf_bucket), Some("3"));
    // The scrape itself is the one request in flight.
    assert_eq!(value(&body, "powerskills_http_requests_in_flight"), Some("1"));
    assert_eq!(value(&body, r#"powerskills_build_info{version="0.1.0"}"#), Some("1"));
    assert_eq!(value(&body, r#"powerskills_catalog_info{version="seed-2023.1",source="article"}"#), Some("1"));
    assert_eq!(value(&body, "powerskills_catalog_categories"), Some("4"));
    assert_eq!(value(&body, "powerskills_catalog_skills"), Some("8"));
    assert_eq!(value(&body, "powerskills_catalog_faqs"), Some("5"));
    assert!(body.contains("# TYPE powerskills_http_request_duration_seconds histogram\n"), "{body}");
    assert!(body.contains("# TYPE powerskills_http_requests_total counter\n"), "{body}");
}

#[actix_web::test]
async fn random_urls_do_not_grow_the_label_set() {
    let app = spawn_app().await;
    let random = RandomState::new();
    let scan = |round: u64| {
        let app = &app;
        let random = &random;
        async move {
            for i in 0..100u64 {
                let n = random.hash_one((round, i));
                app.get(&format!("/{n:x}/{i}?x={n}")).await;
                app.get(&format!("/skills/{n:x}")).await;
                let method = reqwest::Method::from_bytes(format!("X{n:X}").as_bytes()).unwrap();
                app.client.request(method, app.url(&format!("/{n:x}"))).send().await.unwrap();
            }
        }
    };
    scan(0).await;
    // A scrape counts from the next one on: scrape once so both snapshots include `/metrics`.
    scrape(&app, &app.address).await;
    let after_one_scan = request_series(&scrape(&app, &app.address).await);

    scan(1).await;
    let body = scrape(&app, &app.address).await;

    assert_eq!(request_series(&body), after_one_scan);
    let count = |labels: &str| value(&body, &format!("powerskills_http_requests_total{{{labels}}}"));
    assert_eq!(count(r#"method="GET",route="unmatched",status="404""#), Some("200"));
    assert_eq!(count(r#"method="GET",route="/skills/{slug}",status="404""#), Some("200"));
    assert_eq!(count(r#"method="other",route="unmatched",status="404""#), Some("200"));
    let routes: BTreeSet<&str> =
        after_one_scan.iter().filter_map(|s| s.split("route=\"").nth(1)?.split('"').next()).collect();
    assert_eq!(routes, BTreeSet::from(["/metrics", "/skills/{slug}", "unmatched"]));
}

#[actix_web::test]
async fn metrics_answer_other_methods_with_405() {
    let app = spawn_app().await;
    let res = app.client.post(app.url("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), 405);
    assert_eq!(res.headers()["allow"], "GET, HEAD");
    assert_eq!(res.headers()["content-type"], "application/problem+json");
}

#[actix_web::test]
async fn metrics_and_probes_can_have_their_own_address() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let mut args = serve_args(&format!("sqlite://{}", dir.path().join("db.sqlite").display()));
    args.metrics_bind = Some("127.0.0.1:0".into());
    let server = Application::build(&args).await.expect("the app builds");
    let metrics_address = format!("http://127.0.0.1:{}", server.metrics_port().expect("a metrics port"));
    let app =
        TestApp { address: format!("http://127.0.0.1:{}", server.port()), client: reqwest::Client::new(), _dir: dir };
    actix_web::rt::spawn(server.run_until_stopped());

    // Act
    let on_main = app.get("/metrics").await;
    app.get("/skills/nlp").await;
    let body = scrape(&app, &metrics_address).await;

    // Assert
    assert_eq!(on_main.status(), 404);
    let count = |labels: &str| value(&body, &format!("powerskills_http_requests_total{{{labels}}}"));
    assert_eq!(count(r#"method="GET",route="/skills/{slug}",status="200""#), Some("1"));
    assert_eq!(count(r#"method="GET",route="unmatched",status="404""#), Some("1"));
    // Scrapes on the metrics address are not API requests.
    assert_eq!(value(&body, "powerskills_http_requests_in_flight"), Some("0"));
    assert_eq!(value(&body, "powerskills_catalog_skills"), Some("8"));

    // The metrics listener's own rejections are problems too.
    let client = reqwest::Client::new();
    let missing = client.get(format!("{metrics_address}/skills")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.headers()["content-type"], "application/problem+json");
    let request_id = missing.headers()["x-request-id"].to_str().unwrap().to_owned();
    let body: serde_json::Value = missing.json().await.unwrap();
    assert_eq!(body["type"], "urn:powerskills:problem:not-found");
    assert_eq!(body["instance"], "/skills");
    assert_eq!(body["request_id"], request_id.as_str());
    let wrong_method = client.post(format!("{metrics_address}/metrics")).send().await.unwrap();
    assert_eq!(wrong_method.status(), 405);
    assert_eq!(wrong_method.headers()["allow"], "GET, HEAD");
    let body: serde_json::Value = wrong_method.json().await.unwrap();
    assert_eq!(body["type"], "urn:powerskills:problem:method-not-allowed");
    // The probes are answered there too (on that listener's own thread), as on the main address.
    let probe = |path: &str| app.client.get(format!("{metrics_address}{path}")).send();
    let health = probe("/healthz").await.unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(health.json::<serde_json::Value>().await.unwrap(), serde_json::json!({"status": "ok"}));
    let ready = probe("/readyz").await.unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.json::<serde_json::Value>().await.unwrap()["status"], "ready");
    assert_eq!(app.get("/readyz").await.status(), 200);
}
