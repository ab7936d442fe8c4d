//! `GET /`.

use serde_json::json;

use crate::helpers::spawn_app;

#[actix_web::test]
async fn root_describes_the_catalog_and_links_everything() {
    let app = spawn_app().await;
    let body = app.get_json("/", 200).await;
    assert_eq!(body["source"], "article");
    assert_eq!(body["version"], "seed-2023.1");
    assert_eq!(body["version_id"], 1);
    assert_eq!(body["counts"], json!({"categories": 4, "skills": 8, "faqs": 5}));
    assert_eq!(
        body["links"],
        json!({"categories": "/categories", "skills": "/skills", "faqs": "/faqs",
               "versions": "/versions", "changes": "/changes?since=1",
               "openapi": "/openapi.json", "docs": "/docs/"})
    );
    assert_eq!(
        body["attribution"],
        "Based on the article “The Power Skills of Tomorrow: Upwork’s Top In-Demand Skills for 2023”."
    );
    assert_eq!(body["license"], json!(null));
}
