//! `GET /api/v1/providers/{source_id}/search` against a mock TVmaze.

use crate::support::{TestApp, on_both_backends, plugin_fixture};
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

on_both_backends! {
    async fn a_provider_lists_candidates_for_a_title(backend: Backend) {
        let tvmaze = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/search/shows"))
            .and(query_param("q", "thrones"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(plugin_fixture("tvmaze", "search-game-of-thrones.json"), "application/json"))
            .mount(&tvmaze)
            .await;
        Mock::given(method("GET"))
            .and(path("/search/shows"))
            .and(query_param("q", "broken"))
            .respond_with(ResponseTemplate::new(500))
            .mount(&tvmaze)
            .await;
        let uri = tvmaze.uri();
        let app = TestApp::spawn_with(backend, move |s| {
            s.providers.insert("tvmaze".into(), serde_json::from_value(json!({"base_url": uri})).unwrap());
            s.providers.insert("later".into(), serde_json::from_value(json!({"plugin": "manual_import", "enabled": false})).unwrap());
        })
        .await;

        let found = app.get_json("/api/v1/providers/tvmaze/search?q=thrones").await;
        let items = found["items"].as_array().unwrap();
        assert_eq!(items.len(), 2, "{found:#}");
        assert_eq!(items[0]["key"], "82");
        assert_eq!(items[0]["title"], "Game of Thrones");
        assert_eq!(items[0]["year"], 2011);
        assert_eq!(items[0]["external_ids"]["imdb"], "tt0944947");
        assert_eq!(app.get_json("/api/v1/providers/tvmaze/search?q=%20%20").await, json!({"items": []}), "only spaces find nothing");

        assert_eq!(app.get("/api/v1/providers/nope/search?q=x").await.status(), 404);
        assert_eq!(app.get("/api/v1/providers/Not-An-Id/search?q=x").await.status(), 404);
        assert_eq!(app.get("/api/v1/providers/later/search?q=x").await.status(), 409);
        assert_eq!(app.get("/api/v1/providers/tvmaze/search?q=a%01b").await.status(), 422);
        assert_eq!(app.get("/api/v1/providers/tvmaze/search").await.status(), 422);
        assert_eq!(app.get("/api/v1/providers/tvmaze/search?q=broken").await.status(), 503);
    }
}
