//! `sort` and `fields` on `/skills`, `/categories` and `/faqs`.

use serde_json::json;

use crate::helpers::{problem, slugs, spawn_app, spawn_esco_app};

const SEED_BY_NAME: [&str; 8] = [
    "cryptocurrency-analysis",
    "customer-experience-enhancement",
    "machine-learning-engineering",
    "nlp",
    "seo",
    "smart-contract-development",
    "social-media-management",
    "supply-chain-management",
];

#[actix_web::test]
async fn skills_sort_by_name_both_ways_and_by_position() {
    let app = spawn_app().await;

    let by_name = app.get_json("/skills?sort=name", 200).await;
    let desc = app.get_json("/skills?sort=-name", 200).await;
    let by_position = app.get_json("/skills?sort=position", 200).await;

    assert_eq!(slugs(&by_name), SEED_BY_NAME);
    let mut reversed = SEED_BY_NAME;
    reversed.reverse();
    assert_eq!(slugs(&desc), reversed);
    assert_eq!(by_position, app.get_json("/skills", 200).await, "position is the default");
}

#[actix_web::test]
async fn sort_combines_with_filters_and_paging_and_the_links_keep_it() {
    let app = spawn_app().await;

    let res = app.get("/skills?category=marketing,blockchain&sort=-name&limit=2&offset=1").await;
    assert_eq!(res.status().as_u16(), 200);
    let link = res.headers()["link"].to_str().unwrap().to_owned();
    let body: serde_json::Value = res.json().await.unwrap();

    // marketing + blockchain, Z to A: social-media-management, smart-contract-development, seo, cryptocurrency-analysis.
    assert_eq!(slugs(&body), ["smart-contract-development", "seo"]);
    assert_eq!(body["total"], 4);
    assert_eq!(
        link,
        "</skills?category=blockchain%2Cmarketing&sort=-name&limit=2&offset=3>; rel=\"next\", \
         </skills?category=blockchain%2Cmarketing&sort=-name&limit=2&offset=0>; rel=\"prev\""
    );
}

#[actix_web::test]
async fn the_collation_ignores_case() {
    let app = spawn_esco_app().await;

    let body = app.get_json("/skills?type=knowledge&sort=name&limit=3&fields=name", 200).await;

    // "Absorb" sorts among the lowercase names, not before them all as a byte order would put it
    // (accents and ties: the unit test of src/catalog/order.rs).
    assert_eq!(
        body,
        json!({"data": [{"name": "Absorb (learning management systems)"}, {"name": "biomedical science"},
                        {"name": "blockchain"}],
               "total": 57, "limit": 3, "offset": 0})
    );
}

#[actix_web::test]
async fn categories_and_faqs_sort_too() {
    let app = spawn_app().await;

    let categories = app.get_json("/categories?sort=-name&fields=slug,name", 200).await;
    let faqs = app.get_json("/faqs?sort=name&fields=id", 200).await;

    assert_eq!(
        categories,
        json!({"data": [
            {"slug": "ecommerce", "name": "E-commerce Management"},
            {"slug": "marketing", "name": "Digital Marketing Mastery"},
            {"slug": "blockchain", "name": "Blockchain and Cryptocurrency Expertise"},
            {"slug": "ai", "name": "Artificial Intelligence and Machine Learning"}],
            "total": 4})
    );
    // By question: "Are…", "How can I acquire…", "How can I enhance…", "What…", "Where…".
    assert_eq!(
        faqs,
        json!({"data": [{"id": 3}, {"id": 1}, {"id": 4}, {"id": 2}, {"id": 5}], "total": 5, "limit": 50, "offset": 0})
    );
}

#[actix_web::test]
async fn fields_keep_only_the_named_fields_in_the_items_order() {
    let app = spawn_app().await;

    let body = app.get_json("/skills?category=ai&fields=position,slug,category", 200).await;
    let text = app.get("/skills?category=ai&fields=slug,name").await.text().await.unwrap();

    assert_eq!(
        body,
        json!({"data": [
            {"slug": "nlp", "category": {"slug": "ai", "name": "Artificial Intelligence and Machine Learning"}, "position": 3},
            {"slug": "machine-learning-engineering", "category": {"slug": "ai", "name": "Artificial Intelligence and Machine Learning"}, "position": 4}],
            "total": 2, "limit": 50, "offset": 0})
    );
    assert_eq!(
        text,
        r#"{"data":[{"slug":"nlp","name":"Natural Language Processing (NLP)"},{"slug":"machine-learning-engineering","name":"Machine Learning Engineering"}],"total":2,"limit":50,"offset":0}"#
    );
    // Asked in another order, the same answer (one cache entry, one ETag).
    let a = app.get("/skills?fields=slug,name").await.headers()["etag"].clone();
    let b = app.get("/skills?fields=name,slug").await.headers()["etag"].clone();
    assert_eq!(a, b);
    // A field asked for is there, null when the item has no value (as in the full form).
    assert_eq!(app.get_json("/skills?slug=seo&fields=uri", 200).await["data"], json!([{"uri": null}]));
    assert_eq!(
        app.get_json("/categories?fields=code,slug", 200).await["data"][0],
        json!({"slug": "marketing", "code": null})
    );
}

#[actix_web::test]
async fn a_bad_sort_key_or_field_is_a_problem_listing_the_valid_ones() {
    let app = spawn_app().await;

    let sort = problem(app.get_json("/faqs?sort=question", 400).await);
    let field = problem(app.get_json("/skills?fields=slug,colour", 400).await);
    let category_field = problem(app.get_json("/categories?fields=skills", 400).await);
    let with_q = problem(app.get_json("/skills?q=seo&sort=name", 400).await);

    assert_eq!(
        sort,
        json!({"type": "urn:powerskills:problem:invalid-parameter", "title": "Invalid parameter", "status": 400,
               "detail": "`sort` must be one of `position`, `name` or `-name`, not `question`",
               "instance": "/faqs?sort=question", "parameter": "sort", "valid_values": ["position", "name", "-name"]})
    );
    assert_eq!(
        field,
        json!({"type": "urn:powerskills:problem:invalid-parameter", "title": "Invalid parameter", "status": 400,
               "detail": "`colour` is not a field of these items; `fields` takes a comma-separated list of: slug, name, description, category, type, position, uri, matched, score",
               "instance": "/skills?fields=slug,colour", "parameter": "fields",
               "valid_values": ["slug", "name", "description", "category", "type", "position", "uri", "matched", "score"]})
    );
    assert_eq!(category_field["valid_values"], json!(["slug", "name", "description", "code", "parent", "skill_count"]));
    assert_eq!(with_q["parameter"], "sort");
    assert_eq!(with_q["detail"], "`sort` does not combine with `q`: search results are ranked by relevance");
}

#[actix_web::test]
async fn fields_apply_to_search_hits() {
    let app = spawn_app().await;

    let body = app.get_json("/skills?q=seo&fields=slug,score", 200).await;

    assert_eq!(body["data"][0].as_object().unwrap().keys().collect::<Vec<_>>(), ["score", "slug"]);
    assert_eq!(body["data"][0]["slug"], "seo");
}
