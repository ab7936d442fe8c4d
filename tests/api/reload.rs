//! Live catalog swap: a new catalog imported into a served database replaces the old one whole,
//! while requests run, without a restart.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use actix_web::web::Data;
use powerskills::reload::{Reloaded, reload};
use powerskills::startup::Application;
use powerskills::state::AppState;
use serde_json::{Value, json};

use crate::helpers::{TestApp, import_esco_sample, serve_args, spawn_esco_app};

/// Starts the app over a fresh (seed) database; returns it, its state and its database URL.
async fn spawn_reloadable(reload_interval: u64) -> (TestApp, Data<AppState>, String) {
    let dir = tempfile::tempdir().unwrap();
    let database_url = format!("sqlite://{}", dir.path().join("powerskills.db").display());
    let mut args = serve_args(&database_url);
    args.reload_interval = reload_interval;
    args.workers = std::num::NonZeroUsize::new(2);
    let server = Application::build(&args).await.expect("the app builds");
    let state = server.state();
    let app = TestApp {
        address: format!("http://127.0.0.1:{}", server.port()),
        client: reqwest::Client::builder().no_gzip().build().unwrap(),
        _dir: dir,
    };
    actix_web::rt::spawn(server.run_until_stopped());
    (app, state, database_url)
}

/// Body and ETag of `GET path`.
async fn fetch(app: &TestApp, path: &str) -> (Vec<u8>, String) {
    let res = app.get(path).await;
    assert_eq!(res.status(), 200, "GET {path}");
    let etag = res.headers()["etag"].to_str().unwrap().to_owned();
    (res.bytes().await.unwrap().to_vec(), etag)
}

/// Polls `/readyz` until it reports `version` (bounded: 30 s).
async fn wait_for_version(app: &TestApp, version: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let body = app.get_json("/readyz", 200).await;
        if body["catalog_version"] == version {
            return;
        }
        assert!(Instant::now() < deadline, "still serving {body} after 30 s");
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Reads of every kind, searches included (both catalogs have hits for these queries, and the
/// search index is part of the snapshot swapped: a search can never count one catalog's hits
/// and list another's).
const PATHS: [&str; 7] = [
    "/",
    "/skills?limit=100",
    "/categories",
    "/skills?q=management",
    "/search?q=blockchain",
    "/skills?q=machne%20lerning",
    "/skills/autocomplete?q=mach",
];

#[actix_web::test]
async fn every_response_is_entirely_old_or_entirely_new_across_a_swap() {
    // Arrange: the exact answers of each catalog, from an app serving only that catalog.
    let (app, state, database_url) = spawn_reloadable(0).await;
    let esco = spawn_esco_app().await;
    let mut old = Vec::new();
    let mut new = Vec::new();
    for path in PATHS {
        old.push(fetch(&app, path).await);
        new.push(fetch(&esco, path).await);
    }
    let esco_version = esco.get_json("/", 200).await["version"].as_str().unwrap().to_owned();
    for (path, (o, n)) in PATHS.iter().zip(old.iter().zip(&new)) {
        assert_ne!(o, n, "GET {path} must tell the two catalogs apart");
        for (body, _) in [o, n] {
            let body: Value = serde_json::from_slice(body).unwrap();
            if let (Some(total), Some(data)) = (body["total"].as_u64(), body["data"].as_array()) {
                assert!(total > 0 && !data.is_empty(), "GET {path} must find something in both: {body}");
            }
        }
    }

    // Clients keep asking, each checking every answer against the two catalogs.
    let app = Arc::new(app);
    let expected = Arc::new((old, new));
    let stop = Arc::new(AtomicBool::new(false));
    let seen_old = Arc::new(AtomicUsize::new(0));
    let seen_new = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..4)
        .map(|client| {
            let (app, expected, stop) = (Arc::clone(&app), Arc::clone(&expected), Arc::clone(&stop));
            let (seen_old, seen_new) = (Arc::clone(&seen_old), Arc::clone(&seen_new));
            actix_web::rt::spawn(async move {
                let mut i = client;
                while !stop.load(Ordering::Relaxed) {
                    let which = i % PATHS.len();
                    let answer = fetch(&app, PATHS[which]).await;
                    if answer == expected.0[which] {
                        seen_old.fetch_add(1, Ordering::Relaxed);
                    } else if answer == expected.1[which] {
                        seen_new.fetch_add(1, Ordering::Relaxed);
                    } else {
                        panic!("GET {} answered neither catalog: {}", PATHS[which], String::from_utf8_lossy(&answer.0));
                    }
                    i += 1;
                }
            })
        })
        .collect();
    wait_until(|| seen_old.load(Ordering::Relaxed) >= 20).await;

    // Act: import a new catalog into the served database, then reload.
    import_esco_sample(&database_url).await;
    let reloaded = reload(&state).await.expect("the reload succeeds");
    wait_until(|| seen_new.load(Ordering::Relaxed) >= 20).await;
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.await.expect("every answer was one catalog's");
    }

    // Assert
    assert_eq!(reloaded, Reloaded::Swapped { from: "seed-2023.1".into(), to: esco_version.clone() });
    assert_eq!(app.get_json("/readyz", 200).await, json!({"status": "ready", "catalog_version": esco_version}));
    assert_eq!(reload(&state).await.unwrap(), Reloaded::Unchanged { version: esco_version });
    for (path, (body, etag)) in PATHS.iter().zip(&expected.1) {
        assert_eq!(&fetch(&app, path).await, &(body.clone(), etag.clone()), "GET {path}");
    }
}

