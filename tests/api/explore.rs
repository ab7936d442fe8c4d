//! The explorer page (`/explore`, and `/` for browsers) and its assets.

use crate::helpers::spawn_app;

const FIREFOX_ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

#[actix_web::test]
async fn the_explorer_page_and_its_assets_are_served_from_the_binary() {
    let app = spawn_app().await;
    let page = app.get("/explore").await;
    assert_eq!(page.status().as_u16(), 200);
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.starts_with("default-src 'self'") && csp.contains("script-src 'self';"), "{csp}");
    assert!(page.headers().contains_key("etag"));
    let html = page.text().await.unwrap();
    assert_eq!(html, powerskills::routes::explore::PAGE_HTML);
    assert!(html.contains(r#"<script src="/explore/app.js" defer></script>"#));
    assert!(!html.contains("http://") && !html.contains("https://"), "no third-party request");

    for (path, content_type) in
        [("/explore/app.js", "text/javascript; charset=utf-8"), ("/explore/style.css", "text/css; charset=utf-8")]
    {
        let res = app.get(path).await;
        assert_eq!(res.status().as_u16(), 200, "{path}");
        assert_eq!(res.headers()["content-type"], content_type, "{path}");
        let body = res.text().await.unwrap();
        assert!(!body.contains("http://") && !body.contains("https://"), "{path}: no third-party request");
    }
}

#[actix_web::test]
async fn the_root_serves_the_page_to_browsers_and_json_to_everyone_else() {
    let app = spawn_app().await;
    let browser = app.client.get(app.url("/")).header("accept", FIREFOX_ACCEPT).send().await.unwrap();
    assert_eq!(browser.status().as_u16(), 200);
    assert_eq!(browser.headers()["content-type"], "text/html; charset=utf-8");
    assert_eq!(browser.headers()["vary"], "Accept");
    assert_eq!(browser.text().await.unwrap(), powerskills::routes::explore::PAGE_HTML);

    for accept in [None, Some("*/*"), Some("application/json"), Some("application/json, text/html")] {
        let mut req = app.client.get(app.url("/"));
        if let Some(accept) = accept {
            req = req.header("accept", accept);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.headers()["content-type"], "application/json", "{accept:?}");
        assert_eq!(res.headers()["vary"], "Accept", "{accept:?}");
    }

    // Each representation has its own validator.
    let json_etag = app.get("/").await.headers()["etag"].clone();
    let html = app.client.get(app.url("/")).header("accept", FIREFOX_ACCEPT).header("if-none-match", &json_etag);
    assert_eq!(html.send().await.unwrap().status().as_u16(), 200);
}
