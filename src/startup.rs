//! Building the server: database, catalog, listener, and the actix app with its middleware.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::web::{self, Data};
use actix_web::{App, Error, HttpServer};
use bytes::Bytes;
use utoipa_actix_web::AppExt;

use crate::catalog::CatalogError;
use crate::config::ServeArgs;
use crate::db::{self, DbError};
use crate::middleware::{
    AccessLog, AnswerCached, AssignRequestId, CorsWhenAsked, HeadAsGet, HeadLimits, HttpMetrics, Metrics, RateLimiter,
    Recover, RoutesTable, SecurityHeaders, SliceLargeBodies, Staged, TagUntagged, rejections,
};
use crate::response::{CachePolicy, CachedResponse};
use crate::routes;
use crate::routes::docs::OpenApiJson;
use crate::served::Served;
use crate::stages;
use crate::state::AppState;
use crate::work::WorkQueue;

/// Why the server could not start; each renders as one line for the operator.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("cannot read the catalog from {url}: {reason}")]
    Load { url: String, reason: String },
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error("cannot listen on {bind}: {source}")]
    Bind { bind: String, source: std::io::Error },
    #[error("cannot listen for SIGHUP: {0}")]
    Signal(std::io::Error),
}

/// A built server, bound to its port, not yet running.
pub struct Application {
    server: Server,
    port: u16,
    state: Data<AppState>,
    /// `/metrics` on its own address (`--metrics-bind`), and that address's port.
    metrics_server: Option<(Server, u16)>,
    reloader: actix_web::rt::task::JoinHandle<()>,
    work: WorkQueue,
}

impl Application {
    pub async fn build(args: &ServeArgs) -> Result<Application, StartupError> {
        let workers = args.workers.map_or_else(num_cpus, |n| n.get());
        let started = std::time::Instant::now();
        let pool = db::open_for_serving(&args.database_url, workers as u32 + 1).await?;
        let opened = started.elapsed();
        let data = db::load_catalog(&pool)
            .await
            .map_err(|e| StartupError::Load { url: args.database_url.clone(), reason: db::describe(&e) })?;
        let loaded = started.elapsed();
        let policy = CachePolicy::new(args.cache_max_age);
        let served = Served::build(data, policy.clone())?;
        tracing::info!(
            catalog = %served.catalog.meta.version,
            skills = served.catalog.skills.len(),
            open_ms = opened.as_millis() as u64,
            read_ms = (loaded - opened).as_millis() as u64,
            index_ms = (started.elapsed() - loaded).as_millis() as u64,
            "catalog loaded"
        );
        let readiness = db::open_readiness(&args.database_url).await?;
        let state = Data::new(AppState::new(served, pool, readiness, policy));
        let metrics = Arc::new(HttpMetrics::new());
        // Before listening: a SIGHUP sent once the server answers must never find the default
        // action (terminate) in place.
        let check_every = (args.reload_interval > 0).then(|| Duration::from_secs(args.reload_interval));
        let reloader = crate::reload::spawn_reloader(state.clone(), Arc::clone(&metrics), check_every)
            .map_err(StartupError::Signal)?;

        let listener =
            TcpListener::bind(&args.bind).map_err(|source| StartupError::Bind { bind: args.bind.clone(), source })?;
        // std listens with a backlog of 128: under a flood of clients reconnecting (every refused
        // extraction closes its connection) the queue overflowed and a probe's SYN was dropped,
        // answered only after its 1 s retransmission. Listening again sets the backlog.
        socket2::SockRef::from(&listener)
            .listen(LISTEN_BACKLOG)
            .map_err(|source| StartupError::Bind { bind: args.bind.clone(), source })?;
        let port =
            listener.local_addr().map_err(|source| StartupError::Bind { bind: args.bind.clone(), source })?.port();

        let document = crate::openapi::document();
        let openapi = OpenApiJson(Arc::new(CachedResponse::new(
            Bytes::from(crate::openapi::to_json(&document)),
            actix_web::http::header::HeaderValue::from_static("application/json"),
        )));
        let metrics_server = match &args.metrics_bind {
            Some(bind) => Some(metrics_server(bind, state.clone(), Arc::clone(&metrics))?),
            None => None,
        };
        let limits = &args.limits;
        let rate_limiter = RateLimiter::new(limits.rate_limit, limits.rate_limit_burst, &limits.trusted_proxies);
        if rate_limiter.is_enabled() {
            let limiter = rate_limiter.clone();
            actix_web::rt::spawn(async move {
                let mut every = actix_web::rt::time::interval(Duration::from_secs(10));
                loop {
                    every.tick().await;
                    limiter.forget_idle();
                }
            });
        }
        let work = WorkQueue::new(workers, limits.work_queue);
        let parts = AppParts {
            state: state.clone(),
            openapi,
            serve_metrics: metrics_server.is_none(),
            metrics: Arc::clone(&metrics),
            rate_limiter,
            work: Data::new(work.clone()),
        };
        let write_timeout = Duration::from_secs(limits.write_timeout);
        let server = HttpServer::new(move || build_app(parts.clone()))
            .on_connect(move |conn, extensions| crate::connection::on_connect(conn, extensions, write_timeout))
            // A client that closes its side has gone away: its request is dropped (with any work
            // it still waits for) instead of being answered into a closed socket.
            .h1_allow_half_closed(false)
            // A large body goes out in slices (middleware/shared_body.rs); with Nagle's algorithm
            // on, each slice after the first waited for the client's delayed ACK: 40 ms per
            // response of 64 KiB or more on a kept-alive connection (BENCHMARKS.md, lookups by id).
            .tcp_nodelay(true)
            .workers(workers)
            .shutdown_timeout(args.shutdown_grace)
            .client_request_timeout(CLIENT_REQUEST_TIMEOUT)
            .client_disconnect_timeout(Duration::from_secs(1))
            .max_connections(limits.max_connections.max(1))
            .listen(listener)
            .map_err(|source| StartupError::Bind { bind: args.bind.clone(), source })?
            .run();
        Ok(Application { server, port, state, metrics_server, reloader, work })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port of the separate metrics listener, when `--metrics-bind` asked for one.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics_server.as_ref().map(|(_, port)| *port)
    }

