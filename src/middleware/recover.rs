//! The last line of defence: a panic in a handler, or an error a middleware returned instead of a
//! response, becomes a problem response, so the worker keeps serving and no client ever sees a
//! bare 500 or a closed connection.

use std::future::{Ready, ready};
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::StatusCode;
use actix_web::http::header::HeaderMap;
use actix_web::{Error, HttpResponse, ResponseError};
use bytes::Bytes;
use futures_util::FutureExt;
use futures_util::future::CatchUnwind;

use crate::error::ApiError;

/// The middleware. (Not a [`super::stage::Stage`]: it polls the inner future under
/// `catch_unwind`.)
pub struct Recover;

impl<S, B> Transform<S, ServiceRequest> for Recover
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<BoxBody>;
    type Error = Error;
    type Transform = RecoverService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(RecoverService { service }))
    }
}

pub struct RecoverService<S> {
    service: S,
}

impl<S, B> Service<ServiceRequest> for RecoverService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<BoxBody>;
    type Error = Error;
    type Future = RecoverFuture<S::Future>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        RecoverFuture { fut: AssertUnwindSafe(self.service.call(req)).catch_unwind() }
    }
}

pin_project_lite::pin_project! {
    /// The inner future, a panic in it caught.
    pub struct RecoverFuture<F> {
        #[pin]
        fut: CatchUnwind<AssertUnwindSafe<F>>,
    }
}

impl<F, B> Future for RecoverFuture<F>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
    B: MessageBody + 'static,
{
    type Output = Result<ServiceResponse<BoxBody>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let failure = match std::task::ready!(self.project().fut.poll(cx)) {
            Ok(Ok(res)) => return Poll::Ready(Ok(res.map_into_boxed_body())),
            Ok(Err(err)) => match err.as_error::<ApiError>() {
                Some(api) => api.error_response(),
                None => {
                    let status = err.as_response_error().status_code();
                    if status.is_server_error() {
                        ApiError::Internal(format!("middleware error: {err}")).error_response()
                    } else {
                        ApiError::Rejected(status).error_response()
                    }
                }
            },
            Err(panic) => {
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                ApiError::Internal(format!("handler panicked: {message}")).error_response()
            }
        };
        Poll::Ready(Err(Recovered::from(failure).into()))
    }
}

/// A response already rendered (here, while the request is current), handed on as an error: the
/// request is gone once the inner service failed (it cannot be cloned before, as routing needs it
/// unshared), so there is no `ServiceResponse` to build, and actix's dispatcher writes this.
/// The middlewares outside add their headers to it with [`actix_web::Error::add_response_mapper`].
#[derive(Debug)]
pub struct Recovered {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl From<HttpResponse> for Recovered {
    fn from(res: HttpResponse) -> Self {
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.into_body().try_into_bytes().unwrap_or_default();
        Recovered { status, headers, body }
    }
}

impl std::fmt::Display for Recovered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "recovered with {}", self.status)
    }
}

impl ResponseError for Recovered {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::with_body(self.status, BoxBody::new(self.body.clone()));
        *res.headers_mut() = self.headers.clone();
        res
    }
}

#[cfg(test)]
mod tests {
    use actix_web::http::header;
    use actix_web::{App, test, web};

    use super::*;
    use crate::error::PROBLEM_CONTENT_TYPE;
    use crate::middleware::request_id::AssignRequestId;

    #[actix_web::test]
    async fn a_panicking_handler_is_a_500_problem_and_the_next_request_is_served() {
        let app = test::init_service(
            App::new()
                .wrap(Recover)
                .wrap(AssignRequestId)
                .route("/boom", web::get().to(|| async { panic!("secret internal detail") as &'static str }))
                .route("/ok", web::get().to(|| async { "fine" })),
        )
        .await;
        let err = test::try_call_service(&app, test::TestRequest::get().uri("/boom").to_request()).await.unwrap_err();
        let res = err.error_response();
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(res.headers().get(header::CONTENT_TYPE).unwrap(), PROBLEM_CONTENT_TYPE);
        let bytes = actix_web::body::to_bytes(res.into_body()).await.unwrap();
        let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(body["type"], "urn:powerskills:problem:internal");
        assert_eq!(body["instance"], "/boom");
        assert!(!body.to_string().contains("secret"), "{body}");
        for _ in 0..3 {
            let res = test::call_service(&app, test::TestRequest::get().uri("/ok").to_request()).await;
            assert_eq!(res.status(), StatusCode::OK);
            assert_eq!(test::read_body(res).await, "fine");
        }
    }
}
