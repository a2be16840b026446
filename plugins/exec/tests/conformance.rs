//! The Python example plugin (`examples/episodes.py`), run through the exec plugin, passes the
//! SDK's conformance kit.

use psma_plugin_exec::ExecFactory;
use psma_plugin_sdk::ProviderErrorKind;
use psma_plugin_sdk::serde_json::json;
use psma_plugin_sdk::testkit::Conformance;

fn path(relative: &str) -> String {
    format!("{}/{relative}", env!("CARGO_MANIFEST_DIR"))
}

#[tokio::test]
async fn the_python_example_passes_the_conformance_kit() {
    let example = path("examples/episodes.py");
    let report = Conformance::new(&ExecFactory)
        .config(json!({
            "exec": ["python3", example],
            "source_id": "lantern",
            "config": {"country": "GB"}
        }))
        .bad_config(json!({}), "exec")
        .bad_config(json!({"exec": []}), "exec")
        .bad_config(json!({"exec": format!("python3 {example}")}), "exec")
        .bad_config(
            json!({"exec": ["python3", example], "timeout_secs": 0}),
            "timeout_secs",
        )
        .bad_config(
            json!({"exec": ["python3", example], "api_key": "x"}),
            "api_key",
        )
        .bad_config(
            json!({"exec": ["python3", example], "source_id": "Lantern"}),
            "source_id",
        )
        .bad_config(json!({"exec": ["python3", example], "env": ["A=1"]}), "env")
        .failing_config(
            json!({"exec": ["sh", path("tests/fixtures/check_error.sh")]}),
            ProviderErrorKind::Auth,
        )
        .failing_config(
            json!({"exec": ["sh", path("tests/fixtures/crash.sh")]}),
            ProviderErrorKind::Upstream,
        )
        .failing_config(
            json!({"exec": ["sh", path("tests/fixtures/spec_garbage.sh")]}),
            ProviderErrorKind::Config,
        )
        .run()
        .await;
    println!("{report}");
    report.assert_passed();
}
