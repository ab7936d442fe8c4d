//! Faults: SIGTERM with requests in flight, SIGKILL during an import, a write through the
//! serving pool, a truncated database file. The binary runs as a child process where the fault
//! is the process's own death.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_powerskills"));
    command.env_remove("DATABASE_URL").env_remove("POWERSKILLS_BIND");
    command
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill").args([&format!("-{name}"), &child.id().to_string()]).status().unwrap();
    assert!(status.success());
}

/// The server's log (JSON lines on stderr), read on a thread of its own.
struct Log(std::sync::mpsc::Receiver<String>);

impl Log {
    fn of(child: &mut Child) -> Log {
        let stderr = child.stderr.take().expect("stderr piped");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufRead::lines(std::io::BufReader::new(stderr)) {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Log(rx)
    }

    /// Waits for the first line whose message is `message`; panics if the log ends first (the
    /// process exited).
    fn wait_for(&self, message: &str) -> serde_json::Value {
        loop {
            let line = self.0.recv().unwrap_or_else(|e| panic!("no {message:?} line: {e}"));
            if let Ok(event) = serde_json::from_str::<serde_json::Value>(&line)
                && event["message"] == message
            {
                return event;
            }
        }
    }
}

/// Asks `/readyz` once: the server logs "serving" once its listener is bound and the catalog
/// loaded, so from then on it answers (a connection made before a worker takes it waits in the
/// listen backlog).
fn assert_ready(port: u16) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("the listener is bound");
    s.write_all(b"GET /readyz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

/// A complete HTTP/1.1 response: a status line, and exactly `Content-Length` body bytes.
fn is_complete(answer: &[u8]) -> bool {
    let text = String::from_utf8_lossy(answer);
    let Some((head, body)) = text.split_once("\r\n\r\n") else { return false };
    let length = head.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("content-length").then(|| value.trim().parse::<usize>().ok())?
    });
    head.starts_with("HTTP/1.1 200") && length == Some(body.len())
}

