//! A GET answered from the response cache by its target, before routing: the request target
//! (path and query, as sent) of every GET that [`Served::cached`](crate::served::Served::cached)
//! answered is remembered in the served snapshot, and the same target asked again is sent the
//! same entry without the router, the extractors, the parsing of its parameters or the handler.
//! What a client receives is byte for byte what the handler would send (`response::send`
//! makes both); a target not seen before, or whose entry the cache has evicted since, goes to
//! the handler, which remembers it again. BENCHMARKS.md ("Repeated reads answered before
//! routing") has the cost per request with and without it.
//!
//! Inside the limits, the rate limit, the request id, the security headers, the access log and
//! the metrics, which see the request and its answer as for any other; outside the middlewares
//! that have no work for it (panic recovery, actix's rejections, CORS preflights, ETags for
//! untagged answers). The metrics and the access log learn the route that stands for it from
//! the current request ([`request_id::answered_by`]).

use actix_web::Error;
use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::web::Data;

use super::request_id;
use super::stage::{Before, Stage};
use crate::state::AppState;

/// The middleware (`Staged::new(AnswerCached)`).
pub struct AnswerCached;

impl Stage for AnswerCached {
    type Carry = ();

    fn before(&self, req: &mut ServiceRequest) -> Before<()> {
        // HEAD is GET by now (`head.rs`).
        if req.method() != Method::GET {
            return Before::Go(());
        }
        let Some(state) = req.app_data::<Data<AppState>>() else { return Before::Go(()) };
        match state.served().answer_again(req.request()) {
            Some((answer, route)) => {
                request_id::answered_by(route);
                Before::Answer(answer)
            }
            None => Before::Go(()),
        }
    }

    #[inline]
    fn after(&self, _: (), answer: Result<ServiceResponse<BoxBody>, Error>) -> Result<ServiceResponse<BoxBody>, Error> {
        answer
    }
}
