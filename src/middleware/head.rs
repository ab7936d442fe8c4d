//! `HEAD` is served as `GET`: the request's method is rewritten before routing, and actix's
//! HTTP/1 encoder, which remembers the method the client sent, writes the headers without the
//! body. So every GET route answers HEAD with the same status, headers and `Content-Length`.

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;

/// The middleware (`actix_web::middleware::from_fn(head_as_get)`).
pub async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}
