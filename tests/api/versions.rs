//! `GET /versions` and `GET /changes?since=`: every import is a version, and the change feed
//! turns a client's copy of one version's exports into the next one's, exactly.

use serde_json::{Value, json};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};

use crate::helpers::{
    Export, TestApp, database_url, import_catalog, import_esco_sample, problem, spawn_app, spawn_app_on, write_exports,
};

fn records(export: &Export) -> Vec<Value> {
    export.body.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn key(record: &Value) -> String {
    match &record["slug"] {
        Value::String(s) => s.clone(),
        _ => record["id"].to_string(),
    }
}

/// Every change since `since`, following the `next` links.
async fn feed(app: &TestApp, since: i64) -> Vec<Value> {
    let mut out = Vec::new();
    let mut path = format!("/changes?since={since}&limit=100");
    loop {
        let res = app.get(&path).await;
        assert_eq!(res.status().as_u16(), 200, "{path}");
        let link = res.headers().get("link").map(|l| l.to_str().unwrap().to_owned());
        let body: Value = res.json().await.unwrap();
        out.extend(body["data"].as_array().unwrap().iter().cloned());
        match link.as_deref().and_then(|l| l.split(", ").find(|p| p.ends_with("rel=\"next\""))) {
            Some(next) => path = next.trim_start_matches('<').split('>').next().unwrap().to_owned(),
            None => return out,
        }
    }
}

/// Applies the changes of one resource as docs/IMPORT.md says, version by version: drop the
/// removed and moved items, then put every other record at its position.
fn apply(copy: &mut Vec<Value>, changes: &[Value], resource: &str) {
    let mut versions: Vec<i64> = changes.iter().map(|c| c["version"].as_i64().unwrap()).collect();
    versions.dedup();
    for version in versions {
        let these: Vec<&Value> =
            changes.iter().filter(|c| c["version"] == version && c["resource"] == resource).collect();
        let taken_out = |c: &Value| {
            c["change"] == "removed" || c["fields"].as_array().is_some_and(|f| f.contains(&json!("position")))
        };
        copy.retain(|r| !these.iter().any(|c| c["key"] == key(r) && taken_out(c)));
        for c in these.iter().filter(|c| c["change"] != "removed") {
            let at = c["position"].as_u64().unwrap() as usize - 1;
            if c["change"] == "added" || taken_out(c) {
                copy.insert(at, c["record"].clone());
            } else {
                assert_eq!(key(&copy[at]), c["key"].as_str().unwrap());
                copy[at] = c["record"].clone();
            }
        }
    }
}

fn apply_all(old: &[Export; 3], changes: &[Value]) -> [Vec<Value>; 3] {
    let mut out = [records(&old[0]), records(&old[1]), records(&old[2])];
    for (copy, resource) in out.iter_mut().zip(["skill", "category", "faq"]) {
        apply(copy, changes, resource);
    }
    out
}

/// The ESCO sample's skills export edited as a user would: one skill removed, one described
/// anew, one added in the middle, one moved to the top, one renamed (same URI, new slug); and one
/// category renamed.
fn edit(exports: &[Export; 3]) -> [Export; 3] {
    let mut skills = records(&exports[0]);
    skills.retain(|s| s["slug"] != "haskell");
    for s in &mut skills {
        if s["slug"] == "manage-musical-staff" {
            s["description"] = json!("Lead the people who score, arrange and copy music.");
        }
        if s["slug"] == "sql" {
            s["slug"] = json!("structured-query-language");
        }
    }
    let mut added = skills[0].clone();
    added["slug"] = json!("underwater-welding");
    added["name"] = json!("underwater welding");
    added["uri"] = json!(null);
    added["aliases"] = json!(["wet welding"]);
    skills.insert(3, added);
    let at = skills.iter().position(|s| s["slug"] == "show-initiative").unwrap();
    let moved = skills.remove(at);
    skills.insert(0, moved);
    let mut categories = records(&exports[1]);
    for c in &mut categories {
        if c["slug"] == "s4-5-0" {
            c["name"] = json!("managing staff");
        }
    }
    let lines = |rs: &[Value]| rs.iter().map(|r| format!("{r}\n")).collect::<String>();
    [
        Export { body: lines(&skills), etag: String::new() },
        Export { body: lines(&categories), etag: String::new() },
        exports[2].clone(),
    ]
}

#[actix_web::test]
async fn the_change_feed_turns_an_older_export_into_the_newer_one() {
    // Arrange: the seed (version 1), the ESCO sample (2), an edited export of it (3).
    let dir = tempfile::tempdir().unwrap();
    let url = database_url(&dir, "db.sqlite");
    let v1 = spawn_app_on(tempfile::tempdir().unwrap(), url.clone()).await.exports("ndjson").await;
    import_esco_sample(&url).await;
    let v2 = spawn_app_on(tempfile::tempdir().unwrap(), url.clone()).await.exports("ndjson").await;
    let files = tempfile::tempdir().unwrap();
    let [skills, categories, faqs] = write_exports(files.path(), &edit(&v2), "ndjson");
    let (_, written) = import_catalog(&url, &skills, Some(&categories), Some(&faqs)).await;
    assert_eq!(written.recorded.version_id, 3);
    let app = spawn_app_on(dir, url.clone()).await;
    let v3 = app.exports("ndjson").await;

    // Act
    let since_1 = feed(&app, 1).await;
    let since_2 = feed(&app, 2).await;

    // Assert
    let expected = [records(&v3[0]), records(&v3[1]), records(&v3[2])];
    assert_eq!(apply_all(&v1, &since_1), expected);
    assert_eq!(apply_all(&v2, &since_2), expected);
    let summary: Vec<(String, String, String, Value)> = since_2
        .iter()
        .map(|c| {
            let s = |f: &str| c[f].as_str().unwrap().to_owned();
            (s("resource"), s("key"), s("change"), c["fields"].clone())
        })
        .collect();
    let row = |r: &str, k: &str, c: &str, f: Value| (r.to_owned(), k.to_owned(), c.to_owned(), f);
    let categories: Vec<_> = summary.iter().filter(|r| r.0 == "category").cloned().collect();
    let count = |k: &str| row("category", k, "changed", json!(["skill_count"]));
    // underwater-welding sits where manage-musical-staff does (s4-5-0, s4-8-1, t4-4: one more in
    // each and above); haskell sat in k0613 and s5-6-1 (one less); `s` holds both, so it is even.
    assert_eq!(
        categories,
        [
            count("k"),
            count("k06"),
            count("k061"),
            count("k0613"),
            count("s4"),
            count("s4-5"),
            row("category", "s4-5-0", "changed", json!(["name", "skill_count"])),
            count("s4-8"),
            count("s4-8-1"),
            count("s5"),
            count("s5-6"),
            count("s5-6-1"),
            count("t"),
            count("t4"),
            count("t4-4"),
        ]
    );
    let skills: Vec<_> = summary.iter().filter(|r| r.0 == "skill").cloned().collect();
    assert_eq!(
        skills,
        [
            row("skill", "haskell", "removed", json!(null)),
            row("skill", "sql", "removed", json!(null)),
            row("skill", "show-initiative", "changed", json!(["position"])),
            row("skill", "manage-musical-staff", "changed", json!(["description"])),
            row("skill", "underwater-welding", "added", json!(null)),
            row("skill", "structured-query-language", "added", json!(null)),
        ]
    );
    assert_eq!(
        app.get_json("/changes?since=3", 200).await,
        json!({"since": 3, "until": 3, "data": [], "total": 0, "limit": 50, "offset": 0})
    );

    // The removed skills are recorded for good, with their replacement when the URI came back.
    let db = SqlitePool::connect_with(SqliteConnectOptions::new().filename(url.trim_start_matches("sqlite://")))
        .await
        .unwrap();
    let removed: Vec<(String, Option<String>, i64, Option<String>)> =
        sqlx::query_as("SELECT slug, uri, version_id, replacement_slug FROM removed_skills ORDER BY version_id, slug")
            .fetch_all(&db)
            .await
            .unwrap();
    let seed_removed: Vec<&str> = removed.iter().filter(|r| r.2 == 2).map(|r| r.0.as_str()).collect();
    assert_eq!(
        seed_removed,
        [
            "cryptocurrency-analysis",
            "customer-experience-enhancement",
            "machine-learning-engineering",
            "nlp",
            "seo",
            "smart-contract-development"
        ]
    );
    let now_removed: Vec<_> = removed.iter().filter(|r| r.2 == 3).cloned().collect();
    assert_eq!(
        now_removed,
        [
            (
                "haskell".to_owned(),
                Some("http://data.europa.eu/esco/skill/000f1d3d-220f-4789-9c0a-cc742521fb02".to_owned()),
                3,
                None
            ),
            (
                "sql".to_owned(),
                Some("http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742".to_owned()),
                3,
                Some("structured-query-language".to_owned())
            ),
        ]
    );
}

/// The `imported_at` of every version, from the database (it is the import's own clock).
async fn imported_at(url: &str) -> Vec<String> {
    let db = SqlitePool::connect_with(SqliteConnectOptions::new().filename(url.trim_start_matches("sqlite://")))
        .await
        .unwrap();
    sqlx::query_scalar("SELECT imported_at FROM versions ORDER BY id DESC").fetch_all(&db).await.unwrap()
}

#[actix_web::test]
async fn versions_are_listed_newest_first_with_what_each_changed() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let url = database_url(&dir, "db.sqlite");
    let seed = spawn_app_on(tempfile::tempdir().unwrap(), url.clone()).await;
    assert_eq!(
        seed.get_json("/versions", 200).await["data"][0]["summary"],
        "the seed catalog (data/article.txt), written by the database migrations"
    );
    let parsed = import_esco_sample(&url).await;
    let app = spawn_app_on(dir, url.clone()).await;

    // Act
    let body = app.get_json("/versions", 200).await;

    // Assert
    let at = imported_at(&url).await;
    assert!(at.iter().all(|t| t.len() == 20 && t.ends_with('Z') && t.as_bytes()[10] == b'T'), "{at:?}");
    let counts =
        |added: i64, removed: i64, changed: i64| json!({"added": added, "removed": removed, "changed": changed});
    assert_eq!(
        body,
        json!({"data": [
            {"id": 2, "label": parsed.catalog.meta.version, "imported_at": at[0], "source": "esco",
             "counts": {"categories": 687, "skills": 187, "faqs": 0},
             "summary": "the ESCO sample",
             "changes": {"categories": counts(687, 4, 0), "skills": counts(185, 6, 2), "faqs": counts(0, 5, 0)},
             "changes_kept": true, "current": true},
            {"id": 1, "label": "seed-2023.1", "imported_at": at[1], "source": "article",
             "counts": {"categories": 4, "skills": 8, "faqs": 5},
             "summary": "the seed catalog (data/article.txt), written by the database migrations",
             "changes": {"categories": counts(0, 0, 0), "skills": counts(0, 0, 0), "faqs": counts(0, 0, 0)},
             "changes_kept": true, "current": false}],
         "total": 2, "limit": 50, "offset": 0})
    );
    let root = app.get_json("/", 200).await;
    assert_eq!((root["version"].clone(), root["version_id"].clone()), (json!(parsed.catalog.meta.version), json!(2)));
    assert_eq!(root["links"]["changes"], "/changes?since=2");

    // Paged like every list, with Link headers, and cached with an ETag.
    let first = app.get("/versions?limit=1").await;
    assert_eq!(first.headers()["link"], "</versions?limit=1&offset=1>; rel=\"next\"");
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    let page: Value = first.json().await.unwrap();
    assert_eq!(page["data"][0]["id"], 2);
    let again = app.client.get(app.url("/versions?limit=1")).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status().as_u16(), 304);
    // A server still serving the seed lists only what it serves.
    assert_eq!(seed.get_json("/versions", 200).await["total"], 1);
    assert_eq!(seed.get_json("/changes?since=1", 200).await["total"], 0);
}

