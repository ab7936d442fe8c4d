//! Bad input: every 4xx is an RFC 9457 problem naming what is wrong.

use serde_json::json;

use crate::helpers::{problem, spawn_app};

#[actix_web::test]
async fn unknown_category_filter_lists_valid_slugs() {
    let app = spawn_app().await;
    let body = problem(app.get_json("/skills?category=ai,robotics", 400).await);
    assert_eq!(
        body,
        json!({
            "type": "urn:powerskills:problem:unknown-category",
            "title": "Unknown category",
            "status": 400,
            "detail": "`robotics` is not a category of this catalog; valid categories are listed in `valid_values`",
            "instance": "/skills?category=ai,robotics",
            "parameter": "category",
            "valid_values": ["marketing", "ai", "blockchain", "ecommerce"]
        })
    );
    let faqs = problem(app.get_json("/faqs?category=nope", 400).await);
    assert_eq!(faqs["type"], "urn:powerskills:problem:unknown-category");
}

#[actix_web::test]
async fn limit_and_offset_out_of_range_name_the_parameter() {
    let app = spawn_app().await;
    for (query, parameter) in [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=abc", "limit"),
        ("limit=", "limit"),
        ("offset=-1", "offset"),
        ("offset=x", "offset"),
        ("offset=2147483648", "offset"),
    ] {
        for path in ["/skills", "/faqs"] {
            let body = problem(app.get_json(&format!("{path}?{query}"), 400).await);
            assert_eq!(body["type"], "urn:powerskills:problem:invalid-parameter", "{path}?{query}");
            assert_eq!(body["parameter"], parameter, "{path}?{query}");
        }
    }
    let body = problem(app.get_json("/skills?limit=101", 400).await);
    assert_eq!(body["detail"], "`limit` must be an integer from 1 to 100, not `101`");
}

#[actix_web::test]
async fn malformed_category_filters_are_400() {
    let app = spawn_app().await;
    for query in ["category=", "category=ai,,seo", "category=a_i", "category=%F0%9F%98%80"] {
        let body = problem(app.get_json(&format!("/skills?{query}"), 400).await);
        assert_eq!(body["parameter"], "category", "{query}");
    }
}

#[actix_web::test]
async fn unparsable_query_strings_are_400() {
    let app = spawn_app().await;
    let unknown = problem(app.get_json("/skills?categroy=ai", 400).await);
    assert_eq!(unknown["type"], "urn:powerskills:problem:invalid-query");
    assert_eq!(
        unknown["detail"],
        "the query string does not parse: unknown field `categroy`, expected one of `q`, `category`, `type`, `limit`, `offset`, `slug`, `sort`, `fields`"
    );
    let duplicate = problem(app.get_json("/skills?limit=1&limit=2", 400).await);
    assert_eq!(duplicate["detail"], "the query string does not parse: duplicate field `limit`");
}

#[actix_web::test]
async fn unknown_routes_and_skills_are_404() {
    let app = spawn_app().await;
    let route = problem(app.get_json("/nowhere?x=1", 404).await);
    assert_eq!(
        route,
        json!({"type": "urn:powerskills:problem:not-found", "title": "Not found", "status": 404,
               "detail": "no route matches this path", "instance": "/nowhere?x=1"})
    );
    let skill = problem(app.get_json("/skills/underwater-basket-weaving", 404).await);
    assert_eq!(skill["detail"], "no skill has the slug `underwater-basket-weaving`");
    let odd = problem(app.get_json("/skills/not%20a%20slug", 404).await);
    assert_eq!(odd["detail"], "no skill has the slug `not a slug`");
}

#[actix_web::test]
async fn wrong_method_is_405_with_allow() {
    let app = spawn_app().await;
    for path in ["/skills", "/skills/nlp", "/categories", "/faqs/1", "/"] {
        let res = app.client.delete(app.url(path)).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 405, "{path}");
        assert_eq!(res.headers()["allow"], "GET, HEAD", "{path}");
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        let body = problem(res.json().await.unwrap());
        assert_eq!(body["type"], "urn:powerskills:problem:method-not-allowed");
        assert_eq!(body["status"], 405);
    }
}

#[actix_web::test]
async fn problem_bodies_carry_the_request_id_header() {
    let app = spawn_app().await;
    let res = app.client.get(app.url("/skills/nope")).header("x-request-id", "client-chosen.1").send().await.unwrap();
    assert_eq!(res.headers()["x-request-id"], "client-chosen.1");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["request_id"], "client-chosen.1");
}

/// Every `type` string in a JSON document: the values of `type` keys and every string that is a
/// problem URI (enums and examples).
fn problem_uris(value: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
    match value {
        serde_json::Value::String(s) if s.starts_with(powerskills::error::PROBLEM_TYPE_PREFIX) => {
            out.insert(s.clone());
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| problem_uris(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| problem_uris(v, out)),
        _ => {}
    }
}

#[test]
fn the_document_lists_exactly_the_problem_types_the_code_can_emit() {
    use std::collections::BTreeSet;
    let emitted: BTreeSet<String> = powerskills::error::ProblemKind::ALL.iter().map(|k| k.uri().to_owned()).collect();
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json")).unwrap();
    let document: serde_json::Value = serde_json::from_str(&text).unwrap();
    let listed: BTreeSet<String> = document["components"]["schemas"]["Problem"]["properties"]["type"]["enum"]
        .as_array()
        .expect("Problem.type is an enum")
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(listed, emitted, "Problem.type's enum and the table of kinds");
    // And no example anywhere in the document names a type the code cannot emit.
    let mut named = BTreeSet::new();
    problem_uris(&document, &mut named);
    let unknown: Vec<&String> = named.difference(&emitted).collect();
    assert!(unknown.is_empty(), "the document names types no code emits: {unknown:?}");
    // docs/API-DESIGN.md describes each one.
    let design = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/API-DESIGN.md")).unwrap();
    for uri in &emitted {
        assert!(design.contains(&format!("| `{uri}` |")), "docs/API-DESIGN.md does not describe {uri}");
    }
}
