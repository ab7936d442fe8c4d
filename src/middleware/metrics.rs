//! Request metrics for Prometheus: requests by route template, method and status, a latency
//! histogram, and requests in flight.
//!
//! Labels are bounded whatever clients send: the route is the matched *template*
//! (`/skills/{slug}`), a path no route matches is `unmatched`, and a method outside the few this
//! API answers is `other`. A scan of random URLs therefore adds one series, not one per URL.
//!
//! Each app has its own [`HttpMetrics`] (not a process-global registry), so that several apps in
//! one process (the tests) each count only their own requests. Every count is kept per worker
//! and written by that worker alone: a request is one hash lookup in the worker's own table and
//! a few plain loads and stores, with no locked instruction, no shared cache line, no
//! allocation and one pair of clock reads. A scrape sums the workers' counts and renders the
//! text format. BENCHMARKS.md ("Request metrics kept per worker") has the measured reason for
//! not using a metrics crate's recorder here.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::rc::Rc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use actix_web::Error;
use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;

use super::route_template::RouteTemplates;
use super::stage::{Before, Stage};

const REQUESTS: &str = "powerskills_http_requests_total";
const DURATION: &str = "powerskills_http_request_duration_seconds";
const IN_FLIGHT: &str = "powerskills_http_requests_in_flight";
const RELOADS: &str = "powerskills_catalog_reloads_total";

/// The label of requests no route matches.
pub const UNMATCHED: &str = "unmatched";

/// Latency buckets' upper bounds, in nanoseconds (rendered in seconds): most answers come from
/// memory in well under a millisecond.
const BUCKETS: [u64; 14] = [
    100_000,
    250_000,
    500_000,
    1_000_000,
    2_500_000,
    5_000_000,
    10_000_000,
    25_000_000,
    50_000_000,
    100_000_000,
    250_000_000,
    500_000_000,
    1_000_000_000,
    2_500_000_000,
];

/// One app's metrics: every worker's counts, summed when `/metrics` renders them.
#[derive(Default)]
pub struct HttpMetrics {
    /// Each worker's counts of each series it has seen (a series two workers saw is here twice).
    series: Mutex<Vec<(SeriesKey, Arc<Counts>)>>,
    /// Each worker's requests in flight, written by that worker only; their sum is the gauge.
    workers_in_flight: Mutex<Vec<Arc<AtomicI64>>>,
    /// Catalog reloads by result (rare: counted under the lock).
    reloads: Mutex<BTreeMap<&'static str, u64>>,
}

impl std::fmt::Debug for HttpMetrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpMetrics").finish_non_exhaustive()
    }
}

/// A request series' labels: method, route template, status.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct SeriesKey {
    method: &'static str,
    route: Arc<str>,
    status: u16,
}

/// One worker's counts of one series: its requests, by latency bucket (the last one past every
/// bound), and their summed latency. Only that worker writes them, so each count is a plain
/// load and store; a scrape on another thread reads values at most a request old.
#[derive(Default)]
struct Counts {
    buckets: [AtomicU64; BUCKETS.len() + 1],
    nanos: AtomicU64,
}

impl Counts {
    fn record(&self, took: Duration) {
        let nanos = u64::try_from(took.as_nanos()).unwrap_or(u64::MAX);
        let bucket = BUCKETS.iter().position(|&bound| nanos <= bound).unwrap_or(BUCKETS.len());
        add(&self.buckets[bucket], 1);
        add(&self.nanos, nanos);
    }
}

/// Adds to a count that one thread alone writes (no read-modify-write needed).
fn add(count: &AtomicU64, n: u64) {
    count.store(count.load(Ordering::Relaxed).wrapping_add(n), Ordering::Relaxed);
}

/// The summed counts of one histogram (one method and route, all statuses).
#[derive(Default)]
struct Summed {
    buckets: [u64; BUCKETS.len() + 1],
    nanos: u64,
}

impl HttpMetrics {
    pub fn new() -> Self {
        Self::default()
    }

