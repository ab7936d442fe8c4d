//! `HEAD` is served as `GET`: the request's method is rewritten before routing, and actix's
//! HTTP/1 encoder, which remembers the method the client sent, writes the headers without the
//! body. So every GET route answers HEAD with the same status, headers and `Content-Length`.

use std::future::{Ready, ready};

use actix_web::Error;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::Method;

#[derive(Debug, Clone, Copy, Default)]
pub struct HeadAsGet;

impl<S, B> Transform<S, ServiceRequest> for HeadAsGet
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Transform = HeadAsGetService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(HeadAsGetService { service }))
    }
}

pub struct HeadAsGetService<S> {
    service: S,
}

impl<S, B> Service<ServiceRequest> for HeadAsGetService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Future = S::Future;

    forward_ready!(service);

    fn call(&self, mut req: ServiceRequest) -> Self::Future {
        if req.method() == Method::HEAD {
            req.head_mut().method = Method::GET;
        }
        self.service.call(req)
    }
}
