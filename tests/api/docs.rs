//! The OpenAPI document and Swagger UI.

use crate::helpers::spawn_app;

fn committed_openapi() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json")).expect("openapi/openapi.json")
}

#[actix_web::test]
async fn served_openapi_is_the_committed_file() {
    let app = spawn_app().await;
    let res = app.get("/openapi.json").await;
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["content-type"], "application/json");
    let served = res.text().await.unwrap();
    assert!(
        served == committed_openapi(),
        "openapi/openapi.json is stale: regenerate it with `cargo run -- openapi > openapi/openapi.json`"
    );
}

#[test]
fn generated_openapi_is_the_committed_file() {
    assert!(
        powerskills::openapi::document_json() == committed_openapi(),
        "openapi/openapi.json is stale: regenerate it with `cargo run -- openapi > openapi/openapi.json`"
    );
}

#[test]
fn every_operation_is_fully_described() {
    let doc: serde_json::Value = serde_json::from_str(&committed_openapi()).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 9);
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path}: no operationId"));
            let verb = id.split('_').next().unwrap();
            assert!(["get", "list", "search", "extract", "export", "autocomplete", "lookup"].contains(&verb), "{id}");
            assert!(op["tags"].as_array().is_some_and(|t| !t.is_empty()), "{id}: no tag");
            assert!(op["summary"].as_str().is_some_and(|s| !s.is_empty()), "{id}: no summary");
            assert!(op["description"].as_str().is_some_and(|s| !s.is_empty()), "{id}: no description");
            for (status, response) in op["responses"].as_object().unwrap() {
                if status.starts_with('4') || status.starts_with('5') {
                    let schema = &response["content"]["application/problem+json"]["schema"]["$ref"];
                    assert_eq!(schema, "#/components/schemas/Problem", "{id} {status}");
                }
            }
        }
    }
}

#[actix_web::test]
async fn docs_redirects_to_swagger_ui() {
    let app = spawn_app().await;
    let res = app.get("/docs").await;
    assert_eq!(res.status().as_u16(), 308);
    assert_eq!(res.headers()["location"], "/docs/");
}

#[actix_web::test]
async fn swagger_ui_and_its_assets_are_served_from_the_binary() {
    let app = spawn_app().await;
    let page = app.get("/docs/").await;
    assert_eq!(page.status().as_u16(), 200);
    assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(page.headers()["content-security-policy"].to_str().unwrap().starts_with("default-src 'self'"));
    let html = page.text().await.unwrap();
    assert!(html.contains("swagger-ui-bundle.js"), "{html}");

    let init = app.get("/docs/swagger-initializer.js").await;
    assert_eq!(init.status().as_u16(), 200);
    assert!(init.text().await.unwrap().contains("/openapi.json"));

    for (asset, kind) in [("swagger-ui-bundle.js", "javascript"), ("swagger-ui.css", "text/css")] {
        let res = app.get(&format!("/docs/{asset}")).await;
        assert_eq!(res.status().as_u16(), 200, "{asset}");
        assert!(res.headers()["content-type"].to_str().unwrap().contains(kind), "{asset}");
        assert!(res.bytes().await.unwrap().len() > 10_000, "{asset}");
    }
}

