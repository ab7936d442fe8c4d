//! Start-up failures: one clear line on stderr, a non-zero exit, nothing overwritten.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, ExitStatus, Stdio};

/// What a finished run of the binary wrote, and how it ended.
struct Output {
    status: ExitStatus,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// Runs the binary to completion, reading its stderr as it comes. A `serve` that starts serving
/// says so on stderr (see [`quiet_serve`]'s log filter): it is killed there and the test fails,
/// instead of waiting for an exit that never comes.
fn powerskills(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_powerskills"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("POWERSKILLS_BIND")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stderr = Vec::new();
    let mut lines = BufReader::new(child.stderr.take().unwrap());
    let mut line = Vec::new();
    while lines.read_until(b'\n', &mut line).expect("stderr") > 0 {
        if String::from_utf8_lossy(&line).contains(r#""message":"serving""#) {
            child.kill().ok();
            child.wait().ok();
            panic!("powerskills {args:?} started serving");
        }
        stderr.append(&mut line);
    }
    // stderr is closed: the process is exiting.
    let mut stdout = Vec::new();
    child.stdout.take().unwrap().read_to_end(&mut stdout).expect("stdout");
    let status = child.wait().expect("wait");
    Output { status, stdout, stderr }
}

/// The process failed with exactly one line on stderr, which contains `expected`.
fn assert_one_line_failure(out: &Output, expected: &str) {
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "stderr: {stderr}");
    assert!(lines[0].starts_with("powerskills: "), "{stderr}");
    assert!(lines[0].contains(expected), "expected {expected:?} in {stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"));
}

fn quiet_serve<'a>(bind: &'a str, url: &'a str) -> Vec<&'a str> {
    // Only the "serving" line can be logged: it says the server started when it must not have.
    let log = ["--log-level", "off,powerskills::cli=info", "--log-format", "json"];
    [&["serve", "--bind", bind, "--database-url", url][..], &log].concat()
}

#[test]
fn a_taken_port_is_one_line() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let bind = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    let out = powerskills(&quiet_serve(&bind, &url));
    assert_one_line_failure(&out, &format!("cannot listen on {bind}"));
}

#[test]
fn a_file_that_is_not_a_database_is_one_line_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    let garbage = "these are my notes, not a database\n".repeat(200);
    std::fs::write(&path, &garbage).unwrap();
    let url = format!("sqlite://{}", path.display());
    let out = powerskills(&quiet_serve("127.0.0.1:0", &url));
    assert_one_line_failure(&out, "file is not a database");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), garbage);
}

#[test]
fn an_unwritable_database_path_is_one_line() {
    let out = powerskills(&quiet_serve("127.0.0.1:0", "sqlite:///proc/powerskills/db.sqlite"));
    assert_one_line_failure(&out, "cannot create the database folder /proc/powerskills");
}

#[test]
fn a_bad_database_url_is_one_line() {
    let out = powerskills(&quiet_serve("127.0.0.1:0", "postgres://localhost/x"));
    assert_one_line_failure(&out, "is not a valid SQLite database URL");
}

#[test]
fn a_database_from_a_newer_schema_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    let url = format!("sqlite://{}", path.display());
    // Migrate it, then pretend a newer powerskills applied one more migration.
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let options = powerskills::db::connect_options(&url).unwrap();
        powerskills::db::migrate(&options).await.unwrap();
        let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
             VALUES (29991231000000, 'from the future', 1, x'00', 0)",
        )
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
    });
    let before = std::fs::read(&path).unwrap();
    let out = powerskills(&quiet_serve("127.0.0.1:0", &url));
    assert_one_line_failure(&out, "was written by a newer powerskills (it has migration 29991231000000");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn help_describes_every_flag_and_its_environment_variable() {
    let out = powerskills(&["serve", "--help"]);
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--bind",
        "[env: POWERSKILLS_BIND=]",
        "--database-url",
        "[env: DATABASE_URL=]",
        "--log-level",
        "--log-format",
        "--log-file <LOG_FILE>",
        "[env: POWERSKILLS_LOG_FILE=]",
        "--rate-limit <RATE_LIMIT>",
        "[env: POWERSKILLS_RATE_LIMIT=]",
        "[env: POWERSKILLS_RATE_LIMIT_BURST=]",
        "[env: POWERSKILLS_TRUSTED_PROXIES=]",
        "[env: POWERSKILLS_MAX_CONNECTIONS=]",
        "[env: POWERSKILLS_WORK_QUEUE=]",
        "[env: POWERSKILLS_WRITE_TIMEOUT=]",
    ] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
    }
}

#[test]
fn healthcheck_fails_cleanly_when_nothing_listens() {
    // A port bound but not listening: connecting is refused, and no other process can take it
    // meanwhile (as it could a port bound, dropped and assumed free).
    let bound = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    bound.bind(&std::net::SocketAddr::from(([127, 0, 0, 1], 0)).into()).unwrap();
    let port = bound.local_addr().unwrap().as_socket().unwrap().port();
    let out = powerskills(&["healthcheck", "--url", &format!("http://127.0.0.1:{port}/readyz")]);
    assert_one_line_failure(&out, "cannot connect to 127.0.0.1");
}
