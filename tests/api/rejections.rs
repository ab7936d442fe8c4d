//! Requests that actix-http's HTTP/1 parser refuses before any middleware runs, over raw TCP:
//! each is answered with problem JSON, a request id and the security headers (through the
//! vendored actix-http's `Rejection` hook), and the connection is closed.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::helpers::{raw_header as header, spawn_with};

/// Sends `request` and reads until the server closes the connection.
async fn exchange(port: u16, request: Vec<u8>) -> String {
    tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        stream.write_all(&request).unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).expect("the server closes the connection");
        String::from_utf8_lossy(&answer).into_owned()
    })
    .await
    .unwrap()
}

/// The answer is `status` with the problem `kind`, a request id (in the header and the body),
/// the security headers and `Connection: close`.
fn assert_problem(answer: &str, status: &str, kind: &str) {
    assert_eq!(answer.lines().next(), Some(status), "{answer:?}");
    assert_eq!(header(answer, "content-type"), Some("application/problem+json"), "{answer:?}");
    assert_eq!(header(answer, "connection"), Some("close"));
    assert_eq!(header(answer, "x-content-type-options"), Some("nosniff"));
    assert_eq!(header(answer, "referrer-policy"), Some("no-referrer"));
    assert_eq!(header(answer, "content-security-policy"), Some("default-src 'none'; frame-ancestors 'none'"));
    assert_eq!(header(answer, "cache-control"), Some("no-store"));
    let id = header(answer, "x-request-id").expect("a request id");
    let body: serde_json::Value = serde_json::from_str(answer.split_once("\r\n\r\n").unwrap().1).expect("JSON");
    assert_eq!(body["type"], format!("urn:powerskills:problem:{kind}"));
    assert_eq!(body["status"], status[9..12].parse::<u16>().unwrap());
    assert_eq!(body["request_id"], id);
    assert!(body.get("instance").is_none(), "no request, no instance: {body}");
}

#[actix_web::test]
async fn requests_the_parser_refuses_are_400_problems() {
    let (port, _dir) = spawn_with(|_| {}).await;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("no Host on HTTP/1.1", b"GET /skills HTTP/1.1\r\n\r\n".to_vec()),
        (
            "two Content-Length",
            b"POST /skills/extract HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabc".to_vec(),
        ),
        (
            "chunked not last",
            b"POST /skills/extract HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked, identity\r\n\r\n".to_vec(),
        ),
        (
            "Content-Length and Transfer-Encoding",
            b"POST /skills/extract HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                .to_vec(),
        ),
        ("negative Content-Length", b"POST /skills/extract HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n".to_vec()),
        ("obs-fold", b"GET /skills HTTP/1.1\r\nHost: t\r\nX-A: a\r\n b\r\n\r\n".to_vec()),
        ("bare CR", b"GET /skills HTTP/1.1\rHost: t\r\n\r\n".to_vec()),
        ("malformed header name", b"GET /skills HTTP/1.1\r\nHost: t\r\nBad Name: x\r\n\r\n".to_vec()),
        (
            "target over 64 KiB",
            format!("GET /skills?q={} HTTP/1.1\r\nHost: t\r\n\r\n", "a".repeat(100_000)).into_bytes(),
        ),
    ];
    for (case, request) in cases {
        let answer = exchange(port, request).await;
        assert!(answer.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{case}: {answer:?}");
        assert_problem(&answer, "HTTP/1.1 400 Bad Request", "bad-request");
    }
}

#[actix_web::test]
async fn more_than_96_header_fields_is_a_431_problem() {
    let (port, _dir) = spawn_with(|_| {}).await;
    let headers: String = (0..100).map(|i| format!("X-H{i}: v\r\n")).collect();
    let answer = exchange(port, format!("GET /skills HTTP/1.1\r\nHost: t\r\n{headers}\r\n").into_bytes()).await;
    assert_problem(&answer, "HTTP/1.1 431 Request Header Fields Too Large", "header-fields-too-large");
}

/// The 408 for a head not finished within the client request timeout (the read timeout above
/// is only a guard against a hung test).
#[actix_web::test]
async fn a_head_not_finished_in_time_is_a_408_problem() {
    let (port, _dir) = spawn_with(|_| {}).await;
    let answer = exchange(port, b"GET /skills HTTP/1.1\r\nHost: t\r\nX-Slow: aaaa".to_vec()).await;
    assert_problem(&answer, "HTTP/1.1 408 Request Timeout", "request-timeout");
}
