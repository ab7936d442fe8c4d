//! HTTP semantics every endpoint shares: HEAD, conditional requests, CORS, security headers.

use crate::helpers::spawn_app;

const GET_ROUTES: [&str; 10] = [
    "/",
    "/categories",
    "/categories/ai",
    "/skills",
    "/skills?category=ai",
    "/skills/nlp",
    "/faqs",
    "/faqs/1",
    "/openapi.json",
    "/healthz",
];

#[actix_web::test]
async fn head_answers_like_get_without_a_body() {
    let app = spawn_app().await;
    for path in GET_ROUTES.iter().chain(&["/readyz", "/docs/", "/skills/nope"]) {
        let get = app.get(path).await;
        let head = app.client.head(app.url(path)).send().await.unwrap();
        assert_eq!(head.status(), get.status(), "{path}");
        assert_eq!(head.headers().get("content-type"), get.headers().get("content-type"), "{path}");
        assert_eq!(head.headers().get("etag"), get.headers().get("etag"), "{path}");
        let get_len = get.bytes().await.unwrap().len();
        assert_eq!(head.headers()["content-length"], get_len.to_string().as_str(), "{path}");
        assert!(head.bytes().await.unwrap().is_empty(), "{path}");
    }
}

#[actix_web::test]
async fn etags_answer_if_none_match_with_304() {
    let app = spawn_app().await;
    for path in GET_ROUTES.iter().filter(|p| !p.starts_with("/healthz")) {
        let res = app.get(path).await;
        let etag = res.headers()["etag"].to_str().unwrap().to_owned();
        assert!(etag.starts_with('"') && etag.ends_with('"') && etag.len() == 34, "{path}: {etag}");
        assert_eq!(res.headers()["cache-control"], "public, max-age=300", "{path}");

        for header in [etag.clone(), format!("W/{etag}"), format!("\"other\", {etag}"), "*".to_owned()] {
            let res = app.client.get(app.url(path)).header("if-none-match", &header).send().await.unwrap();
            assert_eq!(res.status().as_u16(), 304, "{path} with {header}");
            assert_eq!(res.headers()["etag"], etag.as_str());
            assert!(res.bytes().await.unwrap().is_empty());
        }
        let stale = app.client.get(app.url(path)).header("if-none-match", "\"stale\"").send().await.unwrap();
        assert_eq!(stale.status().as_u16(), 200, "{path}");

        let head = app.client.head(app.url(path)).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(head.status().as_u16(), 304, "HEAD {path}");
    }
}

/// A GET asked again is answered from the response cache before routing (`answer_cached.rs`):
/// with the same status, headers and body as the first time, however it is asked (HEAD,
/// compressed, from a browser's page on another origin, revalidated).
#[actix_web::test]
async fn a_repeated_get_is_answered_exactly_as_the_first() {
    let app = spawn_app().await;
    let answer = |res: reqwest::Response| async move {
        let mut headers: Vec<(String, String)> = res
            .headers()
            .iter()
            .filter(|(name, _)| !["date", "x-request-id"].contains(&name.as_str()))
            .map(|(name, value)| (name.as_str().to_owned(), value.to_str().unwrap().to_owned()))
            .collect();
        headers.sort();
        (res.status().as_u16(), headers, res.bytes().await.unwrap())
    };
    let targets = [
        "/skills?category=ai&limit=1",
        "/skills/nlp",
        "/skills?q=machne%20lerning",
        "/search?q=seo",
        "/skills/autocomplete?q=mach",
        "/categories?sort=-name",
        "/faqs?limit=2",
        "/versions",
    ];
    for target in targets {
        let asked = [
            ("GET", None),
            ("HEAD", None),
            ("GET", Some(("accept-encoding", "gzip"))),
            ("GET", Some(("origin", "https://app.example"))),
        ];
        for (method, header) in asked {
            let ask = |etag: Option<&str>| {
                let mut req = app.client.request(method.parse().unwrap(), app.url(target));
                if let Some((name, value)) = header {
                    req = req.header(name, value);
                }
                if let Some(etag) = etag {
                    req = req.header("if-none-match", etag);
                }
                req.send()
            };
            let first = answer(ask(None).await.unwrap()).await;
            assert_eq!(first.0, 200, "{method} {target}");
            for _ in 0..2 {
                assert_eq!(answer(ask(None).await.unwrap()).await, first, "{method} {target} {header:?}");
            }
            let etag = first.1.iter().find(|(name, _)| name == "etag").unwrap().1.clone();
            let revalidated = answer(ask(Some(&etag)).await.unwrap()).await;
            assert_eq!(revalidated.0, 304, "{method} {target}");
            assert_eq!(answer(ask(Some(&etag)).await.unwrap()).await, revalidated, "{method} {target}");
        }
    }
}

