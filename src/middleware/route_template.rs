//! The template of the route that answered a request (`/skills/{slug}`), for the metrics' labels
//! and the access log, without building it anew for every request.
//!
//! actix builds the template (`match_pattern()`) into a new `String` each time it is asked; its
//! resource's name (`match_name()`) it lends. Each handler's resource is named after the handler
//! function (`#[get]`, `#[post]`), and those names are unique in this app (each is also its
//! operation's id in the OpenAPI document). So each middleware that needs the template keeps one
//! per name, per worker, made on its first request. Resources without a name (the explorer's
//! files, the docs redirect) are asked for their template each time. For a request answered
//! before routing ([`super::answer_cached`]), the current request holds its route's template.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use actix_web::HttpRequest;

use super::request_id;

/// One middleware's templates, by resource name (one per worker: each app has its own).
#[derive(Debug, Default)]
pub struct RouteTemplates(RefCell<HashMap<Box<str>, Arc<str>, foldhash::fast::RandomState>>);

impl RouteTemplates {
    /// The template of the route that answered `req`; `None` when no route did.
    pub fn of(&self, req: &HttpRequest) -> Option<Arc<str>> {
        if let Some(route) = request_id::answered_route() {
            return Some(Arc::clone(&route.template));
        }
        let Some(name) = req.match_name() else {
            return req.match_pattern().map(Arc::from);
        };
        self.kept(name, || req.match_pattern().map(Into::into))
    }

    /// The template kept for the resource `name`, made by `make` the first time.
    fn kept(&self, name: &str, make: impl FnOnce() -> Option<Arc<str>>) -> Option<Arc<str>> {
        if let Some(template) = self.0.borrow().get(name) {
            return Some(Arc::clone(template));
        }
        let template = make()?;
        self.0.borrow_mut().insert(name.into(), Arc::clone(&template));
        Some(template)
    }
}

#[cfg(test)]
mod tests {
    use actix_web::{App, HttpResponse, get, test, web};

    use super::*;

    #[get("/things/{id}")]
    async fn get_thing() -> HttpResponse {
        HttpResponse::Ok().finish()
    }

    #[actix_web::test]
    async fn named_and_unnamed_routes_give_their_templates() {
        let templates = web::Data::new(RouteTemplates::default());
        let seen = web::Data::new(RefCell::new(Vec::<Option<String>>::new()));
        let app = test::init_service(
            App::new()
                .app_data(templates.clone())
                .service(get_thing)
                .route("/plain/{x}", web::get().to(HttpResponse::Ok))
                .wrap_fn({
                    let (templates, seen) = (templates.clone(), seen.clone());
                    move |req, srv| {
                        use actix_web::dev::Service;
                        let (templates, seen) = (templates.clone(), seen.clone());
                        let fut = srv.call(req);
                        async move {
                            let res = fut.await?;
                            seen.borrow_mut().push(templates.of(res.request()).map(|t| t.to_string()));
                            Ok(res)
                        }
                    }
                }),
        )
        .await;
        for uri in ["/things/1", "/things/2", "/plain/a", "/nowhere"] {
            test::call_service(&app, test::TestRequest::get().uri(uri).to_request()).await;
        }
        let want = [Some("/things/{id}"), Some("/things/{id}"), Some("/plain/{x}"), None];
        assert_eq!(seen.borrow().iter().map(Option::as_deref).collect::<Vec<_>>(), want);
        // The named route's template was built once and kept; the unnamed one is not kept.
        assert_eq!(templates.0.borrow().len(), 1);
        assert_eq!(templates.0.borrow().get("get_thing").map(|t| &**t), Some("/things/{id}"));
    }
}
