//! `type=skill|knowledge` on `/skills` (list and search) and `/skills/autocomplete`, and the
//! `type` every skill carries.

use serde_json::{Value, json};

use crate::helpers::{TestApp, problem, slugs, spawn_app, spawn_esco_app};

/// The slugs of `path` (one page of up to 100) whose `type` is `kind`.
async fn of_type(app: &TestApp, path: &str, kind: &str) -> Vec<String> {
    let body = app.get_json(path, 200).await;
    body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["type"] == kind)
        .map(|s| s["slug"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn the_esco_sample_filters_by_type() {
    let app = spawn_esco_app().await;
    let knowledge = app.get_json("/skills?type=knowledge&limit=100", 200).await;
    let skill = app.get_json("/skills?type=skill&limit=100&offset=100", 200).await;
    // 57 knowledge concepts; 125 skill/competence and the 5 with no type are skills.
    assert_eq!((knowledge["total"].as_u64(), skill["total"].as_u64()), (Some(57), Some(130)));
    let mut all = of_type(&app, "/skills?limit=100", "knowledge").await;
    all.extend(of_type(&app, "/skills?limit=100&offset=100", "knowledge").await);
    assert_eq!(slugs(&knowledge), all);
    assert_eq!(
        app.get("/skills?type=skill&limit=100").await.headers()["link"],
        "</skills?type=skill&limit=100&offset=100>; rel=\"next\""
    );

    // With a category, and with a search: the same `within` set.
    let in_group = app.get_json("/skills?category=s5-6-1&type=knowledge", 200).await;
    assert_eq!(in_group["total"], 3);
    assert_eq!(slugs(&in_group), of_type(&app, "/skills?category=s5-6-1&limit=100", "knowledge").await);
    let searched = app.get_json("/skills?q=blockchain&type=skill", 200).await;
    assert_eq!(slugs(&searched), of_type(&app, "/skills?q=blockchain&limit=100", "skill").await);
    assert_eq!(searched["total"], 11);
    assert!(searched["data"].as_array().unwrap().iter().all(|s| s["type"] == "skill" && s["matched"].is_object()));
}

#[actix_web::test]
async fn every_skill_carries_its_type() {
    let app = spawn_esco_app().await;
    let haskell = app.get_json("/skills/haskell", 200).await;
    assert_eq!((haskell["type"].clone(), haskell["skill_type"].clone()), (json!("knowledge"), json!("knowledge")));
    let untyped = app.get_json("/skills/digital-content-creation", 200).await;
    assert_eq!((untyped["type"].clone(), untyped["skill_type"].clone()), (json!("skill"), Value::Null));
    let competence = app.get_json("/skills/manage-musical-staff", 200).await;
    assert_eq!(
        (competence["type"].clone(), competence["skill_type"].clone()),
        (json!("skill"), json!("skill/competence"))
    );

    let seed = spawn_app().await;
    let all = seed.get_json("/skills", 200).await;
    assert!(all["data"].as_array().unwrap().iter().all(|s| s["type"] == "skill"));
    assert_eq!(
        seed.get_json("/skills?type=knowledge", 200).await,
        json!({"data": [], "total": 0, "limit": 50, "offset": 0})
    );
}

#[actix_web::test]
async fn autocomplete_filters_by_type() {
    let app = spawn_esco_app().await;
    let labels = |body: &Value| -> Vec<String> {
        body["data"].as_array().unwrap().iter().map(|s| s["slug"].as_str().unwrap().to_owned()).collect()
    };
    let knowledge = app.get_json("/skills/autocomplete?q=blockchain&type=knowledge&limit=50", 200).await;
    let skill = app.get_json("/skills/autocomplete?q=blockchain&type=skill&limit=50", 200).await;
    let both = labels(&app.get_json("/skills/autocomplete?q=blockchain&limit=50", 200).await);
    let (k, s) = (labels(&knowledge), labels(&skill));
    assert_eq!((k.len(), s.len(), both.len()), (17, 11, 28));
    // Each filtered list keeps the unfiltered order.
    assert_eq!(k, both.iter().filter(|x| k.contains(x)).cloned().collect::<Vec<_>>());
    assert_eq!(s, both.iter().filter(|x| s.contains(x)).cloned().collect::<Vec<_>>());
    assert_eq!(
        labels(&app.get_json("/skills/autocomplete?q=blockchain&type=knowledge&limit=1", 200).await),
        [k[0].clone()]
    );
}

#[actix_web::test]
async fn an_unknown_type_is_a_400_naming_it() {
    let app = spawn_app().await;
    for path in ["/skills?type=competence", "/skills?q=seo&type=Skill", "/skills/autocomplete?q=se&type=all"] {
        let body = problem(app.get_json(path, 400).await);
        assert_eq!(body["parameter"], "type", "{path}");
        assert_eq!(body["type"], "urn:powerskills:problem:invalid-parameter", "{path}");
    }
    let body = problem(app.get_json("/skills?type=competence", 400).await);
    assert_eq!(body["detail"], "`type` must be `skill` or `knowledge`, not `competence`");
}