#[actix_web::test]
async fn etags_follow_content() {
    let app = spawn_app().await;
    let a = app.get("/skills?category=ai").await.headers()["etag"].clone();
    let b = app.get("/skills?category=ai").await.headers()["etag"].clone();
    let c = app.get("/skills?category=blockchain").await.headers()["etag"].clone();
    assert_eq!(a, b);
    assert_ne!(a, c);
}

/// A catalog response's headers are written from a block made once per way of sending it (200
/// or 304, per encoding): each header once, the same set as before the block, HEAD as GET.
#[actix_web::test]
async fn prebuilt_catalog_headers_are_each_sent_once() {
    let app = spawn_app().await;
    let names = |res: &reqwest::Response| {
        let mut names: Vec<String> = res.headers().keys().map(|k| k.as_str().to_owned()).collect();
        names.sort();
        for name in &names {
            assert_eq!(res.headers().get_all(name).iter().count(), 1, "{name} in {:?}", res.headers());
        }
        names
    };
    let page = app.get("/skills?category=ai&limit=1").await;
    assert_eq!(
        names(&page),
        [
            "access-control-allow-origin",
            "access-control-expose-headers",
            "cache-control",
            "content-length",
            "content-security-policy",
            "content-type",
            "cross-origin-resource-policy",
            "date",
            "etag",
            "link",
            "referrer-policy",
            "x-content-type-options",
            "x-request-id",
        ]
    );
    assert_eq!(page.headers()["link"], "</skills?category=ai&limit=1&offset=1>; rel=\"next\"");
    let etag = page.headers()["etag"].clone();
    let again =
        app.client.get(app.url("/skills?category=ai&limit=1")).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(
        names(&again),
        [
            "access-control-allow-origin",
            "access-control-expose-headers",
            "cache-control",
            "content-security-policy",
            "cross-origin-resource-policy",
            "date",
            "etag",
            "referrer-policy",
            "x-content-type-options",
            "x-request-id",
        ]
    );
    assert_eq!(again.headers()["etag"], etag);
    let compressed = app.client.get(app.url("/skills")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(compressed.headers()["content-encoding"], "gzip");
    assert_eq!(compressed.headers()["vary"], "Accept-Encoding");
    assert!(compressed.headers()["etag"].to_str().unwrap().ends_with("-gzip\""));
    names(&compressed);
    let head = app.client.head(app.url("/skills?category=ai&limit=1")).send().await.unwrap();
    assert_eq!(names(&head), names(&page));
    assert_eq!(head.headers()["content-length"], page.headers()["content-length"]);
}

#[actix_web::test]
async fn any_origin_may_read_and_preflights_are_answered() {
    let app = spawn_app().await;
    let res = app.client.get(app.url("/skills")).header("origin", "https://example.org").send().await.unwrap();
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    // Once: `actix-cors` answers `Origin` too, and a catalog response has its headers prebuilt.
    assert_eq!(res.headers().get_all("access-control-allow-origin").iter().count(), 1);
    assert_eq!(
        res.headers()["access-control-expose-headers"],
        "ETag, Link, X-Request-Id, Retry-After, RateLimit, RateLimit-Policy"
    );

    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/skills/extract"))
        .header("origin", "https://example.org")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    // An "ok status" (Fetch: 200-299); actix-cors answers 200.
    assert_eq!(preflight.status().as_u16(), 200);
    let h = preflight.headers();
    assert_eq!(h["access-control-allow-origin"], "*");
    // actix-cors lists the methods in no fixed order.
    let mut methods: Vec<&str> = h["access-control-allow-methods"].to_str().unwrap().split(", ").collect();
    methods.sort_unstable();
    assert_eq!(methods, ["GET", "HEAD", "OPTIONS", "POST"]);
    assert_eq!(h["access-control-allow-headers"], "content-type");
    assert_eq!(h["access-control-max-age"], "86400");

    // A method the API does not have is refused, as a problem like every other 4xx.
    let refused = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/skills"))
        .header("origin", "https://example.org")
        .header("access-control-request-method", "DELETE")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 400);
    assert_eq!(refused.headers()["content-type"], "application/problem+json");
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["type"], "urn:powerskills:problem:bad-request");
}

