//! Clients that hold ids: skills by source URI and by slug list, `POST /skills/lookup`, and the
//! 410 of a skill an import removed.

use serde_json::{Value, json};

use crate::helpers::{
    Export, TestApp, database_url, import_catalog, import_esco_sample, problem, slugs, spawn_app, spawn_app_on,
    spawn_esco_app, write_exports,
};

const SQL_URI: &str = "http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742";
const HASKELL_URI: &str = "http://data.europa.eu/esco/skill/000f1d3d-220f-4789-9c0a-cc742521fb02";
const MUSICAL_STAFF_URI: &str = "http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab";

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn post_lookup(app: &TestApp, body: &Value) -> reqwest::Response {
    app.client.post(app.url("/skills/lookup")).json(body).send().await.unwrap()
}

/// Three versions: the seed (1), the ESCO sample (2, which removes the seed's skills), and the
/// sample again with `haskell` dropped and `sql` renamed `structured-query-language` (3, same URI).
async fn three_versions() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let url = database_url(&dir, "db.sqlite");
    spawn_app_on(tempfile::tempdir().unwrap(), url.clone()).await;
    import_esco_sample(&url).await;
    let v2 = spawn_app_on(tempfile::tempdir().unwrap(), url.clone()).await.exports("ndjson").await;
    let mut skills: Vec<Value> = v2[0].body.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    skills.retain(|s| s["slug"] != "haskell");
    for s in &mut skills {
        if s["slug"] == "sql" {
            s["slug"] = json!("structured-query-language");
        }
    }
    let edited = Export { body: skills.iter().map(|s| format!("{s}\n")).collect(), etag: String::new() };
    let files = tempfile::tempdir().unwrap();
    let [skills, categories, faqs] = write_exports(files.path(), &[edited, v2[1].clone(), v2[2].clone()], "ndjson");
    import_catalog(&url, &skills, Some(&categories), Some(&faqs)).await;
    spawn_app_on(dir, url).await
}

/// `imported_at` of version `id`, from `/versions`.
async fn imported_at(app: &TestApp, id: i64) -> String {
    let versions = app.get_json("/versions", 200).await;
    let v = versions["data"].as_array().unwrap().iter().find(|v| v["id"] == id).unwrap();
    v["imported_at"].as_str().unwrap().to_owned()
}

async fn label(app: &TestApp, id: i64) -> String {
    let versions = app.get_json("/versions", 200).await;
    let v = versions["data"].as_array().unwrap().iter().find(|v| v["id"] == id).unwrap();
    v["label"].as_str().unwrap().to_owned()
}

#[actix_web::test]
async fn a_slug_list_answers_in_the_order_asked_with_what_it_did_not_find() {
    let app = spawn_app().await;

    let body =
        app.get_json("/skills?slug=seo,NLP,underwater-basket-weaving,seo,Not_A_Slug&fields=slug,name", 200).await;

    assert_eq!(
        body,
        json!({"data": [{"slug": "seo", "name": "Search Engine Optimization (SEO)"},
                        {"slug": "nlp", "name": "Natural Language Processing (NLP)"}],
               "total": 2, "limit": 100, "offset": 0,
               "not_found": {"slugs": ["underwater-basket-weaving", "Not_A_Slug"], "uris": []}, "removed": []})
    );
}

#[actix_web::test]
async fn a_slug_list_combines_with_filters_sort_and_paging() {
    let app = spawn_app().await;

    let in_ai = app.get_json("/skills?slug=seo,machine-learning-engineering,nlp&category=ai", 200).await;
    let sorted = app.get_json("/skills?slug=seo,machine-learning-engineering,nlp&sort=name", 200).await;
    let res = app.get("/skills?slug=seo,machine-learning-engineering,nlp&limit=1&offset=1").await;
    let link = res.headers()["link"].to_str().unwrap().to_owned();
    let paged: Value = res.json().await.unwrap();

    assert_eq!(slugs(&in_ai), ["machine-learning-engineering", "nlp"]);
    assert_eq!(in_ai["total"], 2);
    assert_eq!(slugs(&sorted), ["machine-learning-engineering", "nlp", "seo"]);
    assert_eq!(slugs(&paged), ["machine-learning-engineering"]);
    assert_eq!(
        link,
        "</skills?slug=seo%2Cmachine-learning-engineering%2Cnlp&limit=1&offset=2>; rel=\"next\", \
         </skills?slug=seo%2Cmachine-learning-engineering%2Cnlp&limit=1&offset=0>; rel=\"prev\""
    );
}

