//! `powerskills import catalog`: the exports are import formats, and a round trip through them
//! changes nothing, byte for byte.

use serde_json::json;

use crate::helpers::{TestApp, database_url, import_catalog, spawn_app, spawn_app_on, spawn_esco_app, write_exports};

/// Exports `app` in `format`, imports the files into a fresh database, serves it, and checks
/// that every export of the new server is the same bytes with the same ETag.
async fn round_trip(app: &TestApp, format: &str, ext: &str) {
    // Arrange
    let before = app.exports(format).await;
    let files = tempfile::tempdir().unwrap();
    let [skills, categories, faqs] = write_exports(files.path(), &before, ext);
    let dir = tempfile::tempdir().unwrap();
    let url = database_url(&dir, "copy.db");

    // Act
    let (parsed, _) = import_catalog(&url, &skills, Some(&categories), Some(&faqs)).await;
    let copy = spawn_app_on(dir, url).await;

    // Assert
    assert_eq!(parsed.bad_rows, []);
    for format in ["csv", "ndjson"] {
        let original = app.exports(format).await;
        let copied = copy.exports(format).await;
        for (resource, (a, b)) in ["skills", "categories", "faqs"].iter().zip(original.iter().zip(copied.iter())) {
            assert!(a.body == b.body, "{resource} {format} export differs after importing {ext}");
            assert_eq!(a.etag, b.etag, "{resource} {format}");
        }
    }
}

#[actix_web::test]
async fn the_seed_catalog_round_trips_through_csv_and_ndjson() {
    let app = spawn_app().await;
    round_trip(&app, "csv", "csv").await;
    round_trip(&app, "ndjson", "ndjson").await;
}

#[actix_web::test]
async fn the_esco_sample_round_trips_through_csv_and_ndjson() {
    // Hierarchy, several categories per skill, aliases, both types and source URIs.
    let app = spawn_esco_app().await;
    round_trip(&app, "csv", "csv").await;
    round_trip(&app, "ndjson", "ndjson").await;
}

#[actix_web::test]
async fn what_survives_the_trip_is_served_as_before() {
    let app = spawn_esco_app().await;
    let before = app.exports("ndjson").await;
    let files = tempfile::tempdir().unwrap();
    // No extension: the format is told from the content.
    let [skills, categories, faqs] = write_exports(files.path(), &before, "txt");
    let dir = tempfile::tempdir().unwrap();
    let url = database_url(&dir, "copy.db");
    import_catalog(&url, &skills, Some(&categories), Some(&faqs)).await;
    let copy = spawn_app_on(dir, url).await;

    for path in
        ["/skills/manage-musical-staff", "/skills/haskell", "/categories/s4-5-0", "/skills?type=knowledge&limit=3"]
    {
        assert_eq!(copy.get_json(path, 200).await, app.get_json(path, 200).await, "{path}");
    }
    let root = copy.get_json("/", 200).await;
    assert_eq!(root["source"], "catalog");
    assert_eq!(root["version_id"], 2);
    // The metadata of the catalog replaced is kept (here the seed's, since the copy started from it).
    assert_eq!(root["publisher"], "Upwork");
}

#[actix_web::test]
async fn a_file_not_given_keeps_that_part_of_the_catalog() {
    // Arrange: the seed's skills with one renamed, imported without categories or FAQ files.
    let dir = tempfile::tempdir().unwrap();
    let url = database_url(&dir, "db.sqlite");
    let seed = spawn_app_on(tempfile::tempdir().unwrap(), url.clone()).await;
    let skills = seed.export("skills", "csv").await.body.replace("Cryptocurrency Analysis,", "Crypto Analysis,");
    let path = dir.path().join("skills.csv");
    std::fs::write(&path, skills).unwrap();

    // Act
    let (parsed, written) = import_catalog(&url, &path, None, None).await;

    // Assert
    assert_eq!(parsed.bad_rows, []);
    assert_eq!((parsed.catalog.categories.len(), parsed.catalog.faqs.len()), (4, 5));
    let app = spawn_app_on(dir, url).await;
    assert_eq!(app.get_json("/skills/cryptocurrency-analysis", 200).await["name"], "Crypto Analysis");
    assert_eq!(app.get_json("/", 200).await["counts"], json!({"categories": 4, "skills": 8, "faqs": 5}));
    assert_eq!(written.recorded.version_id, 2);
}

