//! `GET /skills` and `GET /skills/{slug}`.

use serde_json::json;

use crate::helpers::{slugs, spawn_app};

const ALL: [&str; 8] = [
    "seo",
    "social-media-management",
    "nlp",
    "machine-learning-engineering",
    "smart-contract-development",
    "cryptocurrency-analysis",
    "supply-chain-management",
    "customer-experience-enhancement",
];

#[actix_web::test]
async fn skills_are_listed_in_article_order() {
    let app = spawn_app().await;
    let body = app.get_json("/skills", 200).await;
    assert_eq!(slugs(&body), ALL);
    assert_eq!((body["total"].as_u64(), body["limit"].as_u64(), body["offset"].as_u64()), (Some(8), Some(50), Some(0)));
}

#[actix_web::test]
async fn category_ai_returns_exactly_the_two_ai_skills() {
    let app = spawn_app().await;
    let res = app.get("/skills?category=ai").await;
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.headers().get("link").is_none());
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        body,
        json!({
            "data": [
                {"slug": "nlp", "name": "Natural Language Processing (NLP)",
                 "description": "NLP is a critical component of AI, enabling machines to understand and interpret human language. Professionals skilled in NLP will be in demand for developing chatbots, voice assistants, and language translation systems.",
                 "category": {"slug": "ai", "name": "Artificial Intelligence and Machine Learning"}, "type": "skill", "position": 3, "uri": null},
                {"slug": "machine-learning-engineering", "name": "Machine Learning Engineering",
                 "description": "Machine learning engineers will play a pivotal role in developing algorithms and models that drive AI applications. Their ability to create efficient and accurate models will be highly valued.",
                 "category": {"slug": "ai", "name": "Artificial Intelligence and Machine Learning"}, "type": "skill", "position": 4, "uri": null}
            ],
            "total": 2, "limit": 50, "offset": 0
        })
    );
}

#[actix_web::test]
async fn category_filter_is_case_insensitive_and_takes_several() {
    let app = spawn_app().await;
    assert_eq!(slugs(&app.get_json("/skills?category=AI", 200).await), ["nlp", "machine-learning-engineering"]);
    assert_eq!(
        slugs(&app.get_json("/skills?category=blockchain,ai", 200).await),
        ["nlp", "machine-learning-engineering", "smart-contract-development", "cryptocurrency-analysis"]
    );
    // The same set in another spelling is the same response, byte for byte.
    let a = app.get("/skills?category=AI,blockchain&limit=50").await;
    let b = app.get("/skills?limit=50&category=blockchain,ai").await;
    assert_eq!(a.headers()["etag"], b.headers()["etag"]);
    assert_eq!(a.bytes().await.unwrap(), b.bytes().await.unwrap());
}

#[actix_web::test]
async fn pagination_slices_and_links_pages() {
    let app = spawn_app().await;
    let first = app.get("/skills?limit=3").await;
    assert_eq!(first.headers()["link"], "</skills?limit=3&offset=3>; rel=\"next\"");
    assert_eq!(slugs(&first.json().await.unwrap()), &ALL[0..3]);

    let middle = app.get("/skills?limit=3&offset=3").await;
    assert_eq!(
        middle.headers()["link"],
        "</skills?limit=3&offset=6>; rel=\"next\", </skills?limit=3&offset=0>; rel=\"prev\""
    );
    assert_eq!(slugs(&middle.json().await.unwrap()), &ALL[3..6]);

    let last = app.get("/skills?limit=3&offset=6").await;
    assert_eq!(last.headers()["link"], "</skills?limit=3&offset=3>; rel=\"prev\"");
    let body: serde_json::Value = last.json().await.unwrap();
    assert_eq!(slugs(&body), &ALL[6..8]);
    assert_eq!(body["total"], 8);

    let past = app.get_json("/skills?offset=100", 200).await;
    assert_eq!(past["data"], json!([]));
    assert_eq!(past["total"], 8);

    let filtered = app.get("/skills?category=ai,ecommerce&limit=1&offset=1").await;
    assert_eq!(
        filtered.headers()["link"],
        "</skills?category=ai%2Cecommerce&limit=1&offset=2>; rel=\"next\", </skills?category=ai%2Cecommerce&limit=1&offset=0>; rel=\"prev\""
    );
}

