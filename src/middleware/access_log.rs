//! The access log: one line per request, at `info` on the [`ACCESS_LOG`] target, with the
//! method, route template, status, latency and request id (the current request's). Inside only
//! the request id and the metrics, so its latency covers every other middleware. Where the line
//! goes (stderr or `--log-file`, through a non-blocking writer) is [`crate::telemetry`]'s
//! business.
//!
//! In the JSON log the line is written here, byte for byte as `tracing`'s JSON formatter writes
//! it (a test compares the two, timestamps aside), straight into the log's queue: a logged
//! request then costs 1,500–6,000 instructions more than an unlogged one instead of
//! 15,000–20,000 (BENCHMARKS.md, "A header block per response, and the access-log line by
//! hand"). The pretty log goes through `tracing`.

use std::cell::RefCell;
use std::time::{Instant, SystemTime};

use actix_web::Error;
use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode};

use super::request_id;
use super::route_template::RouteTemplates;
use super::stage::{Before, Stage};

/// The access-log target: `--log-level info,powerskills::access=off` turns request lines off.
pub const ACCESS_LOG: &str = "powerskills::access";

/// The middleware (`Staged::new(AccessLog::default())`).
#[derive(Debug, Default)]
pub struct AccessLog {
    routes: RouteTemplates,
}

impl Stage for AccessLog {
    /// When the request came and its method; `None` when the line is off.
    type Carry = Option<(Instant, Method)>;

    #[inline]
    fn before(&self, req: &mut ServiceRequest) -> Before<Self::Carry> {
        // Decided per request: the filter can be changed at run time.
        if !tracing::enabled!(target: ACCESS_LOG, tracing::Level::INFO) {
            return Before::Go(None);
        }
        Before::Go(Some((Instant::now(), req.method().clone())))
    }

    fn after(
        &self,
        carry: Self::Carry,
        answer: Result<ServiceResponse<BoxBody>, Error>,
    ) -> Result<ServiceResponse<BoxBody>, Error> {
        let Some((started, method)) = carry else { return answer };
        let (route, status) = match &answer {
            Ok(res) => (self.routes.of(res.request()), res.status()),
            Err(err) => (None, err.error_response().status()),
        };
        let log_with = |id: Option<&str>| log(&method, route.as_deref(), status, id, started);
        if request_id::with_current_id(|id| log_with(Some(id))).is_none() {
            log_with(None);
        }
        answer
    }
}

fn log(method: &Method, route: Option<&str>, status: StatusCode, request_id: Option<&str>, started: Instant) {
    let latency_us = started.elapsed().as_micros() as u64;
    let (route, request_id) = (route.unwrap_or("(no route)"), request_id.unwrap_or("-"));
    if crate::telemetry::json_lines() {
        LINE.with_borrow_mut(|line| {
            line.clear();
            json_line(line, SystemTime::now(), method.as_str(), route, status.as_u16(), latency_us, request_id);
            crate::telemetry::write_json_line(line);
        });
        return;
    }
    log_event(method.as_str(), route, status.as_u16(), latency_us, request_id);
}

/// The line as a `tracing` event, for the pretty log.
fn log_event(method: &str, route: &str, status: u16, latency_us: u64, request_id: &str) {
    tracing::info!(target: ACCESS_LOG, method, route, status, latency_us, request_id);
}

thread_local! {
    /// The buffer each worker writes its lines in.
    static LINE: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// One access-log line as `tracing`'s JSON formatter (`flatten_event`) writes it, newline included.
fn json_line(
    out: &mut Vec<u8>,
    at: SystemTime,
    method: &str,
    route: &str,
    status: u16,
    latency_us: u64,
    request_id: &str,
) {
    out.extend_from_slice(b"{\"timestamp\":\"");
    crate::telemetry::write_timestamp(out, at);
    out.extend_from_slice(b"\",\"level\":\"INFO\",\"method\":");
    json_string(out, method);
    out.extend_from_slice(b",\"route\":");
    json_string(out, route);
    out.extend_from_slice(b",\"status\":");
    out.extend_from_slice(itoa::Buffer::new().format(status).as_bytes());
    out.extend_from_slice(b",\"latency_us\":");
    out.extend_from_slice(itoa::Buffer::new().format(latency_us).as_bytes());
    out.extend_from_slice(b",\"request_id\":");
    json_string(out, request_id);
    out.extend_from_slice(b",\"target\":\"powerskills::access\"}\n");
}

/// `s` as a JSON string. The values logged are plain ASCII but for a route template, which is
/// ours; anything else goes through serde_json's escaping.
fn json_string(out: &mut Vec<u8>, s: &str) {
    /// The bytes a JSON string must escape, and those past ASCII (left to serde_json).
    const ESCAPED: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 256 {
            table[b] = b < 0x20 || b == b'"' as usize || b == b'\\' as usize || b >= 0x7f;
            b += 1;
        }
        table
    };
    if !s.bytes().any(|b| ESCAPED[b as usize]) {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;

    #[test]
    fn a_json_line_is_the_json_formatters_own() {
        let at = UNIX_EPOCH + Duration::from_micros(1_796_137_763_976_774);
        let mut line = Vec::new();
        json_line(&mut line, at, "GET", "/skills/{slug}", 200, 297, "trace-42.a:b_c");
        assert_eq!(
            String::from_utf8(line).unwrap(),
            "{\"timestamp\":\"2026-12-01T15:09:23.976774Z\",\"level\":\"INFO\",\"method\":\"GET\",\
             \"route\":\"/skills/{slug}\",\"status\":200,\"latency_us\":297,\"request_id\":\"trace-42.a:b_c\",\
             \"target\":\"powerskills::access\"}\n"
        );
        let mut line = Vec::new();
        json_line(&mut line, at, "GET", "a\"b\u{e9}", 404, 1, "-");
        let parsed: serde_json::Value = serde_json::from_slice(&line).unwrap();
        assert_eq!(parsed["route"], "a\"b\u{e9}");
    }

    /// A `MakeWriter` collecting what the formatter writes.
    #[derive(Clone, Default)]
    struct Collect(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Collect {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_hand_written_line_is_what_the_tracing_json_formatter_writes() {
        let collected = Collect::default();
        let writer = collected.clone();
        let subscriber = tracing_subscriber::fmt()
            .json()
            .flatten_event(true)
            .with_writer(move || writer.clone())
            .with_max_level(tracing::Level::INFO)
            .finish();
        tracing::subscriber::with_default(subscriber, || log_event("POST", "/skills/extract", 429, 12, "abc"));
        let theirs = String::from_utf8(collected.0.lock().unwrap().clone()).unwrap();
        let mut ours = Vec::new();
        json_line(&mut ours, SystemTime::now(), "POST", "/skills/extract", 429, 12, "abc");
        let ours = String::from_utf8(ours).unwrap();
        // The same bytes once the timestamps (each its own `now`) are cut out.
        let cut = |line: &str| format!("{}{}", &line[..14], &line[14 + 27..]);
        assert_eq!(theirs.len(), ours.len(), "{theirs}{ours}");
        assert_eq!(cut(&theirs), cut(&ours));
    }
}