#[actix_web::test]
async fn security_headers_on_every_response_and_no_server_header() {
    let app = spawn_app().await;
    for path in ["/skills", "/nowhere", "/docs/"] {
        let res = app.get(path).await;
        let h = res.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        assert_eq!(h["cross-origin-resource-policy"], "cross-origin", "{path}");
        assert!(h.contains_key("content-security-policy"), "{path}");
        assert!(h.contains_key("x-request-id"), "{path}");
        assert!(!h.contains_key("server"), "{path}");
    }
    let api = app.get("/skills").await;
    assert_eq!(api.headers()["content-security-policy"], "default-src 'none'; frame-ancestors 'none'");
}

#[actix_web::test]
async fn health_and_readiness() {
    let app = spawn_app().await;
    assert_eq!(app.get_json("/healthz", 200).await, serde_json::json!({"status": "ok"}));
    let ready = app.get("/readyz").await;
    assert_eq!(ready.headers()["cache-control"], "no-store");
    let body: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(body, serde_json::json!({"status": "ready", "catalog_version": "seed-2023.1"}));
}

#[actix_web::test]
async fn generated_request_ids_differ_per_request() {
    let app = spawn_app().await;
    let a = app.get("/healthz").await.headers()["x-request-id"].clone();
    let b = app.get("/healthz").await.headers()["x-request-id"].clone();
    assert_ne!(a, b);
}

#[actix_web::test]
async fn large_bodies_are_compressed_as_negotiated() {
    use std::io::Read;
    let app = spawn_app().await;
    let plain = app.get("/skills").await;
    assert_eq!(plain.headers()["vary"], "Accept-Encoding");
    assert!(plain.headers().get("content-encoding").is_none());
    let etag = plain.headers()["etag"].to_str().unwrap().to_owned();
    let body = plain.bytes().await.unwrap();
    assert!(body.len() > 1024);

    for (accept, token) in [("gzip", "gzip"), ("br", "br"), ("zstd", "zstd"), ("gzip, deflate, br, zstd", "br")] {
        let res = app.client.get(app.url("/skills")).header("accept-encoding", accept).send().await.unwrap();
        assert_eq!(res.headers()["content-encoding"], token, "{accept}");
        assert_eq!(res.headers()["vary"], "Accept-Encoding");
        let variant_etag = res.headers()["etag"].to_str().unwrap().to_owned();
        assert_eq!(variant_etag, format!("{}-{token}\"", etag.trim_end_matches('"')));
        let compressed = res.bytes().await.unwrap();
        assert!(compressed.len() < body.len() / 2, "{token}: {} vs {}", compressed.len(), body.len());
        let mut decoded = Vec::new();
        match token {
            "gzip" => {
                flate2::read::GzDecoder::new(&compressed[..]).read_to_end(&mut decoded).unwrap();
            }
            "br" => brotli::BrotliDecompress(&mut &compressed[..], &mut decoded).unwrap(),
            _ => decoded = zstd::bulk::decompress(&compressed, 1 << 20).unwrap(),
        }
        assert_eq!(decoded, body, "{token}");

        // Either tag revalidates; a 304 carries no encoding and no body.
        for tag in [&etag, &variant_etag] {
            let res = app
                .client
                .get(app.url("/skills"))
                .header("accept-encoding", accept)
                .header("if-none-match", tag.as_str())
                .send()
                .await
                .unwrap();
            assert_eq!(res.status().as_u16(), 304);
            assert!(res.headers().get("content-encoding").is_none());
            assert_eq!(res.headers()["etag"], variant_etag.as_str());
        }
    }

    // q=0 refuses; identity then.
    let res = app.client.get(app.url("/skills")).header("accept-encoding", "br;q=0, gzip;q=0").send().await.unwrap();
    assert!(res.headers().get("content-encoding").is_none());
}

