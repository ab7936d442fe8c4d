//! The security headers and CORS's read permission on every response (the headers themselves,
//! and why, are [`crate::response::security`]'s).

use actix_web::Error;
use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};

use super::stage::{Before, Stage};
use crate::response::security::{apply, block_for};

/// The middleware (`Staged::new(SecurityHeaders)`).
pub struct SecurityHeaders;

impl Stage for SecurityHeaders {
    type Carry = ();

    #[inline]
    fn before(&self, _: &mut ServiceRequest) -> Before<()> {
        Before::Go(())
    }

    #[inline]
    fn after(&self, _: (), answer: Result<ServiceResponse<BoxBody>, Error>) -> Result<ServiceResponse<BoxBody>, Error> {
        match answer {
            Ok(mut res) => {
                // A prebuilt block has these headers already (`cors.rs` keeps `actix-cors` from
                // adding a second read permission to it).
                if res.response().head().raw_headers().is_none() {
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
