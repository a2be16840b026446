//! An exec plugin (the Python example of `plugins/exec/examples`) configured like a user would,
//! refreshed over HTTP by the embedded worker: its facts arrive with its attribution.

use crate::support::{TestApp, on_both_backends};
use serde_json::json;
use std::time::Duration;

on_both_backends! {
    async fn an_exec_plugins_facts_arrive_in_the_catalog(backend: Backend) {
        let example = format!("{}/../../plugins/exec/examples/episodes.py", env!("CARGO_MANIFEST_DIR"));
        let app = TestApp::spawn_with(backend, move |s| {
            s.providers.insert("lantern".into(), serde_json::from_value(json!({
                "exec": ["python3", example],
                "timeout_secs": 20,
                "config": {"country": "GB"},
            })).unwrap());
        })
        .await;
        let providers = app.get_json("/api/v1/providers").await;
        let lantern = providers["items"].as_array().unwrap().iter().find(|p| p["source_id"] == "lantern").unwrap().clone();
        assert_eq!(lantern["display_name"], "Lantern listings", "the program's own spec: {lantern:#}");

        let queued = app.post_json("/api/v1/catalog/refresh", &json!({"provider": "lantern"})).await;
        assert_eq!(queued.status(), 202);
        let queued: serde_json::Value = queued.json().await.unwrap();
        let job = queued["jobs"][0]["job_id"].as_str().unwrap().to_owned();
        let mut status = String::new();
        for _ in 0..400 {
            status = app.get_json(&format!("/api/v1/jobs/{job}")).await["status"].as_str().unwrap().to_owned();
            if status == "succeeded" || status == "failed" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(status, "succeeded");

        let shows = app.get_json("/api/v1/shows?q=lantern").await;
        assert_eq!(shows["items"][0]["title"], "The Lantern Keepers", "{shows:#}");
        let id = shows["items"][0]["id"].as_str().unwrap();
        let show = app.get_json(&format!("/api/v1/shows/{id}")).await;
        let availability = show["availability"].as_array().unwrap();
        assert_eq!(availability.len(), 1, "{show:#}");
        assert_eq!((availability[0]["service_id"].clone(), availability[0]["country"].clone()), (json!("netflix"), json!("GB")), "the section's config reached the program");
        assert_eq!(availability[0]["source_id"], "lantern");
        let source = show["sources"].as_array().unwrap().iter().find(|s| s["source_id"] == "lantern").unwrap().clone();
        assert_eq!(source["attribution"], "Made-up listings from the PSMA exec example", "{source:#}");
        let runs = app.get_json("/api/v1/refresh-runs?provider=lantern").await;
        assert_eq!(runs["items"][0]["facts"]["new"], 4, "{runs:#}");
    }
}
