//! `GET /api/v1/providers`: the configured data sources, enabled or not, with their attribution
//! and latest run.

use crate::support::{TestApp, on_both_backends};
use psma::providers::{PluginConfig, ProviderSettings};
use serde_json::json;
use std::time::Duration;

fn section(
    plugin: &str,
    enabled: bool,
    refresh_every: Option<Duration>,
    config: serde_json::Value,
) -> ProviderSettings {
    ProviderSettings {
        enabled,
        plugin: Some(plugin.to_owned()),
        refresh_every,
        config: PluginConfig(serde_json::from_value(config).unwrap()),
    }
}

on_both_backends! {
    async fn providers_are_listed_with_their_attribution_and_latest_run(backend: Backend) {
        let list = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(list.path(), r#"{"format": "psma-import/v1", "shows": [{"ref": "a", "title": "Andor", "year": 2022}]}"#).unwrap();
        let app = TestApp::spawn_with(backend, |s| {
            // The demo catalog's load is a refresh of the `demo` source: a provider of that id
            // shows it as its latest run.
            s.catalog.load_demo = Some(true);
            s.providers.insert("demo".into(), section("manual_import", true, Some(Duration::from_secs(6 * 3600)), json!({"path": list.path()})));
            s.providers.insert("tvmaze".into(), section("tvmaze", false, None, json!({})));
        })
        .await;
        let body = app.get_json("/api/v1/providers").await;
        let items = body["items"].as_array().unwrap();
        let ids: Vec<&str> = items.iter().map(|p| p["source_id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["demo", "tvmaze"]);

        let demo = &items[0];
        assert_eq!(demo["enabled"], true);
        assert_eq!(demo["refresh_every_secs"], 21600);
        assert_eq!(demo["scopes"], json!(["all", "show", "country"]));
        let run = &demo["last_run"];
        assert_eq!(run["trigger"], "refresh", "{demo:#}");
        assert_eq!(run["outcome"], "succeeded");
        assert!(run["facts"]["new"].as_u64().unwrap() > 100, "{run:#}");
        assert!(run["shows"]["created"].as_u64().unwrap() >= 40);

        let tvmaze = &items[1];
        assert_eq!(tvmaze["enabled"], false);
        assert!(tvmaze["last_run"].is_null());
        assert!(tvmaze["refresh_every_secs"].is_null());
        assert_eq!(tvmaze["rate_limit"], json!({"requests": 20, "per_secs": 10}));
        assert_eq!(tvmaze["attribution"]["license"], "CC BY-SA 4.0");
        assert_eq!(tvmaze["attribution"]["url"], "https://www.tvmaze.com/api");
        assert_eq!(tvmaze["needs_credentials"], false);
    }
}

on_both_backends! {
    async fn with_no_providers_configured_the_list_is_empty(backend: Backend) {
        let app = TestApp::spawn_with(backend, |s| s.providers.clear()).await;
        assert_eq!(app.get_json("/api/v1/providers").await, json!({"items": []}));
    }
}
