//! `GET /skills?q=` and `GET /search`: full-text search, typo tolerance, hostile input.

use serde_json::{Value, json};

use crate::helpers::{problem, slugs, spawn_app, spawn_esco_app};

fn matched(body: &Value) -> Vec<(String, Value)> {
    body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["slug"].as_str().unwrap().to_owned(), h["matched"].clone()))
        .collect()
}

#[actix_web::test]
async fn search_ranks_name_and_alias_matches_above_descriptions() {
    let app = spawn_app().await;
    // "machine learning" is MLE's name and an alias; NLP and AI mention it nowhere else.
    let body = app.get_json("/skills?q=machine%20learning", 200).await;
    assert_eq!(matched(&body), [("machine-learning-engineering".to_owned(), json!({"field": "name"}))]);
    assert!(body["data"][0]["score"].as_f64().unwrap() > 0.0);

    // "optimization": SEO's name, CX's alias "user experience optimization" — both above any description.
    let body = app.get_json("/skills?q=optimization", 200).await;
    assert_eq!(
        matched(&body),
        [
            ("seo".to_owned(), json!({"field": "name"})),
            (
                "customer-experience-enhancement".to_owned(),
                json!({"field": "alias", "alias": "user experience optimization"})
            )
        ]
    );

    // "chatbots" is an NLP alias and appears in NLP's description: one hit, by alias.
    let body = app.get_json("/skills?q=chatbots", 200).await;
    assert_eq!(matched(&body), [("nlp".to_owned(), json!({"field": "alias", "alias": "chatbots"}))]);

    // "algorithms" is only in descriptions (SEO's and MLE's).
    let body = app.get_json("/skills?q=algorithms", 200).await;
    let hits = matched(&body);
    assert_eq!(hits.len(), 2);
    assert!(hits.iter().all(|(_, m)| m == &json!({"field": "description"})));
}

#[actix_web::test]
async fn search_combines_with_category_and_pagination() {
    let app = spawn_app().await;
    let all = app.get_json("/skills?q=professionals", 200).await;
    let total = all["total"].as_u64().unwrap();
    assert!(total >= 3, "{all}");
    let ecommerce = app.get_json("/skills?q=professionals&category=ecommerce", 200).await;
    assert_eq!(slugs(&ecommerce), ["supply-chain-management", "customer-experience-enhancement"]);
    let res = app.get("/skills?q=Professionals!&limit=1&offset=1").await;
    assert_eq!(
        res.headers()["link"],
        "</skills?q=professionals&limit=1&offset=2>; rel=\"next\", </skills?q=professionals&limit=1&offset=0>; rel=\"prev\""
    );
    let page: Value = res.json().await.unwrap();
    assert_eq!(page["data"][0]["slug"], all["data"][1]["slug"]);
    assert_eq!(page["total"].as_u64(), Some(total));
}

#[actix_web::test]
async fn typos_are_corrected_when_nothing_matches() {
    let app = spawn_app().await;
    let body = app.get_json("/skills?q=machne%20lerning", 200).await;
    assert_eq!(body["corrected_q"], "machine learning");
    assert_eq!(slugs(&body), ["machine-learning-engineering"]);

    let body = app.get_json("/skills?q=blokchain", 200).await;
    assert_eq!(body["corrected_q"], "blockchain");
    assert_eq!(slugs(&body), ["smart-contract-development"]);

    // Correct words are not "corrected": no hits stays no hits.
    let body = app.get_json("/skills?q=zzzzzz", 200).await;
    assert_eq!(body, json!({"data": [], "total": 0, "limit": 50, "offset": 0}));
}

#[actix_web::test]
async fn query_syntax_and_odd_input_are_text_never_errors() {
    let app = spawn_app().await;
    for q in [
        "%22", // a lone quote
        "seo%20AND%20nlp",
        "seo%20OR%20nlp",
        "NEAR(seo%20nlp)",
        "seo*",
        "%5Eseo",
        "(seo",
        "%22seo",
        "seo%22%22%22",
        "x",
        "%F0%9F%98%80%20seo", // emoji then a word
        "caf%C3%A9",
        "-seo",
        "seo:nlp",
        "%7Bname%7D:seo",
    ] {
        let res = app.get(&format!("/skills?q={q}")).await;
        let status = res.status().as_u16();
        assert!(status == 200 || status == 400, "q={q}: {status}");
        if status == 400 {
            let body: Value = res.json().await.unwrap();
            assert_eq!(body["parameter"], "q", "q={q}");
        }
    }
    let body = app.get_json("/skills?q=seo*", 200).await;
    assert_eq!(slugs(&body), ["seo"]);
}

