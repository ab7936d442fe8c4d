//! The security headers and CORS's read permission on every response (the headers themselves,
//! and why, are [`crate::response::security`]'s).

use actix_web::Error;
use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;

use super::stage::{Before, Stage};
use crate::response::security::{apply, block_for};

/// The middleware (`Staged::new(SecurityHeaders)`).
pub struct SecurityHeaders;

impl Stage for SecurityHeaders {
    type Carry = ();

    fn before(&self, _: &mut ServiceRequest) -> Before<()> {
        Before::Go(())
    }

    fn after(&self, _: (), answer: Result<ServiceResponse<BoxBody>, Error>) -> Result<ServiceResponse<BoxBody>, Error> {
        match answer {
            Ok(mut res) => {
                if res.response().head().raw_headers().is_some() {
                    // The prebuilt block has these headers, CORS's `*` included: the one
                    // `actix-cors` adds for a request with `Origin` would be a second.
                    res.headers_mut().remove(header::ACCESS_CONTROL_ALLOW_ORIGIN);
                } else {
                    let block = block_for(res.headers());
                    apply(res.headers_mut(), block);
                }
                Ok(res)
            }
            Err(mut err) => {
                err.add_response_mapper(move |mut res| {
                    let block = block_for(res.headers());
                    apply(res.headers_mut(), block);
                    res
                });
                Err(err)
            }
        }
    }
}