#[actix_web::test]
async fn small_bodies_are_never_compressed() {
    let app = spawn_app().await;
    let res = app.client.get(app.url("/faqs/1")).header("accept-encoding", "gzip, br, zstd").send().await.unwrap();
    assert!(res.headers().get("content-encoding").is_none());
    assert!(res.headers().get("vary").is_none());
    assert!(res.bytes().await.unwrap().len() < 1024);
}

#[actix_web::test]
async fn every_200_get_has_an_etag_and_revalidates() {
    let app = spawn_app().await;
    for path in ["/docs/swagger-ui.css", "/docs/", "/healthz", "/explore", "/metrics"] {
        let res = app.get(path).await;
        assert_eq!(res.status().as_u16(), 200, "{path}");
        let etag = res.headers()["etag"].to_str().unwrap().to_owned();
        assert!(etag.starts_with('"') && etag.ends_with('"'), "{path}: {etag}");
        let again = app.client.get(app.url(path)).header("if-none-match", &etag).send().await.unwrap();
        if path == "/metrics" {
            // Its body changes with every request counted; an old tag is simply stale.
            assert_eq!(again.status().as_u16(), 200, "{path}");
            continue;
        }
        assert_eq!(again.status().as_u16(), 304, "{path}");
        assert_eq!(again.headers()["etag"], etag.as_str());
        assert!(again.bytes().await.unwrap().is_empty());
    }
}

#[actix_web::test]
async fn every_response_carries_the_security_headers_and_no_server_header() {
    let app = spawn_app().await;
    let ok = app.get("/skills").await;
    let etag = ok.headers()["etag"].to_str().unwrap().to_owned();
    let not_modified = app.client.get(app.url("/skills")).header("if-none-match", etag).send().await.unwrap();
    assert_eq!(not_modified.status().as_u16(), 304);
    let problem = app.get("/skills?limit=0").await;
    let docs = app.get("/docs/").await;
    for (res, csp) in [
        (&ok, "default-src 'none'; frame-ancestors 'none'"),
        (&not_modified, "default-src 'none'; frame-ancestors 'none'"),
        (&problem, "default-src 'none'; frame-ancestors 'none'"),
        (
            &docs,
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; \
             connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        ),
    ] {
        let headers = res.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{}", res.url());
        assert_eq!(headers["referrer-policy"], "no-referrer");
        assert_eq!(headers["cross-origin-resource-policy"], "cross-origin");
        assert_eq!(headers["content-security-policy"], csp, "{}", res.url());
        assert!(headers.get("server").is_none() && headers.get("x-powered-by").is_none());
    }
    // Swagger UI runs under its CSP: it has no inline script, only same-origin files.
    let page = docs.text().await.unwrap();
    assert!(page.contains(r#"<script src="./swagger-initializer.js""#));
    assert!(!page.contains("<script>") && !page.contains("javascript:"));
}

/// Exports are built once per catalog: concurrent first requests share one build, each
/// compressed variant is made once, later requests read the prepared bytes, and a new catalog
/// starts with nothing prepared.
#[actix_web::test]
async fn exports_are_prepared_once_per_catalog() {
    let (port, state, _dir) = spawn_for_concurrent_clients().await;
    let client = reqwest::Client::builder().no_gzip().no_brotli().no_zstd().build().unwrap();
    let export = |encoding: &'static str| {
        let client = client.clone();
        async move {
            let res = client
                .get(format!("http://127.0.0.1:{port}/skills/export?format=ndjson"))
                .header("accept-encoding", encoding)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status().as_u16(), 200);
            let encoding = res.headers().get("content-encoding").map(|v| v.to_str().unwrap().to_owned());
            (encoding, res.bytes().await.unwrap())
        }
    };
    // Eight concurrent first requests: four want it as it is, four in brotli.
    let answers =
        futures_util::future::join_all((0..8).map(|i| export(if i % 2 == 0 { "identity" } else { "br" }))).await;
    let slot = state.served().prepared().slot("/skills/export?format=ndjson");
    assert_eq!(slot.builds(), 2, "one body and one brotli variant");
    let plain = &slot.built().expect("built").body;
    for (encoding, body) in &answers {
        match encoding.as_deref() {
            None => assert_eq!(body, plain),
            Some("br") => {
                let mut out = Vec::new();
                brotli::BrotliDecompress(&mut &body[..], &mut out).unwrap();
                assert_eq!(&out[..], &plain[..]);
            }
            other => panic!("unexpected encoding {other:?}"),
        }
    }
    // Later requests, in any encoding already made, build nothing more; a new one is made once.
    export("br").await;
    export("identity").await;
    assert_eq!(slot.builds(), 2);
    export("gzip").await;
    export("gzip").await;
    assert_eq!(slot.builds(), 3);
    // A new catalog (after an import) starts empty; the old one's bytes go with it.
    let data = powerskills::db::load_catalog(&state.db).await.unwrap();
    state.replace(powerskills::served::Served::build(data, state.cache_policy.clone()).unwrap());
    let fresh = state.served().prepared().slot("/skills/export?format=ndjson");
    assert!(fresh.built().is_none());
    export("identity").await;
    assert_eq!(fresh.builds(), 1);
}

