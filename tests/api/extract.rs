//! `POST /skills/extract`.

use serde_json::{Value, json};

use crate::helpers::{TestApp, problem, spawn_app, spawn_esco_app};

async fn extract(app: &TestApp, text: &str) -> Value {
    let res = app.client.post(app.url("/skills/extract")).json(&json!({ "text": text })).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    res.json().await.unwrap()
}

/// Every reported offset pair slices the text to exactly the reported surface.
fn assert_offsets(text: &str, body: &Value) {
    for skill in body["data"].as_array().unwrap() {
        for m in skill["matches"].as_array().unwrap() {
            let (start, end) = (m["start"].as_u64().unwrap() as usize, m["end"].as_u64().unwrap() as usize);
            let slice: String = text.chars().skip(start).take(end - start).collect();
            assert_eq!(slice, m["surface"].as_str().unwrap());
        }
    }
}

#[actix_web::test]
async fn finds_skills_by_name_and_alias_with_offsets() {
    let app = spawn_app().await;
    let text = "Hiring: Machine Learning Engineering lead with SEO skills — not Seoul-based. Smart contracts a plus.";
    let body = extract(&app, text).await;
    assert_eq!(
        body,
        json!({
            "data": [
                {"slug": "machine-learning-engineering", "name": "Machine Learning Engineering",
                 "category": {"slug": "ai", "name": "Artificial Intelligence and Machine Learning"},
                 "matches": [{"start": 8, "end": 36, "surface": "Machine Learning Engineering"}], "mention_count": 1},
                {"slug": "seo", "name": "Search Engine Optimization (SEO)",
                 "category": {"slug": "marketing", "name": "Digital Marketing Mastery"},
                 "matches": [{"start": 47, "end": 50, "surface": "SEO"}], "mention_count": 1},
                {"slug": "smart-contract-development", "name": "Smart Contract Development",
                 "category": {"slug": "blockchain", "name": "Blockchain and Cryptocurrency Expertise"},
                 "matches": [{"start": 77, "end": 92, "surface": "Smart contracts"}], "mention_count": 1}
            ],
            "total": 3,
            "truncated": false
        })
    );
    assert_offsets(text, &body);
}

#[actix_web::test]
async fn whole_words_case_and_longest_match() {
    let app = spawn_app().await;
    // "seo" inside "seoul" is not a match; lowercase "seo" is.
    let body = extract(&app, "seoul seo").await;
    assert_eq!(body["data"][0]["matches"], json!([{"start": 6, "end": 9, "surface": "seo"}]));
    // The longest label wins at the same start.
    let body = extract(&app, "machine learning engineering").await;
    assert_eq!(body["total"], 1);
    assert_eq!(body["data"][0]["matches"][0]["end"], 28);
    // Two-letter labels only as written: "ML" yes, "ml" (as in 5 ml) no.
    let body = extract(&app, "ML, 5 ml").await;
    assert_eq!(body["data"][0]["matches"], json!([{"start": 0, "end": 2, "surface": "ML"}]));
    // Every mention is reported, in text order.
    let body = extract(&app, "CX first; customer experience later; cx never").await;
    assert_eq!(
        body["data"][0]["matches"],
        json!([{"start": 0, "end": 2, "surface": "CX"}, {"start": 10, "end": 29, "surface": "customer experience"}])
    );
    // Offsets are code points, not bytes.
    let text = "Ünïcödé → NLP ✓ and SEO";
    let body = extract(&app, text).await;
    assert_eq!(body["data"][0]["matches"], json!([{"start": 10, "end": 13, "surface": "NLP"}]));
    assert_offsets(text, &body);
}

#[actix_web::test]
async fn plain_text_bodies_are_accepted() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/skills/extract"))
        .header("content-type", "text/plain; charset=utf-8")
        .body("We use NLP daily.")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["data"][0]["slug"], "nlp");
    assert_eq!(body["data"][0]["matches"], json!([{"start": 7, "end": 10, "surface": "NLP"}]));
}

