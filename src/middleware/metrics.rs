//! Request metrics for Prometheus: requests by route template, method and status, a latency
//! histogram, and requests in flight.
//!
//! Labels are bounded whatever clients send: the route is the matched *template*
//! (`/skills/{slug}`), a path no route matches is `unmatched`, and a method outside the few this
//! API answers is `other`. A scan of random URLs therefore adds one series, not one per URL.
//!
//! Each app has its own recorder (not the `metrics` global one), so that several apps in one
//! process (the tests) each count only their own requests. Each worker keeps the handles of the
//! series it has seen and the route templates ([`RouteTemplates`]), so a request costs two hash
//! lookups and a few atomic adds, and allocates nothing. Requests in flight are counted per
//! worker, by the worker alone (no locked instruction, no shared cache line), and summed when
//! the metrics are rendered.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use actix_web::Error;
use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use metrics::{Counter, Gauge, Histogram, Key, Label, Metadata, Recorder};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder};

use super::route_template::RouteTemplates;
use super::stage::{Before, Stage};

const REQUESTS: &str = "powerskills_http_requests_total";
const DURATION: &str = "powerskills_http_request_duration_seconds";
const IN_FLIGHT: &str = "powerskills_http_requests_in_flight";
const RELOADS: &str = "powerskills_catalog_reloads_total";

/// The label of requests no route matches.
pub const UNMATCHED: &str = "unmatched";

/// Latency buckets, in seconds: most answers come from memory in well under a millisecond.
const BUCKETS: &[f64] = &[0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5];

const METADATA: Metadata<'static> = Metadata::new(module_path!(), metrics::Level::INFO, Some(module_path!()));

/// One app's metrics: the recorder the middleware writes to and the handle `/metrics` renders.
pub struct HttpMetrics {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
    in_flight: Gauge,
    /// Each worker's requests in flight, written by that worker only; their sum is the gauge.
    workers_in_flight: Mutex<Vec<Arc<AtomicI64>>>,
}

impl std::fmt::Debug for HttpMetrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpMetrics").finish_non_exhaustive()
    }
}

impl Default for HttpMetrics {
    fn default() -> Self {
        Self::new()
    }
}

impl HttpMetrics {
    pub fn new() -> Self {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(DURATION.into()), BUCKETS)
            .expect("the buckets are not empty")
            .build_recorder();
        recorder.describe_counter(
            REQUESTS.into(),
            None,
            "Requests answered, by method, route template and status.".into(),
        );
        recorder.describe_histogram(
            DURATION.into(),
            Some(metrics::Unit::Seconds),
            "Time to answer a request (until the response head is ready), by method and route template.".into(),
        );
        recorder.describe_gauge(IN_FLIGHT.into(), None, "Requests being answered.".into());
        recorder.describe_counter(
            RELOADS.into(),
            None,
            "Catalog reloads that swapped a new catalog in or failed, by result.".into(),
        );
        let in_flight = recorder.register_gauge(&Key::from_static_name(IN_FLIGHT), &METADATA);
        let handle = recorder.handle();
        HttpMetrics { recorder, handle, in_flight, workers_in_flight: Mutex::default() }
    }

    /// The metrics in Prometheus text format.
    pub fn render(&self) -> String {
        let in_flight: i64 = self.lock_workers().iter().map(|n| n.load(Ordering::Relaxed)).sum();
        self.in_flight.set(in_flight as f64);
        self.handle.render()
    }

    /// A new worker's count of requests in flight, included in the gauge from now on.
    fn worker_in_flight(&self) -> Arc<AtomicI64> {
        let count = Arc::new(AtomicI64::new(0));
        self.lock_workers().push(Arc::clone(&count));
        count
    }

    fn lock_workers(&self) -> std::sync::MutexGuard<'_, Vec<Arc<AtomicI64>>> {
        // A panic elsewhere while holding it leaves the list whole: each push is one step.
        self.workers_in_flight.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Drains histogram samples into their buckets; run periodically, or the samples of an
    /// unscraped server accumulate.
    pub fn run_upkeep(&self) {
        self.handle.run_upkeep();
    }

    /// Counts one catalog reload (`result`: `swapped` or `failed`).
    pub fn count_reload(&self, result: &'static str) {
        let key = Key::from_parts(RELOADS, vec![Label::from_static_parts("result", result)]);
        self.recorder.register_counter(&key, &METADATA).increment(1);
    }

    fn series(&self, method: &'static str, route: &str, status: u16) -> Series {
        let route = Label::new("route", route.to_owned());
        let method = Label::from_static_parts("method", method);
        let requests =
            Key::from_parts(REQUESTS, vec![method.clone(), route.clone(), Label::new("status", status.to_string())]);
        let duration = Key::from_parts(DURATION, vec![method, route]);
        Series {
            requests: self.recorder.register_counter(&requests, &METADATA),
            duration: self.recorder.register_histogram(&duration, &METADATA),
        }
    }
}

