//! `POST /api/v1/shows`: adding a show by a provider's id for it, against a mock TVmaze.

use crate::support::{TestApp, audit_actions, on_both_backends, plugin_fixture, problem};
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn answer(server: &MockServer, id: u32, response: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path(format!("/shows/{id}")))
        .and(query_param("embed", "episodes"))
        .respond_with(response)
        .mount(server)
        .await;
}

async fn show_count(app: &TestApp) -> usize {
    let page = app.get_json("/api/v1/shows?limit=200").await;
    page["items"].as_array().unwrap().len()
}

on_both_backends! {
    async fn a_show_is_added_once_by_its_provider_id_and_audited(backend: Backend) {
        let tvmaze = MockServer::start().await;
        answer(&tvmaze, 2993, ResponseTemplate::new(200).set_body_raw(plugin_fixture("tvmaze", "show-2993-embed-episodes.json"), "application/json")).await;
        answer(&tvmaze, 404, ResponseTemplate::new(404).set_body_raw(r#"{"name":"Not Found","message":"","code":0,"status":404}"#, "application/json")).await;
        answer(&tvmaze, 500, ResponseTemplate::new(500)).await;
        let uri = tvmaze.uri();
        let app = TestApp::spawn_with(backend, move |s| {
            s.providers.insert("tvmaze".into(), serde_json::from_value(json!({"base_url": uri, "timeout_secs": 2})).unwrap());
            s.providers.insert("later".into(), serde_json::from_value(json!({"plugin": "tvmaze", "enabled": false})).unwrap());
        })
        .await;
        let before = show_count(&app).await;

        let res = app.post_json("/api/v1/shows", &json!({"source_id": "tvmaze", "external_id": "2993"})).await;
        assert_eq!(res.status(), 201);
        let location = res.headers()["location"].to_str().unwrap().to_owned();
        let added: serde_json::Value = res.json().await.unwrap();
        assert_eq!(added["created"], true, "{added:#}");
        assert_eq!(added["show"]["title"], "Stranger Things", "{added:#}");
        assert_eq!(added["show"]["external_ids"]["tvmaze"], "2993", "{added:#}");
        assert_eq!(added["run"]["trigger"], "add_show", "{added:#}");
        assert_eq!(added["run"]["shows"]["created"], 1, "{added:#}");
        assert!(added["show"]["sources"].as_array().unwrap().iter().any(|s| s["source_id"] == "tvmaze"), "credited: {added:#}");
        assert_eq!(location, format!("/api/v1/shows/{}", added["show"]["id"].as_str().unwrap()));
        assert_eq!(app.get_json(&location).await["title"], "Stranger Things");
        assert_eq!(show_count(&app).await, before + 1);

        // Added again: found, not duplicated; its facts are unchanged.
        let res = app.post_json("/api/v1/shows", &json!({"source_id": "tvmaze", "external_id": "2993"})).await;
        assert_eq!(res.status(), 200);
        let again: serde_json::Value = res.json().await.unwrap();
        assert_eq!((again["created"].clone(), again["show"]["id"].clone()), (json!(false), added["show"]["id"].clone()));
        assert_eq!(again["run"]["facts"]["new"], 0, "{again:#}");
        assert_eq!(show_count(&app).await, before + 1);

        // The runs are listed, but they are not refreshes: the provider has not been refreshed.
        let runs = app.get_json("/api/v1/refresh-runs?provider=tvmaze").await;
        assert_eq!(runs["items"].as_array().unwrap().len(), 2, "{runs:#}");
        let providers = app.get_json("/api/v1/providers").await;
        let entry = providers["items"].as_array().unwrap().iter().find(|p| p["source_id"] == "tvmaze").unwrap().clone();
        assert_eq!(entry["last_run"], serde_json::Value::Null, "{entry:#}");

        // What cannot be added, and why; nothing is stored.
        let gone = problem(app.post_json("/api/v1/shows", &json!({"source_id": "tvmaze", "external_id": "404"})).await, 404).await;
        assert!(gone["detail"].as_str().unwrap().contains("tvmaze:404"), "{gone:#}");
        problem(app.post_json("/api/v1/shows", &json!({"source_id": "tvmaze", "external_id": "500"})).await, 503).await;
        problem(app.post_json("/api/v1/shows", &json!({"source_id": "nope", "external_id": "1"})).await, 404).await;
        problem(app.post_json("/api/v1/shows", &json!({"source_id": "later", "external_id": "1"})).await, 409).await;
        let missing = problem(app.post_json("/api/v1/shows", &json!({"source_id": "tvmaze"})).await, 422).await;
        assert!(missing.to_string().contains("external_id"), "{missing:#}");
        let spaced = problem(app.post_json("/api/v1/shows", &json!({"source_id": "tvmaze", "external_id": "8 2"})).await, 422).await;
        assert!(spaced.to_string().contains("external_id"), "{spaced:#}");
        assert_eq!(show_count(&app).await, before + 1);

        let actions = audit_actions(&app).await;
        assert_eq!(actions.iter().filter(|a| *a == "catalog.add_show").count(), 2, "{actions:?}");
    }
}

on_both_backends! {
    async fn a_show_is_added_from_tmdb_with_where_to_watch_it(backend: Backend) {
        let tmdb = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/tv/1399"))
            .and(query_param("append_to_response", "external_ids,watch/providers"))
            .and(query_param("api_key", "test-key"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(plugin_fixture("tmdb", "tv-1399.json"), "application/json"))
            .mount(&tmdb)
            .await;
        Mock::given(method("GET"))
            .and(path("/tv/1"))
            .respond_with(ResponseTemplate::new(401).set_body_raw(r#"{"status_code":7,"status_message":"Invalid API key: You must be granted a valid key.","success":false}"#, "application/json"))
            .mount(&tmdb)
            .await;
        let uri = tmdb.uri();
        let app = TestApp::spawn_with(backend, move |s| {
            s.providers.insert("tmdb".into(), serde_json::from_value(json!({"base_url": uri, "api_key": "test-key", "countries": ["US"]})).unwrap());
        })
        .await;

        let res = app.post_json("/api/v1/shows", &json!({"source_id": "tmdb", "external_id": "tv:1399"})).await;
        let status = res.status();
        let added: serde_json::Value = res.json().await.unwrap();
        assert!(status == 201 || status == 200, "{status}: {added:#}");
        assert_eq!(added["show"]["title"], "Game of Thrones", "{added:#}");
        assert_eq!(added["show"]["external_ids"]["tmdb"], "tv:1399", "{added:#}");
        assert_eq!(added["run"]["facts"]["rejected"], 0, "{added:#}");
        let availability = added["show"]["availability"].as_array().unwrap();
        let from_tmdb: Vec<&serde_json::Value> = availability.iter().filter(|a| a["source_id"] == "tmdb").collect();
        assert!(from_tmdb.iter().any(|a| a["service_id"] == "max" && a["category"] == "svod"), "mapped through the registry: {availability:#?}");
        let unknown: Vec<_> = from_tmdb.iter().filter(|a| a["service_id"].as_str().unwrap().starts_with("unknown-tmdb-provider-")).collect();
        assert!(!unknown.is_empty(), "an unmapped provider is kept: {availability:#?}");
        assert!(unknown.iter().all(|a| a["category"] == "unknown" && a["service_name"].is_null()), "{unknown:#?}");
        let credited = added["show"]["sources"].as_array().unwrap().iter().find(|s| s["source_id"] == "tmdb").unwrap().clone();
        assert!(credited["attribution"].as_str().unwrap().contains("not endorsed or certified by TMDB"), "{credited:#}");

        // A refused key is the provider's failure: 503, naming it, nothing stored.
        let refused = problem(app.post_json("/api/v1/shows", &json!({"source_id": "tmdb", "external_id": "tv:1"})).await, 503).await;
        assert!(refused["detail"].as_str().unwrap().contains("authentication failed"), "{refused:#}");
        assert!(!refused.to_string().contains("test-key"), "the key never shows: {refused:#}");
    }
}
