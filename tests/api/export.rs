//! Bulk exports: `/skills/export`, `/categories/export`, `/faqs/export`.

use serde_json::{Value, json};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};

use crate::helpers::{TestApp, problem, spawn_app, spawn_esco_app};

/// A `skills` row: slug, name, description, primary category, uri, the source's type, type.
type SkillRow = (String, String, String, String, Option<String>, Option<String>, String);
/// A `categories` row: slug, name, description, code, parent.
type CategoryRow = (String, String, String, Option<String>, Option<String>);

/// The test app's own database file, opened read-only: what the export must reproduce.
async fn database(app: &TestApp, file: &str) -> SqlitePool {
    let options = SqliteConnectOptions::new().filename(app._dir.path().join(file)).read_only(true);
    SqlitePool::connect_with(options).await.expect("the test database opens")
}

/// Every skill as the database holds it, in catalog order, in the NDJSON shape.
async fn skills_in_database(db: &SqlitePool) -> Vec<Value> {
    let skills: Vec<SkillRow> = sqlx::query_as(
        "SELECT slug, name, description, category_slug, uri, skill_type, kind FROM skills ORDER BY position",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let mut out = Vec::new();
    for (slug, name, description, category, uri, skill_type, kind) in skills {
        let others: Vec<String> = sqlx::query_scalar(
            "SELECT category_slug FROM skill_categories WHERE skill_slug = ? AND category_slug <> ? ORDER BY category_slug",
        )
        .bind(&slug)
        .bind(&category)
        .fetch_all(db)
        .await
        .unwrap();
        let aliases: Vec<String> =
            sqlx::query_scalar("SELECT alias FROM skill_aliases WHERE skill_slug = ? ORDER BY alias")
                .bind(&slug)
                .fetch_all(db)
                .await
                .unwrap();
        let mut categories = vec![category.clone()];
        categories.extend(others);
        out.push(json!({"slug": slug, "name": name, "description": description, "category": category,
            "categories": categories, "aliases": aliases, "uri": uri, "skill_type": skill_type, "type": kind}));
    }
    out
}

fn ndjson(body: &str) -> Vec<Value> {
    assert!(body.is_empty() || body.ends_with('\n'), "every record ends with a newline");
    body.lines().map(|line| serde_json::from_str(line).expect("one JSON object per line")).collect()
}

/// CSV rows as maps from the header's column names to fields.
fn csv_rows(body: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    (header, rows)
}

async fn export(app: &TestApp, path: &str, content_type: &str, filename: &str) -> String {
    let res = app.get(path).await;
    assert_eq!(res.status().as_u16(), 200, "GET {path}");
    assert_eq!(res.headers()["content-type"], content_type, "GET {path}");
    assert_eq!(res.headers()["content-disposition"], format!("attachment; filename=\"{filename}\""));
    assert!(res.headers().contains_key("etag"));
    res.text().await.unwrap()
}

#[actix_web::test]
async fn the_esco_skills_export_round_trips_against_the_database() {
    // Arrange
    let app = spawn_esco_app().await;
    let db = database(&app, "esco.db").await;
    let expected = skills_in_database(&db).await;
    assert_eq!(expected.len(), 187);

    // Act
    let ndjson_body =
        export(&app, "/skills/export?format=ndjson", "application/x-ndjson", "powerskills-skills.ndjson").await;
    let csv_body = export(&app, "/skills/export?format=csv", "text/csv; charset=utf-8", "powerskills-skills.csv").await;

    // Assert
    assert_eq!(ndjson(&ndjson_body), expected);
    assert!(csv_body.contains("\r\n"), "RFC 4180 line ends");
    let (header, rows) = csv_rows(&csv_body);
    assert_eq!(
        header,
        ["slug", "name", "description", "category", "categories", "aliases", "uri", "skill_type", "type"]
    );
    let from_csv: Vec<Value> = rows
        .iter()
        .map(|r| {
            let list = |field: &str, sep: char| -> Vec<String> {
                if field.is_empty() { vec![] } else { field.split(sep).map(str::to_owned).collect() }
            };
            let optional = |field: &str| if field.is_empty() { Value::Null } else { json!(field) };
            json!({"slug": r[0], "name": r[1], "description": r[2], "category": r[3],
                "categories": list(&r[4], ';'), "aliases": list(&r[5], '|'), "uri": optional(&r[6]),
                "skill_type": optional(&r[7]), "type": r[8]})
        })
        .collect();
    assert_eq!(from_csv, expected);
}

#[actix_web::test]
async fn the_esco_categories_export_round_trips_against_the_database() {
    let app = spawn_esco_app().await;
    let db = database(&app, "esco.db").await;
    let rows: Vec<CategoryRow> =
        sqlx::query_as("SELECT slug, name, description, code, parent_slug FROM categories ORDER BY position")
            .fetch_all(&db)
            .await
            .unwrap();
    let listed = app.get_json("/categories", 200).await;
    let counts: Vec<&Value> = listed["data"].as_array().unwrap().iter().map(|c| &c["skill_count"]).collect();
    let expected: Vec<Value> = rows
        .iter()
        .zip(&counts)
        .map(|((slug, name, description, code, parent), count)| {
            json!({"slug": slug, "name": name, "description": description, "code": code, "parent": parent,
                "skill_count": count})
        })
        .collect();
    assert_eq!(expected.len(), 687);

    let body =
        export(&app, "/categories/export?format=ndjson", "application/x-ndjson", "powerskills-categories.ndjson").await;
    assert_eq!(ndjson(&body), expected);

    let body =
        export(&app, "/categories/export?format=csv", "text/csv; charset=utf-8", "powerskills-categories.csv").await;
    let (header, rows) = csv_rows(&body);
    assert_eq!(header, ["slug", "name", "description", "code", "parent", "skill_count"]);
    let optional = |field: &str| if field.is_empty() { Value::Null } else { json!(field) };
    let from_csv: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({"slug": r[0], "name": r[1], "description": r[2], "code": optional(&r[3]), "parent": optional(&r[4]),
                "skill_count": r[5].parse::<u64>().unwrap()})
        })
        .collect();
    assert_eq!(from_csv, expected);
}

