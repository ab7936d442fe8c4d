//! `GET /categories` and `GET /categories/{slug}`.

use serde_json::json;

use crate::helpers::{problem, slugs, spawn_app};

#[actix_web::test]
async fn categories_are_listed_in_article_order_with_skill_counts() {
    let app = spawn_app().await;
    let body = app.get_json("/categories", 200).await;
    assert_eq!(slugs(&body), ["marketing", "ai", "blockchain", "ecommerce"]);
    assert_eq!(body["total"], 4);
    for c in body["data"].as_array().unwrap() {
        assert_eq!(c["skill_count"], 2, "{}", c["slug"]);
        assert_eq!(c["parent"], json!(null));
        assert_eq!(c["code"], json!(null));
    }
}

#[actix_web::test]
async fn a_category_comes_with_its_skills() {
    let app = spawn_app().await;
    let body = app.get_json("/categories/blockchain", 200).await;
    assert_eq!(body["slug"], "blockchain");
    assert_eq!(body["name"], "Blockchain and Cryptocurrency Expertise");
    assert_eq!(body["skill_count"], 2);
    assert_eq!(body["parent"], json!(null));
    assert_eq!(body["children"], json!([]));
    assert_eq!(body["skills_url"], "/skills?category=blockchain");
    let skills: Vec<&str> = body["skills"].as_array().unwrap().iter().map(|s| s["slug"].as_str().unwrap()).collect();
    assert_eq!(skills, ["smart-contract-development", "cryptocurrency-analysis"]);
}

#[actix_web::test]
async fn category_slugs_are_case_insensitive() {
    let app = spawn_app().await;
    let upper = app.get_json("/categories/AI", 200).await;
    let lower = app.get_json("/categories/ai", 200).await;
    assert_eq!(upper, lower);
}

#[actix_web::test]
async fn an_unknown_category_is_404() {
    let app = spawn_app().await;
    let body = problem(app.get_json("/categories/robotics", 404).await);
    assert_eq!(
        body,
        json!({
            "type": "urn:powerskills:problem:not-found",
            "title": "Not found",
            "status": 404,
            "detail": "no category has the slug `robotics`",
            "instance": "/categories/robotics"
        })
    );
}
