//! Hostile clients, over raw TCP: oversized request targets and headers, slow clients, the
//! connection bound, and rate limiting (429 with `Retry-After` and `RateLimit` headers).

use std::io::{Read, Write};
use std::net::TcpStream;

use powerskills::routes::skills::extract::BODY_TIMEOUT;
use powerskills::startup::CLIENT_REQUEST_TIMEOUT;

use crate::helpers::{raw_header as header, spawn_with};

/// Reads one response: the head, then `Content-Length` body bytes (the connection may stay open).
fn read_response(stream: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&answer).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = header(&text, "content-length").and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
            let _ = head;
            if body.len() >= length {
                return text;
            }
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return String::from_utf8_lossy(&answer).into_owned(),
            Ok(n) => answer.extend_from_slice(&buf[..n]),
        }
    }
}

/// Sends `request` raw and reads the whole answer (the server closes the connection).
fn exchange(port: u16, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
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

/// The limit is on the header fields (names and values), not the head around them: fields of
/// exactly 16 KiB are answered even though the head that carries them is larger, and one byte
/// more is a 431.
#[actix_web::test]
async fn header_fields_of_exactly_16_kib_are_answered() {
    let (port, _dir) = spawn_with(|_| {}).await;
    // `host` + `t`, `connection` + `close`, `x-big` + the value: 5 + 15 + 5 + value bytes.
    let with_value = |len: usize| {
        format!("GET /skills HTTP/1.1\r\nHost: t\r\nX-Big: {}\r\nConnection: close\r\n\r\n", "a".repeat(len))
    };
    let fits = with_value(16 * 1024 - 25);
    assert!(fits.len() > 16 * 1024 + 25);
    let answer = blocking(move || exchange(port, fits.as_bytes())).await;
    assert_eq!(status_line(&answer), "HTTP/1.1 200 OK");
    let over = with_value(16 * 1024 - 24);
    let answer = blocking(move || exchange(port, over.as_bytes())).await;
    assert_eq!(status_line(&answer), "HTTP/1.1 431 Request Header Fields Too Large");
    assert_eq!(body(&answer)["type"], "urn:powerskills:problem:header-fields-too-large");
}

/// A client that stops in the middle of its request head is answered 408 and cut once the
/// client request timeout passes, and meanwhile the single worker goes on serving others.
#[actix_web::test]
async fn a_stalled_request_head_is_cut_and_holds_no_worker() {
    let (port, _dir) = spawn_with(|_| {}).await;
    let mut stalled = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stalled.write_all(b"GET /skills HTTP/1.1\r\nHost: t\r\nX-Slow: aaaa").unwrap();
    // While the head is unfinished, another client is served by the same (only) worker.
    let fast = blocking(move || exchange(port, b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")).await;
    assert_eq!(status_line(&fast), "HTTP/1.1 200 OK");
    // The stalled client gets its 408 and a closed connection (after CLIENT_REQUEST_TIMEOUT; the
    // read timeout is only a guard against a hung test).
    let answer = blocking(move || {
        stalled.set_read_timeout(Some(CLIENT_REQUEST_TIMEOUT * 6)).unwrap();
        let mut answer = Vec::new();
        stalled.read_to_end(&mut answer).map(|_| String::from_utf8_lossy(&answer).into_owned())
    })
    .await
    .expect("the server closes the connection");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
}

/// A body that stops arriving after a complete head is also cut: the server does not wait
/// forever for the declared length.
#[actix_web::test]
async fn a_stalled_body_is_cut() {
    let (port, _dir) = spawn_with(|_| {}).await;
    let answer = blocking(move || {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let head =
            "POST /skills/extract HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nContent-Length: 30000\r\n\r\n";
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(b"SEO and more").unwrap();
        // Then nothing: the server answers when its body timeout passes (the read timeout is
        // only a guard against a hung test).
        stream.set_read_timeout(Some(BODY_TIMEOUT * 6)).unwrap();
        read_response(&mut stream)
    })
    .await;
    assert!(answer.starts_with("HTTP/1.1 408 Request Timeout"), "{answer:?}");
    assert!(answer.contains("urn:powerskills:problem:request-timeout"), "{answer:?}");
}

/// A declared `Content-Length` over the limit is refused before the body is sent: the 413 is
/// read with only 3 of the 200,000 declared bytes sent, and nothing more is ever sent.
#[actix_web::test]
async fn an_oversize_declared_length_is_413_before_the_body() {
    let (port, _dir) = spawn_with(|_| {}).await;
    let answer = blocking(move || {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let head =
            "POST /skills/extract HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nContent-Length: 200000\r\n\r\nSEO";
        stream.write_all(head.as_bytes()).unwrap();
        read_response(&mut stream)
    })
    .await;
    assert!(answer.starts_with("HTTP/1.1 413 Payload Too Large"), "{answer:?}");
    assert_eq!(header(&answer, "content-type"), Some("application/problem+json"));
    let problem = body(&answer);
    assert_eq!(problem["type"], "urn:powerskills:problem:payload-too-large");
    assert_eq!(problem["detail"], "the request body is larger than the 32768 bytes this endpoint accepts");
}

#[actix_web::test]
async fn connections_are_bounded_per_worker() {
    let (port, _dir) = spawn_with(|args| args.limits.max_connections = 2).await;
    let (unserved, answer) = blocking(move || {
        let healthz = |s: &mut TcpStream| {
            s.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n").unwrap();
            let mut buf = [0u8; 1024];
            let n = s.read(&mut buf).unwrap();
            assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
        };
        // Two keep-alive connections take both slots of the only worker...
        let mut held: Vec<TcpStream> = (0..2)
            .map(|_| {
                let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
                healthz(&mut s);
                s
            })
            .collect();
        // ...so a third connection is accepted by the kernel but not served: once the worker has
        // answered another request on a held connection after the third one's request was sent,
        // the third still has nothing to read.
        let mut third = TcpStream::connect(("127.0.0.1", port)).unwrap();
        third.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").unwrap();
        healthz(&mut held[0]);
        third.set_nonblocking(true).unwrap();
        let mut buf = [0u8; 16];
        let unserved = matches!(third.read(&mut buf), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock);
        third.set_nonblocking(false).unwrap();
        // ...until one slot frees.
        drop(held);
        let mut answer = Vec::new();
        third.read_to_end(&mut answer).unwrap();
        (unserved, String::from_utf8_lossy(&answer).into_owned())
    })
    .await;
    assert!(unserved, "the third connection was served while two held both slots");
    assert_eq!(status_line(&answer), "HTTP/1.1 200 OK");
}

/// A server allowing each client a burst of `burst` requests, then one an hour: a request past
/// the burst is over the limit however slowly a test runs.
async fn limited_to(burst: u32) -> (u16, tempfile::TempDir) {
    spawn_with(move |args| {
        args.limits.rate_limit = "1/h".parse().unwrap();
        args.limits.rate_limit_burst = burst;
    })
    .await
}

#[actix_web::test]
async fn over_the_rate_limit_is_429_with_retry_after_and_ratelimit_headers() {
    // One request an hour after a burst of 3: the fourth request is over the limit however slowly
    // this test runs.
    let (port, _dir) = limited_to(3).await;
    let get = move || exchange(port, b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    let answers = blocking(move || (0..4).map(|_| get()).collect::<Vec<_>>()).await;
    for (i, answer) in answers[..3].iter().enumerate() {
        assert_eq!(status_line(answer), "HTTP/1.1 200 OK");
        assert_eq!(header(answer, "ratelimit-policy"), Some("\"per-ip\";q=3;w=10800"));
        assert_eq!(header(answer, "ratelimit"), Some(format!("\"per-ip\";r={};t={}", 2 - i, (i + 1) * 3600).as_str()));
    }
    let limited = &answers[3];
    assert_eq!(status_line(limited), "HTTP/1.1 429 Too Many Requests");
    // The first token comes back an hour after the first request, less the time this test took:
    // Retry-After says when, and the bucket is full two tokens (two hours) after that.
    let retry_after: u64 = header(limited, "retry-after").unwrap().parse().unwrap();
    assert!((1..=3600).contains(&retry_after), "{retry_after}");
    assert_eq!(header(limited, "ratelimit"), Some(format!("\"per-ip\";r=0;t={}", retry_after + 7200).as_str()));
    assert_eq!(header(limited, "content-type"), Some("application/problem+json"));
    assert_eq!(header(limited, "x-content-type-options"), Some("nosniff"));
    let body = body(limited);
    assert_eq!(body["type"], "urn:powerskills:problem:rate-limited");
    assert_eq!(body["status"], 429);
    assert_eq!(body["detail"], format!("too many requests from this client; retry after {retry_after} s"));
}

/// A repeated GET, answered from the response cache before routing, is counted and limited like
/// any other request.
#[actix_web::test]
async fn repeated_reads_of_one_cached_answer_are_rate_limited() {
    let (port, _dir) = limited_to(2).await;
    let get = b"GET /skills/nlp HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
    let answers = blocking(move || (0..3).map(|_| exchange(port, get)).collect::<Vec<_>>()).await;
    let statuses: Vec<&str> = answers.iter().map(|a| status_line(a)).collect();
    assert_eq!(statuses, ["HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 429 Too Many Requests"]);
    assert_eq!(header(&answers[1], "ratelimit"), Some("\"per-ip\";r=0;t=7200"));
    assert_eq!(header(&answers[0], "etag"), header(&answers[1], "etag"));
}

/// A CORS preflight spends no token: with a burst of 1, preflights are answered however many,
/// and the one request they announce is served.
#[actix_web::test]
async fn preflights_are_not_rate_limited() {
    let (port, _dir) = limited_to(1).await;
    let preflight = b"OPTIONS /skills HTTP/1.1\r\nHost: t\r\nOrigin: https://app.example\r\n\
                      Access-Control-Request-Method: GET\r\nConnection: close\r\n\r\n";
    let get = b"GET /skills HTTP/1.1\r\nHost: t\r\nOrigin: https://app.example\r\nConnection: close\r\n\r\n";
    let answers = blocking(move || {
        let mut answers: Vec<String> = (0..3).map(|_| exchange(port, preflight)).collect();
        answers.extend((0..2).map(|_| exchange(port, get)));
        answers
    })
    .await;
    let statuses: Vec<&str> = answers.iter().map(|a| status_line(a)).collect();
    assert_eq!(
        statuses,
        ["HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 429 Too Many Requests"]
    );
    assert_eq!(header(&answers[0], "access-control-allow-methods").map(|m| m.contains("GET")), Some(true));
    assert_eq!(header(&answers[0], "ratelimit"), None);
    assert_eq!(header(&answers[3], "ratelimit"), Some("\"per-ip\";r=0;t=3600"));
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
    let (untrusted, _d1) = limited_to(1).await;
    let statuses = blocking(move || vec![get_as(untrusted, "198.51.100.1"), get_as(untrusted, "198.51.100.2")]).await;
    assert_eq!(statuses, ["HTTP/1.1 200 OK", "HTTP/1.1 429 Too Many Requests"]);
    // Behind a trusted proxy (127.0.0.1), each forwarded client has its own bucket.
    let (trusted, _d2) = spawn_with(|args| {
        args.limits.rate_limit = "1/h".parse().unwrap();
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

/// Sends `GET /healthz` with these raw extra header lines; returns the status line.
fn get_with(port: u16, headers: &str) -> String {
    let request = format!("GET /healthz HTTP/1.1\r\nHost: t\r\n{headers}Connection: close\r\n\r\n");
    status_line(&exchange(port, request.as_bytes())).to_owned()
}

async fn behind_trusted_proxy(bind: &str) -> (u16, tempfile::TempDir) {
    let bind = bind.to_owned();
    spawn_with(move |args| {
        args.bind = bind;
        args.limits.rate_limit = "1/h".parse().unwrap();
        args.limits.rate_limit_burst = 1;
        args.limits.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await
}

/// A client's own `X-Forwarded-For` line, then the one its proxy adds (HAProxy's `option
/// forwardfor` adds a line): only the proxy's is believed, so a new made-up address per request
/// buys no new bucket.
#[actix_web::test]
async fn every_forwarded_for_line_is_read_so_a_client_line_buys_nothing() {
    let (port, _dir) = behind_trusted_proxy("127.0.0.1:0").await;
    let statuses = blocking(move || {
        (0..4)
            .map(|i| get_with(port, &format!("X-Forwarded-For: 6.6.6.{i}\r\nX-Forwarded-For: 198.51.100.1\r\n")))
            .collect::<Vec<_>>()
    })
    .await;
    assert_eq!(statuses[0], "HTTP/1.1 200 OK");
    assert!(statuses[1..].iter().all(|s| s == "HTTP/1.1 429 Too Many Requests"), "{statuses:?}");
}

/// Hops written with a port (or as bracketed IPv6) are each their own client, not the proxy.
#[actix_web::test]
async fn forwarded_hops_with_ports_are_separate_clients() {
    let (port, _dir) = behind_trusted_proxy("127.0.0.1:0").await;
    let statuses = blocking(move || {
        ["203.0.113.5:4711", "203.0.113.6:4711", "[2001:db8::7]:4711", "203.0.113.5:5000"]
            .map(|hop| get_with(port, &format!("X-Forwarded-For: {hop}\r\n")))
    })
    .await;
    assert_eq!(statuses, ["HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 429 Too Many Requests"]);
}

/// A server bound to `[::ffff:127.0.0.1]` sees its peer as `::ffff:127.0.0.1`: that is the
/// trusted proxy `127.0.0.1`, so its forwarded clients get their own buckets.
#[actix_web::test]
async fn an_ipv4_mapped_peer_is_its_ipv4_address() {
    let (port, _dir) = behind_trusted_proxy("[::ffff:127.0.0.1]:0").await;
    let statuses = blocking(move || {
        ["198.51.100.1", "198.51.100.2", "198.51.100.1"]
            .map(|hop| get_with(port, &format!("X-Forwarded-For: {hop}\r\n")))
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