#[actix_web::test]
async fn more_than_a_page_of_ids_or_ids_with_a_search_is_a_problem() {
    let app = spawn_app().await;
    let many = vec!["seo"; 101].join(",");

    let too_many = problem(app.get_json(&format!("/skills?slug={many}"), 400).await);
    let with_q = problem(app.get_json("/skills?slug=seo&q=seo", 400).await);
    let empty = problem(app.get_json("/skills?slug=seo,,nlp", 400).await);

    assert_eq!(
        too_many["detail"],
        "`slug` and `uri` may name at most 100 skills together; POST /skills/lookup takes up to 1000"
    );
    assert_eq!(with_q["parameter"], "q");
    assert_eq!(empty["detail"], "`slug` takes comma-separated slugs, none of them empty");
}

#[actix_web::test]
async fn skills_and_categories_are_found_by_their_source_ids() {
    let app = spawn_esco_app().await;

    let by_uri = app
        .get_json(
            &format!("/skills?uri={}&uri=urn:nope&uri={}&fields=slug,uri", enc(SQL_URI), enc(MUSICAL_STAFF_URI)),
            200,
        )
        .await;
    let by_code =
        app.get_json("/categories?code=S4.5.0&code=nope&code=K0613&code=S4.5.0&fields=slug,code,parent", 200).await;
    let case_matters = app.get_json(&format!("/skills?uri={}", enc(&SQL_URI.to_uppercase())), 200).await;

    assert_eq!(
        by_uri,
        json!({"data": [{"slug": "sql", "uri": SQL_URI}, {"slug": "manage-musical-staff", "uri": MUSICAL_STAFF_URI}],
               "total": 2, "limit": 100, "offset": 0,
               "not_found": {"slugs": [], "uris": ["urn:nope"]}, "removed": []})
    );
    assert_eq!(
        by_code,
        json!({"data": [{"slug": "s4-5-0", "code": "S4.5.0", "parent": "s4-5"},
                        {"slug": "k0613", "code": "K0613", "parent": "k061"}],
               "total": 2})
    );
    assert_eq!(case_matters["not_found"]["uris"], json!([SQL_URI.to_uppercase()]));
}

#[actix_web::test]
async fn the_uri_route_answers_the_skills_detail() {
    let app = spawn_esco_app().await;

    let by_uri = app.get(&format!("/skills/by-uri?uri={}", enc(SQL_URI))).await;
    let by_slug = app.get("/skills/sql").await;
    let unknown = problem(app.get_json("/skills/by-uri?uri=urn:nope", 404).await);
    let missing = app.get_json("/skills/by-uri", 400).await;

    assert_eq!(by_uri.status().as_u16(), 200);
    assert_eq!(by_uri.headers()["etag"], by_slug.headers()["etag"]);
    assert_eq!(by_uri.text().await.unwrap(), by_slug.text().await.unwrap());
    assert_eq!(
        unknown,
        json!({"type": "urn:powerskills:problem:not-found", "title": "Not found", "status": 404,
               "detail": "no skill has the uri `urn:nope`", "instance": "/skills/by-uri?uri=urn:nope"})
    );
    assert_eq!(missing["type"], "urn:powerskills:problem:invalid-query");
}

