//! Which methods each path answers, taken from the endpoint declarations as the app registers
//! them (the paths `utoipa-actix-web` collects from each `service`, not the OpenAPI document),
//! so that a known path asked with another method gets 405 + `Allow` instead of actix's 404
//! (actix's per-method handlers guard the whole resource).

use actix_web::http::Method;

#[derive(Debug, Clone, Default)]
pub struct RoutesTable {
    routes: Vec<(Vec<Segment>, Vec<Method>)>,
}

#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Literal(String),
    Param,
}

impl RoutesTable {
    pub fn from_paths(paths: &utoipa::openapi::Paths) -> Self {
        let routes = paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path
                    .split('/')
                    .map(|s| if s.starts_with('{') { Segment::Param } else { Segment::Literal(s.to_owned()) })
                    .collect();
                let mut methods = Vec::new();
                if item.get.is_some() {
                    methods.extend([Method::GET, Method::HEAD]);
                }
                if item.post.is_some() {
                    methods.push(Method::POST);
                }
                (segments, methods)
            })
            .collect();
        RoutesTable { routes }
    }

    /// The `Allow` value for `path`, if some route has this path. As in OpenAPI path matching, a
    /// concrete path wins over a templated one: `/skills/extract` is POST only, even though
    /// `/skills/{slug}` would also match it.
    pub fn allowed(&self, path: &str) -> Option<String> {
        let parts: Vec<&str> = path.split('/').collect();
        let matching: Vec<&(Vec<Segment>, Vec<Method>)> = self
            .routes
            .iter()
            .filter(|(segments, _)| {
                segments.len() == parts.len()
                    && segments.iter().zip(&parts).all(|(seg, part)| match seg {
                        Segment::Param => !part.is_empty(),
                        Segment::Literal(lit) => lit == part,
                    })
            })
            .collect();
        let params = |segments: &[Segment]| segments.iter().filter(|s| **s == Segment::Param).count();
        let fewest = matching.iter().map(|(segments, _)| params(segments)).min()?;
        let mut methods: Vec<&Method> = matching
            .iter()
            .filter(|(segments, _)| params(segments) == fewest)
            .flat_map(|(_, methods)| methods)
            .collect();
        methods.sort_by_key(|m| m.as_str().to_owned());
        methods.dedup();
        Some(methods.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", "))
    }
}

#[cfg(test)]
mod tests {
    use utoipa_actix_web::AppExt;

    use super::*;

    #[test]
    fn known_paths_list_their_methods() {
        let (_, api) = actix_web::App::new().into_utoipa_app().configure(crate::routes::configure).split_for_parts();
        let table = RoutesTable::from_paths(&api.paths);
        assert_eq!(table.allowed("/skills").as_deref(), Some("GET, HEAD"));
        assert_eq!(table.allowed("/skills/nlp").as_deref(), Some("GET, HEAD"));
        assert_eq!(table.allowed("/skills/extract").as_deref(), Some("POST"));
        assert_eq!(table.allowed("/skills/nlp/extra"), None);
        assert_eq!(table.allowed("/nowhere"), None);
    }
}