#[actix_web::test]
async fn empty_and_long_queries_are_400_wordless_ones_find_nothing() {
    let app = spawn_app().await;
    let body = problem(app.get_json("/skills?q=", 400).await);
    assert_eq!(body["type"], "urn:powerskills:problem:invalid-parameter");
    assert_eq!(body["detail"], "`q` must not be empty");
    for q in ["%22", "%F0%9F%98%80", "***"] {
        let body = app.get_json(&format!("/skills?q={q}"), 200).await;
        assert_eq!(body["total"], 0, "{q}");
        let body = app.get_json(&format!("/search?q={q}"), 200).await;
        assert_eq!(body["total"], 0, "{q}");
    }
    // The prev link of a wordless query is a query that parses (q=* is its canonical form).
    let res = app.get("/skills?q=%10***&offset=5").await;
    assert_eq!(res.headers()["link"], r#"</skills?q=*&limit=50&offset=0>; rel="prev""#);
    assert_eq!(app.get_json("/skills?q=*&limit=50&offset=0", 200).await["total"], 0);
    let long = "a".repeat(201);
    let body = problem(app.get_json(&format!("/skills?q={long}"), 400).await);
    assert_eq!(body["detail"], "`q` may be at most 200 characters long");
    // Words after the 16th are ignored: the 17th ("seo") does not narrow the search.
    let many = format!("{}+seo", vec!["blockchain"; 16].join("+"));
    let body = app.get_json(&format!("/skills?q={many}"), 200).await;
    assert_eq!(slugs(&body), slugs(&app.get_json("/skills?q=blockchain", 200).await));
    let missing = problem(app.get_json("/search", 400).await);
    assert_eq!(missing["detail"], "`q` is required");
}

#[actix_web::test]
async fn search_everything_types_and_highlights_hits() {
    let app = spawn_app().await;
    let body = app.get_json("/search?q=blockchain", 200).await;
    let hits: Vec<(String, String, String)> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["type"].as_str().unwrap().into(),
                h["key"].as_str().unwrap().into(),
                h["matched"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        hits,
        [
            ("category".into(), "blockchain".into(), "name".into()),
            ("faq".into(), "3".into(), "question".into()),
            ("skill".into(), "smart-contract-development".into(), "description".into()),
        ]
    );
    let skill = &body["data"][2];
    assert_eq!(skill["url"], "/skills/smart-contract-development");
    assert_eq!(skill["title"], "Smart Contract Development");
    assert!(skill["snippet"].as_str().unwrap().contains("as <mark>blockchain</mark> adoption grows"), "{skill}");

    let only_faqs = app.get_json("/search?q=blockchain&type=faq", 200).await;
    assert_eq!(only_faqs["total"], 1);
    let bad_type = problem(app.get_json("/search?q=blockchain&type=occupation", 400).await);
    assert_eq!(bad_type["parameter"], "type");
}

#[actix_web::test]
async fn search_works_on_the_esco_sample() {
    let app = spawn_esco_app().await;
    let body = app.get_json("/skills?q=blockchain&limit=3", 200).await;
    assert_eq!(body["total"], 29);
    assert_eq!(
        slugs(&body),
        ["blockchain-openness", "develop-blockchain-technology", "evaluate-blockchain-architectures"]
    );
    let typo = app.get_json("/skills?q=machne+lerning", 200).await;
    assert_eq!(typo["corrected_q"], "machine learning");
    assert_eq!(slugs(&typo), ["utilise-machine-learning", "machine-learning"]);
    let google = app.get_json("/skills?q=google", 200).await;
    assert_eq!(matched(&google), [("search-engines".to_owned(), json!({"field": "alias", "alias": "Google"}))]);
    let everything = app.get_json("/search?q=sql&type=skill", 200).await;
    assert!(everything["data"].as_array().unwrap().iter().any(|h| h["key"] == "sql"));
}
