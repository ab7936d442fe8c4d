//! How the middlewares of one job each are wrapped around the app without each costing a boxed
//! future: a [`Stage`] says what it does to a request before the app sees it and to the answer
//! after, and [`Staged`] makes it an actix middleware whose future is a concrete type, polled
//! in place inside the one future of the request. (`actix_web::middleware::from_fn`, used
//! before, boxes a future and a service handle per layer and request; BENCHMARKS.md,
//! "Middleware without boxed futures", has the instructions per request before and after.)
//!
//! Every stage takes and answers a [`BoxBody`], so the bodies' type does not grow with each
//! layer, and an answer passes through a stage without its body being mapped (a map moves the
//! whole response, once per layer).

use std::future::{Ready, ready};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use actix_web::body::BoxBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::{Error, HttpResponse};

/// What [`Stage::before`] decided about a request.
pub enum Before<C> {
    /// On to the inner services, with what [`Stage::after`] needs to know.
    Go(C),
    /// Answered at once: the inner services do not see the request, and [`Stage::after`] is not
    /// called.
    Answer(HttpResponse),
    /// Answered at once, and [`Stage::after`] is called on the answer: what a chain of stages
    /// (`(outer, inner)`) decides when an inner one answered, so that the outer ones see that
    /// answer as they would an inner service's.
    AnswerThenAfter(HttpResponse, C),
}

/// One middleware's work: on the request, before the inner services, and on their answer.
pub trait Stage: 'static {
    /// What [`Stage::before`] hands on to [`Stage::after`] about this request.
    type Carry;

    /// Runs before the inner services.
    fn before(&self, req: &mut ServiceRequest) -> Before<Self::Carry>;

    /// Runs on what the inner services answered (or failed with).
    fn after(
        &self,
        carry: Self::Carry,
        answer: Result<ServiceResponse<BoxBody>, Error>,
    ) -> Result<ServiceResponse<BoxBody>, Error>;
}

/// Two stages as one, `(outer, inner)`: the outer one's `before`, then the inner one's; on the
/// way back, the inner one's `after`, then the outer one's. What a client sees is what the two
/// wrapped one inside the other give, but the request passes one middleware instead of two, and
/// its future is one layer less deep (BENCHMARKS.md, "Repeated reads answered before routing").
/// [`stages!`](crate::stages) chains more than two.
impl<A: Stage, B: Stage> Stage for (A, B) {
    /// The outer stage's carry; the inner one's unless the outer one answered.
    type Carry = (A::Carry, Option<B::Carry>);

    #[inline]
    fn before(&self, req: &mut ServiceRequest) -> Before<Self::Carry> {
        let outer = match self.0.before(req) {
            Before::Go(outer) => outer,
            Before::Answer(res) => return Before::Answer(res),
            Before::AnswerThenAfter(res, outer) => return Before::AnswerThenAfter(res, (outer, None)),
        };
        match self.1.before(req) {
            Before::Go(inner) => Before::Go((outer, Some(inner))),
            Before::Answer(res) => Before::AnswerThenAfter(res, (outer, None)),
            Before::AnswerThenAfter(res, inner) => Before::AnswerThenAfter(res, (outer, Some(inner))),
        }
    }

    #[inline]
    fn after(
        &self,
        (outer, inner): Self::Carry,
        answer: Result<ServiceResponse<BoxBody>, Error>,
    ) -> Result<ServiceResponse<BoxBody>, Error> {
        let answer = match inner {
            Some(inner) => self.1.after(inner, answer),
            None => answer,
        };
        self.0.after(outer, answer)
    }
}

/// Stages chained into one, outermost first: `stages!(a, b, c)` is `(a, (b, c))`.
#[macro_export]
macro_rules! stages {
    ($stage:expr $(,)?) => { $stage };
    ($outer:expr, $($inner:expr),+ $(,)?) => { ($outer, $crate::stages!($($inner),+)) };
}

/// A [`Stage`] as an actix middleware (`App::wrap(Staged::new(stage))`). Each app (one per
/// worker) makes its own, so a stage may keep per-worker state in a `Cell` or `RefCell`.
pub struct Staged<T>(Rc<T>);

impl<T: Stage> Staged<T> {
    pub fn new(stage: T) -> Self {
        Staged(Rc::new(stage))
    }
}

impl<S, T> Transform<S, ServiceRequest> for Staged<T>
where
    S: Service<ServiceRequest, Response = ServiceResponse<BoxBody>, Error = Error>,
    T: Stage,
{
    type Response = ServiceResponse<BoxBody>;
    type Error = Error;
    type Transform = StagedService<S, T>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(StagedService { service, stage: Rc::clone(&self.0) }))
    }
}

pub struct StagedService<S, T> {
    service: S,
    stage: Rc<T>,
}

impl<S, T> Service<ServiceRequest> for StagedService<S, T>
where
    S: Service<ServiceRequest, Response = ServiceResponse<BoxBody>, Error = Error>,
    T: Stage,
{
    type Response = ServiceResponse<BoxBody>;
    type Error = Error;
    type Future = StagedFuture<S::Future, T>;

    forward_ready!(service);

    fn call(&self, mut req: ServiceRequest) -> Self::Future {
        match self.stage.before(&mut req) {
            Before::Go(carry) => {
                StagedFuture::Inner { fut: self.service.call(req), after: Some((Rc::clone(&self.stage), carry)) }
            }
            Before::Answer(answer) => StagedFuture::Answered { res: Some(Ok(req.into_response(answer))) },
            Before::AnswerThenAfter(answer, carry) => {
                StagedFuture::Answered { res: Some(self.stage.after(carry, Ok(req.into_response(answer)))) }
            }
        }
    }
}

