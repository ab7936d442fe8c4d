//! `spawn_app()`: start the real server on a random port over a new database file.

use std::num::NonZeroUsize;

use powerskills::config::{LimitArgs, LogArgs, LogFormat, ServeArgs};
use powerskills::startup::Application;
use serde_json::Value;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    // Dropped (and the database deleted) when the test ends.
    pub _dir: tempfile::TempDir,
}

pub fn serve_args(database_url: &str) -> ServeArgs {
    ServeArgs {
        bind: "127.0.0.1:0".into(),
        database_url: database_url.into(),
        workers: NonZeroUsize::new(1),
        cache_max_age: 300,
        shutdown_grace: 1,
        metrics_bind: None,
        reload_interval: 0,
        log: LogArgs { log_level: "warn".into(), log_format: LogFormat::Pretty, log_file: None },
        limits: LimitArgs::default(),
    }
}

/// Starts the app over a fresh database with `configure` applied to the test arguments; returns
/// its port, its state, and the directory holding the database (deleted when dropped).
pub async fn spawn_with_state(
    configure: impl FnOnce(&mut ServeArgs),
) -> (u16, actix_web::web::Data<powerskills::state::AppState>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut args = serve_args(&format!("sqlite://{}", dir.path().join("db.sqlite").display()));
    configure(&mut args);
    let app = Application::build(&args).await.expect("the app builds");
    let (port, state) = (app.port(), app.state());
    actix_web::rt::spawn(app.run_until_stopped());
    (port, state, dir)
}

/// [`spawn_with_state`] for tests that talk to the port only.
pub async fn spawn_with(configure: impl FnOnce(&mut ServeArgs)) -> (u16, tempfile::TempDir) {
    let (port, _, dir) = spawn_with_state(configure).await;
    (port, dir)
}

/// A header of a raw HTTP/1.1 answer (case-insensitive name).
pub fn raw_header<'a>(answer: &'a str, name: &str) -> Option<&'a str> {
    let head = answer.split("\r\n\r\n").next()?;
    head.lines().skip(1).find_map(|line| {
        let (n, v) = line.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// Starts the app over a fresh database (migrated and seeded at start-up).
pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = format!("sqlite://{}", dir.path().join("powerskills.db").display());
    spawn_app_on(dir, database_url).await
}

/// Starts the app over an existing database (e.g. one an import wrote).
pub async fn spawn_app_on(dir: tempfile::TempDir, database_url: String) -> TestApp {
    let app = Application::build(&serve_args(&database_url)).await.expect("the app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    actix_web::rt::spawn(app.run_until_stopped());
    let client =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).no_gzip().build().expect("client");
    TestApp { address, client, _dir: dir }
}

pub fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/esco").join(name)
}

/// Imports the committed ESCO sample into `database_url` (as `powerskills import esco` does).
pub async fn import_esco_sample(database_url: &str) -> powerskills::import::esco::Parsed {
    let parsed =
        powerskills::import::esco::parse(&fixture("esco_skills_sample.csv"), &fixture("esco_skill_groups.csv"))
            .expect("the sample parses");
    let options = powerskills::db::connect_options(database_url).unwrap();
    powerskills::import::write(&options, &parsed.catalog, "the ESCO sample", || ()).await.expect("the sample imports");
    parsed
}

/// Starts the app over a fresh database holding the ESCO sample catalog.
pub async fn spawn_esco_app() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = format!("sqlite://{}", dir.path().join("esco.db").display());
    import_esco_sample(&database_url).await;
    spawn_app_on(dir, database_url).await
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request sent")
    }

    /// GET `path`, expect `status` and JSON, return the body.
    pub async fn get_json(&self, path: &str, status: u16) -> Value {
        let res = self.get(path).await;
        assert_eq!(res.status().as_u16(), status, "GET {path}");
        let content_type = res.headers()["content-type"].to_str().unwrap().to_owned();
        let expected = if status >= 400 { "application/problem+json" } else { "application/json" };
        assert_eq!(content_type, expected, "GET {path}");
        res.json().await.expect("JSON body")
    }
}

/// The `slug` fields of a list body's `data`.
pub fn slugs(body: &Value) -> Vec<String> {
    body["data"].as_array().expect("data array").iter().map(|s| s["slug"].as_str().unwrap().to_owned()).collect()
}

/// A problem body, with `request_id` checked for presence and then removed (it differs per request).
pub fn problem(mut body: Value) -> Value {
    let id = body.as_object_mut().unwrap().remove("request_id").expect("request_id present");
    assert!(id.as_str().is_some_and(|s| !s.is_empty()));
    body
}

/// A database URL in `dir`.
pub fn database_url(dir: &tempfile::TempDir, file: &str) -> String {
    format!("sqlite://{}", dir.path().join(file).display())
}

/// One export of an app: its body and ETag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    pub body: String,
    pub etag: String,
}

impl TestApp {
    /// `GET /{resource}/export?format={format}`.
    pub async fn export(&self, resource: &str, format: &str) -> Export {
        let res = self.get(&format!("/{resource}/export?format={format}")).await;
        assert_eq!(res.status().as_u16(), 200, "{resource} export");
        let etag = res.headers()["etag"].to_str().unwrap().to_owned();
        Export { body: res.text().await.unwrap(), etag }
    }

    /// The skills, categories and FAQ exports in `format`.
    pub async fn exports(&self, format: &str) -> [Export; 3] {
        [
            self.export("skills", format).await,
            self.export("categories", format).await,
            self.export("faqs", format).await,
        ]
    }
}

/// Writes `[skills, categories, faqs]` exports as files in `dir` (named `<resource>.<ext>`).
pub fn write_exports(dir: &std::path::Path, exports: &[Export; 3], ext: &str) -> [std::path::PathBuf; 3] {
    ["skills", "categories", "faqs"].map(|resource| {
        let i = ["skills", "categories", "faqs"].iter().position(|r| *r == resource).unwrap();
        let path = dir.join(format!("{resource}.{ext}"));
        std::fs::write(&path, &exports[i].body).unwrap();
        path
    })
}

/// `powerskills import catalog` through the library: parses the files (the parts not given are
/// kept from the database's catalog) and writes them as a new version.
pub async fn import_catalog(
    database_url: &str,
    skills: &std::path::Path,
    categories: Option<&std::path::Path>,
    faqs: Option<&std::path::Path>,
) -> (powerskills::import::catalog::Parsed, powerskills::import::Written) {
    let options = powerskills::db::connect_options(database_url).unwrap();
    let current = powerskills::db::read_current(&options).await.expect("the database opens");
    let files = powerskills::import::catalog::Files { skills, categories, faqs };
    let parsed = powerskills::import::catalog::parse(files, &current).expect("the files parse");
    let written =
        powerskills::import::write(&options, &parsed.catalog, "test import", || ()).await.expect("the import writes");
    (parsed, written)
}
