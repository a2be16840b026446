use crate::support::{Backend, TestApp};

#[tokio::test]
async fn the_served_openapi_document_is_3_1_and_lists_every_route() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let res = app.get("/api/v1/openapi.json").await;
    assert_eq!(res.status(), 200);
    let doc: serde_json::Value = res.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    for path in ["/health", "/ready", "/metrics", "/api/v1/me"] {
        assert!(doc["paths"].get(path).is_some(), "{path} is not documented");
    }
    assert!(doc["paths"]["/api/v1/me"].get("patch").is_some());
    assert!(doc["components"]["schemas"].get("Problem").is_some());
}

#[tokio::test]
async fn the_committed_openapi_document_is_current() {
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../contracts/openapi/psma.v1.json"
    ))
    .expect("contracts/openapi/psma.v1.json exists (cargo xtask openapi)");
    assert!(
        committed == psma_api::openapi::document_json(&psma::catalog::openapi_contracts()).unwrap(),
        "contracts/openapi/psma.v1.json is stale: run `cargo xtask openapi` and commit it"
    );
}

#[tokio::test]
async fn the_interactive_docs_are_served_from_the_binary_without_any_cdn() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let res = app.get("/api/docs").await;
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(res.headers()["location"], "/api/docs/");
    let page = app.get("/api/docs/").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("swagger-ui"), "{html}");
    for asset in [
        "swagger-ui-bundle.js",
        "swagger-initializer.js",
        "swagger-ui.css",
    ] {
        assert!(html.contains(asset), "page does not load {asset}");
        let res = app.get(&format!("/api/docs/{asset}")).await;
        assert_eq!(res.status(), 200, "{asset} is not served locally");
    }
    assert!(
        !html.contains("://"),
        "the page refers to another host: {html}"
    );
    let init = app
        .get("/api/docs/swagger-initializer.js")
        .await
        .text()
        .await
        .unwrap();
    assert!(init.contains("/api/v1/openapi.json"), "{init}");
}

#[test]
fn every_operation_has_a_unique_operation_id() {
    let doc: serde_json::Value = serde_json::from_str(
        &psma_api::openapi::document_json(&psma::catalog::openapi_contracts()).unwrap(),
    )
    .unwrap();
    let mut ids = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str();
            assert!(id.is_some(), "{method} {path} has no operationId");
            ids.push(id.unwrap().to_owned());
        }
    }
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "duplicate operationIds: {ids:?}");
}

#[test]
fn the_committed_json_schemas_are_current() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../contracts/jsonschema");
    for (name, schema) in psma::catalog::json_schemas() {
        let committed = std::fs::read_to_string(format!("{dir}/{name}")).unwrap_or_default();
        assert!(
            committed == psma_plugin_sdk::contract::to_committed_text(&schema),
            "contracts/jsonschema/{name} is stale: run `cargo xtask contracts` and commit it"
        );
    }
}