#[test]
fn sigterm_lets_every_accepted_request_finish_then_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    // Port 0: the port is the one the server reports having bound (no bind-drop-rebind race).
    let mut server = binary()
        .args(["serve", "--bind", "127.0.0.1:0", "--database-url", &url, "--workers", "2"])
        .args(["--shutdown-grace", "10", "--log-format", "json"])
        .args(["--log-level", "warn,powerskills=info,powerskills::access=off,actix_server=info"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let log = Log::of(&mut server);
    let port = log.wait_for("serving")["port"].as_u64().expect("the port is logged") as u16;
    assert_ready(port);

    // One request in flight across the signal: its head and half its body before, the rest after.
    let body = "We need an SEO expert who also knows machine learning. ".repeat(20);
    let mut in_flight = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let head = format!(
        "POST /skills/extract HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    in_flight.write_all(head.as_bytes()).unwrap();
    in_flight.write_all(&body.as_bytes()[..body.len() / 2]).unwrap();

    // And a stream of requests from 4 clients, until connections are refused; each says when it
    // has had its first complete answer.
    let (going, started) = std::sync::mpsc::channel::<()>();
    let clients: Vec<_> = (0..4)
        .map(|_| {
            let going = going.clone();
            std::thread::spawn(move || {
                let (mut complete, mut incomplete) = (0u32, 0u32);
                for _ in 0..100_000 {
                    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else { break };
                    if s.write_all(b"GET /skills?limit=20 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").is_err() {
                        continue;
                    }
                    let mut answer = Vec::new();
                    let _ = s.read_to_end(&mut answer);
                    match (answer.is_empty(), is_complete(&answer)) {
                        // Not accepted: closed unanswered by a server that had stopped accepting.
                        (true, _) => {}
                        (false, true) => {
                            complete += 1;
                            if complete == 1 {
                                going.send(()).unwrap();
                            }
                        }
                        (false, false) => incomplete += 1,
                    }
                }
                (complete, incomplete)
            })
        })
        .collect();
    for _ in 0..4 {
        started.recv().unwrap();
    }
    signal(&server, "TERM");
    // The server has taken the signal (its log says so) before the rest of the body is sent:
    // the request is in flight across the shutdown, not finished before it.
    log.wait_for("SIGTERM received; starting graceful shutdown");
    in_flight.write_all(&body.as_bytes()[body.len() / 2..]).unwrap();
    let mut answer = Vec::new();
    in_flight.read_to_end(&mut answer).unwrap();
    assert!(is_complete(&answer), "the in-flight request: {}", String::from_utf8_lossy(&answer));

    let results: Vec<(u32, u32)> = clients.into_iter().map(|c| c.join().unwrap()).collect();
    let complete: u32 = results.iter().map(|r| r.0).sum();
    let incomplete: u32 = results.iter().map(|r| r.1).sum();
    let status = server.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    assert_eq!(incomplete, 0, "{complete} complete responses");
    assert!(complete >= 4);
    eprintln!("graceful shutdown: {complete} complete responses, 0 incomplete, 1 request in flight finished");
}

/// A generated ESCO skills file of `rows` rows (no fixture is big enough to take a while).
fn write_large_esco(dir: &std::path::Path, rows: usize) -> (std::path::PathBuf, std::path::PathBuf) {
    let skills = dir.join("skills.csv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&skills).unwrap());
    writeln!(out, "conceptUri,preferredLabel,altLabels,skillType,description,skillGroupCodes").unwrap();
    for i in 0..rows {
        writeln!(
            out,
            "http://data.europa.eu/esco/skill/gen-{i},generated skill {i},alias one {i}|alias two {i},skill/competence,\"A generated skill, number {i}, for the crash test.\",S1.1"
        )
        .unwrap();
    }
    out.flush().unwrap();
    let groups = dir.join("groups.csv");
    std::fs::write(&groups, "code,label,parentCode,level\nS,,,0\nS1,communication,S,1\nS1.1,listening,S1,2\n").unwrap();
    (skills, groups)
}

#[test]
fn sigkill_during_an_import_leaves_the_previous_catalog_intact() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db.sqlite");
    let url = format!("sqlite://{}", db.display());
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    // The previous catalog: the seed, as start-up migrates it.
    rt.block_on(async { powerskills::db::migrate(&powerskills::db::connect_options(&url).unwrap()).await.unwrap() });
    let (skills, groups) = write_large_esco(dir.path(), 200_000);

    let mut import = binary()
        .args(["import", "esco", "--skills", skills.to_str().unwrap(), "--groups", groups.to_str().unwrap()])
        .args(["--database-url", &url])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Kill it in the middle of its transaction: once it says the 200,000 skills are written
    // (the memberships, aliases and version are still to come).
    let mut stderr = std::io::BufReader::new(import.stderr.take().unwrap());
    let mut line = String::new();
    std::io::BufRead::read_line(&mut stderr, &mut line).unwrap();
    assert!(line.contains("200000 skills written"), "{line}");
    signal(&import, "KILL");
    assert_eq!(import.wait().unwrap().code(), None, "killed by a signal");

    rt.block_on(async {
        let pool = sqlx::SqlitePool::connect_with(powerskills::db::connect_options(&url).unwrap()).await.unwrap();
        let check: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&pool).await.unwrap();
        assert_eq!(check, "ok");
        let version: String =
            sqlx::query_scalar("SELECT version FROM catalog WHERE id = 1").fetch_one(&pool).await.unwrap();
        assert!(!version.starts_with("esco"), "{version}");
        let skills: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM skills").fetch_one(&pool).await.unwrap();
        assert_eq!(skills, 8);
        pool.close().await;
    });
}

#[actix_web::test]
async fn the_serving_pool_cannot_write() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    let pool = powerskills::db::open_for_serving(&url, 1).await.unwrap();
    let err = sqlx::query("DELETE FROM skills").execute(&pool).await.unwrap_err();
    assert_eq!(powerskills::db::describe(&err), "attempt to write a readonly database");
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM skills").fetch_one(&pool).await.unwrap();
    assert_eq!(count, 8);
}

