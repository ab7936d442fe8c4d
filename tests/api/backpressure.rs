//! Clients that pipeline requests and do not read the answers, over raw TCP: every pipelined
//! request is still answered in order, and a client that never reads is disconnected once
//! `--write-timeout` passes with its responses unwritten (the vendored actix-http's bounded
//! pipeline and write timeout, see vendor/actix-http/README.md).

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use crate::helpers::spawn_with;

const HEALTHZ: &[u8] = b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n";

/// 3,000 requests sent in one go (about 100 KiB, most of a read buffer; upstream actix-http
/// decoded and queued all of them at once) are all answered, in order, once the client reads:
/// the dispatcher stops decoding at 16 queued requests and resumes as answers leave.
#[actix_web::test]
async fn every_pipelined_request_is_answered_when_the_client_reads() {
    let (port, _dir) = spawn_with(|_| {}).await;
    let answers = tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        let mut writer = stream.try_clone().unwrap();
        let sent = std::thread::spawn(move || {
            let mut all = HEALTHZ.repeat(3_000);
            all.extend_from_slice(b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
            writer.write_all(&all).unwrap();
        });
        let mut answers = Vec::new();
        stream.read_to_end(&mut answers).unwrap();
        sent.join().unwrap();
        String::from_utf8(answers).unwrap()
    })
    .await
    .unwrap();
    assert_eq!(answers.matches("HTTP/1.1 200 OK\r\n").count(), 3_001);
    assert_eq!(answers.matches("HTTP/1.1 ").count(), 3_001);
}

/// A client that keeps sending requests for a 111 KB document and never reads: once its window
/// and the socket buffers are full, the server cannot write, and after the write timeout (1 s
/// here) it drops the connection. The client sees it as its own blocked write failing (the
/// server's reset); the socket's own write timeout is only a guard against a hung test and
/// would fail the test with a different error.
#[actix_web::test]
async fn a_client_that_never_reads_is_disconnected_after_the_write_timeout() {
    let (port, _dir) = spawn_with(|args| args.limits.write_timeout = 1).await;
    let error = tokio::task::spawn_blocking(move || {
        let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
        socket.set_recv_buffer_size(4096).unwrap();
        socket.connect(&SocketAddr::from(([127, 0, 0, 1], port)).into()).unwrap();
        let mut stream: TcpStream = socket.into();
        stream.set_write_timeout(Some(Duration::from_secs(60))).unwrap();
        let requests = b"GET /openapi.json HTTP/1.1\r\nHost: t\r\n\r\n".repeat(100);
        loop {
            if let Err(e) = stream.write_all(&requests) {
                return e;
            }
        }
    })
    .await
    .unwrap();
    assert!(
        matches!(error.kind(), ErrorKind::ConnectionReset | ErrorKind::BrokenPipe),
        "the write failed otherwise than by the server's disconnection: {error:?}"
    );
}