/// Yields until `done()` (bounded: 30 s).
async fn wait_until(done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "timed out");
        actix_web::rt::time::sleep(Duration::from_millis(5)).await;
    }
}

#[actix_web::test]
async fn a_new_version_in_the_database_is_picked_up_by_the_periodic_check() {
    // Arrange
    let (app, _state, database_url) = spawn_reloadable(1).await;
    assert_eq!(app.get_json("/readyz", 200).await["catalog_version"], "seed-2023.1");

    // Act
    let parsed = import_esco_sample(&database_url).await;

    // Assert
    wait_for_version(&app, &parsed.catalog.meta.version).await;
    let body = app.get_json("/", 200).await;
    assert_eq!(body["counts"], json!({"categories": 687, "skills": 187, "faqs": 0}));
    let metrics = app.get("/metrics").await.text().await.unwrap();
    let info = format!(r#"powerskills_catalog_info{{version="{}",source="esco"}} 1"#, parsed.catalog.meta.version);
    assert!(metrics.lines().any(|l| l == info), "{metrics}");
    assert!(metrics.lines().any(|l| l == r#"powerskills_catalog_reloads_total{result="swapped"} 1"#), "{metrics}");
    assert!(metrics.lines().any(|l| l == "powerskills_catalog_skills 187"), "{metrics}");
    assert!(!metrics.contains("seed-2023.1"), "{metrics}");
}

#[actix_web::test]
async fn a_failed_reload_changes_nothing() {
    // Arrange: a database whose catalog cannot be loaded (its catalog row is gone).
    let (app, state, database_url) = spawn_reloadable(0).await;
    let before = fetch(&app, "/").await;
    let options = powerskills::db::connect_options(&database_url).unwrap();
    let writer = sqlx::SqlitePool::connect_with(options).await.unwrap();
    sqlx::query("DELETE FROM catalog").execute(&writer).await.unwrap();
    writer.close().await;

    // Act
    let result = reload(&state).await;

    // Assert
    assert_eq!(result.unwrap_err().to_string(), "inconsistent catalog: no catalog row");
    assert_eq!(app.get_json("/readyz", 200).await["catalog_version"], "seed-2023.1");
    assert_eq!(fetch(&app, "/").await, before);
}