fn write(dir: &std::path::Path, name: &str, body: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, body).unwrap();
    path
}

#[test]
fn bad_rows_are_reported_by_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let categories = write(
        dir.path(),
        "categories.csv",
        "slug,name,description,code,parent,skill_count\r\n\
         top,Top,,,,0\r\n\
         Bad Slug,Bad,,,,0\r\n\
         child,Child,,,nowhere,0\r\n\
         top,Again,,,,0\r\n\
         loop-a,A,,,loop-b,0\r\n\
         loop-b,B,,,loop-a,0\r\n",
    );
    let skills = write(
        dir.path(),
        "skills.csv",
        "slug,name,description,category,categories,aliases,uri,skill_type,type\r\n\
         good,Good,Fine.,top,top,one|two,http://x/1,knowledge,\r\n\
         no-name,,Fine.,top,,,,,\r\n\
         lost,Lost,Fine.,child,,,,,\r\n\
         other,Other,Fine.,top,top;robotics,,,,\r\n\
         typed,Typed,Fine.,top,,,,,competence\r\n\
         twin,Twin,Fine.,top,,,http://x/1,,\r\n\
         good,Good again,Fine.,top,,,,,\r\n\
         short,Short\r\n",
    );
    let faqs = write(
        dir.path(),
        "faqs.ndjson",
        "{\"id\": 1, \"question\": \"Q?\", \"answer\": \"A.\", \"category\": \"top\"}\n\
         {\"id\": 0, \"question\": \"Q?\", \"answer\": \"A.\", \"category\": \"top\"}\n\
         \n\
         {\"id\": 2, \"question\": \"Q?\", \"answer\": \"A.\", \"category\": \"top\", \"extra\": 1}\n\
         {\"id\": 3, \"question\": \"Q?\", \"answer\": \"A.\", \"category\": \"child\"}\n\
         not json\n",
    );
    let files =
        powerskills::import::catalog::Files { skills: &skills, categories: Some(&categories), faqs: Some(&faqs) };
    let empty = powerskills::db::CatalogData {
        meta: None,
        categories: vec![],
        skills: vec![],
        memberships: vec![],
        aliases: vec![],
        faqs: vec![],
        removed: vec![],
    };
    let parsed = powerskills::import::catalog::parse(files, &empty).unwrap();
    let reported: Vec<String> = parsed
        .bad_rows
        .iter()
        .map(|b| format!("{}:{}", b.file.rsplit('/').next().unwrap(), b.line) + ": " + &b.reason)
        .collect();
    assert_eq!(
        reported,
        [
            "categories.csv:3: column `slug`: `Bad Slug` is not a slug (lowercase letters, digits and single inner hyphens, at most 100 characters)",
            "categories.csv:5: column `slug`: category `top` appears twice",
            "categories.csv:4: column `parent`: category `child`: the parent `nowhere` is not a category of the file",
            "categories.csv:6: column `parent`: category `loop-a`: its parents loop back to it",
            "categories.csv:7: column `parent`: category `loop-b`: its parents loop back to it",
            "skills.csv:9: 2 fields where the header has 9",
            "skills.csv:3: column `name`: skill `no-name` has no name",
            "skills.csv:4: column `category`: skill `lost`: `child` is not a category of the catalog",
            "skills.csv:5: column `categories`: skill `other`: `robotics` is not a category of the catalog",
            "skills.csv:6: column `type`: skill `typed`: `competence` is neither `skill` nor `knowledge`",
            "skills.csv:7: column `uri`: skill `twin`: the uri `http://x/1` is another skill's too",
            "skills.csv:8: column `slug`: skill `good` appears twice",
            "faqs.ndjson:4: column 70: unknown field `extra`, expected one of `id`, `question`, `answer`, `category`",
            "faqs.ndjson:6: column 2: expected ident",
            "faqs.ndjson:2: column `id`: `0` is not a positive integer",
            "faqs.ndjson:5: column `category`: FAQ entry 3: `child` is not a category of the catalog",
        ]
    );
    let c = &parsed.catalog;
    assert_eq!(c.categories.iter().map(|c| c.slug.as_str()).collect::<Vec<_>>(), ["top"]);
    assert_eq!(c.skills.iter().map(|s| s.slug.as_str()).collect::<Vec<_>>(), ["good"]);
    assert_eq!(c.skills[0].aliases, ["one", "two"]);
    assert_eq!(c.skills[0].kind, powerskills::domain::SkillType::Knowledge);
    assert_eq!(c.faqs.iter().map(|f| f.id).collect::<Vec<_>>(), [1]);
    assert_eq!(c.meta.source, "catalog");
    assert!(c.meta.version.starts_with("catalog-"));
}