#[actix_web::test]
async fn a_skill_comes_with_category_aliases_and_related() {
    let app = spawn_app().await;
    let body = app.get_json("/skills/nlp", 200).await;
    assert_eq!(
        body,
        json!({
            "slug": "nlp",
            "name": "Natural Language Processing (NLP)",
            "description": "NLP is a critical component of AI, enabling machines to understand and interpret human language. Professionals skilled in NLP will be in demand for developing chatbots, voice assistants, and language translation systems.",
            "category": {"slug": "ai", "name": "Artificial Intelligence and Machine Learning"},
            "categories": [{"slug": "ai", "name": "Artificial Intelligence and Machine Learning"}],
            "aliases": ["NLP", "chatbots", "computational linguistics", "language models", "natural language processing"],
            "uri": null,
            "skill_type": null,
            "type": "skill",
            "related": [{"slug": "machine-learning-engineering", "name": "Machine Learning Engineering", "basis": "same_category"}]
        })
    );
}

#[actix_web::test]
async fn related_skills_rank_shared_categories_then_shared_words() {
    let app = spawn_app().await;
    let related = |body: &serde_json::Value| -> Vec<(String, String)> {
        body["related"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["slug"].as_str().unwrap().to_owned(), r["basis"].as_str().unwrap().to_owned()))
            .collect()
    };
    let pair = |s: &str, b: &str| (s.to_owned(), b.to_owned());
    for (slug, expected) in [
        ("seo", vec![pair("social-media-management", "same_category")]),
        (
            "social-media-management",
            vec![pair("seo", "same_category"), pair("supply-chain-management", "shared_words")],
        ),
        (
            "supply-chain-management",
            vec![
                pair("customer-experience-enhancement", "same_category"),
                pair("social-media-management", "shared_words"),
            ],
        ),
        ("cryptocurrency-analysis", vec![pair("smart-contract-development", "same_category")]),
    ] {
        let body = app.get_json(&format!("/skills/{slug}"), 200).await;
        assert_eq!(related(&body), expected, "{slug}");
    }
}

#[actix_web::test]
async fn every_seed_skill_has_aliases() {
    let app = spawn_app().await;
    for slug in ALL {
        let body = app.get_json(&format!("/skills/{slug}"), 200).await;
        assert!(body["aliases"].as_array().unwrap().len() >= 4, "{slug}");
    }
    let seo = app.get_json("/skills/SEO", 200).await;
    assert!(seo["aliases"].as_array().unwrap().contains(&json!("search engine optimisation")));
}

/// `position` is the skill's 1-based place in the catalog, whatever page or filter shows it.
#[actix_web::test]
async fn every_listed_skill_carries_its_catalog_position() {
    let app = spawn_app().await;
    let all = app.get_json("/skills", 200).await;
    let positions: Vec<u64> = all["data"].as_array().unwrap().iter().map(|s| s["position"].as_u64().unwrap()).collect();
    assert_eq!(positions, (1..=8).collect::<Vec<u64>>());
    let page = app.get_json("/skills?limit=2&offset=4", 200).await;
    assert_eq!(page["data"][0]["position"], 5);
    assert_eq!(page["data"][1]["position"], 6);
    let filtered = app.get_json("/skills?category=blockchain", 200).await;
    assert_eq!(slugs(&filtered), ["smart-contract-development", "cryptocurrency-analysis"]);
    assert_eq!(filtered["data"][0]["position"], 5);
    assert_eq!(filtered["data"][1]["position"], 6);
}