#[actix_web::test]
async fn a_catalog_without_faq_exports_an_empty_body_or_the_header_alone() {
    let app = spawn_esco_app().await;
    assert_eq!(export(&app, "/faqs/export?format=ndjson", "application/x-ndjson", "powerskills-faqs.ndjson").await, "");
    assert_eq!(
        export(&app, "/faqs/export?format=csv", "text/csv; charset=utf-8", "powerskills-faqs.csv").await,
        "id,question,answer,category\r\n"
    );
}

#[actix_web::test]
async fn the_seed_faq_export_holds_every_entry_in_order() {
    let app = spawn_app().await;
    let listed = app.get_json("/faqs?limit=100", 200).await;
    let expected: Vec<Value> = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| json!({"id": f["id"], "question": f["question"], "answer": f["answer"], "category": f["category"]["slug"]}))
        .collect();
    assert_eq!(expected.len(), 5);
    let body = export(&app, "/faqs/export?format=ndjson", "application/x-ndjson", "powerskills-faqs.ndjson").await;
    assert_eq!(ndjson(&body), expected);
    let body = export(&app, "/faqs/export?format=csv", "text/csv; charset=utf-8", "powerskills-faqs.csv").await;
    let (header, rows) = csv_rows(&body);
    assert_eq!(header, ["id", "question", "answer", "category"]);
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[1][0], "2");
    assert_eq!(rows[1][1], "What are some resources to learn about artificial intelligence and machine learning?");
    assert_eq!(rows[1][3], "ai");
}

#[actix_web::test]
async fn an_export_answers_if_none_match_and_head() {
    let app = spawn_app().await;
    let first = app.get("/skills/export?format=csv").await;
    let etag = first.headers()["etag"].clone();
    let body = first.bytes().await.unwrap();

    let again =
        app.client.get(app.url("/skills/export?format=csv")).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status().as_u16(), 304);
    assert_eq!(again.headers()["etag"], etag);

    let head = app.client.head(app.url("/skills/export?format=csv")).send().await.unwrap();
    assert_eq!(head.status().as_u16(), 200);
    assert_eq!(head.headers()["etag"], etag);
    assert_eq!(head.headers()["content-length"], body.len().to_string());
    assert!(head.bytes().await.unwrap().is_empty());

    // The same catalog gives the same bytes; the other format is another representation.
    assert_eq!(app.get("/skills/export?format=csv").await.bytes().await.unwrap(), body);
    assert_ne!(app.get("/skills/export?format=ndjson").await.headers()["etag"], etag);
}

#[actix_web::test]
async fn a_missing_or_unknown_format_is_a_problem_naming_it() {
    let app = spawn_app().await;
    assert_eq!(
        problem(app.get_json("/skills/export", 400).await),
        json!({"type": "urn:powerskills:problem:invalid-parameter", "title": "Invalid parameter", "status": 400,
            "detail": "`format` is required: `ndjson` or `csv`", "instance": "/skills/export", "parameter": "format"})
    );
    assert_eq!(
        problem(app.get_json("/categories/export?format=xlsx", 400).await),
        json!({"type": "urn:powerskills:problem:invalid-parameter", "title": "Invalid parameter", "status": 400,
            "detail": "`format` must be `ndjson` or `csv`, not `xlsx`", "instance": "/categories/export?format=xlsx",
            "parameter": "format"})
    );
    let unknown = problem(app.get_json("/faqs/export?format=csv&limit=2", 400).await);
    assert_eq!(unknown["type"], "urn:powerskills:problem:invalid-query");
}

#[actix_web::test]
async fn export_paths_do_not_shadow_items_named_export() {
    let app = spawn_app().await;
    // `/skills/export` is the export, not a skill; a skill lookup still works beside it.
    assert_eq!(app.get_json("/skills/nlp", 200).await["slug"], "nlp");
    assert_eq!(app.get_json("/categories/ai", 200).await["slug"], "ai");
    assert_eq!(app.get_json("/faqs/2", 200).await["id"], 2);
}
