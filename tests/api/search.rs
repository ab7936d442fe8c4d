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
async fn attribute_rule_puts_names_before_aliases_before_descriptions() {
    let app = spawn_app().await;
    // "optimization": SEO's name, CX's alias "user experience optimization", SCM's description.
    let body = app.get_json("/skills?q=optimization", 200).await;
    assert_eq!(
        matched(&body),
        [
            ("seo".to_owned(), json!({"field": "name", "label": "Search Engine Optimization (SEO)"})),
            (
                "customer-experience-enhancement".to_owned(),
                json!({"field": "alias", "alias": "user experience optimization", "label": "user experience optimization"})
            ),
            ("supply-chain-management".to_owned(), json!({"field": "description"})),
        ]
    );
    assert!(body["data"][0]["score"].as_f64().unwrap() > body["data"][2]["score"].as_f64().unwrap());

    // "chatbots" is an NLP alias and appears in NLP's description: one hit, by alias.
    let body = app.get_json("/skills?q=chatbots", 200).await;
    assert_eq!(
        matched(&body),
        [("nlp".to_owned(), json!({"field": "alias", "alias": "chatbots", "label": "chatbots"}))]
    );

    // "algorithms" is only in descriptions (MLE's and SEO's).
    let body = app.get_json("/skills?q=algorithms", 200).await;
    assert_eq!(slugs(&body), ["machine-learning-engineering", "seo"]);
    assert!(matched(&body).iter().all(|(_, m)| m == &json!({"field": "description"})));
}

#[actix_web::test]
async fn exactness_rule_puts_the_skill_named_by_the_query_first() {
    let app = spawn_app().await;
    // "machine learning" is an alias of MLE, word for word; NLP only mentions "machines".
    let body = app.get_json("/skills?q=Machine%20Learning", 200).await;
    assert_eq!(
        matched(&body),
        [
            (
                "machine-learning-engineering".to_owned(),
                json!({"field": "alias", "alias": "machine learning", "label": "machine learning"})
            ),
            ("nlp".to_owned(), json!({"field": "description", "unmatched": ["learning"]})),
        ]
    );
    let esco = spawn_esco_app().await;
    // "blockchain" is one skill's whole name: first, before the 28 that contain the word.
    let body = esco.get_json("/skills?q=blockchain&limit=3", 200).await;
    assert_eq!(body["total"], 29);
    assert_eq!(slugs(&body), ["blockchain", "blockchain-openness", "develop-blockchain-technology"]);
    // Case is folded; the alias "Python" is the query exactly.
    let body = esco.get_json("/skills?q=PYTHON&limit=1", 200).await;
    assert_eq!(slugs(&body), ["python-computer-programming"]);
    assert_eq!(body["data"][0]["matched"]["label"], "Python");
    // Inflections and spellings: the skill's name, in other words, is still the exact one.
    let body = esco.get_json("/skills?q=search%20engine%20optimization&limit=2", 200).await;
    assert_eq!(slugs(&body), ["search-engine-optimisation", "conduct-search-engine-optimisation"]);
}

#[actix_web::test]
async fn words_rule_and_framing_words_find_what_job_adverts_say() {
    let app = spawn_esco_app().await;
    // Words that frame a skill never outrank the skill itself.
    for (q, first) in [
        ("strong%20knowledge%20of%20SQL", "sql"),
        ("experience%20with%20Python", "python-computer-programming"),
        ("excellent%20supply%20chain%20management%20skills", "supply-chain-management"),
        ("we%20organize%20labor", "organise-labour"),
    ] {
        let body = app.get_json(&format!("/skills?q={q}&limit=1"), 200).await;
        assert_eq!(slugs(&body), [first], "q={q}");
    }
    let body = app.get_json("/skills?q=experience%20with%20Python&limit=1", 200).await;
    assert_eq!(
        body["data"][0]["matched"],
        json!({"field": "alias", "alias": "Python", "label": "Python", "unmatched": ["experience", "with"]})
    );
    // Every word matched before fewer: "recognise blockchain risks" has both words. Then the
    // least informative word is dropped first: in this sample "blockchain" is in 29 skills,
    // "risk" in few, so a skill with "risk" alone comes before one with "blockchain" alone.
    let body = app.get_json("/skills?q=blockchain%20risks&limit=2", 200).await;
    assert_eq!(slugs(&body), ["recognise-blockchain-risks", "apply-credit-risk-policy"]);
    // A word that matches nothing is dropped, not fatal.
    let body = app.get_json("/skills?q=haskell%20zzzzzz", 200).await;
    assert_eq!(
        matched(&body),
        [("haskell".to_owned(), json!({"field": "name", "label": "Haskell", "unmatched": ["zzzzzz"]}))]
    );
}

