//! `powerskills healthcheck`: a readiness probe for containers whose image has no curl.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// Probes a plain-http URL; `Ok` when it answers 200.
pub fn probe(url: &str, timeout: Duration) -> Result<(), String> {
    let rest = url.strip_prefix("http://").ok_or_else(|| format!("`{url}` is not an http:// URL"))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let addr = authority
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {authority}: {e}"))?
        .next()
        .ok_or_else(|| format!("{authority} resolves to no address"))?;
    let mut stream =
        TcpStream::connect_timeout(&addr, timeout).map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    stream
        .set_read_timeout(Some(timeout))
        .and_then(|_| stream.set_write_timeout(Some(timeout)))
        .map_err(|e| e.to_string())?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n")
        .map_err(|e| format!("cannot send the request: {e}"))?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).map_err(|e| format!("no answer: {e}"))?;
    match &head[..] {
        [b'H', b'T', b'T', b'P', b'/', _, _, _, b' ', b'2', b'0', b'0'] => Ok(()),
        _ => Err(format!("{url} answered `{}`", String::from_utf8_lossy(&head).trim())),
    }
}
