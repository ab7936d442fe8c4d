//! The binary as operators run it: one JSON access-log line per request on stderr, request ids
//! kept or generated, and a catalog swap on SIGHUP.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};

use serde_json::{Value, json};

use crate::helpers::import_esco_sample;

/// A `powerskills serve --log-format json` child process, killed when dropped.
struct Served {
    child: Child,
    lines: Receiver<Value>,
    address: String,
    database_url: String,
    client: reqwest::Client,
    _dir: tempfile::TempDir,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    async fn start() -> Served {
        Served::start_checking_every("0").await
    }

    /// A server that checks the database's catalog version every `reload_interval` seconds.
    async fn start_checking_every(reload_interval: &str) -> Served {
        let dir = tempfile::tempdir().unwrap();
        let database_url = format!("sqlite://{}", dir.path().join("powerskills.db").display());
        let mut child = Command::new(env!("CARGO_BIN_EXE_powerskills"))
            .args(["serve", "--bind", "127.0.0.1:0", "--database-url", &database_url, "--workers", "1"])
            .args(["--log-format", "json", "--log-level", "info", "--reload-interval", reload_interval])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let parsed = serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
                if tx.send(parsed).is_err() {
                    break;
                }
            }
        });
        let mut served =
            Served { child, lines, address: String::new(), database_url, client: reqwest::Client::new(), _dir: dir };
        // The port chosen for `--bind 127.0.0.1:0` is in the "serving" line, logged once the
        // listener is bound and the catalog loaded: the server is ready then.
        let serving = served.next_line(|l| l["message"] == "serving");
        served.address = format!("http://127.0.0.1:{}", serving["port"]);
        served.assert_version("seed-2023.1").await;
        served
    }

    /// The next log line matching `wanted`; panics if the log ends first (the server exited).
    fn next_line(&self, wanted: impl Fn(&Value) -> bool) -> Value {
        loop {
            let line = self.lines.recv().expect("the log line before the server exited");
            if wanted(&line) {
                return line;
            }
        }
    }

    /// `/readyz` answers 200 with `version`.
    async fn assert_version(&self, version: &str) {
        let res = self.client.get(format!("{}/readyz", self.address)).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.json::<Value>().await.unwrap()["catalog_version"], version);
    }

    async fn get_text(&self, path: &str) -> String {
        self.client.get(format!("{}{path}", self.address)).send().await.unwrap().text().await.unwrap()
    }
}

#[actix_web::test]
async fn each_request_is_one_json_access_line_with_its_request_id() {
    // Arrange
    let served = Served::start().await;

    // Act
    let skill_with_id = |id: &'static str| {
        served.client.get(format!("{}/skills/nlp", served.address)).header("x-request-id", id).send()
    };
    let ok = skill_with_id("trace-42.a:b_c").await.unwrap();
    // The same target again is answered before routing (`answer_cached.rs`): its line names the
    // route all the same.
    let again = skill_with_id("trace-43").await.unwrap();
    let missing = served.client.get(format!("{}/no/such/route", served.address)).send().await.unwrap();

    // Assert: the client's id is kept; a generated one is in the header, the problem and the log.
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.headers()["x-request-id"], "trace-42.a:b_c");
    let line = served.next_line(|l| l["request_id"] == "trace-42.a:b_c");
    assert!(line["latency_us"].as_u64().is_some(), "{line}");
    assert!(line["timestamp"].as_str().is_some(), "{line}");
    let mut fields = line.as_object().unwrap().clone();
    fields.remove("latency_us");
    fields.remove("timestamp");
    assert_eq!(
        Value::Object(fields),
        json!({"level": "INFO", "target": "powerskills::access", "method": "GET", "route": "/skills/{slug}",
               "status": 200, "request_id": "trace-42.a:b_c"})
    );

    assert_eq!(again.headers()["x-request-id"], "trace-43");
    let line = served.next_line(|l| l["request_id"] == "trace-43");
    assert_eq!(
        (&line["method"], &line["route"], &line["status"]),
        (&json!("GET"), &json!("/skills/{slug}"), &json!(200))
    );

    assert_eq!(missing.status(), 404);
    let generated = missing.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(generated.len(), 16 + 1 + 8, "{generated}");
    let problem: Value = missing.json().await.unwrap();
    assert_eq!(problem["request_id"], generated.as_str());
    assert_eq!(problem["instance"], "/no/such/route");
    let line = served.next_line(|l| l["request_id"] == generated.as_str());
    assert_eq!((&line["method"], &line["route"], &line["status"]), (&json!("GET"), &json!("(no route)"), &json!(404)));
}

#[actix_web::test]
async fn sighup_swaps_in_the_catalog_imported_into_the_served_database() {
    // Arrange
    let served = Served::start().await;
    let parsed = import_esco_sample(&served.database_url).await;
    let version = parsed.catalog.meta.version.clone();

    // Act
    let status = Command::new("kill").args(["-HUP", &served.child.id().to_string()]).status().unwrap();

    // Assert
    assert!(status.success());
    let swapped = served.next_line(|l| l["message"] == "catalog swapped");
    assert_eq!(swapped["trigger"], "SIGHUP");
    assert_eq!(swapped["from"], "seed-2023.1");
    assert_eq!(swapped["to"], version.as_str());
    // Logged once the new catalog is the one served.
    served.assert_version(&version).await;
    let root: Value = served.client.get(format!("{}/", served.address)).send().await.unwrap().json().await.unwrap();
    assert_eq!(root["counts"], json!({"categories": 687, "skills": 187, "faqs": 0}));
}

