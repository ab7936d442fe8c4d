//! Hostile clients, over raw TCP: oversized request targets and headers, slow clients, the
//! connection bound, and rate limiting (429 with `Retry-After` and `RateLimit` headers).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use powerskills::config::ServeArgs;
use powerskills::startup::{Application, CLIENT_REQUEST_TIMEOUT};

use crate::helpers::serve_args;

/// Starts the app with `configure` applied to the test arguments; returns its port.
async fn spawn_with(configure: impl FnOnce(&mut ServeArgs)) -> (u16, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut args = serve_args(&format!("sqlite://{}", dir.path().join("db.sqlite").display()));
    configure(&mut args);
    let app = Application::build(&args).await.expect("the app builds");
    let port = app.port();
    actix_web::rt::spawn(app.run_until_stopped());
    (port, dir)
}

/// Sends `request` raw and reads the whole answer (the server closes the connection).
fn exchange(port: u16, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    stream.write_all(request).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

/// Runs a blocking client on its own thread, so the server (on this test's runtime) keeps going.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.unwrap()
}

fn status_line(answer: &str) -> &str {
    answer.lines().next().unwrap_or_default()
}

fn header<'a>(answer: &'a str, name: &str) -> Option<&'a str> {
    let head = answer.split("\r\n\r\n").next()?;
    head.lines().skip(1).find_map(|line| {
        let (n, v) = line.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

fn body(answer: &str) -> serde_json::Value {
    serde_json::from_str(answer.split_once("\r\n\r\n").unwrap().1).expect("a JSON body")
}

#[actix_web::test]
async fn a_request_target_over_8_kib_is_a_400_uri_too_long_problem() {
    let (port, _dir) = spawn_with(|_| {}).await;
    let request = format!("GET /skills?q={} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", "a".repeat(8 * 1024));
    let answer = blocking(move || exchange(port, request.as_bytes())).await;
    assert_eq!(status_line(&answer), "HTTP/1.1 400 Bad Request");
    assert_eq!(header(&answer, "content-type"), Some("application/problem+json"));
    let problem = body(&answer);
    assert_eq!(problem["type"], "urn:powerskills:problem:uri-too-long");
    assert_eq!(problem["detail"], "the request target is longer than the 8192 bytes this server accepts");
    assert_eq!(problem["instance"], "/skills");
    // Just under the limit is answered as usual.
    let fits = format!("GET /skills?q={} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", "a".repeat(8 * 1024 - 10));
    let answer = blocking(move || exchange(port, fits.as_bytes())).await;
    assert_eq!(status_line(&answer), "HTTP/1.1 400 Bad Request");
    assert_eq!(body(&answer)["type"], "urn:powerskills:problem:invalid-parameter");
}

#[actix_web::test]
async fn header_fields_over_16_kib_are_431_problem() {
    let (port, _dir) = spawn_with(|_| {}).await;
    let request =
        format!("GET /skills HTTP/1.1\r\nHost: t\r\nX-Big: {}\r\nConnection: close\r\n\r\n", "a".repeat(16 * 1024));
    let answer = blocking(move || exchange(port, request.as_bytes())).await;
    assert_eq!(status_line(&answer), "HTTP/1.1 431 Request Header Fields Too Large");
    assert_eq!(body(&answer)["type"], "urn:powerskills:problem:header-fields-too-large");
    // More than 96 header fields: actix's parser refuses them before the app sees the request.
    let many: String = (0..100).map(|i| format!("X-H{i}: v\r\n")).collect();
    let request = format!("GET /skills HTTP/1.1\r\nHost: t\r\n{many}Connection: close\r\n\r\n");
    let answer = blocking(move || exchange(port, request.as_bytes())).await;
    assert_eq!(status_line(&answer), "HTTP/1.1 431 Request Header Fields Too Large");
}

/// A client dribbling its request head is answered 408 and cut once the client request timeout
/// passes, and meanwhile the single worker goes on serving others.
#[actix_web::test]
async fn a_slow_client_is_cut_after_the_request_timeout_and_holds_no_worker() {
    let (port, _dir) = spawn_with(|_| {}).await;
    let slow = blocking(move || {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let started = Instant::now();
        let mut sent = 0;
        // One byte every 200 ms, never finishing the head; stop when the server hangs up.
        for byte in b"GET /skills HTTP/1.1\r\nHost: t\r\nX-Slow: ".iter().chain([b'a'; 1000].iter()) {
            if stream.write_all(&[*byte]).is_err() {
                break;
            }
            sent += 1;
            std::thread::sleep(Duration::from_millis(200));
            if started.elapsed() > Duration::from_secs(20) {
                break;
            }
        }
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        (started.elapsed(), sent, String::from_utf8_lossy(&answer).into_owned())
    });
    // While the slow client dribbles, another client is served by the same (only) worker.
    let fast = blocking(move || {
        std::thread::sleep(Duration::from_secs(1));
        exchange(port, b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
    })
    .await;
    assert_eq!(status_line(&fast), "HTTP/1.1 200 OK");
    let (elapsed, sent, answer) = slow.await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    // actix's timers have a coarse resolution: allow it a second early.
    let window = (CLIENT_REQUEST_TIMEOUT - Duration::from_secs(1))..(CLIENT_REQUEST_TIMEOUT * 3);
    assert!(window.contains(&elapsed), "{elapsed:?} ({sent} bytes)");
}

/// A body dribbled byte by byte after a complete head is also cut: the server does not wait
/// forever for the declared length.
#[actix_web::test]
async fn a_slowly_sent_body_is_cut() {
    let (port, _dir) = spawn_with(|_| {}).await;
    let (elapsed, answer) = blocking(move || {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        let started = Instant::now();
        let head =
            "POST /skills/extract HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n";
        stream.write_all(head.as_bytes()).unwrap();
        while started.elapsed() < Duration::from_secs(45) {
            if stream.write_all(b"a").is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(500));
            // The server closed its side: stop dribbling.
            stream.set_nonblocking(true).unwrap();
            let mut probe = [0u8; 1];
            let closed = stream.peek(&mut probe).is_ok();
            stream.set_nonblocking(false).unwrap();
            if closed {
                break;
            }
        }
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        (started.elapsed(), String::from_utf8_lossy(&answer).into_owned())
    })
    .await;
    assert!(answer.starts_with("HTTP/1.1 408 Request Timeout"), "{answer:?}");
    assert!(answer.contains("urn:powerskills:problem:request-timeout"), "{answer:?}");
    assert!(elapsed >= Duration::from_secs(10) && elapsed < Duration::from_secs(20), "{elapsed:?}");
}

#[actix_web::test]
async fn connections_are_bounded_per_worker() {
    let (port, _dir) = spawn_with(|args| args.limits.max_connections = 2).await;
    let answers = blocking(move || {
        // Two idle keep-alive connections take both slots of the only worker...
        let held: Vec<TcpStream> = (0..2)
            .map(|_| {
                let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
                s.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n").unwrap();
                let mut buf = [0u8; 1024];
                let n = s.read(&mut buf).unwrap();
                assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
                s
            })
            .collect();
        // ...so a third connection is accepted by the kernel but not served...
        let mut third = TcpStream::connect(("127.0.0.1", port)).unwrap();
        third.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").unwrap();
        third.set_read_timeout(Some(Duration::from_millis(1500))).unwrap();
        let mut buf = [0u8; 16];
        let while_full = third.read(&mut buf).map(|n| n > 0);
        // ...until one slot frees.
        drop(held);
        third.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut answer = Vec::new();
        third.read_to_end(&mut answer).unwrap();
        (while_full.is_err(), String::from_utf8_lossy(&answer).into_owned())
    })
    .await;
    assert!(answers.0, "the third connection was served while two held both slots");
    assert_eq!(status_line(&answers.1), "HTTP/1.1 200 OK");
}

#[actix_web::test]
async fn over_the_rate_limit_is_429_with_retry_after_and_ratelimit_headers() {
    let (port, _dir) = spawn_with(|args| {
        args.limits.rate_limit = 1;
        args.limits.rate_limit_burst = 3;
    })
    .await;
    let get = move || exchange(port, b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    let answers = blocking(move || (0..4).map(|_| get()).collect::<Vec<_>>()).await;
    for (i, answer) in answers[..3].iter().enumerate() {
        assert_eq!(status_line(answer), "HTTP/1.1 200 OK");
        assert_eq!(header(answer, "ratelimit-policy"), Some("\"per-ip\";q=3;w=3"));
        assert_eq!(header(answer, "ratelimit"), Some(format!("\"per-ip\";r={};t={}", 2 - i, i + 1).as_str()));
    }
    let limited = &answers[3];
    assert_eq!(status_line(limited), "HTTP/1.1 429 Too Many Requests");
    assert_eq!(header(limited, "retry-after"), Some("1"));
    assert_eq!(header(limited, "ratelimit"), Some("\"per-ip\";r=0;t=3"));
    assert_eq!(header(limited, "content-type"), Some("application/problem+json"));
    assert_eq!(header(limited, "x-content-type-options"), Some("nosniff"));
    let body = body(limited);
    assert_eq!(body["type"], "urn:powerskills:problem:rate-limited");
    assert_eq!(body["status"], 429);
    assert_eq!(body["detail"], "too many requests from this client; retry after 1 s");
}

#[actix_web::test]
async fn forwarded_for_counts_only_from_a_trusted_proxy() {
    let get_as = |port: u16, xff: &'static str| {
        let request =
            format!("GET /healthz HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: {xff}\r\nConnection: close\r\n\r\n");
        status_line(&exchange(port, request.as_bytes())).to_owned()
    };
    // The test client (127.0.0.1) is not a trusted proxy: changing X-Forwarded-For does not
    // give it a new bucket.
    let (untrusted, _d1) = spawn_with(|args| {
        args.limits.rate_limit = 1;
        args.limits.rate_limit_burst = 1;
    })
    .await;
    let statuses = blocking(move || vec![get_as(untrusted, "198.51.100.1"), get_as(untrusted, "198.51.100.2")]).await;
    assert_eq!(statuses, ["HTTP/1.1 200 OK", "HTTP/1.1 429 Too Many Requests"]);
    // Behind a trusted proxy (127.0.0.1), each forwarded client has its own bucket.
    let (trusted, _d2) = spawn_with(|args| {
        args.limits.rate_limit = 1;
        args.limits.rate_limit_burst = 1;
        args.limits.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    let statuses = blocking(move || {
        vec![get_as(trusted, "198.51.100.1"), get_as(trusted, "198.51.100.2"), get_as(trusted, "198.51.100.1")]
    })
    .await;
    assert_eq!(statuses, ["HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 429 Too Many Requests"]);
}

#[actix_web::test]
async fn rate_limiting_is_off_by_default() {
    let (port, _dir) = spawn_with(|_| {}).await;
    let answers = blocking(move || {
        (0..50)
            .map(|_| exchange(port, b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"))
            .collect::<Vec<_>>()
    })
    .await;
    assert!(answers.iter().all(|a| status_line(a) == "HTTP/1.1 200 OK"));
    assert_eq!(header(&answers[0], "ratelimit"), None);
}