pin_project_lite::pin_project! {
    /// The future of a [`Staged`] middleware: the inner services' future, then [`Stage::after`].
    #[project = StagedProj]
    pub enum StagedFuture<F, T: Stage> {
        Inner { #[pin] fut: F, after: Option<(Rc<T>, T::Carry)> },
        Answered { res: Option<Result<ServiceResponse, Error>> },
    }
}

impl<F, T> Future for StagedFuture<F, T>
where
    F: Future<Output = Result<ServiceResponse<BoxBody>, Error>>,
    T: Stage,
{
    type Output = Result<ServiceResponse<BoxBody>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            StagedProj::Inner { fut, after } => {
                let answer = std::task::ready!(fut.poll(cx));
                let (stage, carry) = after.take().expect("a staged future is not polled after it is ready");
                Poll::Ready(stage.after(carry, answer))
            }
            StagedProj::Answered { res } => {
                Poll::Ready(res.take().expect("a staged future is not polled after it is ready"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use actix_web::http::StatusCode;
    use actix_web::http::header::{HeaderName, HeaderValue};
    use actix_web::{App, test, web};

    use super::*;

    /// Refuses `/no`; marks every other answer with the path `before` saw.
    struct Mark;

    impl Stage for Mark {
        type Carry = String;

        fn before(&self, req: &mut ServiceRequest) -> Before<String> {
            if req.path() == "/no" {
                return Before::Answer(HttpResponse::Forbidden().body("refused"));
            }
            Before::Go(req.path().to_owned())
        }

        fn after(&self, path: String, answer: Result<ServiceResponse, Error>) -> Result<ServiceResponse, Error> {
            let mut res = answer?;
            res.headers_mut().insert(HeaderName::from_static("x-seen"), HeaderValue::from_str(&path).unwrap());
            Ok(res)
        }
    }

    #[actix_web::test]
    async fn a_stage_sees_the_request_and_its_answer_and_can_answer_first() {
        let app =
            test::init_service(App::new().wrap(Staged::new(Mark)).route("/{any}", web::get().to(|| async { "inner" })))
                .await;
        let res = test::call_service(&app, test::TestRequest::get().uri("/yes").to_request()).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers().get("x-seen").unwrap(), "/yes");
        assert_eq!(test::read_body(res).await, "inner");
        let res = test::call_service(&app, test::TestRequest::get().uri("/no").to_request()).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert!(res.headers().get("x-seen").is_none());
        assert_eq!(test::read_body(res).await, "refused");
    }

    /// Answers requests for `/{name}` with its name; marks every answer it sees with it.
    struct Named(&'static str);

    impl Stage for Named {
        type Carry = ();

        fn before(&self, req: &mut ServiceRequest) -> Before<()> {
            if req.path() == format!("/{}", self.0) {
                return Before::Answer(HttpResponse::Ok().body(self.0));
            }
            Before::Go(())
        }

        fn after(&self, _: (), answer: Result<ServiceResponse, Error>) -> Result<ServiceResponse, Error> {
            let mut res = answer?;
            res.headers_mut().append(HeaderName::from_static("x-seen-by"), HeaderValue::from_static(self.0));
            Ok(res)
        }
    }

    #[actix_web::test]
    async fn chained_stages_answer_as_the_same_stages_wrapped_one_in_another() {
        let chained = test::init_service(
            App::new()
                .wrap(Staged::new(crate::stages!(Named("a"), Named("b"), Named("c"))))
                .route("/{any}", web::get().to(|| async { "inner" })),
        )
        .await;
        let nested = test::init_service(
            App::new()
                .wrap(Staged::new(Named("c")))
                .wrap(Staged::new(Named("b")))
                .wrap(Staged::new(Named("a")))
                .route("/{any}", web::get().to(|| async { "inner" })),
        )
        .await;
        // Through all three, or answered by one of them: the ones outside it see its answer.
        let cases = [
            ("/x", "inner", vec!["c", "b", "a"]),
            ("/a", "a", vec![]),
            ("/b", "b", vec!["a"]),
            ("/c", "c", vec!["b", "a"]),
        ];
        for (path, body, seen_by) in cases {
            let want = (seen_by.iter().map(ToString::to_string).collect::<Vec<_>>(), bytes::Bytes::from(body));
            assert_eq!(answer(&chained, path).await, want, "chained: {path}");
            assert_eq!(answer(&nested, path).await, want, "nested: {path}");
        }
    }

    /// Who marked the answer to `path`, and its body.
    async fn answer(
        app: &impl Service<actix_http::Request, Response = ServiceResponse, Error = Error>,
        path: &str,
    ) -> (Vec<String>, bytes::Bytes) {
        let res = test::call_service(app, test::TestRequest::get().uri(path).to_request()).await;
        let seen = res.headers().get_all("x-seen-by").map(|v| v.to_str().unwrap().to_owned()).collect();
        (seen, test::read_body(res).await)
    }
}
