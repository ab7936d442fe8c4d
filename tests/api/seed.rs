//! The seed migration against the article it transcribes (`data/article.txt`): every name,
//! description, question and answer must be the article's text, verbatim, in its order.

use serde_json::Value;

use crate::helpers::spawn_app;

fn article() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/article.txt")).expect("article")
}

/// The article's paragraphs (blocks separated by blank lines), trimmed.
fn paragraphs() -> Vec<String> {
    article().split("\n\n").map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned).collect()
}

/// Asserts that `heading` is a paragraph of the article immediately followed by `body`.
fn assert_section(heading: &str, body: &str) {
    let paras = paragraphs();
    let at = paras.iter().position(|p| p == heading).unwrap_or_else(|| panic!("heading not in article: {heading:?}"));
    assert_eq!(paras[at + 1], body, "text under {heading:?}");
}

#[actix_web::test]
async fn seeded_categories_are_the_article_sections_in_order() {
    let app = spawn_app().await;
    let body = app.get_json("/categories", 200).await;
    let data = body["data"].as_array().unwrap();
    let names: Vec<&str> = data.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "Digital Marketing Mastery",
            "Artificial Intelligence and Machine Learning",
            "Blockchain and Cryptocurrency Expertise",
            "E-commerce Management"
        ]
    );
    for c in data {
        assert_section(c["name"].as_str().unwrap(), c["description"].as_str().unwrap());
    }
}

#[actix_web::test]
async fn seeded_skills_are_the_article_subsections_in_order() {
    let app = spawn_app().await;
    let body = app.get_json("/skills", 200).await;
    let data = body["data"].as_array().unwrap();
    assert_eq!(data.len(), 8);
    let paras = paragraphs();
    let mut last = 0;
    for s in data {
        let name = s["name"].as_str().unwrap();
        assert_section(name, s["description"].as_str().unwrap());
        let at = paras.iter().position(|p| p == name).unwrap();
        assert!(at > last, "{name} out of article order");
        last = at;
    }
}

#[actix_web::test]
async fn seeded_faqs_are_the_articles_questions_and_answers() {
    let app = spawn_app().await;
    let body = app.get_json("/faqs", 200).await;
    let data = body["data"].as_array().unwrap();
    assert_eq!(data.len(), 5);
    for (i, f) in data.iter().enumerate() {
        let n = i + 1;
        assert_eq!(f["id"], n);
        assert_section(
            &format!("Q{n}: {}", f["question"].as_str().unwrap()),
            &format!("A: {}", f["answer"].as_str().unwrap()),
        );
    }
}

#[actix_web::test]
async fn catalog_metadata_is_the_articles() {
    let app = spawn_app().await;
    let body: Value = app.get_json("/", 200).await;
    let paras = paragraphs();
    assert_eq!(body["title"], paras[0].as_str());
    assert_eq!(body["introduction"], paras[1].as_str());
    let conclusion = paras.iter().find(|p| p.starts_with("As we navigate")).unwrap();
    assert_eq!(body["conclusion"], conclusion.as_str());
    assert_eq!(body["publisher"], "Upwork");
    assert_eq!(body["year"], 2023);
}
