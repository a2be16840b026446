//! The manual import passes the SDK's conformance kit.

use psma_plugin_manual_import::ManualImportFactory;
use psma_plugin_sdk::ProviderErrorKind;
use psma_plugin_sdk::serde_json::json;
use psma_plugin_sdk::testkit::Conformance;

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[tokio::test]
async fn the_json_provider_passes_the_conformance_kit() {
    Conformance::new(&ManualImportFactory)
        .config(json!({ "path": fixture("catalog.json") }))
        .bad_config(json!({}), "path")
        .bad_config(
            json!({ "path": fixture("catalog.json"), "content": "{}" }),
            "content",
        )
        .bad_config(
            json!({ "path": fixture("catalog.json"), "format": "xml" }),
            "format",
        )
        .bad_config(
            json!({ "path": fixture("catalog.json"), "sauce": 1 }),
            "sauce",
        )
        .bad_config(
            json!({ "content": "{}", "source_id": "Not An Id" }),
            "source_id",
        )
        .failing_config(
            json!({ "path": "/no/such/catalog.json" }),
            ProviderErrorKind::Upstream,
        )
        .failing_config(
            json!({ "content": "{\"format\": \"psma-import/v1\", \"shows\": [{}]}" }),
            ProviderErrorKind::Upstream,
        )
        .run()
        .await
        .assert_passed();
}

#[tokio::test]
async fn the_csv_provider_passes_the_conformance_kit() {
    Conformance::new(&ManualImportFactory)
        .config(json!({ "path": fixture("availability.csv"), "source_id": "listings" }))
        .bad_config(json!({ "content": "" , "format": "tsv" }), "format")
        .run()
        .await
        .assert_passed();
}