#[actix_web::test]
async fn bad_bodies_are_problems() {
    let app = spawn_app().await;
    let post = |ct: &'static str, body: Vec<u8>| {
        app.client.post(app.url("/skills/extract")).header("content-type", ct).body(body).send()
    };
    for (ct, body, status, kind) in [
        ("application/json", b"{}".to_vec(), 400, "invalid-body"),
        ("application/json", b"{\"text\": 5}".to_vec(), 400, "invalid-body"),
        ("application/json", b"{\"text\": \"x\", \"extra\": 1}".to_vec(), 400, "invalid-body"),
        ("application/json", b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[".to_vec(), 400, "invalid-body"),
        ("application/json", b"not json".to_vec(), 400, "invalid-body"),
        // Only an object is a valid body: serde alone would read the struct from an array.
        ("application/json", br#"["SEO"]"#.to_vec(), 400, "invalid-body"),
        ("application/json", b" \n[\"SEO\"]".to_vec(), 400, "invalid-body"),
        ("application/json", b"{\"text\": \"\"}".to_vec(), 400, "invalid-parameter"),
        ("text/plain", b"".to_vec(), 400, "invalid-parameter"),
        ("text/plain", vec![0xff, 0xfe, 0x41], 400, "invalid-body"),
        ("text/plain", vec![b'a'; 32 * 1024 + 1], 413, "payload-too-large"),
        ("application/xml", b"<text>SEO</text>".to_vec(), 415, "unsupported-media-type"),
    ] {
        let res = post(ct, body).await.unwrap();
        assert_eq!(res.status().as_u16(), status, "{ct} {kind}");
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        let body = problem(res.json().await.unwrap());
        assert_eq!(body["type"], format!("urn:powerskills:problem:{kind}"), "{ct}");
    }
    // Whitespace is text: no skill in it, no error (the schemathesis finding \u00a0\u0085).
    let res = post("application/json", br#"{"text": "\u00a0\u0085 "}"#.to_vec()).await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.json::<Value>().await.unwrap(), json!({"data": [], "total": 0, "truncated": false}));
    // Exactly at the limit is accepted.
    let res = post("text/plain", vec![b'a'; 32 * 1024]).await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    // GET is not how to extract.
    let res = app.get("/skills/extract").await;
    assert_eq!(res.status().as_u16(), 404);
}

#[actix_web::test]
async fn extraction_on_the_esco_sample() {
    let app = spawn_esco_app().await;
    let text = "Needs SQL and machine learning, plus blockchain architecture and Google.";
    let body = extract(&app, text).await;
    let found: Vec<(&str, &str)> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["slug"].as_str().unwrap(), s["matches"][0]["surface"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            ("sql", "SQL"),
            ("machine-learning", "machine learning"),
            ("blockchain-architecture", "blockchain architecture"),
            ("search-engines", "Google")
        ]
    );
    assert_offsets(text, &body);
}

#[actix_web::test]
async fn extraction_reads_inflections_spellings_and_symbols_as_search_does() {
    let app = spawn_esco_app().await;
    // ESCO slugs C++ as `c` (its slug rule drops symbols); "c" and "C" alone are not C++.
    let text = "We organize labor, run search engine optimization and write C++ (not c, not vitamin C).";
    let body = extract(&app, text).await;
    assert_offsets(text, &body);
    let found: Vec<(String, Vec<String>)> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let surfaces =
                s["matches"].as_array().unwrap().iter().map(|m| m["surface"].as_str().unwrap().into()).collect();
            (s["slug"].as_str().unwrap().to_owned(), surfaces)
        })
        .collect();
    assert_eq!(
        found,
        [
            ("organise-labour".to_owned(), vec!["organize labor".to_owned()]),
            ("search-engine-optimisation".to_owned(), vec!["search engine optimization".to_owned()]),
            ("c".to_owned(), vec!["C++".to_owned()]),
        ]
    );
}

#[actix_web::test]
async fn answers_are_bounded_and_flagged_truncated() {
    let app = spawn_app().await;
    // 25 mentions of one skill: the first 20 are listed, all 25 counted.
    let text = "SEO ".repeat(25);
    let body = extract(&app, &text).await;
    assert_eq!(body["total"], 1);
    assert_eq!(body["truncated"], true);
    assert_eq!(body["data"][0]["mention_count"], 25);
    let matches = body["data"][0]["matches"].as_array().unwrap();
    assert_eq!(matches.len(), 20);
    assert_eq!(matches[19], json!({"start": 76, "end": 79, "surface": "SEO"}));
    // At the bound exactly, nothing is cut.
    let body = extract(&app, &"SEO ".repeat(20)).await;
    assert_eq!((body["truncated"].clone(), body["data"][0]["mention_count"].clone()), (json!(false), json!(20)));
}

#[actix_web::test]
async fn large_answers_are_compressed_as_negotiated() {
    use std::io::Read;
    let app = spawn_app().await;
    let text = "SEO and machine learning. ".repeat(40);
    let plain = extract(&app, &text).await;
    let cases = [("gzip", Some("gzip")), ("br;q=0.5, zstd", Some("zstd")), ("br", Some("br")), ("identity", None)];
    for (accept, expected) in cases {
        let res = app
            .client
            .post(app.url("/skills/extract"))
            .header("accept-encoding", accept)
            .json(&json!({ "text": text }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200);
        assert_eq!(res.headers().get("content-encoding").map(|v| v.to_str().unwrap()), expected, "{accept}");
        assert_eq!(res.headers()["vary"], "Accept-Encoding");
        assert_eq!(res.headers()["cache-control"], "no-store");
        let bytes = res.bytes().await.unwrap();
        let decoded = match expected {
            Some("gzip") => {
                let mut out = Vec::new();
                flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut out).unwrap();
                out
            }
            Some("zstd") => zstd::stream::decode_all(&bytes[..]).unwrap(),
            // Compressed for this answer only, with a window fitted to the body (issue #15).
            Some("br") => {
                let mut out = Vec::new();
                brotli::BrotliDecompress(&mut &bytes[..], &mut out).unwrap();
                out
            }
            _ => bytes.to_vec(),
        };
        assert_eq!(serde_json::from_slice::<Value>(&decoded).unwrap(), plain, "{accept}");
    }
    // A small answer is sent as it is, whatever is accepted.
    let res = app
        .client
        .post(app.url("/skills/extract"))
        .header("accept-encoding", "gzip")
        .body("SEO")
        .header("content-type", "text/plain")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers().get("content-encoding"), None);
}
