//! An ETag for the 200s no handler tagged, and `If-None-Match` answered for them.
//!
//! The catalog's responses carry the ETag computed once when they are built (see
//! [`crate::response`]); what remains untagged is what other code serves: Swagger UI's files
//! (`utoipa-swagger-ui` sends no validator) and the probes. For those the body is hashed here, so
//! every 200 GET can be revalidated. A tagged response costs one header lookup; streamed bodies
//! are left alone.

use std::future::{Ready, ready};

use actix_web::Error;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::header;
use actix_web::http::{Method, StatusCode};
use futures_util::future::LocalBoxFuture;

#[derive(Debug, Clone, Copy, Default)]
pub struct TagUntagged;

impl<S, B> Transform<S, ServiceRequest> for TagUntagged
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<BoxBody>;
    type Error = Error;
    type Transform = TagUntaggedService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(TagUntaggedService { service }))
    }
}

pub struct TagUntaggedService<S> {
    service: S,
}

impl<S, B> Service<ServiceRequest> for TagUntaggedService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<BoxBody>;
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        // HEAD is GET by now (see `head`).
        let get = req.method() == Method::GET;
        let fut = self.service.call(req);
        Box::pin(async move {
            let res = fut.await?.map_into_boxed_body();
            if get && res.status() == StatusCode::OK && !res.headers().contains_key(header::ETAG) {
                return Ok(add_etag(res));
            }
            Ok(res)
        })
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
