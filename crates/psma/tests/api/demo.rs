//! The bundled demo catalog: loaded into an empty catalog on a local first start, so PSMA is
//! useful before any provider is configured.

use crate::support::{TestApp, on_both_backends};
use std::collections::BTreeSet;

on_both_backends! {
    async fn a_local_first_start_loads_the_demo_catalog(backend: Backend) {
        let app = TestApp::spawn_with(backend, |s| s.catalog.load_demo = None).await;
        let shows = app.get_json("/api/v1/shows?limit=200").await;
        let items = shows["items"].as_array().unwrap();
        assert!(items.len() >= 40, "{}", items.len());
        let services: BTreeSet<&str> = items
            .iter()
            .flat_map(|s| s["services"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()))
            .collect();
        assert!(services.len() >= 10, "{services:?}");
        assert!(items.iter().all(|s| s["scope"] == "shared"));

        // A disagreement between the demo's two sources, with both facts.
        let conflicts = app.get_json("/api/v1/conflicts?status=open").await;
        let conflicts = conflicts["items"].as_array().unwrap();
        assert!(!conflicts.is_empty());
        assert!(conflicts.iter().all(|c| c["facts"].as_array().unwrap().len() >= 2));

        // An unknown end date, upcoming episodes, prices and release patterns.
        let severance = app.get_json("/api/v1/shows?q=severance").await["items"][0]["id"].as_str().unwrap().to_owned();
        let show = app.get_json(&format!("/api/v1/shows/{severance}")).await;
        assert!(show["availability"][0]["available_until"].is_null());
        assert!(!show["upcoming_episodes"].as_array().unwrap().is_empty());
        assert!(show["sources"][0]["attribution"].as_str().unwrap().contains("Invented data"));
        let services = app.get_json("/api/v1/services?limit=200").await;
        let netflix = services["items"].as_array().unwrap().iter().find(|s| s["service_id"] == "netflix").unwrap();
        assert_eq!(netflix["behavior_facts"][0]["release_pattern"], "all_at_once");
        assert!(!netflix["price_facts"].as_array().unwrap().is_empty());
    }
}

on_both_backends! {
    async fn the_demo_catalog_can_be_turned_off(backend: Backend) {
        let app = TestApp::spawn_with(backend, |s| s.catalog.load_demo = Some(false)).await;
        assert_eq!(app.get_json("/api/v1/shows").await["items"], serde_json::json!([]));
    }
}