#[actix_web::test]
async fn a_removed_skill_is_gone_with_its_version_date_and_replacement() {
    let app = three_versions().await;
    let (v2_at, v3_at) = (imported_at(&app, 2).await, imported_at(&app, 3).await);
    let (v2_label, v3_label) = (label(&app, 2).await, label(&app, 3).await);

    let nlp = app.get("/skills/nlp").await;
    let sql = app.get("/skills/SQL").await;
    let haskell_by_uri = app.get_json(&format!("/skills/by-uri?uri={}", enc(HASKELL_URI)), 410).await;
    let never = app.get_json("/skills/underwater-basket-weaving", 404).await;

    assert_eq!(nlp.status().as_u16(), 410);
    assert_eq!(nlp.headers().get("link"), None, "no replacement, no link");
    assert_eq!(
        problem(nlp.json().await.unwrap()),
        json!({"type": "urn:powerskills:problem:skill-removed", "title": "Skill removed", "status": 410,
               "detail": format!("the skill `nlp` was removed from the catalog by version 2 (`{v2_label}`) on {v2_at}"),
               "instance": "/skills/nlp", "version": 2, "version_label": v2_label, "removed_at": v2_at})
    );
    assert_eq!(sql.status().as_u16(), 410);
    assert_eq!(sql.headers()["link"], "</skills/structured-query-language>; rel=\"successor-version\"");
    assert_eq!(
        problem(sql.json().await.unwrap()),
        json!({"type": "urn:powerskills:problem:skill-removed", "title": "Skill removed", "status": 410,
               "detail": format!("the skill `sql` was removed from the catalog by version 3 (`{v3_label}`) on {v3_at}; it was replaced by `structured-query-language` (/skills/structured-query-language)"),
               "instance": "/skills/SQL", "version": 3, "version_label": v3_label, "removed_at": v3_at,
               "replacement": {"slug": "structured-query-language", "name": "SQL", "href": "/skills/structured-query-language"}})
    );
    assert_eq!(
        haskell_by_uri["detail"],
        format!("the skill `haskell` was removed from the catalog by version 3 (`{v3_label}`) on {v3_at}")
    );
    assert_eq!(never["type"], "urn:powerskills:problem:not-found");
    // The URI of a renamed skill finds it under its new slug.
    assert_eq!(
        app.get_json(&format!("/skills/by-uri?uri={}", enc(SQL_URI)), 200).await["slug"],
        "structured-query-language"
    );
}

#[actix_web::test]
async fn a_bulk_lookup_resolves_a_whole_cv_in_one_request() {
    let app = three_versions().await;
    let (v2_at, v3_at) = (imported_at(&app, 2).await, imported_at(&app, 3).await);
    let (v2_label, v3_label) = (label(&app, 2).await, label(&app, 3).await);
    let asked = json!({"slugs": ["manage-musical-staff", "nlp", "sql", "zzz", "Manage-Musical-Staff"],
                       "uris": [SQL_URI, HASKELL_URI, "urn:nope"]});

    let res = post_lookup(&app, &asked).await;
    assert_eq!(res.status().as_u16(), 200);
    let etag = res.headers()["etag"].to_str().unwrap().to_owned();
    let body: Value = res.json().await.unwrap();

    assert_eq!(slugs(&body), ["manage-musical-staff", "structured-query-language"]);
    assert_eq!(body["total"], 2);
    assert_eq!(body["data"][1]["uri"], SQL_URI);
    assert_eq!(body["not_found"], json!({"slugs": ["zzz"], "uris": ["urn:nope"]}));
    assert_eq!(
        body["removed"],
        json!([
            {"slug": "nlp", "uri": null, "version": 2, "version_label": v2_label, "removed_at": v2_at, "replacement": null},
            {"slug": "sql", "uri": SQL_URI, "version": 3, "version_label": v3_label, "removed_at": v3_at,
             "replacement": {"slug": "structured-query-language", "name": "SQL", "href": "/skills/structured-query-language"}},
            {"slug": "haskell", "uri": HASKELL_URI, "version": 3, "version_label": v3_label, "removed_at": v3_at,
             "replacement": null}
        ])
    );

    // The same body has the same ETag, and a client holding it gets a 304.
    let again = post_lookup(&app, &asked).await;
    assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
    let fresh =
        app.client.post(app.url("/skills/lookup")).header("if-none-match", &etag).json(&asked).send().await.unwrap();
    assert_eq!(fresh.status().as_u16(), 304);
    let other = post_lookup(&app, &json!({"slugs": ["manage-musical-staff"]})).await;
    assert_ne!(other.headers()["etag"].to_str().unwrap(), etag);
}

