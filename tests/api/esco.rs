//! The ESCO import, and every core endpoint on the catalog it writes.

use serde_json::json;

use crate::helpers::{fixture, problem, slugs, spawn_app_on, spawn_esco_app};

#[actix_web::test]
async fn the_catalog_names_its_source_and_attribution() {
    let app = spawn_esco_app().await;
    let body = app.get_json("/", 200).await;
    assert_eq!(body["source"], "esco");
    assert_eq!(body["publisher"], "European Commission");
    assert_eq!(body["counts"], json!({"categories": 687, "skills": 187, "faqs": 0}));
    assert_eq!(body["attribution"], powerskills::import::esco::ATTRIBUTION);
    assert!(body["attribution"].as_str().unwrap().starts_with("This data uses the ESCO classification"));
    assert!(body["version"].as_str().unwrap().starts_with("esco-"));
}

#[actix_web::test]
async fn a_skill_keeps_its_uri_type_aliases_and_every_group() {
    let app = spawn_esco_app().await;
    let body = app.get_json("/skills/manage-musical-staff", 200).await;
    assert_eq!(body["uri"], "http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab");
    assert_eq!(body["skill_type"], "skill/competence");
    assert_eq!(
        body["aliases"],
        json!([
            "coordinate duties of musical staff",
            "direct musical staff",
            "manage music staff",
            "manage staff of music"
        ])
    );
    let categories: Vec<&str> =
        body["categories"].as_array().unwrap().iter().map(|c| c["slug"].as_str().unwrap()).collect();
    assert_eq!(categories, ["s4-5-0", "s4-8-1", "t4-4"]);
    assert_eq!(body["category"]["slug"], "s4-5-0");
    assert!(!body["related"].as_array().unwrap().is_empty());
    for r in body["related"].as_array().unwrap() {
        assert!(["same_category", "shared_categories", "shared_words"].contains(&r["basis"].as_str().unwrap()));
    }
}

#[actix_web::test]
async fn skills_without_a_group_sit_under_their_pillar_root() {
    let app = spawn_esco_app().await;
    let body = app.get_json("/skills/show-initiative", 200).await;
    assert_eq!(body["category"], json!({"slug": "s", "name": "Skills"}));
    let knowledge = app.get_json("/skills/enterprise-risk-management", 200).await;
    assert_eq!(knowledge["category"], json!({"slug": "k", "name": "Knowledge"}));
}

#[actix_web::test]
async fn categories_follow_the_hierarchy() {
    let app = spawn_esco_app().await;
    let root = app.get_json("/categories/s", 200).await;
    assert_eq!(root["name"], "Skills");
    assert_eq!(root["parent"], json!(null));
    assert_eq!(root["children"][0], json!({"slug": "s1", "name": "communication, collaboration and creativity"}));
    let leaf = app.get_json("/categories/T4-4", 200).await;
    assert_eq!(leaf["code"], "T4.4");
    assert_eq!(leaf["parent"]["slug"], "t4");
    // A parent includes its children's skills.
    let under_t4 = app.get_json("/skills?category=t4&limit=100", 200).await;
    assert!(slugs(&under_t4).contains(&"manage-musical-staff".to_owned()));
    let t4 = app.get_json("/categories/t4", 200).await;
    assert_eq!(t4["skill_count"], under_t4["total"]);
    // Too many categories to list in an error: the problem points to /categories instead.
    let unknown = problem(app.get_json("/skills?category=zz", 400).await);
    assert_eq!(unknown["detail"], "`zz` is not a category of this catalog; GET /categories lists the valid slugs");
    assert_eq!(unknown.get("valid_values"), None);
    assert_eq!(app.get_json("/faqs", 200).await, json!({"data": [], "total": 0, "limit": 50, "offset": 0}));
    let listed = app.get_json("/categories", 200).await;
    assert_eq!(listed["total"], 687);
}

#[actix_web::test]
async fn every_endpoint_answers_on_the_esco_catalog() {
    let app = spawn_esco_app().await;
    for path in [
        "/",
        "/categories",
        "/categories/k",
        "/skills",
        "/skills?limit=2&offset=185",
        "/skills/sql",
        "/faqs",
        "/readyz",
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status().as_u16(), 200, "{path}");
    }
    let last = app.get("/skills?limit=2&offset=185").await;
    assert_eq!(last.headers()["link"], "</skills?limit=2&offset=183>; rel=\"prev\"");
}

fn write_csv(dir: &std::path::Path, name: &str, body: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, body).unwrap();
    path
}

const HEADER: &str = "conceptUri,preferredLabel,altLabels,skillType,description,skillGroupCodes\n";

fn bad_skills_csv() -> String {
    let mut s = String::from(HEADER);
    s += "http://data.europa.eu/esco/skill/1,good skill,alias one|alias two,knowledge,A fine description.,K0613\n"; // line 2
    s += "http://data.europa.eu/esco/skill/2,too few fields\n"; // line 3
    s += "not-a-uri,bad uri,,knowledge,Description.,K0613\n"; // line 4
    s += "http://data.europa.eu/esco/skill/3,unknown group,,knowledge,Description.,Z9.9\n"; // line 5
    s += "http://data.europa.eu/esco/skill/1,duplicate uri,,knowledge,Description.,K0613\n"; // line 6
    s += "http://data.europa.eu/esco/skill/4,,,knowledge,No label.,K0613\n"; // line 7
    s += "http://data.europa.eu/esco/skill/5,second good skill,,skill/competence,\"Quoted, with a comma.\",S1.1.1\n"; // line 8
    s
}

