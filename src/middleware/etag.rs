//! An ETag for the 200s no handler tagged, and `If-None-Match` answered for them.
//!
//! The catalog's responses carry the ETag computed once when they are built (see
//! [`crate::response`]); what remains untagged is what other code serves: Swagger UI's files
//! (`utoipa-swagger-ui` sends no validator) and the probes. For those the body is hashed here, so
//! every 200 GET can be revalidated. A tagged response costs a look at its head; streamed bodies
//! are left alone.

use actix_web::Error;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::http::{Method, StatusCode};

use super::stage::{Before, Stage};

/// The middleware (`Staged::new(TagUntagged)`).
pub struct TagUntagged;

impl Stage for TagUntagged {
    /// Whether the request is a GET (HEAD is GET by now, see `head`).
    type Carry = bool;

    fn before(&self, req: &mut ServiceRequest) -> Before<bool> {
        Before::Go(req.method() == Method::GET)
    }

    fn after(
        &self,
        get: bool,
        answer: Result<ServiceResponse<BoxBody>, Error>,
    ) -> Result<ServiceResponse<BoxBody>, Error> {
        let res = answer?;
        // A prebuilt header block (a catalog response) has its ETag.
        let tagged = res.response().head().raw_headers().is_some() || res.headers().contains_key(header::ETAG);
        if get && res.status() == StatusCode::OK && !tagged {
            return Ok(add_etag(res));
        }
        Ok(res)
    }
}

fn add_etag(res: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
    let (req, res) = res.into_parts();
    let (mut res, body) = res.into_parts();
    let bytes = match body.try_into_bytes() {
        Ok(bytes) => bytes,
        Err(body) => return ServiceResponse::new(req, res.set_body(body)),
    };
    let etag = crate::response::etag_for(&bytes);
    let fresh = req.headers().get_all(header::IF_NONE_MATCH).any(|v| crate::response::matches(v, &etag));
    res.headers_mut().insert(header::ETAG, etag);
    if fresh {
        *res.status_mut() = StatusCode::NOT_MODIFIED;
        return ServiceResponse::new(req, res.set_body(BoxBody::new(())));
    }
    ServiceResponse::new(req, res.set_body(BoxBody::new(bytes)))
}
