//! The access log: one line per request, at `info` on the [`ACCESS_LOG`] target, with the
//! method, route template, status, latency and request id. Outermost but for the metrics, so its
//! latency covers every other middleware. Where the line goes (stderr or `--log-file`, through a
//! non-blocking writer) is [`crate::telemetry`]'s business.

use std::future::{Ready, ready};
use std::time::Instant;

use actix_web::Error;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::{Method, StatusCode};
use futures_util::future::LocalBoxFuture;

use super::request_id;

/// The access-log target: `--log-level info,powerskills::access=off` turns request lines off.
pub const ACCESS_LOG: &str = "powerskills::access";

#[derive(Debug, Clone, Copy, Default)]
pub struct AccessLog;

impl<S, B> Transform<S, ServiceRequest> for AccessLog
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Transform = AccessLogService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(AccessLogService { service }))
    }
}

pub struct AccessLogService<S> {
    service: S,
}

impl<S, B> Service<ServiceRequest> for AccessLogService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        // Decided per request: the filter can be changed at run time.
        if !tracing::enabled!(target: ACCESS_LOG, tracing::Level::INFO) {
            return Box::pin(self.service.call(req));
        }
        let started = Instant::now();
        let method = req.method().clone();
        let fut = self.service.call(req);
        Box::pin(async move {
            let result = fut.await;
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
        })
    }
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