#[derive(Clone)]
struct Series {
    requests: Counter,
    duration: Histogram,
}

/// The middleware (`Staged::new(Metrics::new(..))`): wrap it outside everything else, so it sees
/// the final status of every request. Each worker's app has its own, with the series it has seen.
pub struct Metrics {
    metrics: Arc<HttpMetrics>,
    seen: RefCell<SeriesCache>,
    routes: RouteTemplates,
    in_flight: Rc<WorkerInFlight>,
}

impl Metrics {
    pub fn new(metrics: Arc<HttpMetrics>) -> Self {
        let in_flight = Rc::new(WorkerInFlight(metrics.worker_in_flight()));
        Metrics { metrics, seen: RefCell::new(HashMap::default()), routes: RouteTemplates::default(), in_flight }
    }
}

/// (method, route template, status) → the handles of its series, per worker (hashed with
/// foldhash: the keys are ours, bounded, and hashed on every request).
type SeriesCache = HashMap<(&'static str, Arc<str>, u16), Series, foldhash::fast::RandomState>;

impl Stage for Metrics {
    /// When the request came, its method's label, and its count in flight.
    type Carry = (Instant, &'static str, InFlight);

    fn before(&self, req: &mut ServiceRequest) -> Before<Self::Carry> {
        Before::Go((Instant::now(), method_label(req.method()), InFlight::start(Rc::clone(&self.in_flight))))
    }

    fn after(
        &self,
        (started, method, in_flight): Self::Carry,
        answer: Result<ServiceResponse<BoxBody>, Error>,
    ) -> Result<ServiceResponse<BoxBody>, Error> {
        drop(in_flight);
        // After routing, the matched route is an index lookup (before it, a walk of every
        // pattern). A failed call (a panic answered by the edge) has no request left to ask.
        let (status, route) = match &answer {
            Ok(res) => (res.status(), self.routes.of(res.request())),
            Err(err) => (err.as_response_error().status_code(), None),
        };
        let route = route.unwrap_or_else(|| Arc::from(UNMATCHED));
        record(&self.metrics, &self.seen, method, route, status.as_u16(), started.elapsed());
        answer
    }
}

/// One worker's requests in flight. Only its worker writes it (the app and its middlewares are
/// per worker), so a plain load and store count, without a locked read-modify-write; a scrape
/// on another thread reads a value at most one request old.
struct WorkerInFlight(Arc<AtomicI64>);

impl WorkerInFlight {
    fn add(&self, n: i64) {
        self.0.store(self.0.load(Ordering::Relaxed) + n, Ordering::Relaxed);
    }
}

/// Counts a request in flight until dropped: also when the client goes away mid-request and
/// the future is dropped unfinished.
pub struct InFlight(Rc<WorkerInFlight>);

impl InFlight {
    fn start(worker: Rc<WorkerInFlight>) -> Self {
        worker.add(1);
        InFlight(worker)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.add(-1);
    }
}

fn record(
    metrics: &HttpMetrics,
    seen: &RefCell<SeriesCache>,
    method: &'static str,
    route: Arc<str>,
    status: u16,
    took: Duration,
) {
    let mut seen = seen.borrow_mut();
    let key = (method, route, status);
    let series = match seen.get(&key) {
        Some(series) => series,
        None => {
            let series = metrics.series(method, &key.1, status);
            seen.entry(key).or_insert(series)
        }
    };
    series.requests.increment(1);
    series.duration.record(took.as_secs_f64());
}

/// The methods this API answers keep their name; any other (HTTP allows any token) is `other`.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_in_flight_are_summed_over_workers_when_rendered() {
        let metrics = Arc::new(HttpMetrics::new());
        let (a, b) = (Metrics::new(Arc::clone(&metrics)), Metrics::new(Arc::clone(&metrics)));
        let gauge = |m: &HttpMetrics| {
            let text = m.render();
            text.lines().find_map(|l| l.strip_prefix(&format!("{IN_FLIGHT} "))).map(str::to_owned)
        };
        let started = [InFlight::start(Rc::clone(&a.in_flight)), InFlight::start(Rc::clone(&a.in_flight))];
        let other = InFlight::start(Rc::clone(&b.in_flight));
        assert_eq!(gauge(&metrics).as_deref(), Some("3"));
        drop(started);
        assert_eq!(gauge(&metrics).as_deref(), Some("1"));
        drop(other);
        assert_eq!(gauge(&metrics).as_deref(), Some("0"));
    }

    #[test]
    fn unknown_methods_share_one_label() {
        assert_eq!(method_label(&Method::HEAD), "HEAD");
        assert_eq!(method_label(&Method::DELETE), "other");
        assert_eq!(method_label(&Method::from_bytes(b"X-SCAN-1234").unwrap()), "other");
    }
}