#[actix_web::test]
async fn a_new_version_in_the_database_is_picked_up_by_the_periodic_check() {
    // Arrange
    let served = Served::start_checking_every("1").await;

    // Act
    let parsed = import_esco_sample(&served.database_url).await;

    // Assert
    let version = parsed.catalog.meta.version.as_str();
    let swapped = served.next_line(|l| l["message"] == "catalog swapped");
    assert_eq!((&swapped["trigger"], &swapped["to"]), (&json!("version check"), &json!(version)));
    served.assert_version(version).await;
    let root: Value = serde_json::from_str(&served.get_text("/").await).unwrap();
    assert_eq!(root["counts"], json!({"categories": 687, "skills": 187, "faqs": 0}));
    let metrics = served.get_text("/metrics").await;
    let info = format!(r#"powerskills_catalog_info{{version="{version}",source="esco"}} 1"#);
    assert!(metrics.lines().any(|l| l == info), "{metrics}");
    assert!(metrics.lines().any(|l| l == r#"powerskills_catalog_reloads_total{result="swapped"} 1"#), "{metrics}");
    assert!(metrics.lines().any(|l| l == "powerskills_catalog_skills 187"), "{metrics}");
    assert!(!metrics.contains("seed-2023.1"), "{metrics}");
}

/// `powerskills serve` on a free port with a database in `dir`, its JSON log (access lines
/// included) appended to `log`, and its stderr to `stderr`.
fn serve_logging_to(dir: &std::path::Path, log: &std::path::Path, stderr: Stdio) -> Child {
    let database_url = format!("sqlite://{}", dir.join("powerskills.db").display());
    Command::new(env!("CARGO_BIN_EXE_powerskills"))
        .args(["serve", "--bind", "127.0.0.1:0", "--database-url", &database_url, "--workers", "1"])
        .args(["--log-format", "json", "--log-level", "info", "--log-file", log.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .expect("the binary runs")
}

#[actix_web::test]
async fn the_log_can_go_to_a_file() {
    // Arrange: the "file" is a named pipe, so the test reads each line as it is written.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("powerskills.log");
    assert!(Command::new("mkfifo").arg(&log).status().unwrap().success());
    let mut child = serve_logging_to(dir.path(), &log, Stdio::piped());
    let (tx, lines) = channel::<Value>();
    std::thread::spawn(move || {
        let file = std::fs::File::open(&log).unwrap();
        for line in BufReader::new(file).lines().map_while(Result::ok) {
            if tx.send(serde_json::from_str(&line).unwrap()).is_err() {
                break;
            }
        }
    });
    let next = |wanted: &dyn Fn(&Value) -> bool| loop {
        let line = lines.recv().expect("the line before the log ended");
        if wanted(&line) {
            return line;
        }
    };
    let port = next(&|l| l["message"] == "serving")["port"].as_u64().unwrap();

    // Act
    let res = reqwest::Client::new()
        .get(format!("http://127.0.0.1:{port}/skills/nlp"))
        .header("x-request-id", "to-the-file")
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(res.status(), 200);
    let access = next(&|l| l["request_id"] == "to-the-file");
    assert_eq!((&access["target"], &access["status"]), (&json!("powerskills::access"), &json!(200)));
    assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    assert!(child.wait().unwrap().success());
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(stderr, "", "nothing goes to stderr");
}

#[actix_web::test]
async fn every_access_line_is_in_the_file_once_the_server_has_stopped() {
    // Arrange: a regular file, read only after the process has exited.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("powerskills.log");
    let mut child = serve_logging_to(dir.path(), &log, Stdio::null());
    let port = loop {
        // The "serving" line goes through the queue at once (it is not an access line).
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        if let Some(port) = text
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .find(|l| l["message"] == "serving")
            .and_then(|l| l["port"].as_u64())
        {
            break port;
        }
        std::thread::yield_now();
    };

    // Act: 50 requests, whose lines are gathered into batches, then SIGTERM at once.
    let client = reqwest::Client::new();
    for i in 0..50 {
        let res = client
            .get(format!("http://127.0.0.1:{port}/categories"))
            .header("x-request-id", format!("line-{i}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
    assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    assert!(child.wait().unwrap().success());

    // Assert: batching lost no line and kept their order: each request's, once, as answered.
    let ids: Vec<String> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|l| l["target"] == "powerskills::access")
        .map(|l| l["request_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, (0..50).map(|i| format!("line-{i}")).collect::<Vec<_>>());
}

#[test]
fn help_describes_the_operations_flags() {
    let out = Command::new(env!("CARGO_BIN_EXE_powerskills")).args(["serve", "--help"]).output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--metrics-bind",
        "[env: POWERSKILLS_METRICS_BIND=]",
        "--reload-interval",
        "[env: POWERSKILLS_RELOAD_INTERVAL=]",
    ] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
    }
    assert!(help.contains("[default: 10]"), "{help}");
}