#[test]
fn a_file_that_cannot_be_read_as_a_whole_is_one_error() {
    let dir = tempfile::tempdir().unwrap();
    let empty = powerskills::db::CatalogData {
        meta: None,
        categories: vec![],
        skills: vec![],
        memberships: vec![],
        aliases: vec![],
        faqs: vec![],
        removed: vec![],
    };
    let categories = write(dir.path(), "c.csv", "slug,name\r\ntop,Top\r\n");
    let cases = [
        (
            "slug,name,category,colour\r\n",
            "unknown column `colour` (the columns are slug,name,description,category,categories,aliases,uri,skill_type,type)",
        ),
        ("slug,name\r\n", "the required column `category` is missing (required: slug,name,category)"),
        ("slug,name,slug,category\r\n", "column `slug` appears twice"),
    ];
    for (body, reason) in cases {
        let skills = write(dir.path(), "s.csv", body);
        let files = powerskills::import::catalog::Files { skills: &skills, categories: Some(&categories), faqs: None };
        let err = powerskills::import::catalog::parse(files, &empty).unwrap_err();
        assert_eq!(err.to_string(), format!("{}:1: {reason}", skills.display()));
    }
    let skills = write(dir.path(), "s.csv", "slug,name,category\r\n");
    let files = powerskills::import::catalog::Files { skills: &skills, categories: Some(&categories), faqs: None };
    let err = powerskills::import::catalog::parse(files, &empty).unwrap_err();
    assert_eq!(err.to_string(), format!("{}: no usable rows", skills.display()));
}

#[test]
fn the_cli_imports_a_catalog_and_reports_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let url = database_url(&dir, "db.sqlite");
    let categories = write(dir.path(), "c.csv", "slug,name\r\ntop,Top\r\n");
    let skills = write(dir.path(), "s.ndjson", "{\"slug\": \"one\", \"name\": \"One\", \"category\": \"top\"}\n");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_powerskills"))
        .args(["import", "catalog", "--skills", skills.to_str().unwrap(), "--categories"])
        .arg(&categories)
        .args(["--database-url", &url])
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with(&format!(
            "imported 1 skills (0 aliases) in 1 categories, 0 FAQ entries; 5 bad rows skipped into {url} as catalog catalog-"
        )),
        "{stdout}"
    );
    assert!(lines[0].ends_with(", version 2"), "{stdout}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.lines().next(),
        Some("powerskills: skipped the current catalog: FAQ entry 1: category `marketing` is not in the new catalog")
    );
    // The seed's FAQ entries are kept with the database's categories... which are replaced here,
    // so none of them has its category any more: they are reported and left out.
    assert_eq!(
        lines[1],
        "version 2: skills 1 added, 8 removed, 0 changed; categories 1 added, 4 removed, 0 changed; FAQ entries 0 added, 5 removed, 0 changed"
    );
}
