//! Size limits on the request head that actix's parser does not enforce itself: a request target
//! over [`MAX_URI_BYTES`] is a 400 `uri-too-long` problem, header fields over
//! [`MAX_HEADER_BYTES`] a 431. Answered before routing, so no handler sees such a request.

use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, ResponseError};

use super::stage::{Before, Stage};
use crate::error::ApiError;

/// The longest request target (path and query) answered; longer is a 400 `uri-too-long` problem.
/// (400 rather than 414: every operation with parameters documents 400 for a parameter it cannot
/// take, and an 8 KiB query is one; a 414 would be a status no operation documents.)
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// The most bytes of header fields (names and values) answered; more is 431. (actix's parser
/// itself answers 431, with an empty body, to a request of more than 96 header fields.)
pub const MAX_HEADER_BYTES: usize = 16 * 1024;

/// The middleware (`Staged::new(HeadLimits)`).
pub struct HeadLimits;

impl Stage for HeadLimits {
    type Carry = ();

    #[inline]
    fn before(&self, req: &mut ServiceRequest) -> Before<()> {
        match over_limits(req) {
            None => Before::Go(()),
            Some(error) => Before::Answer(error.error_response()),
        }
    }

    #[inline]
    fn after(&self, _: (), answer: Result<ServiceResponse<BoxBody>, Error>) -> Result<ServiceResponse<BoxBody>, Error> {
        answer
    }
}

fn over_limits(req: &ServiceRequest) -> Option<ApiError> {
    let uri = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    if uri > MAX_URI_BYTES {
        return Some(ApiError::UriTooLong { limit: MAX_URI_BYTES });
    }
    // The whole head as received bounds its header fields: only a head larger than the limit
    // has its fields added up.
    if req.head().wire_size().is_some_and(|size| size <= MAX_HEADER_BYTES) {
        return None;
    }
    let headers: usize = req.headers().iter().map(|(name, value)| name.as_str().len() + value.len()).sum();
    (headers > MAX_HEADER_BYTES).then_some(ApiError::HeaderFieldsTooLarge { limit: MAX_HEADER_BYTES })
}