    pub fn state(&self) -> Data<AppState> {
        self.state.clone()
    }

    /// The queue for expensive work every worker shares (tests fill it to see the server shed).
    pub fn work(&self) -> WorkQueue {
        self.work.clone()
    }

    /// Serves until SIGINT/SIGTERM, then lets in-flight requests finish (up to the grace period).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = match self.metrics_server {
            Some((metrics, _)) => {
                let (api, metrics) = futures_util::future::join(self.server, metrics).await;
                api.and(metrics)
            }
            None => self.server.await,
        };
        self.reloader.abort();
        result
    }
}

/// The listener of `--metrics-bind`: `GET /metrics`, `/healthz` and `/readyz`, one worker.
fn metrics_server(bind: &str, state: Data<AppState>, metrics: Arc<HttpMetrics>) -> Result<(Server, u16), StartupError> {
    let failed = |source| StartupError::Bind { bind: bind.to_owned(), source };
    let listener = TcpListener::bind(bind).map_err(failed)?;
    let port = listener.local_addr().map_err(failed)?.port();
    let server = HttpServer::new(move || {
        App::new()
            .wrap(rejections::error_handlers())
            .wrap(Recover)
            .wrap(AssignRequestId)
            .app_data(state.clone())
            .app_data(Data::from(Arc::clone(&metrics)))
            .configure(routes::metrics::configure)
            // The probes too, on this listener's own thread: they never wait behind client work.
            .service(routes::health::get_health)
            .service(routes::health::get_readiness)
            .default_service(web::to(rejections::no_route))
    })
    .workers(1)
    .shutdown_timeout(1)
    .listen(listener)
    .map_err(failed)?
    .run();
    Ok((server, port))
}

/// Connections the kernel queues before the server accepts them (capped by `net.core.somaxconn`).
pub const LISTEN_BACKLOG: i32 = 4096;

/// A client must send its whole request head within this time, or it gets 408 and the
/// connection is closed (a slow or stalled client cannot hold a connection slot).
pub const CLIENT_REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

fn num_cpus() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// What every worker's app is made of: shared by all of them (each field is a cheap handle).
#[derive(Clone)]
pub struct AppParts {
    pub state: Data<AppState>,
    /// The OpenAPI document, serialized once.
    pub openapi: OpenApiJson,
    /// The request metrics (every worker's counts).
    pub metrics: Arc<HttpMetrics>,
    /// Serve `GET /metrics` on this app (no `--metrics-bind`).
    pub serve_metrics: bool,
    pub rate_limiter: RateLimiter,
    /// The bounded queue of expensive work (exports, long extractions).
    pub work: Data<WorkQueue>,
}

/// The actix app: the metrics and edge middleware, the extractor error handlers, and every
/// route; `/metrics` too when `parts.serve_metrics`.
pub fn build_app(
    parts: AppParts,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = Error,
        InitError = (),
    >,
> {
    // Outermost last; the stages of one `Staged` outermost first (see crate::middleware for each
    // one's job). When rate limiting is off (the default), the limiter hands every request on.
    let (app, registered) = App::new()
        .wrap(Staged::new(TagUntagged))
        .wrap(CorsWhenAsked::new())
        .wrap(rejections::error_handlers())
        .wrap(Recover)
        .wrap(Staged::new(stages!(
            SliceLargeBodies,
            Metrics::new(Arc::clone(&parts.metrics)),
            AccessLog::default(),
            SecurityHeaders,
            HeadLimits,
            HeadAsGet,
            parts.rate_limiter,
            AnswerCached
        )))
        .wrap(AssignRequestId)
        .into_utoipa_app()
        .app_data(parts.state)
        .app_data(Data::new(parts.openapi))
        .app_data(parts.work)
        .app_data(rejections::query_config())
        .configure(routes::configure)
        .split_for_parts();
    // The 405 table comes from the same registrations as the router.
    app.app_data(Data::new(RoutesTable::from_paths(&registered.paths)))
        .configure(move |cfg| {
            if parts.serve_metrics {
                cfg.app_data(Data::from(parts.metrics));
                routes::metrics::configure(cfg);
            }
        })
        .default_service(web::to(rejections::no_route))
}
