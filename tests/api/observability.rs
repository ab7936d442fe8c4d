//! The binary as operators run it: one JSON access-log line per request on stderr, request ids
//! kept or generated, and a catalog swap on SIGHUP.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

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
        let dir = tempfile::tempdir().unwrap();
        let database_url = format!("sqlite://{}", dir.path().join("powerskills.db").display());
        let mut child = Command::new(env!("CARGO_BIN_EXE_powerskills"))
            .args(["serve", "--bind", "127.0.0.1:0", "--database-url", &database_url, "--workers", "1"])
            .args(["--log-format", "json", "--log-level", "info", "--reload-interval", "0"])
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
        // The port chosen for `--bind 127.0.0.1:0` is in the "serving" line; then wait for readiness.
        let serving = served.next_line(|l| l["message"] == "serving");
        served.address = format!("http://127.0.0.1:{}", serving["port"]);
        served.wait_for_version("seed-2023.1").await;
        served
    }

    /// The next log line matching `wanted` (bounded: 30 s).
    fn next_line(&self, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self.lines.recv_timeout(left).expect("the log line within 30 s");
            if wanted(&line) {
                return line;
            }
        }
    }

    /// Polls `/readyz` until it answers 200 with `version` (bounded: 30 s).
    async fn wait_for_version(&self, version: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(res) = self.client.get(format!("{}/readyz", self.address)).send().await
                && res.status() == 200
                && res.json::<Value>().await.unwrap()["catalog_version"] == version
            {
                return;
            }
            assert!(Instant::now() < deadline, "not serving {version} after 30 s");
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

#[actix_web::test]
async fn each_request_is_one_json_access_line_with_its_request_id() {
    // Arrange
    let served = Served::start().await;

    // Act
    let ok = served
        .client
        .get(format!("{}/skills/nlp", served.address))
        .header("x-request-id", "trace-42.a:b_c")
        .send()
        .await
        .unwrap();
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
    served.wait_for_version(&version).await;
    let root: Value = served.client.get(format!("{}/", served.address)).send().await.unwrap().json().await.unwrap();
    assert_eq!(root["counts"], json!({"categories": 687, "skills": 187, "faqs": 0}));
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
