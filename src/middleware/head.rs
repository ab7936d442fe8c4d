//! `HEAD` is served as `GET`: the request's method is rewritten before routing, and actix's
//! HTTP/1 encoder, which remembers the method the client sent, writes the headers without the
//! body. So every GET route answers HEAD with the same status, headers and `Content-Length`.

use actix_web::Error;
use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;

use super::stage::{Before, Stage};

/// The middleware (`Staged::new(HeadAsGet)`).
pub struct HeadAsGet;

impl Stage for HeadAsGet {
    type Carry = ();

    #[inline]
    fn before(&self, req: &mut ServiceRequest) -> Before<()> {
        if req.method() == Method::HEAD {
            req.head_mut().method = Method::GET;
        }
        Before::Go(())
    }

    #[inline]
    fn after(&self, _: (), answer: Result<ServiceResponse<BoxBody>, Error>) -> Result<ServiceResponse<BoxBody>, Error> {
        answer
    }
}