#[actix_web::test]
async fn a_lookup_answers_the_same_skills_as_the_list() {
    let app = spawn_app().await;

    let posted: Value = post_lookup(&app, &json!({"slugs": ["seo", "nlp"]})).await.json().await.unwrap();
    let listed = app.get_json("/skills?slug=seo,nlp", 200).await;

    assert_eq!(posted["data"], listed["data"]);
    assert_eq!(
        posted,
        json!({"data": listed["data"], "total": 2, "not_found": {"slugs": [], "uris": []}, "removed": []})
    );
}

#[actix_web::test]
async fn a_bad_lookup_is_a_problem() {
    let app = spawn_app().await;
    let ids: Vec<String> = (0..1001).map(|i| format!("s{i}")).collect();

    let too_many = post_lookup(&app, &json!({"slugs": ids})).await;
    let not_an_object = post_lookup(&app, &json!(["seo"])).await;
    let unknown_member = post_lookup(&app, &json!({"ids": ["seo"]})).await;
    let not_json = app.client.post(app.url("/skills/lookup")).body("seo").send().await.unwrap();
    let huge = app
        .client
        .post(app.url("/skills/lookup"))
        .header("content-type", "application/json")
        .body(format!("{{\"slugs\": [\"{}\"]}}", "a".repeat(300 * 1024)))
        .send()
        .await
        .unwrap();

    assert_eq!(too_many.status().as_u16(), 400);
    assert_eq!(
        problem(too_many.json().await.unwrap())["detail"],
        "a lookup may name at most 1000 ids (`slugs` and `uris` together), not 1001"
    );
    assert_eq!(not_an_object.status().as_u16(), 400);
    assert_eq!(unknown_member.status().as_u16(), 400);
    assert_eq!(not_json.status().as_u16(), 415);
    assert_eq!(huge.status().as_u16(), 413);
    // 1,000 ids are fine.
    let thousand: Vec<String> = (0..1000).map(|i| format!("s{i}")).collect();
    let ok: Value = post_lookup(&app, &json!({"uris": thousand})).await.json().await.unwrap();
    assert_eq!(ok["not_found"]["uris"].as_array().unwrap().len(), 1000);
}

/// Lists and lookups copy each skill's item JSON as the snapshot keeps it, a category's detail
/// serializes its skills anew: the three must say the same, on both catalogs (ESCO's skills
/// carry a `uri`).
#[actix_web::test]
async fn lists_lookups_and_details_say_the_same_of_a_skill() {
    for app in [spawn_app().await, spawn_esco_app().await] {
        let categories = app.get_json("/categories?fields=slug,skill_count", 200).await;
        let with_skills: Vec<&Value> =
            categories["data"].as_array().unwrap().iter().filter(|c| c["skill_count"] != 0).take(40).collect();
        assert!(with_skills.len() >= 4);
        for category in with_skills {
            let slug = category["slug"].as_str().unwrap();
            let detail = app.get_json(&format!("/categories/{slug}"), 200).await;
            let listed = app.get_json(&format!("/skills?category={slug}&limit=100"), 200).await;
            assert_eq!(detail["skills"], listed["data"], "{slug}");
            // A lookup of the same skills, in reverse, writes the same items in the order asked.
            let mut slugs: Vec<&str> =
                listed["data"].as_array().unwrap().iter().map(|s| s["slug"].as_str().unwrap()).collect();
            slugs.reverse();
            let looked_up: Value = post_lookup(&app, &json!({"slugs": slugs})).await.json().await.unwrap();
            let mut expected = listed["data"].as_array().unwrap().clone();
            expected.reverse();
            assert_eq!(
                looked_up,
                json!({"data": expected, "total": expected.len(), "not_found": {"slugs": [], "uris": []}, "removed": []}),
                "{slug}"
            );
        }
    }
}
