//! Size limits on the request head that actix's parser does not enforce itself: a request target
//! over [`MAX_URI_BYTES`] is a 400 `uri-too-long` problem, header fields over
//! [`MAX_HEADER_BYTES`] a 431. Answered before routing, so no handler sees such a request.

use std::future::{Ready, ready};

use actix_web::body::EitherBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::{Error, ResponseError};
use futures_util::future::{Either, MapOk, TryFutureExt};

use crate::error::ApiError;

/// The longest request target (path and query) answered; longer is a 400 `uri-too-long` problem.
/// (400 rather than 414: every operation with parameters documents 400 for a parameter it cannot
/// take, and an 8 KiB query is one; a 414 would be a status no operation documents.)
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// The most bytes of header fields (names and values) answered; more is 431. (actix's parser
/// itself answers 431, with an empty body, to a request of more than 96 header fields.)
pub const MAX_HEADER_BYTES: usize = 16 * 1024;

#[derive(Debug, Clone, Copy, Default)]
pub struct HeadLimits;

impl<S, B> Transform<S, ServiceRequest> for HeadLimits
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = HeadLimitsService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(HeadLimitsService { service }))
    }
}

pub struct HeadLimitsService<S> {
    service: S,
}

type Answer<B> = Ready<Result<ServiceResponse<EitherBody<B>>, Error>>;
type Inner<F, B> = MapOk<F, fn(ServiceResponse<B>) -> ServiceResponse<EitherBody<B>>>;

impl<S, B> Service<ServiceRequest> for HeadLimitsService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = Either<Inner<S::Future, B>, Answer<B>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        match over_limits(&req) {
            None => Either::Left(self.service.call(req).map_ok(ServiceResponse::map_into_left_body)),
            Some(error) => {
                let res = req.into_response(error.error_response()).map_into_right_body();
                Either::Right(ready(Ok(res)))
            }
        }
    }
}

fn over_limits(req: &ServiceRequest) -> Option<ApiError> {
    let uri = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    if uri > MAX_URI_BYTES {
        return Some(ApiError::UriTooLong { limit: MAX_URI_BYTES });
    }
    let headers: usize = req.headers().iter().map(|(name, value)| name.as_str().len() + value.len()).sum();
    (headers > MAX_HEADER_BYTES).then_some(ApiError::HeaderFieldsTooLarge { limit: MAX_HEADER_BYTES })
}