    /// The metrics in Prometheus text format (version 0.0.4), series in label order.
    pub fn render(&self) -> String {
        let mut requests: BTreeMap<SeriesKey, u64> = BTreeMap::new();
        let mut durations: BTreeMap<(&'static str, Arc<str>), Summed> = BTreeMap::new();
        for (key, counts) in lock(&self.series).iter() {
            let buckets = counts.buckets.each_ref().map(|b| b.load(Ordering::Relaxed));
            *requests.entry(key.clone()).or_default() += buckets.iter().sum::<u64>();
            let summed = durations.entry((key.method, Arc::clone(&key.route))).or_default();
            for (total, n) in summed.buckets.iter_mut().zip(buckets) {
                *total += n;
            }
            summed.nanos = summed.nanos.wrapping_add(counts.nanos.load(Ordering::Relaxed));
        }
        let in_flight: i64 = lock(&self.workers_in_flight).iter().map(|n| n.load(Ordering::Relaxed)).sum();

        let mut out = String::new();
        header(&mut out, REQUESTS, "counter", "Requests answered, by method, route template and status.");
        for (key, n) in &requests {
            let route = escape(&key.route);
            let _ = writeln!(
                out,
                "{REQUESTS}{{method=\"{}\",route=\"{route}\",status=\"{}\"}} {n}",
                key.method, key.status
            );
        }
        out.push('\n');
        header(&mut out, IN_FLIGHT, "gauge", "Requests being answered.");
        let _ = writeln!(out, "{IN_FLIGHT} {in_flight}\n");
        header(
            &mut out,
            DURATION,
            "histogram",
            "Time to answer a request (until the response head is ready), by method and route template.",
        );
        for ((method, route), summed) in &durations {
            let labels = format!("method=\"{method}\",route=\"{}\"", escape(route));
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(summed.buckets) {
                cumulative += n;
                let le = *bound as f64 / 1e9;
                let _ = writeln!(out, "{DURATION}_bucket{{{labels},le=\"{le}\"}} {cumulative}");
            }
            let count = cumulative + summed.buckets[BUCKETS.len()];
            let _ = writeln!(out, "{DURATION}_bucket{{{labels},le=\"+Inf\"}} {count}");
            let _ = writeln!(out, "{DURATION}_sum{{{labels}}} {}", summed.nanos as f64 / 1e9);
            let _ = writeln!(out, "{DURATION}_count{{{labels}}} {count}");
        }
        out.push('\n');
        let reloads = lock(&self.reloads);
        if !reloads.is_empty() {
            header(&mut out, RELOADS, "counter", "Catalog reloads that swapped a new catalog in or failed, by result.");
            for (result, n) in reloads.iter() {
                let _ = writeln!(out, "{RELOADS}{{result=\"{result}\"}} {n}");
            }
            out.push('\n');
        }
        out
    }

    /// A new worker's count of requests in flight, included in the gauge from now on.
    fn worker_in_flight(&self) -> Arc<AtomicI64> {
        let count = Arc::new(AtomicI64::new(0));
        lock(&self.workers_in_flight).push(Arc::clone(&count));
        count
    }

    /// A worker's counts of a series it has not seen before, included in the sums from now on.
    fn worker_counts(&self, key: SeriesKey) -> Arc<Counts> {
        let counts = Arc::new(Counts::default());
        lock(&self.series).push((key, Arc::clone(&counts)));
        counts
    }

    /// Counts one catalog reload (`result`: `swapped` or `failed`).
    pub fn count_reload(&self, result: &'static str) {
        *lock(&self.reloads).entry(result).or_default() += 1;
    }
}

/// A panic elsewhere while holding one of these locks leaves its value whole: each change under
/// it is one step.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

/// A label value as the text format wants it: `\`, `"` and newlines escaped.
pub fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// The middleware (`Staged::new(Metrics::new(..))`): wrap it outside everything else, so it sees
/// the final status of every request. Each worker's app has its own, with its own counts.
pub struct Metrics {
    metrics: Arc<HttpMetrics>,
    seen: RefCell<SeriesTable>,
    routes: RouteTemplates,
    in_flight: Rc<WorkerInFlight>,
}

impl Metrics {
    pub fn new(metrics: Arc<HttpMetrics>) -> Self {
        let in_flight = Rc::new(WorkerInFlight(metrics.worker_in_flight()));
        Metrics { metrics, seen: RefCell::new(HashMap::default()), routes: RouteTemplates::default(), in_flight }
    }
}

/// This worker's counts by series (hashed with foldhash: the keys are ours, bounded, and hashed
/// on every request).
type SeriesTable = HashMap<SeriesKey, Arc<Counts>, foldhash::fast::RandomState>;

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
        let key = SeriesKey { method, route: route.unwrap_or_else(|| Arc::from(UNMATCHED)), status: status.as_u16() };
        let took = started.elapsed();
        let mut seen = self.seen.borrow_mut();
        match seen.get(&key) {
            Some(counts) => counts.record(took),
            None => {
                let counts = self.metrics.worker_counts(key.clone());
                counts.record(took);
                seen.insert(key, counts);
            }
        }
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