#[actix_web::test]
async fn typos_rule_corrects_every_query_within_the_length_budget() {
    let app = spawn_app().await;
    let body = app.get_json("/skills?q=machne%20lerning", 200).await;
    assert_eq!(body["corrected_q"], "machine learning");
    assert_eq!(slugs(&body), ["machine-learning-engineering", "nlp"]);
    assert_eq!(
        body["data"][0]["matched"]["corrected"],
        json!([{"from": "machne", "to": "machine"}, {"from": "lerning", "to": "learning"}])
    );
    let body = app.get_json("/skills?q=blokchain", 200).await;
    assert_eq!(body["corrected_q"], "blockchain");
    assert_eq!(slugs(&body), ["smart-contract-development"]);
    // Words of up to 4 letters get no typo: "smrt" is not "smart".
    let body = app.get_json("/skills?q=smrt", 200).await;
    assert_eq!(body, json!({"data": [], "total": 0, "limit": 50, "offset": 0}));
    let body = app.get_json("/skills?q=zzzzzz", 200).await;
    assert_eq!(body, json!({"data": [], "total": 0, "limit": 50, "offset": 0}));

    let esco = spawn_esco_app().await;
    // A typo in one word of a query that matches anyway is corrected too.
    let body = esco.get_json("/skills?q=supply%20chain%20managemnet&limit=1", 200).await;
    assert_eq!(slugs(&body), ["supply-chain-management"]);
    assert_eq!(body["corrected_q"], "supply chain management");
    // A transposition is one typo.
    let body = esco.get_json("/skills?q=pyhton&limit=1", 200).await;
    assert_eq!(slugs(&body), ["python-computer-programming"]);
    assert_eq!(body["corrected_q"], "python");
}

#[actix_web::test]
async fn the_last_word_matches_as_a_prefix() {
    let app = spawn_esco_app().await;
    let body = app.get_json("/skills?q=machine%20lea&limit=2", 200).await;
    assert_eq!(slugs(&body), ["machine-learning", "utilise-machine-learning"]);
    let body = app.get_json("/skills?q=cryptocur", 200).await;
    assert_eq!(slugs(&body)[0], "cryptocurrency");
}

#[actix_web::test]
async fn search_combines_with_category_and_pagination() {
    let app = spawn_app().await;
    let all = app.get_json("/skills?q=professionals", 200).await;
    assert_eq!(all["total"], 5);
    let ecommerce = app.get_json("/skills?q=professionals&category=ecommerce", 200).await;
    assert_eq!(slugs(&ecommerce), ["supply-chain-management", "customer-experience-enhancement"]);
    let res = app.get("/skills?q=Professionals!&limit=1&offset=1").await;
    assert_eq!(
        res.headers()["link"],
        "</skills?q=professionals&limit=1&offset=2>; rel=\"next\", </skills?q=professionals&limit=1&offset=0>; rel=\"prev\""
    );
    let page: Value = res.json().await.unwrap();
    assert_eq!(page["data"][0]["slug"], all["data"][1]["slug"]);
    assert_eq!(page["total"], 5);
}

