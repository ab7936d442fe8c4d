//! `GET /faqs` and `GET /faqs/{id}`.

use serde_json::json;

use crate::helpers::{problem, spawn_app};

fn ids(body: &serde_json::Value) -> Vec<u64> {
    body["data"].as_array().unwrap().iter().map(|f| f["id"].as_u64().unwrap()).collect()
}

#[actix_web::test]
async fn faqs_are_listed_in_article_order_with_their_categories() {
    let app = spawn_app().await;
    let body = app.get_json("/faqs", 200).await;
    assert_eq!(ids(&body), [1, 2, 3, 4, 5]);
    let categories: Vec<&str> =
        body["data"].as_array().unwrap().iter().map(|f| f["category"]["slug"].as_str().unwrap()).collect();
    assert_eq!(categories, ["marketing", "ai", "blockchain", "ecommerce", "ecommerce"]);
    assert_eq!((body["total"].as_u64(), body["limit"].as_u64(), body["offset"].as_u64()), (Some(5), Some(50), Some(0)));
}

#[actix_web::test]
async fn faqs_filter_by_category_and_paginate() {
    let app = spawn_app().await;
    assert_eq!(ids(&app.get_json("/faqs?category=ecommerce", 200).await), [4, 5]);
    assert_eq!(ids(&app.get_json("/faqs?category=ai,marketing", 200).await), [1, 2]);
    let res = app.get("/faqs?limit=2&offset=2").await;
    assert_eq!(res.headers()["link"], "</faqs?limit=2&offset=4>; rel=\"next\", </faqs?limit=2&offset=0>; rel=\"prev\"");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(ids(&body), [3, 4]);
}

#[actix_web::test]
async fn one_faq_entry() {
    let app = spawn_app().await;
    let body = app.get_json("/faqs/3", 200).await;
    assert_eq!(
        body,
        json!({
            "id": 3,
            "question": "Are blockchain and cryptocurrencies here to stay?",
            "answer": "The adoption of blockchain technology and cryptocurrencies is steadily increasing across industries. While the future is still evolving, the potential for transformative impact and innovation is significant, making them likely to stay.",
            "category": {"slug": "blockchain", "name": "Blockchain and Cryptocurrency Expertise"}
        })
    );
}

#[actix_web::test]
async fn unknown_and_malformed_faq_ids() {
    let app = spawn_app().await;
    let missing = problem(app.get_json("/faqs/6", 404).await);
    assert_eq!(missing["detail"], "no FAQ entry has the id `6`");
    // A number that names no entry is not found, like every other id that does not exist.
    for absent in ["0", "99999999999"] {
        let body = problem(app.get_json(&format!("/faqs/{absent}"), 404).await);
        assert_eq!(body["type"], "urn:powerskills:problem:not-found", "{absent}");
        assert_eq!(body["detail"], format!("no FAQ entry has the id `{absent}`"));
    }
    for bad in ["-1", "abc", "1.5"] {
        let body = problem(app.get_json(&format!("/faqs/{bad}"), 400).await);
        assert_eq!(body["type"], "urn:powerskills:problem:invalid-parameter", "{bad}");
        assert_eq!(body["parameter"], "id", "{bad}");
        assert_eq!(body["detail"], format!("`id` must be a positive integer, not `{bad}`"));
    }
}
