//! A show-by-show refresh (TVmaze) against a mock TVmaze: every shared show with a TVmaze id is
//! fetched; a show that fails keeps its facts and makes the run partial; a show fetched again
//! replaces only its own facts.

use crate::support::{TestDatabase, on_both_backends, plugin_fixture};
use psma::app::CatalogWiring;
use psma_core::catalog::ports::NoProgress;
use psma_core::catalog::{IngestRun, RunOutcome};
use psma_core::ports::{Clock, SystemClock};
use psma_core::tenancy::SystemCtx;
use psma_plugin_sdk::text::SourceId;
use serde_json::json;
use std::sync::Arc;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Shared shows, two of them with TVmaze ids, as another source lists them.
const SEED: &str = r#"{"format": "psma-import/v1",
    "shows": [{"ref": "got", "title": "Game of Thrones", "year": 2011, "external_ids": {"tvmaze": "82", "imdb": "tt0944947"}},
              {"ref": "st", "title": "Stranger Things", "year": 2016, "external_ids": {"tvmaze": "2993"}},
              {"ref": "andor", "title": "Andor", "year": 2022}],
    "availability": [{"show": "got", "service_id": "max", "country": "US", "available_from": "2020-05-27"},
                     {"show": "st", "service_id": "netflix", "country": "US", "available_from": "2016-07-15"},
                     {"show": "andor", "service_id": "disney-plus", "country": "US", "available_from": "2022-09-21"}]}"#;

fn fixture(name: &str) -> String {
    String::from_utf8(plugin_fixture("tvmaze", name)).unwrap()
}

async fn answer(server: &MockServer, id: u32, response: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path(format!("/shows/{id}")))
        .and(query_param("embed", "episodes"))
        .respond_with(response)
        .mount(server)
        .await;
}

fn show_json(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.into_bytes(), "application/json")
}

on_both_backends! {
    async fn a_tvmaze_refresh_fetches_each_known_show_and_keeps_the_failed_ones_facts(backend: Backend) {
        let (db, store) = TestDatabase::migrated(backend).await;
        let store = Arc::new(store);
        let dir = tempfile::tempdir().unwrap();
        let seed = dir.path().join("seed.json");
        std::fs::write(&seed, SEED).unwrap();
        let server = MockServer::start().await;
        let mut settings = db.settings();
        settings.providers.clear();
        settings.providers.insert("seed".into(), serde_json::from_value(json!({"plugin": "manual_import", "path": seed})).unwrap());
        settings.providers.insert("tvmaze".into(), serde_json::from_value(json!({"base_url": server.uri(), "timeout_secs": 2})).unwrap());
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let refreshes = CatalogWiring::build(&settings, &store, &clock).unwrap().refreshes;
        let system = SystemCtx::establish("test");
        let tvmaze = SourceId::parse("tvmaze").unwrap();
        refreshes.run(&system, &SourceId::parse("seed").unwrap(), &NoProgress).await.unwrap();

        // Game of Thrones answers; Stranger Things fails upstream.
        answer(&server, 82, show_json(fixture("show-82-embed-episodes.json"))).await;
        answer(&server, 2993, ResponseTemplate::new(500)).await;
        let first: IngestRun = refreshes.run(&system, &tvmaze, &NoProgress).await.unwrap();
        assert_eq!(first.outcome, RunOutcome::Partial, "{first:?}");
        assert_eq!((first.counts.shows_matched, first.counts.shows_created), (1, 0), "matched by its TVmaze id: {first:?}");
        assert_eq!(first.counts.new, 5, "identity and four episodes: {first:?}");
        assert_eq!(first.problems.len(), 1, "{:?}", first.problems);
        assert!(first.problems[0].contains("status 500"), "{:?}", first.problems);
        assert_eq!(server.received_requests().await.unwrap().len(), 1 + 3, "Stranger Things asked thrice (two retries); Andor has no TVmaze id: not asked for");

        // Both answer; Game of Thrones has lost its last episode, which ends.
        server.reset().await;
        let mut got: serde_json::Value = serde_json::from_str(&fixture("show-82-embed-episodes.json")).unwrap();
        got["_embedded"]["episodes"].as_array_mut().unwrap().pop();
        answer(&server, 82, show_json(got.to_string())).await;
        answer(&server, 2993, show_json(fixture("show-2993-embed-episodes.json"))).await;
        let second = refreshes.run(&system, &tvmaze, &NoProgress).await.unwrap();
        assert_eq!(second.outcome, RunOutcome::Succeeded, "{second:?}");
        assert_eq!(second.counts.ended, 1, "{second:?}");
        assert!(second.counts.new >= 4, "Stranger Things' identity, availability and episodes: {second:?}");

        // Game of Thrones fails this time: its facts stay live; Stranger Things is unchanged.
        server.reset().await;
        answer(&server, 82, ResponseTemplate::new(503)).await;
        answer(&server, 2993, show_json(fixture("show-2993-embed-episodes.json"))).await;
        let third = refreshes.run(&system, &tvmaze, &NoProgress).await.unwrap();
        assert_eq!(third.outcome, RunOutcome::Partial, "{third:?}");
        assert_eq!((third.counts.new, third.counts.ended), (0, 0), "a failed show keeps its facts: {third:?}");

        // Every show failing fails the run, and records it.
        server.reset().await;
        answer(&server, 82, ResponseTemplate::new(500)).await;
        answer(&server, 2993, ResponseTemplate::new(500)).await;
        let err = refreshes.run(&system, &tvmaze, &NoProgress).await.unwrap_err();
        assert!(matches!(err, psma_core::Error::Unavailable(_)), "{err}");
    }
}