#[actix_web::test]
async fn every_skill_is_first_for_its_own_name() {
    // Exhaustive over both catalogs the tests have: the query that is a skill's name finds it first.
    for app in [spawn_app().await, spawn_esco_app().await] {
        let export = app.get("/skills/export?format=ndjson").await.text().await.unwrap();
        for line in export.lines() {
            let skill: Value = serde_json::from_str(line).unwrap();
            let name = skill["name"].as_str().unwrap();
            let q: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
            let body = app.get_json(&format!("/skills?q={q}&limit=1"), 200).await;
            assert_eq!(body["data"][0]["slug"], skill["slug"], "q={name}");
        }
    }
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
        // Every one is a valid query (1-200 characters): text, never syntax, never an error.
        let body = app.get_json(&format!("/skills?q={q}"), 200).await;
        assert!(body["total"].as_u64().is_some(), "q={q}: {body}");
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
    assert_eq!(
        skill["snippet"],
        "…the agreement directly written into lines of code—will be in demand as <mark>blockchain</mark> adoption grows."
    );

    let only_faqs = app.get_json("/search?q=blockchain&type=faq", 200).await;
    assert_eq!(only_faqs["total"], 1);
    let bad_type = problem(app.get_json("/search?q=blockchain&type=occupation", 400).await);
    assert_eq!(bad_type["parameter"], "type");
}

#[actix_web::test]
async fn search_works_on_the_esco_sample() {
    let app = spawn_esco_app().await;
    let google = app.get_json("/skills?q=google", 200).await;
    assert_eq!(
        matched(&google),
        [("search-engines".to_owned(), json!({"field": "alias", "alias": "Google", "label": "Google"}))]
    );
    let everything = app.get_json("/search?q=sql&type=skill", 200).await;
    assert_eq!(everything["data"][0]["key"], "sql");
}

/// A search pages through its first 1,000 hits (`offset + limit` at most 1,000), on both search
/// endpoints: a page ending at hit 1,000 is answered, one ending a hit later is a 400 naming
/// `offset` and the window; a list (no `q`) pages as deep as it likes.
#[actix_web::test]
async fn a_search_pages_through_its_first_thousand_hits() {
    let app = spawn_app().await;
    // /search finds categories and FAQ entries too.
    for (path, total) in [("/skills", 5), ("/search", 9)] {
        // At the window: answered, `total` counts every hit, `prev` leads back to the hits.
        let res = app.get(&format!("{path}?q=professionals&limit=100&offset=900")).await;
        assert_eq!(res.status().as_u16(), 200, "{path}");
        assert_eq!(res.headers()["link"], format!("<{path}?q=professionals&limit=100&offset=0>; rel=\"prev\""));
        let page: Value = res.json().await.unwrap();
        assert_eq!((page["data"].clone(), page["total"].clone()), (json!([]), json!(total)), "{path}");
        assert_eq!(app.get_json(&format!("{path}?q=professionals&limit=1&offset=999"), 200).await["total"], total);

        // One past it.
        let past = problem(app.get_json(&format!("{path}?q=professionals&limit=100&offset=901"), 400).await);
        assert_eq!(
            past,
            json!({
                "type": "urn:powerskills:problem:invalid-parameter",
                "title": "Invalid parameter",
                "status": 400,
                "detail": "a search pages through its first 1000 hits only: `offset` + `limit` may be at most 1000, not 1001 (901 + 100); `total` counts every hit, refine the query to reach the others",
                "instance": format!("{path}?q=professionals&limit=100&offset=901"),
                "parameter": "offset",
            }),
            "{path}"
        );
        let deepest = problem(app.get_json(&format!("{path}?q=professionals&offset=2147483647"), 400).await);
        assert_eq!(deepest["parameter"], "offset");
    }
    // Without `q`, the list is not a search: any offset is a page (here, past the end).
    assert_eq!(app.get_json("/skills?limit=100&offset=5000", 200).await["data"], json!([]));
}
