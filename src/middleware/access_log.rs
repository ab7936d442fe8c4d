//! The access log: one line per request, at `info` on the [`ACCESS_LOG`] target, with the
//! method, route template, status, latency and request id. Outermost but for the metrics, so its
//! latency covers every other middleware. Where the line goes (stderr or `--log-file`, through a
//! non-blocking writer) is [`crate::telemetry`]'s business.

use std::time::Instant;

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;

use super::request_id;

/// The access-log target: `--log-level info,powerskills::access=off` turns request lines off.
pub const ACCESS_LOG: &str = "powerskills::access";

/// The middleware (`actix_web::middleware::from_fn(access_log)`).
pub async fn access_log<B: MessageBody>(req: ServiceRequest, next: Next<B>) -> Result<ServiceResponse<B>, Error> {
    // Decided per request: the filter can be changed at run time.
    if !tracing::enabled!(target: ACCESS_LOG, tracing::Level::INFO) {
        return next.call(req).await;
    }
    let started = Instant::now();
    let method = req.method().clone();
    let result = next.call(req).await;
    match &result {
        Ok(res) => {
            let route = res.request().match_pattern();
            let id = res.headers().get(request_id::HEADER).and_then(|v| v.to_str().ok());
            log(&method, route.as_deref(), res.status(), id, started);
        }
        Err(err) => {
            let res = err.error_response();
            let id = res.headers().get(request_id::HEADER).and_then(|v| v.to_str().ok());
            log(&method, None, res.status(), id, started);
        }
    }
    result
}

fn log(method: &Method, route: Option<&str>, status: StatusCode, request_id: Option<&str>, started: Instant) {
    tracing::info!(
        target: ACCESS_LOG,
        method = %method,
        route = route.unwrap_or("(no route)"),
        status = status.as_u16(),
        latency_us = started.elapsed().as_micros() as u64,
        request_id = request_id.unwrap_or("-"),
    );
}