/// What the linters do not check and clients rely on: every schema and property is described and
/// has an example (a property that is a reference takes its referenced schema's), and so has
/// every parameter; every operation lists the 429 and 500 problems.
///
/// Path parameters carry `example` (Swagger UI pre-fills it: a path needs a value). A query
/// parameter's example is in its schema's `examples` and in words in its description, and
/// nothing Swagger UI would pre-fill (`example`, or a schema's `example` or `default`) is left:
/// "Try it out" sends only what the user typed (docs/API-DESIGN.md#swagger-ui).
#[test]
fn every_schema_and_parameter_has_a_description_and_an_example() {
    use serde_json::Value;
    let doc: Value = serde_json::from_str(&committed_openapi()).unwrap();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let has_example = |v: &Value| v.get("example").is_some() || v.get("examples").is_some();
    let one_of = |v: &Value| v["oneOf"].as_array().cloned().unwrap_or_default();
    let is_reference = |v: &Value| {
        v.get("$ref").is_some() || v["items"].get("$ref").is_some() || one_of(v).iter().any(|o| o.get("$ref").is_some())
    };
    let described = |v: &Value| {
        v["description"].as_str().is_some_and(|d| !d.is_empty())
            || one_of(v).iter().any(|o| o["description"].as_str().is_some_and(|d| !d.is_empty()))
    };
    let resolve = |v: &Value| match v["$ref"].as_str() {
        Some(r) => schemas[r.strip_prefix("#/components/schemas/").unwrap()].clone(),
        None => v.clone(),
    };
    for (name, schema) in schemas {
        assert!(described(schema), "schema {name}: no description");
        match schema["properties"].as_object() {
            None => assert!(has_example(schema), "schema {name}: no example"),
            Some(properties) => {
                for (property, p) in properties {
                    assert!(described(p), "{name}.{property}: no description");
                    assert!(has_example(p) || is_reference(p), "{name}.{property}: no example");
                }
            }
        }
    }
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for p in op["parameters"].as_array().into_iter().flatten() {
                let at = format!("{method} {path} {}", p["name"]);
                assert!(described(p), "{at}: no description");
                match p["in"].as_str().unwrap() {
                    "path" => assert!(p.get("example").is_some(), "{at}: no example"),
                    "query" => {
                        let schema = resolve(&p["schema"]);
                        for prefilled in
                            [p.get("example"), schema.get("example"), schema.get("default"), p.get("examples")]
                        {
                            assert_eq!(prefilled, None, "{at}: Swagger UI would pre-fill this");
                        }
                        let example = &schema["examples"][0];
                        let shown = match example {
                            Value::String(s) => format!("Example: `{s}`."),
                            other => format!("Example: `{other}`."),
                        };
                        assert!(!example.is_null(), "{at}: no example in its schema's `examples`");
                        assert!(
                            p["description"].as_str().unwrap().contains(&shown),
                            "{at}: no `{shown}` in its description"
                        );
                    }
                    other => panic!("{at}: a parameter in {other}"),
                }
            }
            for status in ["429", "500"] {
                let schema = &op["responses"][status]["content"]["application/problem+json"]["schema"]["$ref"];
                assert_eq!(schema, "#/components/schemas/Problem", "{method} {path} {status}");
            }
        }
    }
}

/// Closed sets are enums in the document (not free strings), and each value is described.
#[test]
fn closed_sets_are_enums_with_every_value_described() {
    use serde_json::Value;
    let doc: Value = serde_json::from_str(&committed_openapi()).unwrap();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let property = |schema: &str, property: &str| schemas[schema]["properties"][property]["$ref"].clone();
    for (schema, field, closed_set) in [
        ("Hit", "type", "HitType"),
        ("Hit", "matched", "HitField"),
        ("Suggestion", "matched", "LabelKind"),
        ("Suggestion", "match_type", "MatchType"),
        ("MatchedField", "field", "SkillField"),
        ("RelatedSkill", "basis", "RelatedBasis"),
        ("Health", "status", "HealthStatus"),
        ("Readiness", "status", "ReadinessStatus"),
        ("SkillSummary", "type", "SkillTypeParam"),
        ("SkillDetail", "type", "SkillTypeParam"),
        ("Change", "change", "ChangeKind"),
        ("Change", "resource", "ChangeResource"),
    ] {
        assert_eq!(property(schema, field), format!("#/components/schemas/{closed_set}"), "{schema}.{field}");
    }
    assert_eq!(
        schemas["HitType"]["enum"],
        serde_json::json!(["skill", "category", "faq"]),
        "the values served (tests/api/search.rs checks the bodies)"
    );
    assert_eq!(schemas["MatchType"]["enum"], serde_json::json!(["prefix", "word_prefix", "fuzzy"]));
    let query = |path: &str, name: &str| {
        doc["paths"][path]["get"]["parameters"].as_array().unwrap().iter().find(|p| p["name"] == name).unwrap()["schema"]
            ["$ref"]
            .clone()
    };
    assert_eq!(query("/search", "type"), "#/components/schemas/HitType");
    for export in ["/skills/export", "/categories/export", "/faqs/export"] {
        assert_eq!(query(export, "format"), "#/components/schemas/ExportFormatParam", "{export}");
    }

    let mut enums = 0;
    for (name, schema) in schemas {
        let Some(values) = schema["enum"].as_array() else { continue };
        enums += 1;
        let description = schema["description"].as_str().unwrap();
        for value in values {
            let line = format!("\n- `{}`: ", value.as_str().unwrap());
            assert!(
                description.contains(&line),
                "{name}: the value {value} is not described (implement ClosedSet for the enum and list it in \
                 routes::closed_set::describe_all): {description}"
            );
        }
    }
    assert!(enums >= 9, "only {enums} enums in the document");
}