/// Concurrent misses of one answer build it once (single-flight): the change feed's first page
/// waits on the database while it is built, so the other requests arrive during the build and
/// wait for its entry instead of building their own. A later, different page is one more build.
#[actix_web::test]
async fn concurrent_misses_of_one_answer_build_it_once() {
    let (port, state, _dir) = spawn_for_concurrent_clients().await;
    let client = reqwest::Client::new();
    let get = |path: &'static str| {
        let client = client.clone();
        async move {
            let res = client.get(format!("http://127.0.0.1:{port}{path}")).send().await.unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    let before = state.served().builds();
    let answers = futures_util::future::join_all((0..16).map(|_| get("/versions"))).await;
    assert!(answers.iter().all(|a| a == &answers[0]), "{answers:?}");
    assert_eq!(answers[0].0, 200);
    assert_eq!(state.served().builds() - before, 1);
    // An equivalent request (same canonical key) is a hit; another page is a build.
    assert_eq!(get("/versions?limit=50&offset=0").await, answers[0]);
    assert_eq!(state.served().builds() - before, 1);
    assert_eq!(get("/versions?limit=1").await.0, 200);
    assert_eq!(state.served().builds() - before, 2);
    // A failed build is not cached: the same bad request is refused again, building nothing.
    assert_eq!(get("/skills?category=nope").await.0, 400);
    assert_eq!(get("/skills?category=nope").await.0, 400);
    assert_eq!(state.served().builds() - before, 2);
}

/// A server on the seed catalog with room for concurrent clients (the test default, 0, is one
/// connection per worker), its port, and its state.
async fn spawn_for_concurrent_clients() -> (u16, actix_web::web::Data<powerskills::state::AppState>, tempfile::TempDir)
{
    crate::helpers::spawn_with_state(|args| args.limits.max_connections = 64).await
}

/// The explorer's files are one entry shared by every app of the process: each app still sends
/// its own `Cache-Control` (the prebuilt header block is made for the policy that sends it).
#[actix_web::test]
async fn shared_entries_carry_each_servers_cache_policy() {
    let (short, _d1) = crate::helpers::spawn_with(|args| args.cache_max_age = 60).await;
    let (long, _d2) = crate::helpers::spawn_with(|args| args.cache_max_age = 3600).await;
    let client = reqwest::Client::new();
    for (port, expected) in
        [(short, "public, max-age=60"), (long, "public, max-age=3600"), (short, "public, max-age=60")]
    {
        let res = client.get(format!("http://127.0.0.1:{port}/explore/style.css")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["cache-control"], expected);
        assert_eq!(res.headers().get_all("cache-control").iter().count(), 1);
    }
}