#[test]
fn bad_rows_are_reported_with_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let skills = write_csv(dir.path(), "skills.csv", &bad_skills_csv());
    let parsed = powerskills::import::esco::parse(&skills, &fixture("esco_skill_groups.csv")).unwrap();
    let lines: Vec<(u64, &str)> = parsed.bad_rows.iter().map(|b| (b.line, b.reason.as_str())).collect();
    assert_eq!(
        lines,
        [
            (3, "2 fields where the header has 6"),
            (4, "conceptUri `not-a-uri` is not a URI"),
            (5, "`http://data.europa.eu/esco/skill/3`: unknown skill group `Z9.9`"),
            (6, "conceptUri `http://data.europa.eu/esco/skill/1` appears twice"),
            (7, "`http://data.europa.eu/esco/skill/4` has no preferredLabel"),
        ]
    );
    let names: Vec<&str> = parsed.catalog.skills.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["good skill", "second good skill"]);
    assert_eq!(parsed.catalog.skills[1].description, "Quoted, with a comma.");
}

fn powerskills_import(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_powerskills"))
        .args(["import", "esco"])
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
        .unwrap()
}

#[actix_web::test]
async fn strict_import_of_bad_rows_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    let skills = write_csv(dir.path(), "skills.csv", &bad_skills_csv());
    let groups = fixture("esco_skill_groups.csv");

    // A first (good) import...
    let sample = fixture("esco_skills_sample.csv");
    let ok = powerskills_import(&[
        "--skills",
        sample.to_str().unwrap(),
        "--groups",
        groups.to_str().unwrap(),
        "--database-url",
        &url,
    ]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let stdout = String::from_utf8_lossy(&ok.stdout);
    assert!(stdout.starts_with("imported 187 skills (855 aliases) in 687 categories"), "{stdout}");

    // ...then a strict one that meets bad rows: it fails, naming each, and the database keeps the first.
    let strict = powerskills_import(&[
        "--skills",
        skills.to_str().unwrap(),
        "--groups",
        groups.to_str().unwrap(),
        "--database-url",
        &url,
        "--strict",
    ]);
    assert!(!strict.status.success());
    let stderr = String::from_utf8_lossy(&strict.stderr);
    assert!(stderr.contains("skills.csv:3: 2 fields where the header has 6"), "{stderr}");
    assert!(stderr.contains("skills.csv:7: "), "{stderr}");
    assert!(stderr.trim_end().ends_with("5 bad rows and --strict: nothing was imported, the database is unchanged"));

    let app = spawn_app_on(dir, url.clone()).await;
    let body = app.get_json("/", 200).await;
    assert_eq!(body["counts"]["skills"], 187);
}

#[actix_web::test]
async fn a_lenient_import_skips_bad_rows_and_replaces_the_seed() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    let skills = write_csv(dir.path(), "skills.csv", &bad_skills_csv());
    let groups = fixture("esco_skill_groups.csv");
    let out = powerskills_import(&[
        "--skills",
        skills.to_str().unwrap(),
        "--groups",
        groups.to_str().unwrap(),
        "--database-url",
        &url,
    ]);
    assert!(out.status.success());
    // The five bad rows, then the progress line written midway through the transaction.
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 6, "{stderr}");
    assert!(lines[..5].iter().all(|l| l.starts_with("powerskills: skipped ")), "{stderr}");
    assert_eq!(lines[5], "powerskills: 2 skills written; the rest of the catalog follows in the same transaction");
    let app = spawn_app_on(dir, url).await;
    assert_eq!(slugs(&app.get_json("/skills", 200).await), ["good-skill", "second-good-skill"]);
    assert_eq!(app.get_json("/skills/good-skill", 200).await["aliases"], json!(["alias one", "alias two"]));
    // The article's FAQ went with the seed catalog.
    assert_eq!(app.get_json("/faqs", 200).await["total"], 0);
}

#[test]
fn unreadable_or_wrong_files_are_one_clear_error() {
    let out = powerskills_import(&[
        "--skills",
        "/nonexistent.csv",
        "--groups",
        "/nonexistent2.csv",
        "--database-url",
        "sqlite::memory:",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("powerskills: cannot read /nonexistent.csv"));
    let dir = tempfile::tempdir().unwrap();
    let wrong = write_csv(dir.path(), "wrong.csv", "a,b,c\n1,2,3\n");
    let groups = fixture("esco_skill_groups.csv");
    let out = powerskills_import(&[
        "--skills",
        wrong.to_str().unwrap(),
        "--groups",
        groups.to_str().unwrap(),
        "--database-url",
        "sqlite::memory:",
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected the columns conceptUri,preferredLabel"));
}

#[test]
fn the_binary_embeds_the_vendored_esco_files() {
    // `import esco` with no files imports these; the tests themselves import only the sample.
    let (skills, groups) = powerskills::import::esco::bundled();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(skills == std::fs::read(root.join(powerskills::import::esco::BUNDLED_SKILLS)).unwrap());
    assert!(groups == std::fs::read(root.join(powerskills::import::esco::BUNDLED_GROUPS)).unwrap());
}

#[test]
fn import_esco_help_points_inside_the_repository() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_powerskills"))
        .args(["import", "esco", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("data/esco/"), "{help}");
    assert!(!help.contains("../"), "{help}");
    let only_one = std::process::Command::new(env!("CARGO_BIN_EXE_powerskills"))
        .args(["import", "esco", "--skills", "x.csv"])
        .output()
        .unwrap();
    assert!(!only_one.status.success());
    assert!(String::from_utf8_lossy(&only_one.stderr).contains("--groups"));
}