on_both_backends! {
    async fn a_show_that_fails_transiently_is_asked_again(backend: Backend) {
        let (db, store) = TestDatabase::migrated(backend).await;
        let store = Arc::new(store);
        let dir = tempfile::tempdir().unwrap();
        let seed = dir.path().join("seed.json");
        std::fs::write(&seed, SEED).unwrap();
        let server = MockServer::start().await;
        let mut settings = db.settings();
        settings.providers.clear();
        settings.providers.insert("seed".into(), serde_json::from_value(json!({"plugin": "manual_import", "path": seed})).unwrap());
        settings.providers.insert("tvmaze".into(), serde_json::from_value(json!({"base_url": server.uri(), "timeout_secs": 2, "rate_limit": "none"})).unwrap());
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let refreshes = CatalogWiring::build(&settings, &store, &clock).unwrap().refreshes;
        let system = SystemCtx::establish("test");
        refreshes.run(&system, &SourceId::parse("seed").unwrap(), &NoProgress).await.unwrap();

        // Game of Thrones fails twice (a 502, then a 503) before it answers; a 404 is final.
        for status in [502, 503] {
            Mock::given(method("GET"))
                .and(path("/shows/82"))
                .respond_with(ResponseTemplate::new(status))
                .up_to_n_times(1)
                .with_priority(1)
                .mount(&server)
                .await;
        }
        answer(&server, 82, show_json(fixture("show-82-embed-episodes.json"))).await;
        answer(&server, 2993, ResponseTemplate::new(404)).await;
        let run = refreshes.run(&system, &SourceId::parse("tvmaze").unwrap(), &NoProgress).await.unwrap();
        assert_eq!(run.outcome, RunOutcome::Succeeded, "{run:?}");
        assert_eq!(run.counts.new, 5, "Game of Thrones' identity and episodes: {run:?}");
        let requests = server.received_requests().await.unwrap();
        let asked = |id: &str| requests.iter().filter(|r| r.url.path() == format!("/shows/{id}")).count();
        assert_eq!(asked("82"), 3, "asked again after each transient failure");
        assert_eq!(asked("2993"), 1, "a 404 is an answer: not asked again");
    }
}
