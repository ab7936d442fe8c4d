//! `GET /skills/autocomplete`.

use serde_json::json;

use crate::helpers::{problem, spawn_app, spawn_esco_app};

#[actix_web::test]
async fn prefix_suggestions_with_the_label_that_matched() {
    let app = spawn_app().await;
    let body = app.get_json("/skills/autocomplete?q=mach", 200).await;
    assert_eq!(
        body,
        json!({"data": [{"slug": "machine-learning-engineering", "name": "Machine Learning Engineering",
                         "label": "Machine Learning Engineering", "matched": "name", "match_type": "prefix"}]})
    );
    // An alias can be what matched; one suggestion per skill.
    let body = app.get_json("/skills/autocomplete?q=cx", 200).await;
    assert_eq!(body["data"][0]["slug"], "customer-experience-enhancement");
    assert_eq!(body["data"][0]["label"], "CX");
    assert_eq!(body["data"][0]["matched"], "alias");
}

#[actix_web::test]
async fn exact_prefix_comes_before_word_prefix() {
    let app = spawn_app().await;
    // "management": no label starts with it; "Social Media Management" and "Supply Chain
    // Management" have a word that does (names, in catalog order by length).
    let body = app.get_json("/skills/autocomplete?q=MANAGEMENT", 200).await;
    let got: Vec<(&str, &str)> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["slug"].as_str().unwrap(), s["match_type"].as_str().unwrap()))
        .collect();
    assert_eq!(got, [("social-media-management", "word_prefix"), ("supply-chain-management", "word_prefix")]);

    // "s": names starting with S first (shorter first), then aliases, then later words.
    let body = app.get_json("/skills/autocomplete?q=s&limit=3", 200).await;
    let slugs: Vec<&str> = body["data"].as_array().unwrap().iter().map(|s| s["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["social-media-management", "supply-chain-management", "smart-contract-development"]);
}

#[actix_web::test]
async fn no_match_is_an_empty_list_and_bad_input_is_400() {
    let app = spawn_app().await;
    assert_eq!(app.get_json("/skills/autocomplete?q=zzz", 200).await, json!({"data": []}));
    assert_eq!(app.get_json("/skills/autocomplete?q=%22%5E*", 200).await, json!({"data": []}));
    // Spaces only: nothing typed yet, nothing suggested.
    assert_eq!(app.get_json("/skills/autocomplete?q=%20%20", 200).await, json!({"data": []}));
    for (query, parameter) in [("", "q"), ("q=", "q"), ("q=a&limit=0", "limit"), ("q=a&limit=51", "limit")] {
        let body = problem(app.get_json(&format!("/skills/autocomplete?{query}"), 400).await);
        assert_eq!(body["parameter"], parameter, "{query}");
    }
    let long = "a".repeat(101);
    let body = problem(app.get_json(&format!("/skills/autocomplete?q={long}"), 400).await);
    assert_eq!(body["parameter"], "q");
}

#[actix_web::test]
async fn autocomplete_on_the_esco_sample() {
    let app = spawn_esco_app().await;
    let body = app.get_json("/skills/autocomplete?q=mach", 200).await;
    let got: Vec<(&str, &str)> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["slug"].as_str().unwrap(), s["match_type"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            ("machine-learning", "prefix"),
            ("tend-packaging-machines", "word_prefix"),
            ("utilise-machine-learning", "word_prefix"),
            ("operate-agricultural-machinery", "word_prefix"),
        ]
    );
    let google = app.get_json("/skills/autocomplete?q=goo", 200).await;
    assert_eq!(google["data"][0]["slug"], "search-engines");
    assert_eq!(google["data"][0]["label"], "Google");
    // No label starts with a misspelling: the search index reads it, as `fuzzy`.
    let typo = app.get_json("/skills/autocomplete?q=machne%20lea&limit=2", 200).await;
    assert_eq!(
        typo["data"],
        json!([
            {"slug": "machine-learning", "name": "machine learning", "label": "machine learning",
             "matched": "name", "match_type": "fuzzy"},
            {"slug": "utilise-machine-learning", "name": "utilise machine learning", "label": "utilise machine learning",
             "matched": "name", "match_type": "fuzzy"}
        ])
    );
}