#[test]
fn a_truncated_database_file_is_one_line_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    let url = format!("sqlite://{}", path.display());
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let options =
            powerskills::db::connect_options(&url).unwrap().journal_mode(sqlx::sqlite::SqliteJournalMode::Delete);
        powerskills::db::migrate(&options).await.unwrap();
    });
    // A real SQLite file cut in the middle (a disk full or a copy gone wrong).
    let whole = std::fs::read(&path).unwrap();
    let cut = &whole[..whole.len() / 2];
    std::fs::write(&path, cut).unwrap();
    // Only the "serving" line can be logged, which would say it started when it must not have.
    let mut child = binary()
        .args(["serve", "--bind", "127.0.0.1:0", "--database-url", &url])
        .args(["--log-level", "off,powerskills::cli=info", "--log-format", "json"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = String::new();
    for line in std::io::BufRead::lines(std::io::BufReader::new(child.stderr.take().unwrap())) {
        let line = line.unwrap();
        if line.contains(r#""message":"serving""#) {
            child.kill().unwrap();
            panic!("the server started on a truncated database");
        }
        stderr.push_str(&line);
        stderr.push('\n');
    }
    // stderr is closed: the process is exiting.
    assert!(!child.wait().unwrap().success());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("powerskills: "), "{stderr}");
    assert!(stderr.contains("malformed") || stderr.contains("not a database"), "{stderr}");
    assert_eq!(std::fs::read(&path).unwrap(), cut);
}

/// A database whose file is well formed at its head but has a damaged b-tree (here: the index
/// `skill_categories_by_category`, which loading the catalog never reads, so the damage would
/// otherwise surface only in some requests) does not start: `PRAGMA quick_check` finds it.
#[actix_web::test]
async fn a_damaged_btree_fails_start_up_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    let url = format!("sqlite://{}", path.display());
    let options = powerskills::db::connect_options(&url).unwrap().journal_mode(sqlx::sqlite::SqliteJournalMode::Delete);
    powerskills::db::migrate(&options).await.unwrap();
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let page: i64 =
        sqlx::query_scalar("SELECT rootpage FROM sqlite_master WHERE name = 'skill_categories_by_category'")
            .fetch_one(&pool)
            .await
            .unwrap();
    let page_size: i64 = sqlx::query_scalar("PRAGMA page_size").fetch_one(&pool).await.unwrap();
    pool.close().await;
    // Garbage over that one page.
    let mut bytes = std::fs::read(&path).unwrap();
    let at = ((page - 1) * page_size) as usize;
    bytes[at..at + page_size as usize].fill(0xA5);
    std::fs::write(&path, &bytes).unwrap();

    let err = powerskills::startup::Application::build(&crate::helpers::serve_args(&url)).await.err().expect("refused");
    let message = err.to_string();
    assert!(
        message.starts_with(&format!("the database {} is corrupt (PRAGMA quick_check: ", path.display())),
        "{message}"
    );
    assert!(message.ends_with("); restore it from a backup or re-import the catalog"), "{message}");
    // Nothing was repaired or overwritten (opening may switch the header's journal mode to WAL).
    let after = std::fs::read(&path).unwrap();
    assert!(after.len() == bytes.len() && after[100..] == bytes[100..], "the file is left as it was");
}

/// `/readyz` has a connection of its own: with every connection of the serving pool taken (by
/// slow searches, say), it still answers at once.
#[actix_web::test]
async fn readiness_does_not_wait_for_the_serving_pool() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    let app = powerskills::startup::Application::build(&crate::helpers::serve_args(&url)).await.unwrap();
    let (port, state) = (app.port(), app.state());
    actix_web::rt::spawn(app.run_until_stopped());
    let mut taken = Vec::new();
    while let Some(conn) = state.db.try_acquire() {
        taken.push(conn);
    }
    // The serving pool is exhausted (up to its size: it may not have opened every connection).
    while state.db.size() < state.db.options().get_max_connections() {
        taken.push(state.db.acquire().await.unwrap());
    }
    assert_eq!(state.db.num_idle(), 0);
    let res = reqwest::get(format!("http://127.0.0.1:{port}/readyz")).await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let res = reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    drop(taken);
}