#[actix_web::test]
async fn a_bad_since_is_a_problem_naming_it() {
    let app = spawn_app().await;
    for (path, status, detail) in [
        ("/changes", 400, "`since` is required: a version id of GET /versions"),
        ("/changes?since=0", 400, "`since` must be a version id (an integer from 1 to 2147483647), not `0`"),
        ("/changes?since=v1", 400, "`since` must be a version id (an integer from 1 to 2147483647), not `v1`"),
        ("/changes?since=2", 404, "no version has the id `2`"),
        ("/versions?limit=0", 400, "`limit` must be an integer from 1 to 100, not `0`"),
    ] {
        let body = problem(app.get_json(path, status).await);
        assert_eq!(body["detail"], detail, "{path}");
        assert_eq!(body["status"], status, "{path}");
    }
    let unknown = problem(app.get_json("/changes?since=1&from=2", 400).await);
    assert_eq!(unknown["type"], "urn:powerskills:problem:invalid-query");
}

#[actix_web::test]
async fn changes_older_than_the_last_ten_versions_are_gone() {
    // Arrange: the seed (1), then eleven imports of its own export, one skill renamed in each.
    let dir = tempfile::tempdir().unwrap();
    let url = database_url(&dir, "db.sqlite");
    let seed = spawn_app_on(tempfile::tempdir().unwrap(), url.clone()).await;
    let skills = seed.export("skills", "csv").await.body;
    let path = dir.path().join("skills.csv");
    for n in 2..=12 {
        std::fs::write(&path, skills.replace("SEO continues", &format!("SEO (take {n}) continues"))).unwrap();
        let (_, written) = import_catalog(&url, &path, None, None).await;
        assert_eq!(written.recorded.version_id, n);
    }
    let app = spawn_app_on(dir, url).await;

    // Act and assert: since=2 needs versions 3..=12, all kept; since=1 needs version 2's, pruned.
    let kept = app.get_json("/changes?since=2", 200).await;
    assert_eq!(kept["total"], 10);
    assert_eq!(kept["data"][0]["fields"], json!(["description"]));
    assert!(
        kept["data"][9]["record"]["description"].as_str().unwrap().starts_with("SEO (take 12) continues"),
        "{kept}"
    );
    let gone = problem(app.get_json("/changes?since=1", 410).await);
    assert_eq!(
        gone,
        json!({"type": "urn:powerskills:problem:gone", "title": "Gone", "status": 410,
               "detail": "the changes after version 1 are no longer kept (the last 10 versions' are); the oldest `since` answered is 2: fetch the exports again",
               "instance": "/changes?since=1"})
    );
    let versions = app.get_json("/versions?limit=100", 200).await;
    let kept: Vec<bool> =
        versions["data"].as_array().unwrap().iter().map(|v| v["changes_kept"].as_bool().unwrap()).collect();
    assert_eq!(kept, [true, true, true, true, true, true, true, true, true, true, false, false]);
}

#[actix_web::test]
async fn the_change_feed_pages_and_answers_304() {
    let dir = tempfile::tempdir().unwrap();
    let url = database_url(&dir, "db.sqlite");
    import_esco_sample(&url).await;
    let app = spawn_app_on(dir, url).await;
    let first = app.get("/changes?since=1&limit=2").await;
    assert_eq!(first.status().as_u16(), 200);
    assert_eq!(first.headers()["link"], "</changes?since=1&limit=2&offset=2>; rel=\"next\"");
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    let body: Value = first.json().await.unwrap();
    // 687 + 4 categories, 185 + 6 + 2 skills, 5 FAQ entries.
    assert_eq!(body["total"], 889);
    assert_eq!(
        body["data"][0],
        json!({"version": 2, "resource": "category", "key": "marketing", "change": "removed",
               "fields": null, "position": null, "record": null})
    );
    let again =
        app.client.get(app.url("/changes?since=1&limit=2")).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status().as_u16(), 304);
    let last = app.get_json("/changes?since=1&limit=2&offset=888", 200).await;
    assert_eq!(
        last["data"],
        json!([{"version": 2, "resource": "faq", "key": "5", "change": "removed",
                "fields": null, "position": null, "record": null}])
    );
}