    /// The rendered value of `series` (name and labels exactly as rendered).
    fn value(text: &str, series: &str) -> Option<String> {
        text.lines().find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')).map(str::to_owned)
    }

    #[test]
    fn each_workers_counts_are_summed_by_series_when_rendered() {
        let metrics = Arc::new(HttpMetrics::new());
        let key = |route: &str, status| SeriesKey { method: "GET", route: Arc::from(route), status };
        let (a, b) = (metrics.worker_counts(key("/skills", 200)), metrics.worker_counts(key("/skills", 200)));
        let not_found = metrics.worker_counts(key("/skills", 404));
        a.record(Duration::from_micros(50));
        a.record(Duration::from_micros(300));
        b.record(Duration::from_millis(3));
        not_found.record(Duration::from_secs(4));

        let text = metrics.render();

        let requests =
            |status: &str| value(&text, &format!(r#"{REQUESTS}{{method="GET",route="/skills",status="{status}"}}"#));
        assert_eq!(requests("200").as_deref(), Some("3"));
        assert_eq!(requests("404").as_deref(), Some("1"));
        let bucket =
            |le: &str| value(&text, &format!(r#"{DURATION}_bucket{{method="GET",route="/skills",le="{le}"}}"#));
        assert_eq!(bucket("0.0001").as_deref(), Some("1"));
        assert_eq!(bucket("0.00025").as_deref(), Some("1"));
        assert_eq!(bucket("0.0005").as_deref(), Some("2"));
        assert_eq!(bucket("0.005").as_deref(), Some("3"));
        assert_eq!(bucket("2.5").as_deref(), Some("3"));
        assert_eq!(bucket("+Inf").as_deref(), Some("4"));
        assert_eq!(
            value(&text, r#"powerskills_http_request_duration_seconds_count{method="GET",route="/skills"}"#).as_deref(),
            Some("4")
        );
        assert_eq!(
            value(&text, r#"powerskills_http_request_duration_seconds_sum{method="GET",route="/skills"}"#).as_deref(),
            Some("4.00335")
        );
        assert!(!text.contains(RELOADS), "{text}");
    }

    #[test]
    fn reloads_are_counted_by_result() {
        let metrics = HttpMetrics::new();
        metrics.count_reload("swapped");
        metrics.count_reload("swapped");
        metrics.count_reload("failed");
        let text = metrics.render();
        assert_eq!(value(&text, r#"powerskills_catalog_reloads_total{result="swapped"}"#).as_deref(), Some("2"));
        assert_eq!(value(&text, r#"powerskills_catalog_reloads_total{result="failed"}"#).as_deref(), Some("1"));
        assert!(text.contains("# TYPE powerskills_catalog_reloads_total counter\n"), "{text}");
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape(r#"a\b"c"#), r#"a\\b\"c"#);
        assert_eq!(escape("one\ntwo"), r"one\ntwo");
        assert_eq!(escape("esco-6c6e234223fd0ed1"), "esco-6c6e234223fd0ed1");
    }

    #[test]
    fn unknown_methods_share_one_label() {
        assert_eq!(method_label(&Method::HEAD), "HEAD");
        assert_eq!(method_label(&Method::DELETE), "other");
        assert_eq!(method_label(&Method::from_bytes(b"X-SCAN-1234").unwrap()), "other");
    }
}
