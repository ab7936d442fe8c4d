//! Live catalog swap: a new catalog imported into a served database replaces the old one whole,
//! while requests run, without a restart.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

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
    // Each answer is reported as it comes: `false` for the old catalog's, `true` for the new's.
    let (seen, mut answers) = tokio::sync::mpsc::unbounded_channel::<bool>();
    let clients: Vec<_> = (0..4)
        .map(|client| {
            let (app, expected, stop) = (Arc::clone(&app), Arc::clone(&expected), Arc::clone(&stop));
            let seen = seen.clone();
            actix_web::rt::spawn(async move {
                let mut i = client;
                while !stop.load(Ordering::Relaxed) {
                    let which = i % PATHS.len();
                    let answer = fetch(&app, PATHS[which]).await;
                    if answer == expected.0[which] {
                        let _ = seen.send(false);
                    } else if answer == expected.1[which] {
                        let _ = seen.send(true);
                    } else {
                        panic!("GET {} answered neither catalog: {}", PATHS[which], String::from_utf8_lossy(&answer.0));
                    }
                    i += 1;
                }
            })
        })
        .collect();
    drop(seen);
    wait_for_answers(&mut answers, false, 20).await;

    // Act: import a new catalog into the served database, then reload.
    import_esco_sample(&database_url).await;
    let reloaded = reload(&state).await.expect("the reload succeeds");
    wait_for_answers(&mut answers, true, 20).await;
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

/// Waits until `count` answers of the new catalog (`new`) or of the old one have come; panics if
/// every client stopped first (one failed).
async fn wait_for_answers(answers: &mut tokio::sync::mpsc::UnboundedReceiver<bool>, new: bool, count: usize) {
    let mut seen = 0;
    while seen < count {
        let answer = answers.recv().await.expect("a client stopped");
        if answer == new {
            seen += 1;
        }
    }
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
